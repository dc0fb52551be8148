"""Reads of the reports: the dashboard's figures and the builder's table, all counted by the database
(GROUP BY and conditional counts) over the award records in force within the user's data scope, in a
number of queries that does not grow with the records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q, unit_in_scope
from thidua.awards.models import AwardCategory, AwardLevel, AwardRecord, AwardType, CommendationKind
from thidua.core.models import AwardTally
from thidua.core.text import sort_key
from thidua.organisation.models import Authority, Unit
from thidua.reports import builder
from thidua.reports.builder import (
    DIRECT_WORKER,
    ETHNIC_MINORITY,
    INDIVIDUAL,
    WOMAN,
    Definition,
    border_highland_q,
    innovator_q,
    recipient_unit,
    unit_subtree_q,
)
from thidua.reports.models import Measure, SavedReport, Target

# ---------------------------------------------------------------------------------------------------
# The records a user's reports count


def records_in_scope(user: User, root: Unit | None = None) -> QuerySet[AwardRecord]:
    """Awards in force (a revoked award is no longer one, Luật TĐKT 2022 Điều 93) whose recipient is in
    the user's scope, and under `root` when given (already checked to be in the scope)."""
    records = AwardRecord.objects.filter(revoked_on__isnull=True)
    if root is not None:
        return records.filter(unit_subtree_q(root.path))
    if user.is_province_wide:
        return records
    own = user.scope_unit
    if own is None:
        return records.none()
    return records.filter(unit_subtree_q(own.path))


def scoped_unit(user: User, pk: int | None) -> Unit | None:
    """The unit a page is narrowed to; outside the user's scope it does not exist (404)."""
    if pk is None:
        return None
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not unit_in_scope(user, unit):
        raise Http404
    return unit


def default_root(user: User) -> Unit | None:
    """Where the dashboard's breakdown by unit starts: the user's scope, or for province-wide accounts
    the province's one top unit (the provincial committee), whose departments and communes are the rows."""
    if not user.is_province_wide:
        return user.scope_unit
    tops = list(Unit.objects.filter(parent__isnull=True).order_by("sort_key")[:2])
    return tops[0] if len(tops) == 1 else None


def authority_for(unit: Unit | None) -> Authority | None:
    """Whose targets the figures of a unit are held against: the nearest authority at or above it."""
    from thidua.organisation.authorities import authority_of, province_authority

    if unit is None:
        return province_authority()
    return authority_of(unit)


# ---------------------------------------------------------------------------------------------------
# Shares


SHARE_CONDITIONS: dict[str, Any] = {
    Measure.DIRECT_WORKER: lambda: DIRECT_WORKER,
    Measure.WOMEN: lambda: WOMAN,
    Measure.ETHNIC_MINORITY: lambda: ETHNIC_MINORITY,
    Measure.BORDER_HIGHLAND: border_highland_q,
    Measure.INNOVATOR: innovator_q,
}
# The area share is over every award; the others over the awards to individuals.
OVER_EVERY_AWARD = {Measure.BORDER_HIGHLAND}


def share_counts() -> dict[str, Count]:
    counts = {"total": Count("id"), "individuals": Count("id", filter=INDIVIDUAL)}
    for measure, condition in SHARE_CONDITIONS.items():
        counts[measure] = Count("id", filter=condition())
    return counts


@dataclass
class Counts:
    total: int = 0
    individuals: int = 0
    by_measure: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        self.total += other.total
        self.individuals += other.individuals
        for measure, n in other.by_measure.items():
            self.by_measure[measure] = self.by_measure.get(measure, 0) + n

    def base(self, measure: str) -> int:
        return self.total if measure in OVER_EVERY_AWARD else self.individuals

    def share(self, measure: str) -> Decimal:
        base = self.base(measure)
        return Decimal(self.by_measure.get(measure, 0)) / Decimal(base) if base else Decimal(0)


@dataclass
class ShareRow:
    measure: str
    label: str
    count: int
    base: int
    share: Decimal
    target: Decimal | None

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.share * 100 >= self.target


@dataclass
class UnitShares:
    unit: Unit | None
    label: str
    counts: Counts


def _counts_of(row: dict[str, Any]) -> Counts:
    return Counts(
        total=row["total"],
        individuals=row["individuals"],
        by_measure={m: row[m] for m in SHARE_CONDITIONS},
    )


def shares_by_unit(records: QuerySet[AwardRecord], root: Unit | None) -> tuple[list[UnitShares], Counts]:
    """The share counts per unit directly below `root` (each with its sub-units), the awards of `root`
    itself in a row of their own, and the whole: counted per recipient unit in one GROUP BY, then
    added up the tree by the units' paths."""
    per_unit = list(
        records.order_by().annotate(at=recipient_unit()).values("at").annotate(**share_counts()).order_by()
    )
    paths = dict(Unit.objects.filter(pk__in=[r["at"] for r in per_unit]).values_list("pk", "path"))
    children = (
        Unit.objects.filter(parent=root) if root is not None else Unit.objects.filter(parent__isnull=True)
    )
    rows: dict[int, UnitShares] = {u.pk: UnitShares(u, u.name, Counts()) for u in children}
    own = UnitShares(root, _("{name} (khen trực tiếp)").format(name=root.name) if root else "", Counts())
    whole = Counts()
    prefix = root.path if root is not None else "/"
    for row in per_unit:
        counts = _counts_of(row)
        whole.add(counts)
        path = paths.get(row["at"], "")
        rest = path[len(prefix) :] if path.startswith(prefix) else ""
        child = int(rest.split("/")[0]) if rest.strip("/") else None
        if child is None:
            own.counts.add(counts)
        elif child in rows:
            rows[child].counts.add(counts)
    listed = sorted(
        (r for r in rows.values() if r.counts.total or (r.unit is not None and r.unit.valid_to is None)),
        key=lambda r: r.unit.sort_key if r.unit is not None else "",
    )
    if own.counts.total:
        listed.insert(0, own)
    return listed, whole


def share_rows(whole: Counts, targets: dict[str, Decimal]) -> list[ShareRow]:
    return [
        ShareRow(
            measure=str(measure),
            label=str(measure.label),
            count=whole.by_measure.get(measure, 0),
            base=whole.base(measure),
            share=whole.share(measure),
            target=targets.get(measure),
        )
        for measure in Measure
    ]


def targets_of(authority: Authority | None, year: int | None) -> dict[str, Decimal]:
    if authority is None or year is None:
        return {}
    return dict(Target.objects.filter(authority=authority, year=year).values_list("measure", "percent"))


# ---------------------------------------------------------------------------------------------------
# Dossier throughput


@dataclass
class StageRow:
    state: str
    label: str
    passes: int
    average_days: Decimal


@dataclass
class Throughput:
    stages: list[StageRow]
    submitted: int
    returned: int
    open: int
    overdue: int

    @property
    def returned_share(self) -> Decimal:
        return Decimal(self.returned) / Decimal(self.submitted) if self.submitted else Decimal(0)

    @property
    def overdue_share(self) -> Decimal:
        return Decimal(self.overdue) / Decimal(self.open) if self.open else Decimal(0)


def _days(duration: dt.timedelta | None) -> Decimal:
    if duration is None:
        return Decimal(0)
    return (Decimal(duration.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"))


def throughput(user: User, root: Unit | None, year: int | None) -> Throughput | None:
    """Time spent in each state (from each DossierTransition to the one before it, or the dossier's
    creation), the dossiers returned at least once among those submitted, the open ones past due."""
    from thidua.proposals.models import Dossier, DossierState, DossierTransition
    from thidua.proposals.selectors import overdue_q
    from thidua.proposals.workflow import OPEN_STATES

    if not user.has_perm("proposals.view_dossiers"):
        return None
    dossiers = Dossier.objects.filter(scope_q(user))
    if root is not None:
        dossiers = dossiers.filter(unit__path__startswith=root.path)
    if year is not None:
        dossiers = dossiers.filter(year=year)
    before = DossierTransition.objects.filter(dossier=OuterRef("dossier"), at__lt=OuterRef("at")).order_by(
        "-at"
    )
    since = Coalesce(Subquery(before.values("at")[:1]), F("dossier__created_at"))
    stages = (
        DossierTransition.objects.filter(dossier__in=dossiers)
        .order_by()
        .values("source")
        .annotate(
            passes=Count("id"),
            average=Avg(ExpressionWrapper(F("at") - since, output_field=DurationField())),
        )
    )
    found = {row["source"]: row for row in stages}
    returned = DossierTransition.objects.filter(dossier=OuterRef("pk"), target=DossierState.RETURNED)
    figures = dossiers.aggregate(
        submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        returned=Count("id", filter=Q(Exists(returned))),
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("id", filter=overdue_q()),
    )
    return Throughput(
        stages=[
            StageRow(state, str(label), found[state]["passes"], _days(found[state]["average"]))
            for state, label in DossierState.choices
            if state in found
        ],
        **figures,
    )


# ---------------------------------------------------------------------------------------------------
# Blocs


def bloc_results(user: User, root: Unit | None, year: int | None) -> list[Any]:
    """The published rankings of the year's blocs, for the member units in the scope."""
    from thidua.blocs.models import RankingEntry
    from thidua.blocs.workflow import SheetState

    entries = RankingEntry.objects.filter(sheet__state=SheetState.PUBLISHED).select_related(
        "sheet__bloc", "unit"
    )
    if year is not None:
        entries = entries.filter(sheet__year=year)
    if root is not None:
        entries = entries.filter(unit__path__startswith=root.path)
    else:
        entries = entries.filter(scope_q(user))
    return list(entries.order_by("sheet__bloc__sort_key", "sheet_id", "position")[:200])


# ---------------------------------------------------------------------------------------------------
# The dashboard


@dataclass
class Dashboard:
    year: int | None
    years: list[int]
    root: Unit | None
    authority: Authority | None
    by_year: list[tuple[int, int]]
    by_level: list[tuple[str, str, int]]
    by_category: list[tuple[str, str, int]]
    by_kind: list[tuple[str, str, int]]
    # The catalogue's titles and forms given that year, in the catalogue's order.
    by_type: list[tuple[str, str, int]]
    total: int
    shares: list[ShareRow]
    units: list[UnitShares]
    whole: Counts
    throughput: Throughput | None
    running: list[Any]
    blocs: list[Any]


def _tally(rows: list[tuple[Any, ...]], index: int, choices: Any) -> list[tuple[str, str, int]]:
    totals: dict[str, int] = {}
    for row in rows:
        key = str(row[index])
        totals[key] = totals.get(key, 0) + int(row[-1])
    return [(value, str(label), totals.get(value, 0)) for value, label in choices]


def dashboard(*, user: User, year: int | None, root_pk: int | None = None) -> Dashboard:
    root = scoped_unit(user, root_pk) if root_pk is not None else default_root(user)
    scoped_root = root if root_pk is not None else None
    records = records_in_scope(user, scoped_root)
    # The years from the registry's tallies (core.AwardTally, kept in step with the records, a row per
    # unit, decision, title and year): the same figure as counting the records, without reading them all.
    within = Q(unit__path__startswith=scoped_root.path) if scoped_root is not None else scope_q(user)
    tallies = AwardTally.objects.filter(within)
    by_year = [
        (year, n)
        for year, n in tallies.values_list("year")
        .annotate(n=Sum("records") - Sum("revoked"))
        .order_by("year")
        if n
    ]
    years = [y for y, _n in by_year]
    if year is None:
        year = years[-1] if years else timezone.localdate().year
    this_year = records.filter(year=year)
    grouped = list(
        this_year.order_by()
        .values_list("award_type__level", "award_type__category", "kind", "award_type_id")
        .annotate(n=Count("id"))
    )
    per_type: dict[int, int] = {}
    for *_keys, type_id, n in grouped:
        per_type[type_id] = per_type.get(type_id, 0) + n
    catalogue = AwardType.objects.filter(pk__in=per_type).order_by("order", "code")
    by_type = [(str(pk), name, per_type[pk]) for pk, name in catalogue.values_list("pk", "name")]
    authority = authority_for(root)
    units: list[UnitShares] = []
    whole = Counts()
    # An account with no unit has no scope: no row of units, not the province's top units.
    if root is not None or user.is_province_wide:
        units, whole = shares_by_unit(this_year, root)
    running: list[Any] = []
    if user.has_perm("movements.view_movements"):
        from thidua.movements.selectors import running_progress

        running = running_progress(user=user)
    return Dashboard(
        year=year,
        years=sorted(set(years) | {year}, reverse=True),
        root=root,
        authority=authority,
        by_year=by_year,
        by_level=_tally(grouped, 0, AwardLevel.choices),
        by_category=_tally(grouped, 1, AwardCategory.choices),
        by_kind=_tally(grouped, 2, CommendationKind.choices),
        by_type=by_type,
        total=sum(row[-1] for row in grouped),
        shares=share_rows(whole, targets_of(authority, year)),
        units=units,
        whole=whole,
        throughput=throughput(user, scoped_root, year),
        running=running,
        blocs=bloc_results(user, scoped_root, year),
    )


# ---------------------------------------------------------------------------------------------------
# The builder


@dataclass
class ReportRow:
    values: list[Any]
    labels: list[str]
    count: int


@dataclass
class Report:
    definition: Definition
    headers: list[str]
    rows: list[ReportRow]
    total: int


def run_report(*, user: User, definition: Definition) -> Report:
    """Count the awards in force within the user's scope by the definition's dimensions, with its filters."""
    records = records_in_scope(user)
    for key, value in definition.filters.items():
        spec = builder.FILTERS[key]
        if key == "unit":
            unit = Unit.objects.filter(pk=value).first()
            if unit is None or not unit_in_scope(user, unit):
                raise ValidationError(_("Đơn vị đã chọn không thuộc phạm vi của bạn."), code="out_of_scope")
            value = unit
        records = records.filter(spec.condition(value))
    names = [f"d{i}" for i in range(len(definition.dimensions))]
    dimensions = [builder.DIMENSIONS[key] for key in definition.dimensions]
    grouped = list(
        records.order_by()
        .annotate(**{name: d.expression() for name, d in zip(names, dimensions, strict=True)})
        .values_list(*names)
        .annotate(n=Count("id"))
        .order_by()
    )
    labels = [
        d.labels(sorted({row[i] for row in grouped if row[i] is not None}, key=str))
        for i, d in enumerate(dimensions)
    ]
    rows = []
    for row in grouped:
        shown = [
            labels[i].get(value, str(value)) if value is not None else str(d.missing)
            for i, (d, value) in enumerate(zip(dimensions, row[:-1], strict=True))
        ]
        rows.append(ReportRow(list(row[:-1]), shown, row[-1]))

    def order(row: ReportRow) -> tuple[Any, ...]:
        out: list[Any] = []
        for d, value, label in zip(dimensions, row.values, row.labels, strict=True):
            # Where a value does not apply, it comes last.
            out.append(value is None)
            out.append(d.order(value) if d.order is not None and value is not None else sort_key(label))
        return tuple(out)

    rows.sort(key=order)
    return Report(
        definition=definition,
        headers=[str(d.label) for d in dimensions] + [_("Số lượt khen thưởng")],
        rows=rows,
        total=sum(r.count for r in rows),
    )


# ---------------------------------------------------------------------------------------------------
# Saved reports


def user_authority(user: User) -> Authority | None:
    """The authority a user's saved reports are shared within: the role's, else that of the user's unit."""
    if user.role_authority is not None:
        return user.role_authority
    return authority_for(user.unit) if user.unit is not None else None


def visible_reports(user: User) -> QuerySet[SavedReport]:
    own = Q(owner=user)
    authority = user_authority(user)
    if authority is not None:
        own |= Q(shared=True, authority=authority)
    return SavedReport.objects.filter(own).select_related("owner")


def get_report(*, user: User, pk: int) -> SavedReport:
    """A saved report the user owns or that is shared within the user's authority; else 404."""
    found = visible_reports(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
