"""Directive tracking through the services, on the suite's fixed clock (Monday 07/12/2026 09:30 ICT)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tests.directives.conftest import directive, issued, on, once_task, report, yearly_task
from tests.proposals.conftest import pdf_upload
from thidua.core.models import AuditLog
from thidua.directives import selectors, services
from thidua.directives.models import DirectiveKind, ReminderSent, TaskReport
from thidua.directives.workflow import DirectiveState
from thidua.proposals.models import Notification

pytestmark = pytest.mark.django_db
D = dt.date


def _standing(w: dict[str, Any], user: Any, d: Any) -> dict[tuple[str, dt.date, str], str]:
    page = selectors.directive_page(user=user, pk=d.pk)
    return {
        (row.task.item, due, c.unit.name): c.status
        for row in page.tasks
        for due, cells in row.occurrences
        for c in cells
    }


def test_yearly_task_across_years_on_time_late_overdue_and_not_due(dworld: dict[str, Any]) -> None:
    w = dworld
    d = directive(w)
    task = yearly_task(w, d)
    issued(w, d)
    # 2024: Sở Y tế on the day (Friday 15/11); Xã Bình Lư the Monday after: late.
    report(w, task, w["health"], D(2024, 11, 15), D(2024, 11, 15))
    report(w, task, w["xa1"], D(2024, 11, 15), D(2024, 11, 18))
    # 2025: 15/11 is a Saturday, so Monday 17/11 is still on time; Tuesday 18/11 is late.
    report(w, task, w["health"], D(2025, 11, 15), D(2025, 11, 17))
    report(w, task, w["xa1"], D(2025, 11, 15), D(2025, 11, 18))
    # 2026: nobody has reported by 07/12; 2027 is not due yet.
    standing = _standing(w, w["specialist"], d)
    assert standing == {
        ("1", D(2024, 11, 15), "Sở Y tế"): "on_time",
        ("1", D(2024, 11, 15), "Xã Bình Lư"): "late",
        ("1", D(2025, 11, 15), "Sở Y tế"): "on_time",
        ("1", D(2025, 11, 15), "Xã Bình Lư"): "late",
        ("1", D(2026, 11, 15), "Sở Y tế"): "overdue",
        ("1", D(2026, 11, 15), "Xã Bình Lư"): "overdue",
        ("1", D(2027, 11, 15), "Sở Y tế"): "not_due",
        ("1", D(2027, 11, 15), "Xã Bình Lư"): "not_due",
    }
    page = selectors.directive_page(user=w["specialist"], pk=d.pk)
    assert page.counts == {"on_time": 2, "late": 2, "overdue": 2, "not_due": 2}
    # Sở Y tế's form offers what it owes first, then the next due date.
    offered = selectors.task_page(user=w["health_officer"], pk=task.pk).reportable
    assert [(c.unit.name, c.due) for c in offered] == [
        ("Sở Y tế", D(2026, 11, 15)),
        ("Sở Y tế", D(2027, 11, 15)),
    ]
    # A report made now for 2026 is late, and stands so.
    services.report_submit(
        actor=w["health_officer"], task=task, unit=w["health"], due_date=D(2026, 11, 15), text="Muộn"
    )
    assert _standing(w, w["specialist"], d)[("1", D(2026, 11, 15), "Sở Y tế")] == "late"


def test_a_unit_sees_its_own_cells_only_and_reports_only_for_itself(dworld: dict[str, Any]) -> None:
    w = dworld
    d = directive(w)
    task = yearly_task(w, d)
    other = once_task(w, d, D(2026, 12, 31))
    issued(w, d)
    standing = _standing(w, w["health_officer"], d)
    assert {unit for _item, _due, unit in standing} == {"Sở Y tế"}
    assert {item for item, _due, _unit in standing} == {"1"}
    # Xã Bản Bo's task is not Sở Y tế's: its page is 404, and its unit cannot be reported for.
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.task_page(user=w["health_officer"], pk=other.pk)
    with pytest.raises(PermissionDenied):
        services.report_submit(
            actor=w["health_officer"], task=task, unit=w["xa1"], due_date=D(2026, 11, 15), text="x"
        )
    # Xã Mường Kim has no task: the directive is not in its list.
    assert not selectors.directive_list(user=w["xa3_officer"]).exists()
    # A due date the task does not have is refused; a second report for the same one too.
    with pytest.raises(ValidationError) as refused:
        services.report_submit(
            actor=w["health_officer"], task=task, unit=w["health"], due_date=D(2026, 11, 14), text="x"
        )
    assert refused.value.code == "unknown_due_date"
    with pytest.raises(ValidationError) as ahead:
        services.report_submit(
            actor=w["health_officer"], task=task, unit=w["health"], due_date=D(2028, 11, 15), text="x"
        )
    assert ahead.value.code == "unknown_due_date"
    services.report_submit(
        actor=w["health_officer"],
        task=task,
        unit=w["health"],
        due_date=D(2026, 11, 15),
        text="Đã làm",
        uploads=[pdf_upload()],
    )
    with pytest.raises(ValidationError) as twice:
        services.report_submit(
            actor=w["health_head"], task=task, unit=w["health"], due_date=D(2026, 11, 15), text="Lại"
        )
    assert twice.value.code == "already_reported"
    saved = TaskReport.objects.get()
    assert saved.files.count() == 1 and saved.submitted_by == w["health_officer"]
    assert AuditLog.objects.filter(action="directive_report_submit").count() == 1
    # The Board is told.
    assert Notification.objects.filter(user=w["specialist"], text__contains="đã báo cáo").count() == 1


def test_issue_tells_the_units_and_drafts_are_the_boards_alone(dworld: dict[str, Any]) -> None:
    w = dworld
    d = directive(w)
    yearly_task(w, d)
    assert not selectors.directive_list(user=w["health_officer"]).exists()
    with pytest.raises(ValidationError):
        services.report_submit(
            actor=w["health_officer"],
            task=d.tasks.get(),
            unit=w["health"],
            due_date=D(2026, 11, 15),
            text="x",
        )
    issued(w, d)
    d.refresh_from_db()
    assert d.state == DirectiveState.ISSUED and d.transitions.count() == 2
    told = set(
        Notification.objects.filter(text__contains="giao nhiệm vụ").values_list("user__username", flat=True)
    )
    assert told == {"canbo.yte", "thutruong.yte", "canbo.xa1", "chutich.xa1"}
    # Only the authority's specialist issues and closes.
    with pytest.raises(PermissionDenied):
        services.directive_step(actor=w["health_head"], directive=d, action="close")
    services.directive_step(actor=w["specialist"], directive=d, action="close")
    d.refresh_from_db()
    assert d.state == DirectiveState.CLOSED


def test_reminders_go_once_per_due_date_and_unit(dworld: dict[str, Any]) -> None:
    w = dworld
    d = directive(w, reminder_days=3)
    # Thursday 10/12/2026: reminders from Monday 07/12 (today).
    task = once_task(w, d, D(2026, 12, 10), coordinating_units=[w["health"]])
    issued(w, d)
    assert services.send_reminders(today=D(2026, 12, 4)) == 0
    call_command("remind", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's output
    call_command("remind", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ReminderSent.objects.count() == 2
    reminders = Notification.objects.filter(text__startswith="Nhắc hạn")
    assert sorted(reminders.values_list("user__username", flat=True)) == sorted(
        ["canbo.xa2", "chutich.xa2", "canbo.yte", "thutruong.yte"]
    )
    assert services.send_reminders(today=D(2026, 12, 9)) == 0
    # A unit that has reported is not reminded: a new due date, Xã Bản Bo reports first.
    later = once_task(w, d, D(2026, 12, 11), text="Báo cáo nhanh")
    report(w, later, w["xa2"], D(2026, 12, 11), D(2026, 12, 7))
    assert services.send_reminders(today=D(2026, 12, 8)) == 0
    assert task.reminders.count() == 2


def test_reminders_across_tet_count_working_days(dworld: dict[str, Any]) -> None:
    w = dworld
    d = directive(w, reminder_days=3)
    with on(D(2026, 2, 1)):
        once_task(w, d, D(2026, 2, 24))
        issued(w, d)
    # Due Tuesday 24/02/2026: the third working day before it, across Tết (16–20/02), is Thursday 12/02.
    assert services.send_reminders(today=D(2026, 2, 11)) == 0
    assert services.send_reminders(today=D(2026, 2, 12)) == 1
    assert services.send_reminders(today=D(2026, 2, 23)) == 0
    # Past the deadline no reminder is due any more (the task is overdue, the to-do says so).
    d2 = directive(w, number="16/KH-UBND")
    with on(D(2026, 2, 1)):
        once_task(w, d2, D(2026, 2, 18))  # a Tết day: deadline Monday 23/02
        issued(w, d2)
    assert services.send_reminders(today=D(2026, 2, 24)) == 0
    assert services.send_reminders(today=D(2026, 2, 23)) == 1


def test_an_inspection_recommendation_becomes_a_task_of_the_inspected_unit(dworld: dict[str, Any]) -> None:
    w = dworld
    plan = directive(w, kind=DirectiveKind.INSPECTION, number="20/KH-HĐTĐKT", title="Kiểm tra công tác TĐKT")
    row = services.inspected_unit_set(actor=w["specialist"], directive=plan, unit=w["xa1"])
    issued(w, plan)
    assert selectors.directive_list(user=w["xa1_officer"]).get() == plan
    services.inspected_unit_set(
        actor=w["specialist"],
        directive=plan,
        unit=w["xa1"],
        inspected_on=D(2026, 10, 20),
        findings="Chưa kiện toàn Hội đồng; hồ sơ khen thưởng thiếu biên bản họp.",
    )
    task = services.recommendation_add(
        actor=w["specialist"], inspected=row, text="Kiện toàn Hội đồng TĐKT xã", due_date=D(2026, 12, 31)
    )
    assert task.lead_unit == w["xa1"] and task.inspection == row and task.item == "KN1"
    assert task.directive == plan
    assert Notification.objects.filter(user=w["xa1_officer"], text__contains="Kiện toàn").exists()
    # The inspected unit reports on it like any task; another unit does not see it.
    report(w, task, w["xa1"], D(2026, 12, 31), D(2026, 12, 7))
    page = selectors.directive_page(user=w["xa1_officer"], pk=plan.pk)
    assert [(r.task.item, [c.status for c in r.current]) for r in page.tasks] == [("KN1", ["on_time"])]
    assert [i.findings.startswith("Chưa kiện toàn") for i in page.inspected] == [True]
    assert not selectors.directive_list(user=w["xa2_officer"]).exists()
    # Units are inspected only by an inspection plan.
    other = directive(w, number="21/KH-UBND")
    with pytest.raises(ValidationError):
        services.inspected_unit_set(actor=w["specialist"], directive=other, unit=w["xa1"])


def test_a_task_goes_only_to_units_below_the_authority(dworld: dict[str, Any]) -> None:
    from tests.factories import make_authority, make_unit, make_user
    from thidua.accounts.models import Role
    from thidua.organisation.models import AuthorityLevel

    w = dworld
    health_authority = make_authority(w["health"], AuthorityLevel.DEPARTMENT, abbreviation="SYT")
    specialist = make_user("chuyenvien.syt", Role.BOARD_SPECIALIST, w["health"])
    d = directive(w, actor=specialist, authority=health_authority, number="1/KH-SYT")
    with pytest.raises(ValidationError) as refused:
        yearly_task(w, d, actor=specialist)
    assert refused.value.code == "unit_out_of_scope"
    ward = make_unit("Khoa Ngoại", parent=w["health"], kind="sub_unit")
    yearly_task(w, d, actor=specialist, lead_unit=ward, coordinating_units=[])
    # The province's specialist does not act for Sở Y tế.
    with pytest.raises(PermissionDenied):
        yearly_task(w, d, lead_unit=ward, coordinating_units=[])
