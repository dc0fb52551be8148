"""Reads of the movements, each scoped to the user, with the joins its page needs and a number of
queries that does not grow with the target units, criteria or reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import UNIT_STAFF, Role, User
from thidua.accounts.scope import scope_q
from thidua.core.http import PAGE_SIZE
from thidua.core.memory import cyclic_gc_paused
from thidua.movements import access, progress, standing, workflow
from thidua.movements.models import (
    Criterion,
    CriterionTarget,
    Movement,
    MovementDocument,
    MovementTarget,
    MovementTransition,
    ProgressReport,
    ReportEvidence,
    ReportTransition,
    ReportValue,
)
from thidua.movements.periods import ReportPeriod
from thidua.movements.services import period_criteria
from thidua.movements.workflow import MovementState, ReportState
from thidua.organisation.models import Unit
from thidua.proposals.selectors import TodoItem


def movement_list(*, user: User, state: str = "", year: int | None = None) -> QuerySet[Movement]:
    qs = Movement.objects.filter(access.visible_movements_q(user)).select_related("authority")
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(start_date__year__lte=year, end_date__year__gte=year)
    return qs.annotate(target_count=Count("targets", distinct=True)).order_by("-start_date", "-id")


def get_movement(*, user: User, pk: int) -> Movement:
    movement = (
        Movement.objects.filter(access.visible_movements_q(user), pk=pk)
        .select_related("authority", "authority__unit", "created_by")
        .first()
    )
    if movement is None:
        raise Http404
    return movement


@dataclass(frozen=True, slots=True)
class ReportBrief:
    """What the movement page shows of a report in a unit's row: read as a tuple, not a model (a
    province-wide movement has twelve thousand of them)."""

    pk: int
    state: str
    submitted_on: dt.date | None
    url: str = ""

    def get_state_display(self) -> str:
        return str(ReportState(self.state).label)

    @property
    def badge(self) -> str:
        """The colour of movements/includes/state_badge.html, written in the row without an include."""
        return _BADGES.get(self.state, "text-bg-primary")


_BADGES: dict[str, str] = {
    ReportState.DRAFT.value: "text-bg-light border",
    ReportState.RETURNED.value: "text-bg-warning",
    ReportState.ACCEPTED.value: "text-bg-success",
}


@dataclass
class PeriodStatus:
    period: ReportPeriod
    report: ReportBrief | None
    late: bool
    missing: bool


class StatusBook:
    """Each unit's period statuses (its report, late, missing), read when first asked for: the page reads
    those of the fifty units it shows (one query), the API those of every unit (one query); a thousand
    units × twelve periods are not built for a page that shows fifty."""

    def __init__(
        self, movement: Movement, periods: list[ReportPeriod], unit_ids: list[int], today: dt.date
    ) -> None:
        self.movement = movement
        self.periods = [p for p in periods if p.start <= today]
        self.unit_ids = unit_ids
        self.today = today
        self.statuses: dict[int, list[PeriodStatus]] = {}

    def load(self, unit_ids: list[int]) -> None:
        wanted = [u for u in unit_ids if u not in self.statuses]
        if not wanted:
            return
        tz = timezone.get_current_timezone()
        # One reverse for the page, not one per report (six hundred on a page of fifty units).
        zero = reverse("movements:report", args=[0])
        prefix = zero.removesuffix("0/")
        reports: dict[tuple[int, dt.date], ReportBrief] = {}
        rows = ProgressReport.objects.filter(movement=self.movement)
        if len(wanted) < len(self.unit_ids):
            rows = rows.filter(unit_id__in=wanted)
        for pk, unit_id, period_end, state, first_submitted_at in rows.values_list(
            "id", "unit_id", "period_end", "state", "first_submitted_at"
        ).order_by():
            sent_on = first_submitted_at.astimezone(tz).date() if first_submitted_at else None
            reports[(unit_id, period_end)] = ReportBrief(pk, state, sent_on, f"{prefix}{pk}/")
        for unit_id in wanted:
            statuses = []
            for p in self.periods:
                report = reports.get((unit_id, p.end))
                late, missing = _late_missing(p, report, self.today)
                statuses.append(PeriodStatus(p, report, late, missing))
            self.statuses[unit_id] = statuses

    def of(self, unit_id: int) -> list[PeriodStatus]:
        if unit_id not in self.statuses:
            self.load(self.unit_ids)
        return self.statuses[unit_id]


@dataclass
class UnitRow:
    unit: Unit
    progress: progress.UnitProgress
    book: StatusBook

    @property
    def periods(self) -> list[PeriodStatus]:
        return self.book.of(self.unit.pk)

    @property
    def late(self) -> int:
        return sum(s.late for s in self.periods)

    @property
    def missing(self) -> int:
        return sum(s.missing for s in self.periods)

    @property
    def pending(self) -> int:
        return sum(1 for s in self.periods if s.report and s.report.state == ReportState.SUBMITTED)

    @property
    def percent(self) -> Decimal:
        return self.progress.overall * 100


@dataclass
class CriterionRow:
    criterion: Criterion
    overrides: int
    average: Decimal

    @property
    def percent(self) -> Decimal:
        return self.average * 100


@dataclass
class MovementPage:
    movement: Movement
    criteria: list[CriterionRow]
    units: list[UnitRow]
    periods: list[ReportPeriod]
    documents: list[MovementDocument]
    transitions: list[MovementTransition]
    overall: Decimal
    sees_all: bool
    perms: dict[str, bool] = field(default_factory=dict)
    targets_hidden: int = 0
    # The page of the units' table shown (fifty rows), its period statuses read.
    unit_rows: Page | None = None

    @property
    def percent(self) -> Decimal:
        return self.overall * 100


def _late_missing(period: ReportPeriod, report: ReportBrief | None, today: dt.date) -> tuple[bool, bool]:
    sent_on = report.submitted_on if report is not None else None
    late = sent_on is not None and sent_on > period.due
    missing = sent_on is None and period.due < today
    return late, missing


def movement_page(*, user: User, pk: int, unit_page: str | int | None = None) -> MovementPage:
    """The movement, its progress over every target unit in the user's scope, and `unit_page` of its
    units' table (fifty rows) with their reports and late and missing flags. A thousand units' values
    and progress are tens of thousands of small objects: built with the cyclic collector paused."""
    with cyclic_gc_paused():
        return _movement_page(user=user, pk=pk, unit_page=unit_page)


def _movement_page(*, user: User, pk: int, unit_page: str | int | None) -> MovementPage:
    movement = get_movement(user=user, pk=pk)
    today = timezone.localdate()
    sees_all = access.sees_all_units(user, movement)
    criteria = list(movement.criteria.order_by("position", "id"))
    periods = movement_periods_from(movement, criteria)
    targets = MovementTarget.objects.filter(movement=movement).select_related("unit")
    all_count = None
    if not sees_all:
        all_count = targets.count()
        targets = targets.filter(scope_q(user))
    units = [t.unit for t in targets.order_by("unit__sort_key")]
    unit_ids = [u.pk for u in units]
    overrides: dict[int, dict[int, Decimal]] = {}
    override_counts: dict[int, int] = {}
    for row in CriterionTarget.objects.filter(criterion__movement=movement).values_list(
        "criterion_id", "unit_id", "target"
    ):
        overrides.setdefault(row[1], {})[row[0]] = row[2]
        override_counts[row[0]] = override_counts.get(row[0], 0) + 1
    standings = standing.read(movement, criteria, unit_ids, overrides)
    book = StatusBook(movement, periods, unit_ids, today)
    rows = [UnitRow(unit, standings[unit.pk], book) for unit in units]
    criterion_rows = [
        CriterionRow(
            c,
            override_counts.get(c.pk, 0),
            progress.mean([r.progress.by_criterion[c.pk][2] for r in rows]),
        )
        for c in criteria
    ]
    unit_rows = Paginator(rows, PAGE_SIZE).get_page(unit_page)
    book.load([row.unit.pk for row in unit_rows.object_list])
    page = MovementPage(
        movement=movement,
        criteria=criterion_rows,
        units=rows,
        periods=periods,
        documents=list(movement.documents.filter(is_active=True).select_related("uploaded_by")),
        transitions=list(movement.transitions.select_related("actor").order_by("at", "id")),
        overall=progress.mean([r.progress.overall for r in rows]),
        sees_all=sees_all,
        targets_hidden=(all_count - len(units)) if all_count is not None else 0,
        unit_rows=unit_rows,
    )
    manages = access.manages(user, movement)
    page.perms = {
        "manage": manages,
        "edit": manages and movement.state in workflow.EDITABLE_STATES,
        "report": user.role in UNIT_STAFF and movement.state in workflow.RUNNING_STATES,
        **{
            f"step_{s.name}": manages and movement.state in workflow.MOVEMENT_MOVES[s.move].sources
            for s in workflow.MOVEMENT_STEPS
        },
    }
    return page


def movement_periods_from(movement: Movement, criteria: list[Criterion]) -> list[ReportPeriod]:
    from thidua.movements.periods import schedule

    return schedule(
        start=movement.start_date,
        end=movement.end_date,
        criteria=[(c.pk, c.period) for c in criteria],
        due_days=movement.report_due_days,
    )


def accepted_values(
    *, movement: Movement, unit_ids: list[int] | None = None, accepted_before: dt.datetime | None = None
) -> dict[int, dict[int, Decimal]]:
    """unit id → criterion id → the value of the latest accepted report carrying it (two queries), asked
    of the database value by value: the rule itself, which the units' stored progress keeps applied
    (`standing`). With `accepted_before`, only the reports accepted before that moment (a review's
    figures as of its day)."""
    rows = ReportValue.objects.filter(report__movement=movement, report__state=ReportState.ACCEPTED)
    if unit_ids is not None:
        rows = rows.filter(report__unit_id__in=unit_ids)
    if accepted_before is not None:
        # An accepted report is final: the time of its last review is the time it was accepted.
        rows = rows.filter(report__reviewed_at__lt=accepted_before)
    latest: dict[tuple[int, int], dt.date] = {
        (unit_id, criterion_id): last
        for unit_id, criterion_id, last in rows.values("report__unit_id", "criterion_id")
        .annotate(last=Max("report__period_end"))
        .values_list("report__unit_id", "criterion_id", "last")
        .order_by()
    }
    out: dict[int, dict[int, Decimal]] = {}
    if not latest:
        return out
    # A report is one per unit and period, so (unit, criterion, period end) names one value.
    for unit_id, criterion_id, end, value in rows.filter(
        report__period_end__in=set(latest.values())
    ).values_list("report__unit_id", "criterion_id", "report__period_end", "value"):
        if latest[(unit_id, criterion_id)] == end:
            out.setdefault(unit_id, {})[criterion_id] = value
    return out


# ---------------------------------------------------------------------------------------------------
# Progress over the periods


@dataclass
class PeriodProgress:
    period: ReportPeriod
    overall: Decimal
    # criterion id → the mean achievement of the units at the end of the period
    by_criterion: dict[int, Decimal]


@dataclass
class ProgressSeries:
    movement: Movement
    criteria: list[Criterion]
    periods: list[PeriodProgress]
    unit_count: int
    sees_all: bool


# Each accepted value's achievement (progress.achievement, written in SQL) less the achievement of the
# same unit's and criterion's previous accepted value: summed by period, then added up period after
# period, they give Σ over the units of each criterion's achievement at the end of every period, read in
# one pass of the database over the values instead of 240,000 rows read into Python.
_DELTAS_SQL = """
WITH scored AS (
    SELECT r.unit_id AS unit_id, v.criterion_id AS criterion_id, r.period_end AS period_end,
        CASE
            WHEN c.direction = 'at_most' THEN
                CASE WHEN v.value <= COALESCE(ct.target, c.target) THEN 1.0
                     ELSE COALESCE(ct.target, c.target) * 1.0 / v.value END
            WHEN COALESCE(ct.target, c.target) <= 0 THEN 1.0
            WHEN v.value >= COALESCE(ct.target, c.target) THEN 1.0
            ELSE v.value * 1.0 / COALESCE(ct.target, c.target)
        END AS share
    FROM {value} v
    JOIN {report} r ON r.id = v.report_id
    JOIN {criterion} c ON c.id = v.criterion_id
    LEFT JOIN {target} ct ON ct.criterion_id = v.criterion_id AND ct.unit_id = r.unit_id
    WHERE r.movement_id = %s AND r.state = %s {units}
), changes AS (
    SELECT criterion_id, period_end,
        share - COALESCE(LAG(share) OVER (PARTITION BY unit_id, criterion_id ORDER BY period_end), 0) AS delta
    FROM scored
)
SELECT criterion_id, period_end, SUM(delta) FROM changes GROUP BY criterion_id, period_end
"""


def progress_series(*, user: User, pk: int) -> ProgressSeries:
    """The movement's progress at the end of each period begun so far, overall and by criterion, from
    the reports accepted for periods up to it (a unit's latest accepted value by then counts), over the
    target units in the user's scope. The same rule as the movement page, computed by the database in
    floating point: the last period's figure is the page's progress."""
    movement = get_movement(user=user, pk=pk)
    today = timezone.localdate()
    sees_all = access.sees_all_units(user, movement)
    criteria = list(movement.criteria.order_by("position", "id"))
    periods = [p for p in movement_periods_from(movement, criteria) if p.start <= today]
    targets = MovementTarget.objects.filter(movement=movement)
    if not sees_all:
        targets = targets.filter(scope_q(user))
    unit_ids = list(targets.values_list("unit_id", flat=True))
    params: list[Any] = [movement.pk, ReportState.ACCEPTED]
    units = ""
    if not sees_all:
        units = "AND r.unit_id IN ({})".format(", ".join(["%s"] * len(unit_ids))) if unit_ids else "AND 1 = 0"
        params.extend(unit_ids)
    sql = _DELTAS_SQL.format(
        value=ReportValue._meta.db_table,
        report=ProgressReport._meta.db_table,
        criterion=Criterion._meta.db_table,
        target=CriterionTarget._meta.db_table,
        units=units,
    )
    deltas: dict[dt.date, dict[int, Decimal]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for criterion_id, period_end, delta in cursor.fetchall():
            if isinstance(period_end, str):
                period_end = dt.date.fromisoformat(period_end)
            deltas.setdefault(period_end, {})[criterion_id] = Decimal(str(delta))
    n = len(unit_ids)
    weights = sum((c.weight for c in criteria), Decimal(0))
    running = {c.pk: Decimal(0) for c in criteria}
    out = []
    ends = sorted(deltas)
    i = 0
    for p in periods:
        # Reports end on the schedule's days; any accepted up to this period's end counts by then.
        while i < len(ends) and ends[i] <= p.end:
            for criterion_id, delta in deltas[ends[i]].items():
                if criterion_id in running:
                    running[criterion_id] += delta
            i += 1
        by_criterion = {cid: (total / n if n else Decimal(0)) for cid, total in running.items()}
        overall = (
            sum((c.weight * by_criterion[c.pk] for c in criteria), Decimal(0)) / weights
            if weights
            else Decimal(0)
        )
        out.append(PeriodProgress(p, overall, by_criterion))
    return ProgressSeries(movement, criteria, out, n, sees_all)


# ---------------------------------------------------------------------------------------------------
# Reports


def get_report(*, user: User, pk: int) -> ProgressReport:
    report = (
        ProgressReport.objects.filter(pk=pk)
        .select_related("unit", "movement", "movement__authority", "movement__authority__unit", "created_by")
        .first()
    )
    if report is None or not access.sees_report(user, report):
        raise Http404
    # A draft movement has no reports; a report is seen through its movement's scope as well.
    if not Movement.objects.filter(access.visible_movements_q(user), pk=report.movement_id).exists():
        raise Http404
    return report


@dataclass
class ReportLine:
    criterion: Criterion
    value: ReportValue | None
    target: Decimal
    evidence: list[ReportEvidence]


@dataclass
class ReportPage:
    report: ProgressReport
    lines: list[ReportLine]
    other_evidence: list[ReportEvidence]
    transitions: list[ReportTransition]
    missing: list[str]
    late: bool
    overdue: bool
    perms: dict[str, bool]


def report_page(*, user: User, pk: int) -> ReportPage:
    from thidua.movements.services import missing_items

    report = get_report(user=user, pk=pk)
    criteria = period_criteria(report)
    values = {v.criterion_id: v for v in report.values.all()}
    overrides = dict(
        CriterionTarget.objects.filter(criterion__in=criteria, unit=report.unit).values_list(
            "criterion_id", "target"
        )
    )
    evidence = list(report.evidence.filter(is_active=True).order_by("id"))
    lines = [
        ReportLine(
            c,
            values.get(c.pk),
            overrides.get(c.pk, c.target),
            [e for e in evidence if e.criterion_id == c.pk],
        )
        for c in criteria
    ]
    movement = report.movement
    running = movement.state in workflow.RUNNING_STATES
    is_staff = user.role in UNIT_STAFF and access.unit_in_scope(user, report.unit)
    reviewer = access.manages(user, movement) and not access.conflicted(user, report)
    today = timezone.localdate()
    perms = {
        "edit": is_staff and running and report.state in workflow.REPORT_EDITABLE_STATES,
        "step_submit": is_staff
        and user.role == Role.UNIT_HEAD
        and running
        and report.state in workflow.REPORT_MOVES["submit"].sources,
        "step_accept": reviewer and report.state == ReportState.SUBMITTED,
        "step_return": reviewer and report.state == ReportState.SUBMITTED,
    }
    return ReportPage(
        report=report,
        lines=lines,
        other_evidence=[e for e in evidence if e.criterion_id is None],
        transitions=list(report.transitions.select_related("actor").order_by("at", "id")),
        missing=missing_items(report) if perms["edit"] or perms["step_submit"] else [],
        late=report.is_late,
        overdue=report.first_submitted_at is None and report.due_date < today,
        perms=perms,
    )


def get_evidence(*, user: User, report: ProgressReport, pk: int) -> ReportEvidence:
    found = ReportEvidence.objects.filter(report=report, pk=pk, is_active=True).first()
    if found is None:
        raise Http404
    return found


def get_document(*, user: User, movement: Movement, pk: int) -> MovementDocument:
    found = MovementDocument.objects.filter(movement=movement, pk=pk, is_active=True).first()
    if found is None:
        raise Http404
    return found


def report_list(*, user: User, state: str = "") -> QuerySet[ProgressReport]:
    """Reports the user sees: those of the movements of the user's own authorities, and of the units in
    the user's scope."""
    visible = Movement.objects.filter(access.visible_movements_q(user))
    qs = ProgressReport.objects.filter(movement__in=visible).select_related(
        "unit", "movement", "movement__authority"
    )
    if not user.is_province_wide:
        qs = qs.filter(Q(movement__authority_id__in=access.own_authority_ids(user)) | scope_q(user))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-submitted_at", "-period_end", "id")


# ---------------------------------------------------------------------------------------------------
# The dashboard's to-do


def todo(*, user: User, limit: int = 12) -> list[TodoItem]:
    """Reports the user's units owe or must correct or send, and reports waiting for the user's review.
    A constant number of queries: the running movements that concern the user, their criteria and their
    reports, read once each."""
    items: list[TodoItem] = []
    today = timezone.localdate()
    if user.role == Role.BOARD_SPECIALIST and user.authority_id:
        waiting = (
            ProgressReport.objects.filter(
                movement__authority_id=user.authority_id, state=ReportState.SUBMITTED
            )
            .select_related("unit", "movement", "movement__authority")
            .order_by("submitted_at", "id")
        )
        for r in waiting[: limit * 2]:
            if access.conflicted(user, r):
                continue
            items.append(
                TodoItem(
                    _("Xem xét báo cáo {label} của {unit}: {title}").format(
                        label=r.label, unit=r.unit.name, title=r.movement.title
                    ),
                    reverse("movements:report", args=[r.pk]),
                )
            )
    if user.role in UNIT_STAFF and user.unit_id:
        items.extend(_owed(user, today, limit))
    items.sort(key=lambda item: (item.due is None, item.due or today))
    return items[:limit]


def _owed(user: User, today: dt.date, limit: int) -> list[TodoItem]:
    targets = list(
        MovementTarget.objects.filter(
            scope_q(user), movement__state__in=workflow.RUNNING_STATES
        ).select_related("unit", "movement")
    )
    if not targets:
        return []
    movements = {t.movement_id: t.movement for t in targets}
    criteria: dict[int, list[Criterion]] = {}
    for c in Criterion.objects.filter(movement_id__in=movements):
        criteria.setdefault(c.movement_id, []).append(c)
    reports = {
        (r.movement_id, r.unit_id, r.period_end): r
        for r in ProgressReport.objects.filter(
            movement_id__in=movements, unit_id__in=[t.unit_id for t in targets]
        ).only("id", "movement_id", "unit_id", "period_end", "state")
    }
    schedules = {mid: movement_periods_from(m, criteria.get(mid, [])) for mid, m in movements.items()}
    items = []
    for t in targets:
        for p in schedules[t.movement_id]:
            # What is owed: a period that has ended (its report can be complete) and is not yet sent.
            if p.end >= today:
                break
            report = reports.get((t.movement_id, t.unit_id, p.end))
            if report is not None and report.state in (ReportState.SUBMITTED, ReportState.ACCEPTED):
                continue
            if report is not None and report.state == ReportState.RETURNED:
                text = _("Sửa báo cáo {label} bị trả lại ({unit}): {title}")
            elif report is not None and user.role == Role.UNIT_HEAD:
                text = _("Xem và gửi báo cáo {label} ({unit}): {title}")
            else:
                text = _("Báo cáo tiến độ {label} ({unit}): {title}")
            url = (
                reverse("movements:report", args=[report.pk])
                if report is not None
                else reverse("movements:detail", args=[t.movement_id]) + f"#don-vi-{t.unit_id}"
            )
            items.append(
                TodoItem(
                    text.format(label=p.label, unit=t.unit.name, title=t.movement.title),
                    url,
                    p.due,
                    p.due < today,
                )
            )
            if len(items) >= limit * 2:
                return items
    return items


def running_movements(*, user: User, limit: int = 6) -> list[Movement]:
    """The dashboard's "Phong trào đang diễn ra"."""
    return list(
        Movement.objects.filter(access.visible_movements_q(user), state__in=workflow.RUNNING_STATES)
        .select_related("authority")
        .order_by("-start_date", "-id")[:limit]
    )


def running_progress(*, user: User, limit: int = 6) -> list[tuple[Movement, Decimal]]:
    """The dashboard's chart: each running movement with its progress over the target units in the
    user's scope (the movement page's "Chung"), in six queries whatever the number of movements, units
    and reports."""
    movements = running_movements(user=user, limit=limit)
    if not movements:
        return []
    with cyclic_gc_paused():
        return _running_progress(user, movements)


def _running_progress(user: User, movements: list[Movement]) -> list[tuple[Movement, Decimal]]:
    criteria: dict[int, list[Criterion]] = {m.pk: [] for m in movements}
    for c in Criterion.objects.filter(movement__in=movements).order_by("position", "id"):
        criteria[c.movement_id].append(c)
    own = access.own_authority_ids(user)
    wide = bool(user.is_province_wide)
    everyone = {m.pk for m in movements if wide or m.authority_id in own}
    units: dict[int, list[int]] = {m.pk: [] for m in movements}
    targets = MovementTarget.objects.filter(movement__in=movements)
    if len(everyone) < len(movements):
        targets = targets.filter(Q(movement_id__in=everyone) | scope_q(user))
    for movement_id, unit_id in targets.values_list("movement_id", "unit_id").order_by():
        units[movement_id].append(unit_id)
    overrides: dict[tuple[int, int], dict[int, Decimal]] = {}
    for criterion__movement_id, unit_id, criterion_id, target in CriterionTarget.objects.filter(
        criterion__movement__in=movements
    ).values_list("criterion__movement_id", "unit_id", "criterion_id", "target"):
        overrides.setdefault((criterion__movement_id, unit_id), {})[criterion_id] = target
    in_scope = None if len(everyone) == len(movements) else sorted({u for ids in units.values() for u in ids})
    stored = standing.stored_of(movements, in_scope)
    out = []
    for m in movements:
        its_own = {u: found for (mid, u), found in overrides.items() if mid == m.pk}
        standings = standing.read(m, criteria[m.pk], units[m.pk], its_own, stored[m.pk])
        out.append((m, progress.mean([standings[u].overall for u in units[m.pk]])))
    return out


def state_choices() -> list[tuple[str, str]]:
    return [(s.value, str(s.label)) for s in MovementState]


def get_movement_criterion(movement: Movement, pk: int) -> Criterion:
    found = movement.criteria.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def target_unit(movement: Movement, pk: int) -> Unit:
    found = Unit.objects.filter(pk=pk, movement_targets__movement=movement).first()
    if found is None:
        raise Http404
    return found


def form_units(*, user: User) -> dict[str, Any]:
    """What the launch form offers: the user's authority and the units below it."""
    from thidua.movements.services import eligible_targets

    authority = user.role_authority if user.role == Role.BOARD_SPECIALIST else None
    if authority is None:
        return {"authority": None, "units": []}
    return {"authority": authority, "units": list(eligible_targets(authority).order_by("path")[:2000])}


def movements_for_proposals(unit: Unit) -> QuerySet[Movement]:
    """The movements a unit's dossier may answer: launched ones (or later) that the unit, or a unit above
    it, is a target of, or that the unit launched itself as an authority (a Sở proposing its staff for
    the movement it ran for its hospitals). Another unit's movement is not the unit's to cite."""
    above = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    return (
        Movement.objects.exclude(state=MovementState.DRAFT)
        .filter(Q(targets__unit_id__in=above) | Q(authority__unit_id=unit.pk))
        .distinct()
        .select_related("authority")
        .order_by("-start_date", "-id")
    )
