"""Reads of directive tracking, scoped to the user, with a number of queries that does not grow with the
tasks, units or reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import UNIT_STAFF, Role, User
from thidua.accounts.scope import scope_q, unit_in_scope
from thidua.directives import access, schedule, workflow
from thidua.directives.models import (
    Directive,
    DirectiveDocument,
    InspectedUnit,
    Task,
    TaskReport,
    TaskReportFile,
)
from thidua.directives.schedule import TaskStatus
from thidua.organisation.models import Unit
from thidua.proposals.selectors import TodoItem


def directive_list(*, user: User, kind: str = "", state: str = "") -> QuerySet[Directive]:
    qs = Directive.objects.filter(access.visible_directives_q(user)).select_related("authority")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.annotate(task_count=Count("tasks", distinct=True)).order_by("-issued_on", "-id")


def get_directive(*, user: User, pk: int) -> Directive:
    found = (
        Directive.objects.filter(access.visible_directives_q(user), pk=pk)
        .select_related("authority", "authority__unit", "created_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _tasks(directive: Directive, user: User) -> QuerySet[Task]:
    qs = directive.tasks.select_related("lead_unit", "inspection__unit").prefetch_related(
        Prefetch("coordinating_units", queryset=Unit.objects.order_by("sort_key"))
    )
    if not access.sees_all(user, directive):
        qs = qs.filter(access.assigned_q(user)).distinct()
    return qs.order_by("position", "id")


@dataclass
class Cell:
    """One unit's standing for one due date of a task."""

    unit: Unit
    lead: bool
    due: dt.date
    deadline: dt.date
    status: str
    report: TaskReport | None

    @property
    def status_label(self) -> str:
        return str(TaskStatus(self.status).label)


@dataclass
class TaskRow:
    task: Task
    units: list[Unit]
    # Each due date shown (past ones and the next), each with a cell per unit the user sees.
    occurrences: list[tuple[dt.date, list[Cell]]]

    @property
    def current(self) -> list[Cell]:
        return self.occurrences[-1][1] if self.occurrences else []

    @property
    def dues(self) -> list[dt.date]:
        return [due for due, _cells in self.occurrences]

    @property
    def headers(self) -> list[tuple[dt.date, dt.date]]:
        """Each due date as written, with its last day once shifted past a day off (the working day
        the statuses are judged against; the same for every unit)."""
        return [(due, cells[0].deadline if cells else due) for due, cells in self.occurrences]

    @property
    def grid(self) -> list[tuple[Unit, list[Cell]]]:
        """The task's matrix: a row per unit, a cell per due date."""
        by_unit: dict[int, list[Cell]] = {u.pk: [] for u in self.units}
        for _due, cells in self.occurrences:
            for c in cells:
                by_unit[c.unit.pk].append(c)
        return [(u, by_unit[u.pk]) for u in self.units]

    @property
    def count_rows(self) -> list[tuple[str, str, int]]:
        counts = Counter(c.status for _due, cells in self.occurrences for c in cells)
        return [(s.value, str(s.label), counts.get(s.value, 0)) for s in schedule.STATUS_ORDER]


@dataclass
class DirectivePage:
    directive: Directive
    tasks: list[TaskRow]
    counts: dict[str, int]
    documents: list[DirectiveDocument]
    inspected: list[InspectedUnit]
    transitions: list[Any]
    sees_all: bool
    perms: dict[str, bool] = field(default_factory=dict)

    @property
    def count_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.counts.get(s.value, 0)) for s in schedule.STATUS_ORDER]


def _cells(
    task: Task,
    units: list[Unit],
    dues: list[dt.date],
    reports: dict[tuple[int, dt.date, int], TaskReport],
    today: dt.date,
) -> list[tuple[dt.date, list[Cell]]]:
    out = []
    for due in dues:
        cells = []
        for unit in units:
            report = reports.get((task.pk, due, unit.pk))
            cells.append(
                Cell(
                    unit=unit,
                    lead=unit.pk == task.lead_unit_id,
                    due=due,
                    deadline=schedule.deadline(due),
                    status=schedule.status(due, report.submitted_on if report else None, today),
                    report=report,
                )
            )
        out.append((due, cells))
    return out


def _visible_units(user: User, directive: Directive, task: Task, sees_all: bool) -> list[Unit]:
    units = access.task_units(task)
    return units if sees_all else [u for u in units if unit_in_scope(user, u)]


def directive_page(*, user: User, pk: int) -> DirectivePage:
    directive = get_directive(user=user, pk=pk)
    today = timezone.localdate()
    sees_all = access.sees_all(user, directive)
    tasks = list(_tasks(directive, user))
    reports = _reports_by_key(tasks, user, sees_all)
    rows = []
    counts: Counter[str] = Counter()
    for task in tasks:
        units = _visible_units(user, directive, task, sees_all)
        occurrences = _cells(task, units, task.rule.occurrences(until=today), reports, today)
        rows.append(TaskRow(task, units, occurrences))
        for _due, cells in occurrences:
            counts.update(c.status for c in cells)
    inspected = list(directive.inspected.select_related("unit").prefetch_related("recommendations"))
    if not sees_all:
        inspected = [i for i in inspected if unit_in_scope(user, i.unit)]
    manages = access.manages(user, directive)
    page = DirectivePage(
        directive=directive,
        tasks=rows,
        counts=dict(counts),
        documents=list(directive.documents.filter(is_active=True)),
        inspected=inspected,
        transitions=list(directive.transitions.select_related("actor").order_by("at", "id")),
        sees_all=sees_all,
    )
    page.perms = {
        "manage": manages,
        "edit": manages and directive.state in workflow.EDITABLE_STATES,
        "export": sees_all,
        **{
            f"step_{s.name}": manages and directive.state in workflow.MOVES[s.move].sources
            for s in workflow.STEPS
        },
    }
    return page


def _reports_by_key(
    tasks: list[Task], user: User, sees_all: bool
) -> dict[tuple[int, dt.date, int], TaskReport]:
    rows = TaskReport.objects.filter(task__in=tasks).select_related("submitted_by")
    out = {}
    for r in rows.prefetch_related(Prefetch("files", queryset=TaskReportFile.objects.filter(is_active=True))):
        out[(r.task_id, r.due_date, r.unit_id)] = r
    return out


# ---------------------------------------------------------------------------------------------------
# A task


def get_task(*, user: User, pk: int) -> Task:
    task = (
        Task.objects.filter(pk=pk)
        .select_related("directive", "directive__authority", "directive__authority__unit", "lead_unit")
        .first()
    )
    if task is None:
        raise Http404
    directive = get_directive(user=user, pk=task.directive_id)
    if not access.sees_all(user, directive) and not any(
        unit_in_scope(user, u) for u in access.task_units(task)
    ):
        raise Http404
    task.directive = directive
    return task


@dataclass
class TaskPage:
    task: Task
    row: TaskRow
    # The due dates the user's units may report for now (the past ones not reported and the next).
    reportable: list[Cell]
    sees_all: bool


def task_page(*, user: User, pk: int) -> TaskPage:
    task = get_task(user=user, pk=pk)
    directive = task.directive
    today = timezone.localdate()
    sees_all = access.sees_all(user, directive)
    units = _visible_units(user, directive, task, sees_all)
    reports = _reports_by_key([task], user, sees_all)
    occurrences = _cells(task, units, task.rule.occurrences(until=today), reports, today)
    row = TaskRow(task, units, occurrences)
    running = directive.state in workflow.RUNNING_STATES
    reportable = [
        c
        for _due, cells in occurrences
        for c in cells
        if running and c.report is None and access.reports_for(user, c.unit)
    ]
    # The form offers first what is owed (the latest due date missed first), then the next one.
    reportable.sort(key=lambda c: (c.status != TaskStatus.OVERDUE, -c.due.toordinal()))
    return TaskPage(task=task, row=row, reportable=reportable, sees_all=sees_all)


def get_report_file(*, user: User, task: Task, pk: int) -> TaskReportFile:
    found = (
        TaskReportFile.objects.filter(pk=pk, report__task=task, is_active=True)
        .select_related("report", "report__unit")
        .first()
    )
    if found is None or not access.sees_unit(user, task.directive, found.report.unit):
        raise Http404
    return found


def get_document(*, directive: Directive, pk: int) -> DirectiveDocument:
    found = DirectiveDocument.objects.filter(directive=directive, pk=pk, is_active=True).first()
    if found is None:
        raise Http404
    return found


def get_inspected(*, directive: Directive, pk: int) -> InspectedUnit:
    found = InspectedUnit.objects.filter(directive=directive, pk=pk).select_related("unit").first()
    if found is None:
        raise Http404
    return found


def get_own_task(*, directive: Directive, pk: int) -> Task:
    found = directive.tasks.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def form_units(*, user: User) -> dict[str, Any]:
    """What the forms offer: the user's authority, its own unit and the units below it."""
    from thidua.directives.services import units_below

    authority = user.role_authority if user.role == Role.BOARD_SPECIALIST else None
    if authority is None:
        return {"authority": None, "units": []}
    units = [authority.unit, *units_below(authority).order_by("path")[:2000]]
    return {"authority": authority, "units": units}


# ---------------------------------------------------------------------------------------------------
# The summary report for the level above


@dataclass
class SummaryRow:
    task: Task
    cell: Cell


@dataclass
class Summary:
    directive: Directive
    year: int
    rows: list[SummaryRow]
    counts: dict[str, int]

    @property
    def count_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.counts.get(s.value, 0)) for s in schedule.STATUS_ORDER]


def summary(*, user: User, pk: int, year: int) -> Summary:
    """Every task's due dates in `year`, for every unit, with its standing today: only for those who see
    every unit (the issuing authority's people, province-wide accounts); anyone else gets 404."""
    directive = get_directive(user=user, pk=pk)
    if not access.sees_all(user, directive):
        raise Http404
    today = timezone.localdate()
    tasks = list(_tasks(directive, user))
    reports = _reports_by_key(tasks, user, True)
    rows: list[SummaryRow] = []
    for task in tasks:
        for _due, cells in _cells(task, access.task_units(task), task.rule.in_year(year), reports, today):
            rows.extend(SummaryRow(task, c) for c in cells)
    counts = Counter(r.cell.status for r in rows)
    return Summary(directive=directive, year=year, rows=rows, counts=dict(counts))


def summary_years(directive: Directive) -> list[int]:
    today = timezone.localdate()
    years = {d.year for t in directive.tasks.all() for d in t.rule.occurrences(until=today)}
    return sorted(years or {today.year}, reverse=True)


# ---------------------------------------------------------------------------------------------------
# The dashboard's to-do


SOON_DAYS = 30


def todo(*, user: User, limit: int = 5) -> list[TodoItem]:
    """The unit's tasks overdue without a report, one line per task and unit (the latest due date missed,
    with how many), and those due within 30 days not yet reported; at most `limit` lines, so the dashboard
    keeps room for the dossiers and movements (the directive's page lists the rest). A constant number of
    queries: the tasks given to the user's units, and their reports."""
    if user.role not in UNIT_STAFF or user.scope_unit is None:
        return []
    today = timezone.localdate()
    root = user.scope_unit
    # Only the coordinating units in scope are read, and the reports of those: a task given to every
    # unit of the province would otherwise load some hundreds of units and their reports per request,
    # to drop all but the user's own. EXISTS instead of a join of the coordinating units with DISTINCT.
    coordinating_here = Task.coordinating_units.through.objects.filter(
        task=OuterRef("pk"), unit__path__startswith=root.path
    )
    tasks = list(
        Task.objects.filter(
            Q(lead_unit__path__startswith=root.path) | Exists(coordinating_here),
            directive__state__in=workflow.RUNNING_STATES,
        )
        .select_related("directive", "lead_unit")
        # The columns the lines are made of: the whole task, directive and unit rows cost more to read
        # and build than the rest of the to-do.
        .only(
            *("item", "text", "recurrence", "due_date", "due_day", "due_month", "start_year", "end_year"),
            *("directive__number", "directive__state", "lead_unit__name", "lead_unit__path"),
        )
        .prefetch_related(
            Prefetch(
                "coordinating_units",
                queryset=Unit.objects.filter(scope_q(user, None)).order_by("sort_key").only("name"),
                to_attr="coordinating_in_scope",
            )
        )
    )
    if not tasks:
        return []
    reported = set(
        TaskReport.objects.filter(scope_q(user), task__in=[t.pk for t in tasks])
        .order_by()
        .values_list("task_id", "due_date", "unit_id")
    )
    items: list[TodoItem] = []
    for task in tasks:
        # access.task_units' order (the lead unit, then the coordinating units by sort key), in scope.
        units = [task.lead_unit] if unit_in_scope(user, task.lead_unit) else []
        units += [u for u in task.coordinating_in_scope if u.pk != task.lead_unit_id]
        for unit in units:
            missed: list[dt.date] = []
            soon: dt.date | None = None
            for due in task.rule.occurrences(until=today):
                if (task.pk, due, unit.pk) in reported:
                    continue
                if schedule.deadline(due) < today:
                    missed.append(due)
                elif (due - today).days <= SOON_DAYS:
                    soon = due
            names = {
                "item": task.item,
                "number": task.directive.number,
                "unit": unit.name,
                "text": task.text[:80],
            }
            url = reverse("directives:task", args=[task.pk])
            if missed:
                # The item is marked overdue; the count comes before the text, which the list may cut.
                text = (
                    _("Báo cáo nhiệm vụ {item} ({number}, {n} hạn chưa báo cáo) – {unit}: {text}")
                    if len(missed) > 1
                    else _("Báo cáo nhiệm vụ {item} ({number}) – {unit}: {text}")
                ).format(n=len(missed), **names)
                items.append(TodoItem(text, url, schedule.deadline(missed[-1]), True))
            if soon is not None:
                text = _("Sắp đến hạn báo cáo nhiệm vụ {item} ({number}) – {unit}: {text}").format(**names)
                items.append(TodoItem(text, url, schedule.deadline(soon), False))
    items.sort(key=lambda i: i.due or today)
    return items[:limit]
