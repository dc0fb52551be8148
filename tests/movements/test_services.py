"""Launching a movement, the reports' workflow, progress from accepted reports only, late and missing
reports on the suite's fixed clock (Monday 07/12/2026), notifications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.movements.conftest import Q1, Q2, Q3, Q4, D, drafted, launched, on, report
from tests.proposals.conftest import pdf_upload
from thidua.core.models import AuditLog
from thidua.movements import selectors, services
from thidua.movements.models import MovementTarget, ProgressReport, ReportTransition, TargetMode
from thidua.movements.workflow import MovementState, ReportState
from thidua.organisation.models import UnitKind
from thidua.proposals.models import Notification

pytestmark = pytest.mark.django_db


def test_launch_resolves_all_communes_into_the_stored_list_and_tells_each_unit_once(
    world: dict[str, Any],
) -> None:
    movement = drafted(world, units=[], target_mode=TargetMode.ALL_COMMUNES)
    assert not MovementTarget.objects.filter(movement=movement).exists()
    services.movement_launch(actor=world["specialist"], movement=movement)
    movement.refresh_from_db()
    assert movement.state == MovementState.LAUNCHED
    assert set(movement.targets.values_list("unit__name", flat=True)) == {"Xã Bình Lư", "Xã Bản Bo"}
    # A commune founded after the launch is not added to the running movement.
    from tests.factories import make_unit

    make_unit("Xã Mới", parent=world["ubnd"], kind=UnitKind.COMMUNE)
    assert movement.targets.count() == 2
    told = Notification.objects.filter(link=f"/phong-trao/{movement.pk}/")
    assert sorted(told.values_list("user__username", flat=True)) == [
        "canbo.xa1",
        "canbo.xa2",
        "chutich.xa1",
        "chutich.xa2",
    ]
    # A second launch is refused and tells no one again.
    with pytest.raises(ValidationError) as refused:
        services.movement_launch(actor=world["specialist"], movement=movement)
    assert refused.value.code == "state_not_allowed"
    assert told.count() == 4
    assert AuditLog.objects.filter(action="movement_launched", target_id=str(movement.pk)).count() == 1


def test_only_the_launching_authoritys_specialist_drafts_and_launches(world: dict[str, Any]) -> None:
    for who in ("admin", "health_officer", "council"):
        with pytest.raises(PermissionDenied):
            drafted(world, actor=world[who])
    movement = drafted(world)
    for who in ("admin", "health_head", "council"):
        with pytest.raises(PermissionDenied):
            services.movement_launch(actor=world[who], movement=movement)
    movement.refresh_from_db()
    assert movement.state == MovementState.DRAFT


def test_a_target_outside_the_authority_and_a_regular_movement_not_a_year_are_refused(
    world: dict[str, Any],
) -> None:
    from tests.factories import make_authority
    from thidua.organisation.models import AuthorityLevel

    # Sở Y tế's own authority may launch for its departments only, not for a commune.
    health_authority = make_authority(world["health"], AuthorityLevel.DEPARTMENT, abbreviation="SYT")
    world["conflicted_specialist"].authority = health_authority
    world["conflicted_specialist"].save()
    with pytest.raises(ValidationError, match="ngoài phạm vi"):
        drafted(world, actor=world["conflicted_specialist"], authority=health_authority, units=[world["xa1"]])
    with pytest.raises(ValidationError, match="đúng một năm"):
        drafted(world, kind="regular", start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 12, 31))


def test_progress_counts_accepted_reports_only(world: dict[str, Any]) -> None:
    movement = launched(world)
    specialist = world["specialist"]
    # Sở Y tế: Q2 accepted (2 classes, 4 %), Q3 accepted (3 classes, 6 %): the latest accepted counts.
    for period, classes, poor in ((Q2, 2, 4), (Q3, 3, 6)):
        services.report_accept(
            actor=specialist,
            report=report(world, movement, world["health"], period, {"c_classes": classes, "c_poor": poor}),
        )
    # Its Q4 report, sent but not yet accepted, says far more: it counts for nothing yet.
    report(world, movement, world["health"], Q4, {"c_classes": 100, "c_poor": 0, "c_initiatives": 50})
    # Xã Bình Lư: its Q1 report was returned; nothing counts.
    services.report_return(
        actor=specialist,
        report=report(world, movement, world["xa1"], Q1, {"c_classes": 4, "c_poor": 1}),
        reason="Thiếu danh sách lớp",
    )
    # Xã Bản Bo: its own target of 2 classes; Q1 accepted with 3 (capped at 100 %) and 0 % poor.
    services.unit_target_set(actor=specialist, criterion=world["c_classes"], unit=world["xa2"], target="2")
    services.report_accept(
        actor=specialist, report=report(world, movement, world["xa2"], Q1, {"c_classes": 3, "c_poor": 0})
    )

    page = selectors.movement_page(user=specialist, pk=movement.pk)
    by_unit = {row.unit.name: row.progress for row in page.units}
    c1, c2, c3 = world["c_classes"].pk, world["c_poor"].pk, world["c_initiatives"].pk
    health = by_unit["Sở Y tế"]
    assert health.by_criterion[c1] == (D("3.00"), D("4.00"), D("0.75"))
    assert health.by_criterion[c2][0] == D("6.00") and health.by_criterion[c2][2] == D(5) / D(6)
    assert health.by_criterion[c3] == (None, D("10.00"), 0)
    # Weights 2, 1, 1: (2 × 3/4 + 5/6 + 0) / 4.
    assert float(health.overall) == pytest.approx((2 * 0.75 + 5 / 6 + 0) / 4)
    assert by_unit["Xã Bình Lư"].overall == 0
    assert by_unit["Xã Bản Bo"].by_criterion[c1] == (D("3.00"), D("2.00"), 1)
    assert float(by_unit["Xã Bản Bo"].overall) == pytest.approx((2 * 1 + 1 + 0) / 4)
    assert float(page.overall) == pytest.approx(((2 * 0.75 + 5 / 6) / 4 + 0 + 3 / 4) / 3)
    classes = next(row for row in page.criteria if row.criterion.pk == c1)
    assert float(classes.average) == pytest.approx((0.75 + 0 + 1) / 3)
    assert classes.overrides == 1


def test_late_and_missing_reports_on_the_fixed_clock(world: dict[str, Any]) -> None:
    movement = launched(world)
    # Due dates, five working days after each quarter: Q1 ends Tuesday 31/3 → 7/4; Q2 30/6 → 7/7;
    # Q3 30/9 → 7/10; Q4 31/12 → 8/1/2027 (1/1 a holiday).
    periods = {p.end: p.due for p in services.movement_periods(movement)}
    assert periods == {
        Q1: dt.date(2026, 4, 7),
        Q2: dt.date(2026, 7, 7),
        Q3: dt.date(2026, 10, 7),
        Q4: dt.date(2027, 1, 8),
    }
    with on(dt.date(2026, 7, 3)):
        report(world, movement, world["health"], Q2, {"c_classes": 1, "c_poor": 3})
    with on(dt.date(2026, 10, 8)):
        report(world, movement, world["health"], Q3, {"c_classes": 2, "c_poor": 3})
    # Xã Bình Lư sent Q3 on time, had it returned, and sent the correction after the due date: the
    # first submission decides, so it is not late.
    with on(dt.date(2026, 10, 6)):
        sent = report(world, movement, world["xa1"], Q3, {"c_classes": 2, "c_poor": 3})
    with on(dt.date(2026, 10, 9)):
        services.report_return(actor=world["specialist"], report=sent, reason="Sửa số lớp")
    with on(dt.date(2026, 10, 12)):
        services.report_submit(actor=world["xa1_head"], report=ProgressReport.objects.get(pk=sent.pk))

    page = selectors.movement_page(user=world["specialist"], pk=movement.pk)
    flags = {(row.unit.name, s.period.end): (s.late, s.missing) for row in page.units for s in row.periods}
    assert flags[("Sở Y tế", Q1)] == (False, True)
    assert flags[("Sở Y tế", Q2)] == (False, False)
    assert flags[("Sở Y tế", Q3)] == (True, False)
    # Q4 has begun, is not due until 8/1/2027: neither late nor missing.
    assert flags[("Sở Y tế", Q4)] == (False, False)
    assert flags[("Xã Bình Lư", Q3)] == (False, False)
    assert flags[("Xã Bản Bo", Q3)] == (False, True)
    totals = {row.unit.name: (row.late, row.missing) for row in page.units}
    assert totals == {"Sở Y tế": (1, 1), "Xã Bình Lư": (0, 2), "Xã Bản Bo": (0, 3)}


def test_the_head_submits_the_officer_does_not_and_nothing_incomplete_goes(world: dict[str, Any]) -> None:
    movement = launched(world)
    draft = report(world, movement, world["health"], Q3, {"c_poor": 3}, submit=False)
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=world["health_officer"], report=draft)
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=world["health_head"], report=draft)
    assert refused.value.code == "report_incomplete"
    assert "Số lớp tập huấn" in str(refused.value)
    # A value without the evidence its criterion asks for is not enough either.
    services.report_save(
        actor=world["health_officer"], report=draft, values={world["c_classes"].pk: ("2", "")}
    )
    with pytest.raises(ValidationError, match="Danh sách lớp tập huấn"):
        services.report_submit(actor=world["health_head"], report=draft)
    services.evidence_add(
        actor=world["health_officer"], report=draft, upload=pdf_upload(), criterion=world["c_classes"]
    )
    services.report_submit(actor=world["health_head"], report=draft)
    draft.refresh_from_db()
    assert draft.state == ReportState.SUBMITTED
    # Another unit's head cannot send it.
    assert draft.first_submitted_at is not None


def test_a_bad_value_writes_nothing(world: dict[str, Any]) -> None:
    movement = launched(world)
    draft = report(world, movement, world["health"], Q3, {"c_classes": 2}, submit=False)
    with pytest.raises(ValidationError, match="không được âm"):
        services.report_save(
            actor=world["health_officer"],
            report=draft,
            values={world["c_classes"].pk: ("7", ""), world["c_poor"].pk: ("-1", "")},
        )
    assert dict(draft.values.values_list("criterion_id", "value")) == {world["c_classes"].pk: Decimal("2.00")}
    with pytest.raises(ValidationError, match="phải là một số"):
        services.report_save(
            actor=world["health_officer"], report=draft, values={world["c_poor"].pk: ("ba", "")}
        )


def test_returning_needs_a_reason_and_review_is_the_authoritys_specialist_without_conflict(
    world: dict[str, Any],
) -> None:
    movement = launched(world)
    sent = report(world, movement, world["health"], Q3, {"c_classes": 2, "c_poor": 3})
    with pytest.raises(ValidationError) as refused:
        services.report_return(actor=world["specialist"], report=sent, reason="  ")
    assert refused.value.code == "reason_required"
    for who in ("admin", "council", "health_head"):
        with pytest.raises(PermissionDenied):
            services.report_accept(actor=world[who], report=sent)
    # The province's specialist who works in Sở Y tế does not review Sở Y tế's report.
    with pytest.raises(PermissionDenied) as conflict:
        services.report_accept(actor=world["conflicted_specialist"], report=sent)
    assert getattr(conflict.value, "code", "") == "conflict_of_interest"
    sent.refresh_from_db()
    assert sent.state == ReportState.SUBMITTED
    assert list(sent.transitions.values_list("target", flat=True)) == ["draft", "submitted"]


def test_report_notifications_go_once_to_the_right_people(world: dict[str, Any]) -> None:
    movement = launched(world)
    sent = report(world, movement, world["health"], Q3, {"c_classes": 2, "c_poor": 3})
    link = f"/phong-trao/bao-cao/{sent.pk}/"
    # Sent: the province's specialists, not the one working in Sở Y tế.
    assert list(Notification.objects.filter(link=link).values_list("user__username", flat=True)) == [
        "chuyenvien"
    ]
    services.report_return(actor=world["specialist"], report=sent, reason="Thiếu số liệu quý")
    returned = Notification.objects.filter(link=link, text__contains="trả lại")
    assert sorted(returned.values_list("user__username", flat=True)) == ["canbo.yte", "thutruong.yte"]
    assert "Thiếu số liệu quý" in returned.first().text  # type: ignore[union-attr]
    # The specialist's notice about the sending is cleared once the report has moved on.
    assert Notification.objects.get(link=link, user=world["specialist"]).read_at is not None
    assert ReportTransition.objects.filter(report=sent).count() == 3


def test_reviews_close_the_reporting_and_archiving_closes_the_files(world: dict[str, Any]) -> None:
    movement = launched(world)
    specialist = world["specialist"]
    for action, state in (
        ("review_midterm", MovementState.MIDTERM_REVIEWED),
        ("conclude", MovementState.CONCLUDED),
    ):
        movement = services.movement_step(actor=specialist, movement=movement, action=action, text="Hội nghị")
        assert movement.state == state
    # Concluded: the units no longer report, and the criteria and targets stand as they were.
    with pytest.raises(ValidationError) as closed:
        services.report_open(
            actor=world["health_officer"], movement=movement, unit=world["health"], period_end=Q3
        )
    assert closed.value.code == "movement_not_running"
    with pytest.raises(ValidationError):
        services.unit_target_set(
            actor=specialist, criterion=world["c_classes"], unit=world["health"], target="1"
        )
    movement = services.movement_step(actor=specialist, movement=movement, action="archive")
    with pytest.raises(ValidationError, match="lưu trữ"):
        services.document_add(actor=specialist, movement=movement, upload=pdf_upload())
    assert list(movement.transitions.values_list("target", flat=True)) == [
        "draft",
        "launched",
        "midterm_reviewed",
        "concluded",
        "archived",
    ]
    # A step out of order is refused with the state named.
    with pytest.raises(ValidationError, match="Đã lưu trữ"):
        services.movement_step(actor=specialist, movement=movement, action="conclude")
