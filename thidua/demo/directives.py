"""The founding directive in the demo province, loaded as a plan to follow (issue 10, item 8): its nine
items as yearly tasks from 2024 (`thidua.directives.founding`), with the reports of the units that have
accounts for 2024 and 2025 written through the real service by their officers: Sở Y tế on time both
years, Bình Lư on time in 2024 and late in 2025, Bản Bo in 2024 only (its 2025 reports are overdue).

A report's date is set to when the office sent it (before or after the due date, as each case needs);
only that timestamp is changed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from thidua.accounts.models import User
from thidua.demo import data as D
from thidua.directives import services
from thidua.directives.access import task_units
from thidua.directives.founding import load_founding_directive
from thidua.directives.models import Directive, TaskReport
from thidua.organisation.authorities import province_authority
from thidua.organisation.models import Unit

_HEALTH = "LC.SYT"
_COMMUNE_1, _COMMUNE_2 = D.WORKFLOW_COMMUNES
_OFFICERS = {_HEALTH: "canbo", _COMMUNE_1: "canboxa1", _COMMUNE_2: "canboxa2"}
# Days before (negative: after) the due date each unit sends its report, by year; None: not sent.
_TIMING: dict[str, dict[int, int | None]] = {
    _HEALTH: {2024: 3, 2025: 2},
    _COMMUNE_1: {2024: 1, 2025: -6},
    _COMMUNE_2: {2024: 4, 2025: None},
}


def demo_directives() -> int:
    """Load the founding directive and its reports; returns the number of reports written."""
    authority = province_authority()
    assert authority is not None
    board = User.objects.get(username="chuyenvien")
    directive: Directive = load_founding_directive(actor=board, authority=authority, start_year=2024)
    officers = {code: User.objects.get(username=name) for code, name in _OFFICERS.items()}
    units = {u.code: u for u in Unit.objects.filter(code__in=_OFFICERS)}
    written = 0
    for task in directive.tasks.select_related("lead_unit").prefetch_related("coordinating_units"):
        # Every task of the founding directive recurs yearly on a day and month.
        assert task.due_month is not None and task.due_day is not None
        assigned = {u.code for u in task_units(task)}
        for code, timing in _TIMING.items():
            if code not in assigned:
                continue
            for year, days_before in timing.items():
                if days_before is None:
                    continue
                due = dt.date(year, task.due_month, task.due_day)
                report = services.report_submit(
                    actor=officers[code],
                    task=task,
                    unit=units[code],
                    due_date=due,
                    text=(
                        f"{units[code].name} báo cáo kết quả thực hiện nội dung {task.item} năm {year}: đã "
                        "triển khai theo kế hoạch, kết quả cụ thể tại báo cáo kèm theo."
                    ),
                )
                sent = timezone.make_aware(
                    dt.datetime.combine(due - dt.timedelta(days=days_before), dt.time(10))
                )
                TaskReport.objects.filter(pk=report.pk).update(submitted_at=sent)
                written += 1
    return written
