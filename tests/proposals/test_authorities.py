"""Every level decides its own awards (Luật Thi đua, khen thưởng 2022, Điều 79, 80; Nghị định 129/2025/NĐ-CP,
Điều 59): who decides which award for which recipient, a department's whole cycle from its officer's draft
to its director's decision, the lines it sends up to the province, and the walls between authorities."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_person, make_user
from tests.proposals.conftest import attach_required, award, docx_text
from thidua.accounts.models import Role
from thidua.awards.models import AwardRecord, Decision
from thidua.eligibility.engine import default_evaluator
from thidua.organisation.authorities import decider_for
from thidua.proposals import documents as docs
from thidua.proposals import documents_build, selectors, services
from thidua.proposals.models import (
    CouncilRole,
    CouncilSession,
    Dossier,
    DossierState,
    LineOutcome,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


# Who decides what ------------------------------------------------------------------------------------


def test_the_rulebook_moves_the_district_powers_to_the_commune_on_1_july_2025() -> None:
    library = default_evaluator().library

    def levels_of(code: str, day: dt.date) -> set[str]:
        return {p.level for p in library.deciding_levels(code, day)}

    # Luật 2022 Điều 80 khoản 3: the commune decided LĐTT, Giấy khen, Gia đình văn hóa; khoản 2 the rest.
    assert levels_of("CSTDCS", dt.date(2025, 6, 30)) == {"department", "district", "enterprise"}
    assert levels_of("GDVH", dt.date(2025, 6, 30)) == {"commune"}
    # Nghị định 129/2025 Điều 59: from 1/7/2025 the Chairman of the commune decides them too.
    assert levels_of("CSTDCS", dt.date(2025, 7, 1)) == {"department", "commune", "enterprise"}
    assert levels_of("THON_VH", dt.date(2025, 7, 1)) == {"commune"}
    assert levels_of("BK_TINH", dt.date(2025, 7, 1)) == {"province"}
    assert levels_of("HCLD3", dt.date(2025, 7, 1)) == set()
    power = library.deciding_levels("CSTDCS", dt.date(2025, 7, 1))[1]
    assert power.level == "commune" and "129/2025" in power.citation.basis


def test_the_decider_is_the_nearest_authority_holding_the_power(levels: dict[str, Any]) -> None:
    def who(recipient: Any, code: str, level: str = "co_so") -> Any:
        found = decider_for(recipient, code, level, TODAY)
        return found.authority.name if found.authority else "central"

    # The Sở's staff in an office without legal status: the Sở's director.
    assert who(levels["clinic_person"], "LDTT") == "Sở Y tế tỉnh Lai Châu"
    # A hospital with legal status decides its own staff's titles.
    assert who(levels["hospital_person"], "CSTDCS") == "Bệnh viện Đa khoa tỉnh"
    # A collective is decided from above: the hospital's title by the Sở, not by itself.
    assert who(levels["hospital"], "TTLDTT") == "Sở Y tế tỉnh Lai Châu"
    assert who(levels["household"], "GDVH") == "UBND xã Bình Lư"
    assert who(levels["clinic_person"], "BK_TINH", "tinh") == "UBND tỉnh Lai Châu"
    assert who(levels["clinic_person"], "HCLD3", "nha_nuoc") == "central"
    # A unit the product does not know as an authority leaves the decision to the province.
    assert who(levels["education_person"], "LDTT") == "UBND tỉnh Lai Châu"


def test_a_line_above_the_authority_is_refused_with_who_decides_it(levels: dict[str, Any]) -> None:
    dossier = services.dossier_create(
        actor=levels["health_officer"],
        unit=levels["health"],
        kind="cong_trang",
        year=2024,
        title="Đề nghị tặng Bằng khen",
        authority=levels["ubnd"].authority,
    )
    with pytest.raises(ValidationError) as refused:
        services.nominee_add(
            actor=levels["health_officer"],
            dossier=dossier,
            recipient=levels["clinic_person"],
            award_type=award("LDTT"),
        )
    assert refused.value.code == "wrong_authority"
    assert "Giám đốc Sở Y tế tỉnh Lai Châu" in refused.value.messages[0]
    assert "Điều 80 khoản 1" in refused.value.messages[0]
    assert not dossier.nominees.exists()
    # A hospital's staff cannot be put before the Sở for what the hospital's director decides.
    own = services.dossier_create(
        actor=levels["health_officer"], unit=levels["health"], kind="cong_trang", year=2024, title="Danh hiệu"
    )
    assert own.authority == levels["syt"], "by default a dossier goes to the unit's own authority"
    with pytest.raises(ValidationError):
        services.nominee_add(
            actor=levels["health_officer"],
            dossier=own,
            recipient=levels["hospital_person"],
            award_type=award("LDTT"),
        )


# A department's whole cycle, and the lines it sends up ----------------------------------------------


def _health_cycle(levels: dict[str, Any]) -> tuple[Dossier, Decision | None]:
    officer, head, specialist = levels["health_officer"], levels["health_head"], levels["syt_specialist"]
    dossier = services.dossier_create(
        actor=officer, unit=levels["health"], kind="cong_trang", year=2024, title="Danh hiệu thi đua năm 2024"
    )
    for code in ("LDTT", "CSTDCS", "BK_TINH"):
        services.nominee_add(
            actor=officer,
            dossier=dossier,
            recipient=levels["clinic_person"],
            award_type=award(code),
            achievement="Tốt",
        )
    attach_required(officer, dossier)
    services.dossier_submit(actor=head, dossier=dossier)
    dossier.refresh_from_db()
    # The province's specialist has no hand in the Sở's own dossier.
    with pytest.raises(PermissionDenied) as other:
        services.dossier_receive(actor=levels["specialist"], dossier=dossier)
    assert other.value.code == "other_authority"  # type: ignore[attr-defined]
    services.dossier_receive(actor=specialist, dossier=dossier)
    dossier.refresh_from_db()
    for line in dossier.nominees.all():
        services.nominee_review(
            actor=specialist,
            nominee=line,
            recommend=True,
            reason="" if line.verdict == "eligible" else "Đã đối chiếu minh chứng",
        )
    services.dossier_complete_appraisal(actor=specialist, dossier=dossier)
    dossier.refresh_from_db()
    session = services.council_session_create(
        actor=specialist, title="Họp Hội đồng Sở Y tế", date=TODAY, dossiers=[dossier]
    )
    # The Sở's Council alone: the province's members are not invited.
    assert set(session.members.all()) == set(levels["syt_seats"])
    assert session.authority == levels["syt"] and session.total_members == 4
    services.attendance_all_present(actor=specialist, session=session)
    for seat in levels["syt_seats"]:
        for line in dossier.nominees.all():
            services.ballot_cast(actor=seat.user, session=session, nominee=line, agree=True)
    services.session_close(actor=specialist, session=session)
    dossier.refresh_from_db()
    decision = services.dossiers_decide(
        actor=head, dossiers=[dossier], number="5/QĐ-SYT", date=TODAY, proposal_number="12/TTr-SYT"
    )
    dossier.refresh_from_db()
    return dossier, decision


def test_the_director_decides_the_sos_titles_and_sends_the_bang_khen_up(levels: dict[str, Any]) -> None:
    dossier, decision = _health_cycle(levels)
    assert decision is not None
    assert (decision.number, decision.issuing_authority) == ("5/QĐ-SYT", "Sở Y tế tỉnh Lai Châu")
    assert decision.issuer_unit == levels["health"]
    assert (decision.signer_name, decision.signer_title) == (levels["health_head"].full_name, "Giám đốc")
    records = AwardRecord.objects.filter(decision=decision)
    assert sorted(r.award_type.code for r in records) == ["CSTDCS", "LDTT"]
    assert dossier.state == DossierState.DECIDED
    bk = dossier.nominees.get(award_type__code="BK_TINH")
    assert bk.outcome == LineOutcome.FORWARDED and bk.award_record is None

    # The Bằng khen arrives at the province as the Sở's tờ trình, submitted and appraised there.
    up = Dossier.objects.get(sent_up_from=dossier)
    assert up.authority.level == "province" and up.state == DossierState.SUBMITTED
    assert up.proposal_number == "12/TTr-SYT" and up.unit == levels["health"]
    line = up.nominees.get()
    assert (line.award_type.code, line.recipient) == ("BK_TINH", levels["clinic_person"])
    assert line.verdict and line.checked_at is not None
    # The line it came from is the same proposal, not a second one in another dossier.
    assert not [f for f in line.flags if f["code"] == "other_dossier"], line.flags
    assert up.attachments.filter(is_active=True).count() == dossier.attachments.filter(is_active=True).count()
    # The Sở's specialist does not handle it; the province's does.
    with pytest.raises(PermissionDenied):
        services.dossier_receive(actor=levels["syt_specialist"], dossier=up)
    services.dossier_receive(actor=levels["specialist"], dossier=up)
    up.refresh_from_db()
    assert up.state == DossierState.RECEIVED


def test_the_province_sees_the_units_own_results_when_it_appraises(levels: dict[str, Any]) -> None:
    dossier, _decision = _health_cycle(levels)
    up = Dossier.objects.get(sent_up_from=dossier)
    conditions = {c["code"]: c for c in up.nominees.get().check_result["conditions"]}
    # The Bằng khen's route through two CSTĐ cơ sở counts the one the Sở has just decided for 2024.
    assert "(có: 2024; thiếu: 2023)" in conditions["streak_cstdcs"]["text"]
    assert AwardRecord.objects.filter(
        person=levels["clinic_person"], award_type__code="CSTDCS", year=2024, decision__number="5/QĐ-SYT"
    ).exists()


def test_each_head_signs_only_for_the_own_authority(levels: dict[str, Any]) -> None:
    officer, head, specialist = levels["health_officer"], levels["health_head"], levels["syt_specialist"]
    dossier = services.dossier_create(
        actor=officer, unit=levels["health"], kind="cong_trang", year=2024, title="Giấy khen"
    )
    services.nominee_add(
        actor=officer, dossier=dossier, recipient=levels["clinic_person"], award_type=award("LDTT")
    )
    attach_required(officer, dossier)
    services.dossier_submit(actor=head, dossier=dossier)
    dossier.refresh_from_db()
    services.dossier_receive(actor=specialist, dossier=dossier)
    dossier.refresh_from_db()
    services.nominees_confirm_all(actor=specialist, dossier=dossier)
    for line in dossier.nominees.filter(recommend__isnull=True):
        services.nominee_review(actor=specialist, nominee=line, recommend=True, reason="Xét thấy")
    services.dossier_complete_appraisal(actor=specialist, dossier=dossier)
    dossier.refresh_from_db()
    # The province's chairman does not sign the Sở's decision, nor the administrator.
    for intruder in (levels["chairman"], levels["admin"], specialist):
        with pytest.raises(PermissionDenied):
            services.dossiers_decide(actor=intruder, dossiers=[dossier], number="1/QĐ-SYT", date=TODAY)
    assert selectors.decidable_dossiers(user=levels["chairman"], on=TODAY) == []
    assert [d.pk for d in selectors.decidable_dossiers(user=head, on=TODAY)] == [dossier.pk]
    decision = services.dossiers_decide(actor=head, dossiers=[dossier], number="1/QĐ-SYT", date=TODAY)
    assert decision is not None and decision.signer_title == "Giám đốc"


def test_the_sos_staff_are_not_in_conflict_with_its_own_dossier_but_are_with_its_tờ_trình(
    levels: dict[str, Any],
) -> None:
    from thidua.proposals.access import conflicted

    own = services.dossier_create(
        actor=levels["health_officer"], unit=levels["health"], kind="cong_trang", year=2024, title="Danh hiệu"
    )
    up = services.dossier_create(
        actor=levels["health_officer"],
        unit=levels["health"],
        kind="cong_trang",
        year=2024,
        title="Bằng khen",
        authority=levels["ubnd"].authority,
    )
    assert not conflicted(levels["syt_specialist"], own)
    # The province's specialist who works in the Sở may not appraise the Sở's proposal to the province.
    assert conflicted(levels["conflicted_specialist"], up)


def test_an_authoritys_specialist_sees_its_units_only(levels: dict[str, Any], client_for: Any) -> None:
    own = services.dossier_create(
        actor=levels["health_officer"], unit=levels["health"], kind="cong_trang", year=2024, title="Sở Y tế"
    )
    other = services.dossier_create(
        actor=levels["education_officer"],
        unit=levels["education"],
        kind="cong_trang",
        year=2024,
        title="Sở GD",
    )
    specialist = levels["syt_specialist"]
    assert specialist.has_perm("proposals.view_dossier", own)
    assert not specialist.has_perm("proposals.view_dossier", other)
    client = client_for(specialist)
    assert client.get(f"/ho-so/{own.pk}/").status_code == 200
    assert client.get(f"/ho-so/{other.pk}/").status_code in (403, 404)
    listing = client.get("/ho-so/").content.decode()
    assert own.code in listing and other.code not in listing


def test_a_council_seat_belongs_to_the_authority_of_the_specialist_who_adds_it(
    levels: dict[str, Any],
) -> None:
    specialist = levels["syt_specialist"]
    nurse = make_user("dieuduong", Role.UNIT_OFFICER, levels["clinic"])
    seat = services.council_member_add(
        actor=specialist, user=nurse, role=CouncilRole.MEMBER, valid_from=dt.date(2026, 1, 1)
    )
    assert seat.authority == levels["syt"]
    with pytest.raises(ValidationError) as outside:
        services.council_member_add(
            actor=specialist,
            user=levels["education_officer"],
            role=CouncilRole.MEMBER,
            valid_from=dt.date(2026, 1, 1),
        )
    assert outside.value.code == "out_of_scope"
    # The province's roster does not list the Sở's seats, nor the Sở's the province's.
    province_roster = selectors.council_roster(user=levels["specialist"])
    assert seat not in province_roster.current
    assert {m.authority_id for m in selectors.council_roster(user=specialist).current} == {levels["syt"].pk}
    assert not CouncilSession.objects.exists()


def test_the_sos_decision_paper_is_headed_and_signed_by_the_so(levels: dict[str, Any]) -> None:
    _dossier, decision = _health_cycle(levels)
    assert decision is not None
    text = docx_text(docs.decision_docx(documents_build.decision_doc(decision)))
    assert "SỞ Y TẾ" in text and "UBND TỈNH LAI CHÂU" in text
    assert "GIÁM ĐỐC SỞ Y TẾ" in text
    assert "5/QĐ-SYT" in text
    # A department cites the Law on emulation and its decree, not the Law on local government.
    assert "Luật Thi đua, khen thưởng" in text
    assert "Tổ chức chính quyền địa phương" not in text
    assert "Hội đồng Thi đua – Khen thưởng Sở Y tế" in text


def test_a_title_beside_a_form_is_not_flagged_but_two_forms_are(levels: dict[str, Any]) -> None:
    """The Sở's officer proposes LĐTT and CSTĐ cơ sở together (the second requires the first) and a Bằng
    khen for the same person: no flag; a Giấy khen and a Bằng khen for one achievement are flagged
    (Luật Thi đua, khen thưởng 2022, Điều 5)."""
    officer = levels["health_officer"]
    dossier = services.dossier_create(
        actor=officer, unit=levels["health"], kind="cong_trang", year=2024, title="Danh hiệu và khen thưởng"
    )
    for code in ("LDTT", "CSTDCS", "BK_TINH"):
        services.nominee_add(
            actor=officer, dossier=dossier, recipient=levels["clinic_person"], award_type=award(code)
        )
    assert not any(f["code"] == "same_dossier_twice" for n in dossier.nominees.all() for f in n.flags)
    services.nominee_add(
        actor=officer, dossier=dossier, recipient=levels["clinic_person"], award_type=award("GK")
    )
    flagged = {
        n.award_type.code
        for n in dossier.nominees.all()
        if any(f["code"] == "same_dossier_twice" for f in n.flags)
    }
    assert flagged == {"GK", "BK_TINH"}


def test_the_sos_own_people_read_its_appraisal_report(levels: dict[str, Any], client_for: Any) -> None:
    """The appraisal report of a dossier addressed to Sở Y tế is for the Sở's specialist, Council and
    director (as the province's are for the Board), not only for province-wide accounts."""
    dossier, _decision = _health_cycle(levels)
    url = f"/ho-so/{dossier.pk}/bao-cao-tham-dinh.docx"
    for who in ("syt_specialist", "health_head"):
        client = client_for(levels[who])
        page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
        assert "Báo cáo thẩm định" in page, who
        assert client.get(url).status_code == 200, who
    # The unit's officer drafts; the report of the Sở's appraisal is not his to read.
    assert client_for(levels["health_officer"]).get(url).status_code == 403


def test_where_lines_go_costs_the_same_queries_for_one_line_or_many(levels: dict[str, Any]) -> None:
    """Routing the lines of a decision reads each unit's chain of authorities once, not once per line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = levels["health_officer"]

    def dossier_with(count: int) -> Dossier:
        dossier = services.dossier_create(
            actor=officer, unit=levels["health"], kind="cong_trang", year=2024, title=f"{count} dòng"
        )
        for i in range(count):
            person = make_person(levels["clinic"], f"Lò Văn Tám{i}")
            services.nominee_add(actor=officer, dossier=dossier, recipient=person, award_type=award("LDTT"))
        dossier.nominees.update(recommend=True)
        return Dossier.objects.select_related("authority", "authority__unit").get(pk=dossier.pk)

    one, many = dossier_with(1), dossier_with(4)
    with CaptureQueriesContext(connection) as small:
        assert set(services._routes(one, TODAY).values()) == {services.DECIDE}
    with CaptureQueriesContext(connection) as large:
        assert set(services._routes(many, TODAY).values()) == {services.DECIDE}
    assert len(small) == len(large)
