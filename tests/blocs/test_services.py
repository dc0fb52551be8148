"""The blocs' scoring services: the sheet, self-scoring, cross-review, the meeting, publication."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.blocs.conftest import SCORED, YEAR, approved, drafted, reviewed, self_scored
from tests.conftest import FIXED_TODAY
from tests.proposals.conftest import pdf_upload
from thidua.blocs import services
from thidua.blocs.models import RankingEntry, Score, ScoreChange, ScoreEvidence, ScoreSheet, SheetAmendment
from thidua.blocs.workflow import Approver, ItemKind, SheetState, Stage, UnitSheetState
from thidua.core.models import AuditLog
from thidua.proposals.models import Notification

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_sheet_is_approved_by_the_board_and_every_member_is_told(world: dict[str, Any]) -> None:
    sheet = drafted(world)
    with pytest.raises(PermissionDenied):
        services.sheet_approve(actor=world["bloc_leader"], sheet=sheet)
    services.sheet_approve(actor=world["specialist"], sheet=sheet)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.APPROVED and sheet.approved_by == world["specialist"]
    told = set(
        Notification.objects.filter(link=f"/khoi-thi-dua/bang-diem/{sheet.pk}/").values_list(
            "user__username", flat=True
        )
    )
    # Every member unit's staff, not the other bloc's commune.
    assert told == {
        "canbo.yte",
        "thutruong.yte",
        "khoitruong",
        "canbo.gd",
        "thutruong.gd",
        "canbo.tc",
        "thutruong.tc",
    }


def test_the_bloc_approves_when_its_rulebook_says_so(world: dict[str, Any]) -> None:
    sheet = drafted(world, approver=Approver.BLOC)
    with pytest.raises(PermissionDenied):
        services.sheet_approve(actor=world["specialist"], sheet=sheet)
    services.sheet_approve(actor=world["bloc_leader"], sheet=sheet)
    assert ScoreSheet.objects.get(pk=sheet.pk).state == SheetState.APPROVED


def test_a_sheet_whose_sub_criteria_do_not_add_up_is_not_approved(world: dict[str, Any]) -> None:
    sheet = drafted(world)
    services.item_update(actor=world["specialist"], item=world["c2b"], max_points="7")
    with pytest.raises(ValidationError, match="khác tổng các tiêu chí con"):
        services.sheet_approve(actor=world["specialist"], sheet=sheet)
    assert ScoreSheet.objects.get(pk=sheet.pk).state == SheetState.DRAFT


def test_a_change_after_approval_needs_a_reason_and_tells_every_member(world: dict[str, Any]) -> None:
    sheet = approved(world)
    before = Notification.objects.count()
    with pytest.raises(ValidationError, match="cần ghi lý do"):
        services.item_update(actor=world["specialist"], item=world["c3"], max_points="6")
    assert world["c3"].__class__.objects.get(pk=world["c3"].pk).max_points == D(5)
    services.item_update(
        actor=world["specialist"], item=world["c3"], max_points="6", reason="Theo Hội nghị khối ngày 10/3"
    )
    amendment = SheetAmendment.objects.get(sheet=sheet)
    assert amendment.reason == "Theo Hội nghị khối ngày 10/3" and "5,0 → 6,0" in amendment.summary
    assert Notification.objects.count() - before == 7


def test_a_maximum_is_not_lowered_below_a_score_given(world: dict[str, Any]) -> None:
    sheet = approved(world)
    self_scored(world, sheet, "finance", {"c3": 5}, submit=False)
    with pytest.raises(ValidationError, match="Sở Tài chính đã được chấm cao hơn"):
        services.item_update(actor=world["specialist"], item=world["c3"], max_points="4", reason="Giảm")


def test_copy_from_last_year_keeps_groups_criteria_and_settings(world: dict[str, Any]) -> None:
    sheet = approved(world, vote_required=True, commendation_count=3)
    from thidua.organisation.models import BlocMembership

    for m in BlocMembership.objects.filter(bloc=world["bloc"], year=YEAR):
        BlocMembership.objects.create(bloc=m.bloc, unit=m.unit, year=YEAR + 1, role=m.role)
    copy = services.sheet_copy(actor=world["specialist"], source=sheet)
    assert (copy.year, copy.state, copy.copied_from_id) == (YEAR + 1, SheetState.DRAFT, sheet.pk)
    assert (copy.vote_required, copy.commendation_count, copy.bonus_cap) == (True, 3, D(3))
    shape = lambda s: sorted(  # noqa: E731
        (i.kind, i.group.name if i.group else "", i.parent.name if i.parent else "", i.name, i.max_points)
        for i in s.items.select_related("group", "parent")
    )
    assert shape(copy) == shape(sheet) and len(shape(copy)) == 9


def test_a_score_never_exceeds_its_maximum_and_nothing_is_saved(world: dict[str, Any]) -> None:
    sheet = approved(world)
    opened = services.unit_sheet_open(actor=world["finance_officer"], sheet=sheet, unit=world["finance"])
    with pytest.raises(ValidationError, match=r"Hoàn thành chỉ tiêu” \(10,5\) vượt điểm tối đa 10,0"):
        services.self_score_save(
            actor=world["finance_officer"],
            unit_sheet=opened,
            scores={world["c3"].pk: "4", world["c1"].pk: "10,5"},
        )
    assert not Score.objects.filter(unit_sheet=opened).exists()
    assert not ScoreChange.objects.exists()
    for bad, message in (("-1", "không được âm"), ("abc", "phải là một số"), ("1.234", "hai chữ số")):
        with pytest.raises(ValidationError, match=message):
            services.self_score_save(
                actor=world["finance_officer"], unit_sheet=opened, scores={world["c3"].pk: bad}
            )
    # A criterion divided into sub-criteria is scored through them only.
    with pytest.raises(ValidationError, match="không thuộc bảng"):
        services.self_score_save(
            actor=world["finance_officer"], unit_sheet=opened, scores={world["c2"].pk: "3"}
        )


def test_bonus_and_penalty_items_stay_within_their_caps(world: dict[str, Any]) -> None:
    sheet = drafted(world)
    with pytest.raises(ValidationError, match="vượt mức tối đa của bảng"):
        services.item_add(
            actor=world["specialist"], sheet=sheet, kind=ItemKind.BONUS, name="Lớn", max_points="3,5"
        )
    services.sheet_approve(actor=world["specialist"], sheet=sheet)
    # Both bonus items full (4 points) count 3; both penalties (4 points) count 3.
    unit_sheet = self_scored(
        world, sheet, "finance", {"c1": 10, "c2a": 12, "c2b": 8, "c3": 5, "b1": 2, "b2": 2, "p1": 2, "p2": 2}
    )
    figures = {f.unit_id: f for f in services.current_figures(sheet)}[unit_sheet.unit_id]
    assert (figures.base, figures.bonus, figures.penalty, figures.total) == (D(35), D(3), D(3), D(35))
    assert figures.criteria_at_max == 4


def test_the_head_submits_only_a_complete_sheet_zero_counts(world: dict[str, Any]) -> None:
    sheet = approved(world)
    opened = services.unit_sheet_open(actor=world["finance_officer"], sheet=sheet, unit=world["finance"])
    services.self_score_save(
        actor=world["finance_officer"], unit_sheet=opened, scores={world[k].pk: "0" for k in SCORED[:-1]}
    )
    with pytest.raises(PermissionDenied):
        services.unit_sheet_submit(actor=world["finance_officer"], unit_sheet=opened)
    with pytest.raises(ValidationError, match="Sai sót"):
        services.unit_sheet_submit(actor=world["finance_head"], unit_sheet=opened)
    services.self_score_save(actor=world["finance_officer"], unit_sheet=opened, scores={world["p2"].pk: "0"})
    # Zero everywhere: no evidence is asked for points not claimed.
    submitted = services.unit_sheet_submit(actor=world["finance_head"], unit_sheet=opened)
    assert submitted.state == UnitSheetState.SUBMITTED


def test_points_claimed_on_a_criterion_needing_evidence_need_a_file(world: dict[str, Any]) -> None:
    sheet = approved(world)
    opened = services.unit_sheet_open(actor=world["finance_officer"], sheet=sheet, unit=world["finance"])
    services.self_score_save(
        actor=world["finance_officer"], unit_sheet=opened, scores={world[k].pk: "1" for k in SCORED}
    )
    with pytest.raises(ValidationError, match="minh chứng của “Hoàn thành chỉ tiêu” \\(Báo cáo\\)"):
        services.unit_sheet_submit(actor=world["finance_head"], unit_sheet=opened)
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=world["finance_officer"],
            unit_sheet=opened,
            item=world["c1"],
            upload=pdf_upload("bao-cao.docx"),
        )
    assert not ScoreEvidence.objects.exists()


def test_another_units_staff_cannot_score_for_it(world: dict[str, Any]) -> None:
    sheet = approved(world)
    with pytest.raises(PermissionDenied):
        services.unit_sheet_open(actor=world["education_officer"], sheet=sheet, unit=world["finance"])
    with pytest.raises(ValidationError, match="không phải thành viên"):
        services.unit_sheet_open(actor=world["xa_officer"], sheet=sheet, unit=world["xa"])


def test_cross_review_a_different_score_needs_a_reason(world: dict[str, Any]) -> None:
    sheet = approved(world)
    finance = self_scored(world, sheet, "finance", {"c1": 8, "c3": 5})
    with pytest.raises(PermissionDenied):
        services.review_save(
            actor=world["education_officer"], unit_sheet=finance, scores={world["c3"].pk: "4"}
        )
    with pytest.raises(ValidationError, match="cần ghi lý do"):
        services.review_save(actor=world["bloc_leader"], unit_sheet=finance, scores={world["c3"].pk: "4"})
    reviewed(world, finance, {"c3": ("4", "Chưa phát động phong trào chuyên đề quý IV")})
    score = Score.objects.get(unit_sheet=finance, item=world["c3"])
    assert (score.self_points, score.review_points, score.points) == (D(5), D(4), D(4))
    change = ScoreChange.objects.get(unit_sheet=finance, stage=Stage.REVIEW)
    assert (change.old, change.new, change.actor) == (None, D(4), world["bloc_leader"])
    assert change.reason == "Chưa phát động phong trào chuyên đề quý IV"


def test_the_bloc_assigns_another_member_to_review(world: dict[str, Any]) -> None:
    sheet = approved(world)
    services.reviewer_assign(
        actor=world["bloc_leader"], sheet=sheet, unit=world["finance"], reviewer=world["education"]
    )
    finance = self_scored(world, sheet, "finance", {"c3": 5})
    with pytest.raises(PermissionDenied):
        services.review_finish(actor=world["bloc_leader"], unit_sheet=finance)
    services.review_finish(actor=world["education_officer"], unit_sheet=finance)
    with pytest.raises(PermissionDenied):
        services.reviewer_assign(
            actor=world["finance_head"], sheet=sheet, unit=world["health"], reviewer=world["finance"]
        )


def _settled(world: dict[str, Any], **settle: Any) -> Any:
    sheet = approved(world, **settle.pop("sheet", {}))
    health = self_scored(world, sheet, "health", {"c1": 10, "c2a": 12, "c2b": 8, "c3": 4, "b1": 1})
    education = self_scored(world, sheet, "education", {"c1": 10, "c2a": 12, "c2b": 8, "c3": 5, "p1": 1})
    finance = self_scored(world, sheet, "finance", {"c1": 9, "c2a": 10, "c2b": 8, "c3": 5})
    reviewed(world, health)
    reviewed(world, education)
    reviewed(world, finance, {"c1": ("8", "Thiếu báo cáo quý IV")})
    services.meeting_settle(
        actor=world["bloc_leader"],
        sheet=sheet,
        meeting_date=FIXED_TODAY,
        minutes="Hội nghị khối thống nhất kết quả chấm điểm",
        **settle,
    )
    sheet.refresh_from_db()
    return sheet


def test_the_meeting_settles_and_the_ranking_is_published_with_its_reasons(world: dict[str, Any]) -> None:
    sheet = _settled(world)
    assert sheet.state == SheetState.SETTLED
    with pytest.raises(PermissionDenied):
        services.ranking_publish(actor=world["bloc_leader"], sheet=sheet)
    services.ranking_publish(actor=world["specialist"], sheet=sheet)
    rows = list(RankingEntry.objects.filter(sheet=sheet).select_related("unit"))
    # Sở Y tế 35 − 0 + 1 = 35; Sở Giáo dục 35 − 1 = 34; Sở Tài chính 8 + 18 + 5 = 31.
    assert [(r.rank, r.unit.name, r.total) for r in rows] == [
        (1, "Sở Y tế", D(35)),
        (2, "Sở Giáo dục và Đào tạo", D(34)),
        (3, "Sở Tài chính", D(31)),
    ]
    assert (
        rows[1].reason == "Sở Y tế xếp trên Sở Giáo dục và Đào tạo vì tổng điểm cao hơn (35,0 so với 34,0)."
    )
    assert services.published_leaders() == {(world["bloc"].pk, YEAR): world["health"].pk}


def test_the_meeting_changes_a_score_with_a_reason_and_records_the_votes(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="số phiếu"):
        _settled(world, sheet={"vote_required": True})
    sheet = ScoreSheet.objects.get()
    units = {world[k].pk: v for k, v in (("health", 5), ("education", 7), ("finance", 0))}
    finance = sheet.unit_sheets.get(unit=world["finance"])
    with pytest.raises(ValidationError, match="cần ghi lý do"):
        services.meeting_settle(
            actor=world["bloc_leader"],
            sheet=sheet,
            meeting_date=FIXED_TODAY,
            minutes="Biên bản",
            finals={(finance.unit_id, world["c1"].pk): ("9", "")},
            votes=units,
        )
    services.meeting_settle(
        actor=world["bloc_leader"],
        sheet=sheet,
        meeting_date=FIXED_TODAY,
        minutes="Biên bản",
        finals={(finance.unit_id, world["c1"].pk): ("9", "Đã bổ sung báo cáo tại hội nghị")},
        votes=units,
    )
    final = ScoreChange.objects.get(stage=Stage.FINAL)
    assert (final.old, final.new, final.reason) == (D(8), D(9), "Đã bổ sung báo cáo tại hội nghị")
    assert sorted(ScoreChange.objects.filter(stage=Stage.VOTE).values_list("new", flat=True)) == [0, 5, 7]


def test_a_unit_not_yet_reviewed_keeps_the_meeting_waiting(world: dict[str, Any]) -> None:
    sheet = approved(world)
    for unit in ("health", "education"):
        reviewed(world, self_scored(world, sheet, unit, {}))
    self_scored(world, sheet, "finance", {})
    with pytest.raises(ValidationError, match="Sở Tài chính chưa được chấm chéo xong"):
        services.meeting_settle(
            actor=world["bloc_leader"], sheet=sheet, meeting_date=FIXED_TODAY, minutes="Biên bản"
        )
    with pytest.raises(ValidationError, match="sau hôm nay"):
        services.meeting_settle(
            actor=world["bloc_leader"],
            sheet=sheet,
            meeting_date=FIXED_TODAY + dt.timedelta(days=1),
            minutes="B",
        )


def test_every_service_writes_its_audit_row(world: dict[str, Any]) -> None:
    sheet = _settled(world)
    services.ranking_publish(actor=world["specialist"], sheet=sheet)
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {
        "bloc_sheet_create",
        "bloc_group_add",
        "bloc_item_add",
        "bloc_sheet_approve",
        "bloc_unit_sheet_open",
        "bloc_self_score",
        "bloc_evidence_add",
        "bloc_unit_sheet_submit",
        "bloc_review",
        "bloc_review_finish",
        "bloc_meeting_settle",
        "bloc_ranking_publish",
    } <= actions


def test_score_changes_are_never_overwritten(world: dict[str, Any]) -> None:
    from thidua.blocs.models import AppendOnly

    sheet = approved(world)
    self_scored(world, sheet, "finance", {"c3": 5}, submit=False)
    change = ScoreChange.objects.first()
    assert change is not None
    change.new = D(1)
    with pytest.raises(AppendOnly):
        change.save()
    with pytest.raises(AppendOnly):
        change.delete()


def test_a_bloc_without_a_deputy_assigns_who_reviews_the_leader_before_approval(
    world: dict[str, Any],
) -> None:
    from thidua.organisation.models import BlocMembership, BlocRole

    BlocMembership.objects.filter(unit=world["education"]).update(role=BlocRole.MEMBER)
    sheet = drafted(world)
    with pytest.raises(ValidationError, match="khối chưa có khối phó"):
        services.sheet_approve(actor=world["specialist"], sheet=sheet)
    services.reviewer_assign(
        actor=world["bloc_leader"], sheet=sheet, unit=world["health"], reviewer=world["finance"]
    )
    assert services.sheet_approve(actor=world["specialist"], sheet=sheet).state == SheetState.APPROVED


def test_the_published_ranking_becomes_dossier_lines(world: dict[str, Any]) -> None:
    sheet = _settled(world, sheet={"commendation_count": 1})
    with pytest.raises(ValidationError, match="chưa công bố"):
        services.proposals_create(actor=world["specialist"], sheet=sheet)
    sheet = services.ranking_publish(actor=world["specialist"], sheet=sheet)
    with pytest.raises(PermissionDenied):
        services.proposals_create(actor=world["bloc_leader"], sheet=sheet)
    dossier = services.proposals_create(actor=world["specialist"], sheet=sheet)
    lines = [(n.collective, n.award_type.code) for n in dossier.nominees.order_by("position")]
    # Sở Y tế first (35): the flag; Sở Giáo dục (34): Bằng khen; Sở Tài chính, third, beyond the one.
    assert lines == [(world["health"], "CO_TINH"), (world["education"], "BK_TINH")]
    assert (dossier.unit, dossier.authority, dossier.year) == (world["health"], world["ubnd"].authority, YEAR)
    assert ScoreSheet.objects.get(pk=sheet.pk).dossier == dossier
    with pytest.raises(ValidationError, match="đã được lập hồ sơ"):
        services.proposals_create(actor=world["specialist"], sheet=ScoreSheet.objects.get(pk=sheet.pk))


def test_a_tie_at_the_boundary_of_the_commendations_is_refused(world: dict[str, Any]) -> None:
    sheet = approved(world, commendation_count=1)
    for unit, points in (("health", {"c1": 10}), ("education", {"c1": 8}), ("finance", {"c1": 8})):
        reviewed(world, self_scored(world, sheet, unit, points))
    services.meeting_settle(actor=world["bloc_leader"], sheet=sheet, meeting_date=FIXED_TODAY, minutes="B")
    sheet = services.ranking_publish(actor=world["specialist"], sheet=ScoreSheet.objects.get(pk=sheet.pk))
    with pytest.raises(ValidationError, match="đồng hạng 2, ở ranh giới 1 đơn vị"):
        services.proposals_create(actor=world["specialist"], sheet=sheet)
    assert ScoreSheet.objects.get(pk=sheet.pk).dossier is None


def test_the_facts_builder_reads_the_leader_from_the_published_ranking(world: dict[str, Any]) -> None:
    from thidua.appraisal.candidates import candidates_for_units
    from thidua.eligibility.engine import Evaluator
    from thidua.organisation.models import Unit

    def facts() -> dict[str, Any]:
        units = Unit.objects.filter(pk__in=[world[k].pk for k in ("health", "education", "finance")])
        return {c.id: c for c in candidates_for_units(units)}

    ids = {k: str(world[k].pk) for k in ("health", "education", "finance")}
    rotating = {ids["health"]: "leader", ids["education"]: "deputy", ids["finance"]: "member"}
    # Before publication: no ranking of the year; the rotating roles as recorded.
    assert {k: c.bloc_roles.get(YEAR) for k, c in facts().items()} == rotating
    assert {k: c.bloc_led for k, c in facts().items()} == {k: {} for k in ids.values()}
    sheet = approved(world)
    for unit, points in (("health", {"c1": 5}), ("education", {"c1": 8}), ("finance", {"c1": 6})):
        reviewed(world, self_scored(world, sheet, unit, points))
    services.meeting_settle(actor=world["bloc_leader"], sheet=sheet, meeting_date=FIXED_TODAY, minutes="B")
    services.ranking_publish(actor=world["specialist"], sheet=ScoreSheet.objects.get(pk=sheet.pk))
    # Published: Sở Giáo dục, ranked first, led the bloc; the rotating khối trưởng, third, did not, and
    # stays khối trưởng.
    found = facts()
    assert {k: c.bloc_led for k, c in found.items()} == {
        ids["health"]: {YEAR: False},
        ids["education"]: {YEAR: True},
        ids["finance"]: {YEAR: False},
    }
    assert {k: c.bloc_roles.get(YEAR) for k, c in found.items()} == rotating
    # The engine reads it: Cờ thi đua tỉnh's bloc route closes for the khối trưởng ranked third.
    verdicts = {
        k: {c.code: c.met for c in result.conditions}.get("dan_dau_cum_khoi")
        for k, result in (
            (k, Evaluator().evaluate(c, "CO_TINH", YEAR, FIXED_TODAY)) for k, c in found.items()
        )
    }
    assert verdicts == {ids["health"]: False, ids["education"]: True, ids["finance"]: False}


def test_next_years_leader_and_deputy_follow_the_rotation(world: dict[str, Any]) -> None:
    from thidua.organisation.models import BlocMembership

    sheet = _settled(world)
    with pytest.raises(PermissionDenied):
        services.leadership_decide(
            actor=world["bloc_leader"], sheet=sheet, decision_number="12/QĐ-UBND", decision_date=FIXED_TODAY
        )
    decision = services.leadership_decide(
        actor=world["specialist"], sheet=sheet, decision_number="12/QĐ-UBND", decision_date=FIXED_TODAY
    )
    # Members by name: Sở Giáo dục, Sở Tài chính, Sở Y tế; after the leader Sở Y tế comes Sở Giáo dục.
    roles = dict(
        BlocMembership.objects.filter(bloc=world["bloc"], year=YEAR + 1).values_list("unit__name", "role")
    )
    assert roles == {"Sở Giáo dục và Đào tạo": "leader", "Sở Tài chính": "deputy", "Sở Y tế": "member"}
    assert (decision.leader, decision.deputy, decision.decision_number) == (
        world["education"],
        world["finance"],
        "12/QĐ-UBND",
    )
    with pytest.raises(ValidationError, match="Đã ghi quyết định"):
        services.leadership_decide(
            actor=world["specialist"], sheet=sheet, decision_number="13/QĐ-UBND", decision_date=FIXED_TODAY
        )


def test_next_years_leader_and_deputy_follow_the_ranking(world: dict[str, Any]) -> None:
    from thidua.blocs.workflow import Succession
    from thidua.organisation.models import BlocMembership

    sheet = _settled(world, sheet={"succession": Succession.RANKING})
    with pytest.raises(ValidationError, match="chưa công bố"):
        services.leadership_decide(
            actor=world["specialist"], sheet=sheet, decision_number="12/QĐ-UBND", decision_date=FIXED_TODAY
        )
    sheet = services.ranking_publish(actor=world["specialist"], sheet=sheet)
    services.leadership_decide(
        actor=world["specialist"], sheet=sheet, decision_number="12/QĐ-UBND", decision_date=FIXED_TODAY
    )
    # Ranked Sở Y tế (35), Sở Giáo dục (34), Sở Tài chính (31).
    roles = dict(
        BlocMembership.objects.filter(bloc=world["bloc"], year=YEAR + 1).values_list("unit__name", "role")
    )
    assert roles == {"Sở Y tế": "leader", "Sở Giáo dục và Đào tạo": "deputy", "Sở Tài chính": "member"}


def test_a_cap_is_not_lowered_below_an_items_maximum_nor_an_item_raised_above_it(
    world: dict[str, Any],
) -> None:
    sheet = drafted(world)
    with pytest.raises(ValidationError, match="thấp hơn điểm tối đa của một mục"):
        services.sheet_update(actor=world["specialist"], sheet=sheet, bonus_cap="1,5")
    with pytest.raises(ValidationError, match="vượt mức tối đa của bảng"):
        services.item_update(actor=world["specialist"], item=world["p1"], max_points="4")
    assert ScoreSheet.objects.get(pk=sheet.pk).bonus_cap == D(3)
