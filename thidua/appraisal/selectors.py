"""Appraisal reads: the registry as input of the eligibility engine, the verdicts shown on profiles, the
discovery of people who have become eligible, and the rulebooks described for a specialist.

The engine (`thidua/eligibility`) is plain Python and knows nothing of the database; this module is the
bridge. Candidates are built in bulk: one query per kind of history (ratings, award records, initiative
uses, initiatives, discipline, investigations) whatever the number of people, grouped in Python, so the
discovery page over a whole province costs the same number of queries as over one department.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.awards.models import (
    AwardRecord,
    AwardType,
    Decision,
    Discipline,
    Initiative,
    Investigation,
    YearlyRating,
)
from thidua.eligibility import labels
from thidua.eligibility.bonus import BonusError, bonus
from thidua.eligibility.conditions import Cond, Names
from thidua.eligibility.engine import (
    ELIGIBLE,
    INELIGIBLE,
    NEEDS_REVIEW,
    Evaluator,
    Result,
    default_evaluator,
)
from thidua.eligibility.model import AwardRecord as EngineAward
from thidua.eligibility.model import Candidate, MemberStats, Pending
from thidua.eligibility.model import Discipline as EngineDiscipline
from thidua.eligibility.model import Initiative as EngineInitiative
from thidua.eligibility.rulebook import (
    AwardSpec,
    Citation,
    ConditionSpec,
    Library,
    Principle,
    Regime,
    RouteSpec,
    Rules,
)
from thidua.organisation.models import (
    AuthorityLevel,
    BlocMembership,
    Gender,
    Household,
    Person,
    PersonCategory,
    Unit,
    UnitKind,
    recipient_kind,
)
from thidua.organisation.selectors import kinh_or_unknown_q

M = TypeVar("M", bound=Model)

# Every kind of commendation the pages ask about: the yearly (công trạng) appraisal. Sudden and
# thematic proposals come with their own achievement, which the registry does not hold.
MERIT = "cong_trang"

# Individual titles from LĐTT up each require LĐTT in the same year (Luật 2022 Điều 21–24), so a
# holder of any of them counts as an LĐTT of the collective; likewise for CSTĐ cơ sở and above.
LDTT_OR_ABOVE = frozenset({"LDTT", "CSTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ"})
CSTDCS_OR_ABOVE = frozenset({"CSTDCS", "CSTD_TINH", "CSTD_TQ"})
# Khiển trách is the only level below cảnh cáo (Luật Cán bộ, công chức 2008 Điều 79).
BELOW_CANH_CAO = frozenset({"khien_trach"})
_RATED_DONE = frozenset({"HTXSNV", "HTTNV", "HTNV"})
_BLOC_ROLE_RANK = {"leader": 0, "deputy": 1, "member": 2}


# ---------------------------------------------------------------------------------------------------
# The bridge: registry rows -> engine candidates


def _rows_and_keys(objects: QuerySet[M] | Iterable[M]) -> tuple[list[M], Any]:
    """The objects, and what an `__in` filter compares with: a subquery for a queryset (no parameter
    per row, so thousands of people stay one short statement on every database), else the ids."""
    if isinstance(objects, QuerySet):
        return list(objects), objects.values("pk")
    rows = list(objects)
    return rows, [obj.pk for obj in rows]


def _engine_awards(owner: str, keys: Any, *, dates: bool = True) -> dict[int, tuple[EngineAward, ...]]:
    """The unrevoked award records of the owners (`owner` is the recipient column, `keys` what its
    `__in` compares with), grouped by recipient in the registry's order (latest year first, then the
    catalogue's order), each with the initiatives it used (one initiative, one use).

    `dates=False` leaves the decision dates out: no check of the engine reads them, and a province's
    thousands of decisions were a query of their own (discovery)."""
    scope = {f"{owner}__in": keys, "revoked_on__isnull": True}
    through = AwardRecord.initiatives.through._default_manager
    used: dict[int, list[str]] = defaultdict(list)
    # Joined from the few uses, not an IN over every record id of the scope.
    for record_id, initiative_id in (
        through.filter(**{f"awardrecord__{name}": value for name, value in scope.items()})
        .order_by("awardrecord_id", "initiative_id")
        .values_list("awardrecord_id", "initiative_id")
    ):
        used[record_id].append(str(initiative_id))
    uses = {record_id: tuple(ids) for record_id, ids in used.items()}
    # Codes, ranks and decision dates are read once per type and per decision, not joined onto every
    # record, and the records are put in order here: for a province's tens of thousands of records the
    # joins, the sort in the database and the per-row date conversion were most of the time (discovery).
    types = {pk: (code, order) for pk, code, order in AwardType.objects.values_list("id", "code", "order")}
    records = AwardRecord.objects.filter(**scope).order_by()
    decided: dict[int, dt.date] = {}
    if dates:
        decided = dict(
            Decision.objects.filter(pk__in=records.values("decision_id")).order_by().values_list("id", "date")
        )
        rows: Iterable[tuple[Any, ...]] = records.values_list(
            "id", owner, "award_type_id", "year", "kind", "decision_id"
        )
    else:
        rows = records.values_list("id", owner, "award_type_id", "year", "kind")
    # Records alike (one decision awards a whole list) share one frozen engine record, carried with its
    # place in the registry's order (the latest year first, then the catalogue's order; then the first
    # seen, which also keeps two alike records of a recipient apart without comparing them).
    made: dict[tuple[Any, ...], tuple[int, int, int, EngineAward]] = {}
    grouped: dict[int, list[tuple[int, int, int, EngineAward]]] = defaultdict(list)
    for record_id, owner_id, type_id, year, kind, *decision in rows:
        initiatives = uses.get(record_id, ())
        key = (type_id, year, kind, initiatives, *decision)
        award = made.get(key)
        if award is None:
            code, order = types[type_id]
            when = decided.get(decision[0]) if decision else None
            award = made[key] = (-year, order, len(made), EngineAward(code, year, kind, when, initiatives))
        grouped[owner_id].append(award)
    return {owner_id: tuple([entry[3] for entry in sorted(entries)]) for owner_id, entries in grouped.items()}


def candidates_for_people(
    people: QuerySet[Person] | Iterable[Person], *, decision_dates: bool = True
) -> list[Candidate]:
    """One engine candidate per person, in the order given, from a constant number of queries. A queryset
    is read as (id, gender, unit) tuples: building thousands of Person objects only to take three
    fields cost more than the history itself (discovery over a province). `decision_dates=False`: see
    `_engine_awards`."""
    if isinstance(people, QuerySet):
        rows: list[tuple[int, str, int]] = list(people.values_list("pk", "gender", "unit_id"))
        keys: Any = people.values("pk")
    else:
        rows = [(p.pk, p.gender, p.unit_id) for p in people]
        keys = [pk for pk, _gender, _unit in rows]
    if not rows:
        return []
    # A mapping's order is not part of it: the ratings are read in whatever order the database finds
    # them fastest.
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    for owner, year, rating in (
        YearlyRating.objects.filter(person_id__in=keys).order_by().values_list("person_id", "year", "rating")
    ):
        ratings[owner][year] = rating
    awards = _engine_awards("person_id", keys, dates=decision_dates)
    initiatives: dict[int, list[EngineInitiative]] = defaultdict(list)
    for owner, pk, year, scope, kind in Initiative.objects.filter(person_id__in=keys).values_list(
        "person_id", "id", "year", "scope", "type"
    ):
        initiatives[owner].append(EngineInitiative(str(pk), year, scope, kind))
    disciplines: dict[int, list[EngineDiscipline]] = defaultdict(list)
    for owner, start, end, level in Discipline.objects.filter(person_id__in=keys).values_list(
        "person_id", "start_date", "end_date", "level"
    ):
        disciplines[owner].append(EngineDiscipline(start, end, level))
    pending: dict[int, list[Pending]] = defaultdict(list)
    # Closed investigations are kept with their end: the engine freezes only while since <= as_of < until,
    # so an appraisal dated inside a past investigation still sees it.
    for owner, reason, since, closed in Investigation.objects.filter(person_id__in=keys).values_list(
        "person_id", "reason", "since", "closed_on"
    ):
        pending[owner].append(Pending(reason=reason, since=since, until=closed))
    return [
        Candidate(
            id=str(pk),
            kind="individual",
            gender=gender or None,
            unit=str(unit_id),
            ratings=ratings.get(pk, {}),
            awards=tuple(awards.get(pk, ())),
            initiatives=tuple(initiatives.get(pk, ())),
            discipline=tuple(disciplines.get(pk, ())),
            pending=tuple(pending.get(pk, ())),
        )
        for pk, gender, unit_id in rows
    ]


def candidate_for_person(person: Person) -> Candidate:
    return candidates_for_people([person])[0]


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part.isdigit()]


def _subtree_q(paths: Iterable[str], field_name: str = "unit__path") -> Q:
    """People (or rows) under any of the paths; nested paths are dropped so the filter stays short."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        # Sorted, a path's descendants follow it directly, so only the last root can contain it.
        if roots and path.startswith(roots[-1]):
            continue
        roots.append(path)
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(**{f"{field_name}__startswith": root})
    return condition


def member_stats_for_units(units: Sequence[Unit]) -> dict[int, dict[int, MemberStats]]:
    """Per unit and year, the statistics of the people of its subtree (the unit and its sub-units).

    The registry keeps where people work now, not where they worked each year, so a year counts the
    people now in the subtree who are still working, plus those who have left but have a rating or an
    award that year. A year appears only when someone of the subtree has a rating or an award in it:
    without any data the engine answers "unknown", not a ratio of zero.
    """
    if not units:
        return {}
    wanted = {u.pk for u in units}
    members = Person.objects.filter(_subtree_q(u.path for u in units))
    keys = members.values("pk")
    people = list(members.values_list("id", "unit__path", "is_active"))
    rating_of: dict[tuple[int, int], str] = {}
    years_of: dict[int, set[int]] = defaultdict(set)
    for pid, year, rating in YearlyRating.objects.filter(person_id__in=keys).values_list(
        "person_id", "year", "rating"
    ):
        rating_of[(pid, year)] = rating
        years_of[pid].add(year)
    titles: dict[tuple[int, int], set[str]] = defaultdict(set)
    for pid, year, code in AwardRecord.objects.filter(
        person_id__in=keys, revoked_on__isnull=True
    ).values_list("person_id", "year", "award_type__code"):
        titles[(pid, year)].add(code)
        years_of[pid].add(year)
    serious: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for pid, start, end in (
        Discipline.objects.filter(person_id__in=keys)
        .exclude(level__in=BELOW_CANH_CAO)
        .values_list("person_id", "start_date", "end_date")
    ):
        serious[pid].append((start, end))

    owners = {pid: [u for u in _path_ids(path) if u in wanted] for pid, path, _active in people}
    unit_years: dict[int, set[int]] = defaultdict(set)
    for pid, units_of in owners.items():
        for unit_id in units_of:
            unit_years[unit_id] |= years_of.get(pid, set())

    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for pid, _path, active in people:
        own_years = years_of.get(pid, set())
        for unit_id in owners[pid]:
            for year in unit_years[unit_id]:
                if not active and year not in own_years:
                    continue
                row = counts[(unit_id, year)]
                codes = titles.get((pid, year), set())
                row[0] += 1
                row[1] += bool(codes & LDTT_OR_ABOVE)
                row[2] += bool(codes & CSTDCS_OR_ABOVE)
                row[3] += rating_of.get((pid, year)) in _RATED_DONE
                row[4] += any(
                    start.year <= year and (end is None or end.year >= year) for start, end in serious[pid]
                )
    out: dict[int, dict[int, MemberStats]] = defaultdict(dict)
    for (unit_id, year), (total, ldtt, cstdcs, done, disciplined) in counts.items():
        out[unit_id][year] = MemberStats(
            total=total,
            ldtt=ldtt,
            cstdcs=cstdcs,
            completed_tasks=done,
            disciplined_canh_cao_or_above=disciplined,
        )
    return out


def candidates_for_units(units: QuerySet[Unit] | Iterable[Unit]) -> list[Candidate]:
    """One collective candidate per unit: its own ratings and awards, its bloc roles, and the member
    statistics of its subtree."""
    rows, keys = _rows_and_keys(units)
    if not rows:
        return []
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    for owner, year, rating in YearlyRating.objects.filter(unit_id__in=keys).values_list(
        "unit_id", "year", "rating"
    ):
        ratings[owner][year] = rating
    awards = _engine_awards("unit_id", keys)
    initiatives: dict[int, list[EngineInitiative]] = defaultdict(list)
    for owner, pk, year, scope, kind in Initiative.objects.filter(
        unit_id__in=keys, person__isnull=True
    ).values_list("unit_id", "id", "year", "scope", "type"):
        initiatives[owner].append(EngineInitiative(str(pk), year, scope, kind))
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    for owner, year, role in BlocMembership.objects.filter(unit_id__in=keys).values_list(
        "unit_id", "year", "role"
    ):
        # A unit in two blocs in one year: the higher role is the one the flag rules ask about.
        held = roles[owner].get(year)
        if held is None or _BLOC_ROLE_RANK[role] < _BLOC_ROLE_RANK[held]:
            roles[owner][year] = role
    stats = member_stats_for_units(rows)
    return [
        Candidate(
            id=str(u.pk),
            kind="collective",
            ratings=ratings.get(u.pk, {}),
            awards=tuple(awards.get(u.pk, ())),
            initiatives=tuple(initiatives.get(u.pk, ())),
            member_stats=stats.get(u.pk, {}),
            bloc_roles=roles.get(u.pk, {}),
        )
        for u in rows
    ]


def candidate_for_unit(unit: Unit) -> Candidate:
    return candidates_for_units([unit])[0]


def candidates_for_households(households: QuerySet[Household] | Iterable[Household]) -> list[Candidate]:
    rows, keys = _rows_and_keys(households)
    if not rows:
        return []
    awards = _engine_awards("household_id", keys)
    return [Candidate(id=str(h.pk), kind="household", awards=tuple(awards.get(h.pk, ()))) for h in rows]


def candidate_for_household(household: Household) -> Candidate:
    return candidates_for_households([household])[0]


# ---------------------------------------------------------------------------------------------------
# Verdicts for one person or collective (the "check eligibility" panel)

VERDICT_LABELS = {
    ELIGIBLE: gettext_lazy("Đủ điều kiện"),
    NEEDS_REVIEW: gettext_lazy("Cần xem xét"),
    INELIGIBLE: gettext_lazy("Chưa đủ điều kiện"),
}
ROUTE_STATUS_LABELS = {
    "met": gettext_lazy("đáp ứng"),
    "failed": gettext_lazy("chưa đáp ứng"),
    "unknown": gettext_lazy("thiếu dữ liệu"),
    "judgment": gettext_lazy("cần người thẩm định đánh giá"),
}
CATEGORY_LABELS = {"title": gettext_lazy("Danh hiệu"), "form": gettext_lazy("Hình thức")}
# How many years the panel and the discovery page offer, counting back from the appraisal date.
YEARS_OFFERED = 10


@dataclass
class RegimeInfo:
    id: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    basis: tuple[str, ...]


def _regime_info(regime: Regime) -> RegimeInfo:
    return RegimeInfo(regime.id, regime.title, regime.valid_from, regime.valid_to, tuple(regime.basis))


@dataclass
class ProvinceInfo:
    id: str
    name: str
    regulation: str
    in_force_from: dt.date | None
    note: str
    replaced: list[str] = field(default_factory=list)
    extended: list[str] = field(default_factory=list)
    # The thresholds and procedure are a model regulation, not the province's own (labelled "mẫu").
    model: bool = False


def _province_info(rules: Rules, names: Mapping[str, str]) -> ProvinceInfo | None:
    province = rules.province
    if province is None:
        return None
    return ProvinceInfo(
        id=province.id,
        name=province.name,
        regulation=province.regulation,
        in_force_from=province.in_force_from,
        note=province.citation.note or "",
        replaced=[names.get(c, c) for c, o in province.overrides.items() if o.mode == "replace"],
        extended=[names.get(c, c) for c, o in province.overrides.items() if o.mode == "extend"],
        model=province.model,
    )


@dataclass
class ConditionLine:
    text: str
    basis: str
    met: bool | None
    mechanical: bool
    confirmed: bool
    note: str


@dataclass
class ConditionGroup:
    """The conditions every route needs (no title), or those of one route (alternative)."""

    title: str
    status: str
    judgment: bool
    conditions: list[ConditionLine]

    @property
    def status_label(self) -> str:
        return str(ROUTE_STATUS_LABELS.get(self.status, ""))


@dataclass
class AwardCheck:
    code: str
    name: str
    category: str
    verdict: str
    groups: list[ConditionGroup]
    confirmed: bool
    # Already on record for the achievement year.
    held: bool = False

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS.get(self.category, ""))

    @property
    def route_count(self) -> int:
        return sum(1 for g in self.groups if g.title)

    @property
    def conditions(self) -> list[ConditionLine]:
        return [c for g in self.groups for c in g.conditions]

    @property
    def open_judgments(self) -> int:
        return sum(1 for c in self.conditions if not c.mechanical)


def _line(cond: Cond) -> ConditionLine:
    citation = cond.check.citation
    return ConditionLine(
        text=cond.text,
        basis=citation.basis,
        met=cond.met,
        mechanical=cond.mechanical,
        confirmed=citation.confirmed,
        note=citation.note or "",
    )


# The engine's own conditions that read the same for every award; the panel shows them once, on top,
# unless they fail (a freeze then shows in every award too).
GENERAL_CONDITIONS = frozenset({"not_frozen"})


def award_check(result: Result, name: str, category: str, held: bool = False) -> AwardCheck:
    """A result grouped for reading: the common conditions first, then each route with its status."""
    routes = {route.id: (route, status) for route, status in result.routes}
    common = ConditionGroup("", "", False, [])
    groups = [common]
    by_route: dict[str, ConditionGroup] = {}
    for cond in result.conditions:
        if cond.code in GENERAL_CONDITIONS and cond.met:
            continue
        route_id = cond.check.route
        if route_id is None:
            common.conditions.append(_line(cond))
            continue
        group = by_route.get(route_id)
        if group is None:
            spec, status = routes.get(route_id, (None, ""))
            group = ConditionGroup(
                title=spec.title if spec else route_id,
                status=status,
                judgment=bool(spec and spec.judgment),
                conditions=[],
            )
            by_route[route_id] = group
            groups.append(group)
        group.conditions.append(_line(cond))
    return AwardCheck(
        code=result.award,
        name=name,
        category=category,
        verdict=result.verdict,
        groups=[g for g in groups if g.conditions],
        confirmed=result.confirmed,
        held=held,
    )


@dataclass
class EligibilityReport:
    subject: Person | Unit | Household
    recipient: str
    year: int
    as_of: dt.date
    regime: RegimeInfo
    province: ProvinceInfo | None
    checks: list[AwardCheck]
    years: list[int]
    quota_notes: list[str]
    general: list[ConditionLine] = field(default_factory=list)

    @property
    def frozen(self) -> bool:
        return any(line.met is False for line in self.general)

    @property
    def eligible(self) -> list[AwardCheck]:
        return [c for c in self.checks if c.verdict == ELIGIBLE]

    @property
    def needs_review(self) -> list[AwardCheck]:
        return [c for c in self.checks if c.verdict == NEEDS_REVIEW]

    @property
    def ineligible(self) -> list[AwardCheck]:
        return [c for c in self.checks if c.verdict == INELIGIBLE]

    @property
    def sections(self) -> list[tuple[str, str, list[AwardCheck]]]:
        return [
            (ELIGIBLE, str(VERDICT_LABELS[ELIGIBLE]), self.eligible),
            (NEEDS_REVIEW, str(VERDICT_LABELS[NEEDS_REVIEW]), self.needs_review),
            (INELIGIBLE, str(VERDICT_LABELS[INELIGIBLE]), self.ineligible),
        ]


def award_names() -> dict[str, str]:
    """The province's names of the titles and forms (the catalogue table), by engine code."""
    return dict(AwardType.objects.values_list("code", "name"))


def _candidate_of(subject: Person | Unit | Household) -> Candidate:
    if isinstance(subject, Person):
        return candidate_for_person(subject)
    if isinstance(subject, Household):
        return candidate_for_household(subject)
    return candidate_for_unit(subject)


def review_year(as_of: dt.date) -> int:
    """The achievement year under review on `as_of`: the current year once the province's year-end season
    has opened (a date of the provincial rulebook), else the previous year."""
    return default_evaluator().library.review_year(as_of)


def year_choices(as_of: dt.date) -> list[int]:
    return list(range(as_of.year, as_of.year - YEARS_OFFERED, -1))


def eligibility_for(
    *,
    user: User,
    subject: Person | Unit | Household,
    as_of: dt.date | None = None,
    year: int | None = None,
) -> EligibilityReport:
    """Every title and form the subject's kind can receive, for the achievement year (by default the
    year under review on `as_of`), under the rules in force on `as_of` (by default today)."""
    if not user.has_perm("appraisal.check_eligibility", subject):
        raise PermissionDenied
    as_of = as_of or timezone.localdate()
    year = year or review_year(as_of)
    recipient = recipient_kind(subject)
    candidate = _candidate_of(subject)
    evaluator = default_evaluator()
    rules = evaluator.rules_on(as_of)
    names = award_names()
    histories: dict[Any, Any] = {}
    held = {record.award for record in candidate.awards if record.year == year}
    checks = []
    general: dict[str, ConditionLine] = {}
    for code, entry in evaluator.library.catalogue.items():
        if recipient not in entry.recipients:
            continue
        result = evaluator.evaluate(candidate, code, year, as_of, MERIT, histories=histories)
        for cond in result.conditions:
            if cond.code in GENERAL_CONDITIONS:
                general.setdefault(cond.code, _line(cond))
        checks.append(award_check(result, names.get(code, entry.name), entry.category, code in held))
    quota_notes = []
    if recipient == "individual":
        for quota in rules.regime.quotas.values():
            quota_notes.append(
                _(
                    "{award}: không quá {ratio} số cá nhân đạt {base} của đơn vị ({basis}). Tỷ lệ này chỉ "
                    "kiểm tra được khi xét cả đơn vị, không kiểm tra ở đây."
                ).format(
                    award=names.get(quota.award, quota.award),
                    ratio=labels.percent(float(quota.max_ratio)),
                    base=names.get(quota.of, quota.of),
                    basis=quota.citation.basis,
                )
            )
    return EligibilityReport(
        subject=subject,
        recipient=recipient,
        year=year,
        as_of=as_of,
        regime=_regime_info(rules.regime),
        province=_province_info(rules, names),
        checks=checks,
        years=year_choices(as_of),
        quota_notes=quota_notes,
        general=list(general.values()),
    )


def person_eligibility(
    *, user: User, person_id: int, year: int | None = None, as_of: dt.date | None = None
) -> EligibilityReport | None:
    """The panel of a person's profile, or None when absent or outside the user's scope."""
    person = Person.objects.filter(scope_q(user), pk=person_id).select_related("unit").first()
    if person is None or not user.has_perm("appraisal.check_eligibility", person):
        return None
    return eligibility_for(user=user, subject=person, as_of=as_of, year=year)


def unit_eligibility(
    *, user: User, unit_id: int, year: int | None = None, as_of: dt.date | None = None
) -> EligibilityReport | None:
    unit = Unit.objects.filter(scope_q(user, None), pk=unit_id).first()
    if unit is None or not user.has_perm("appraisal.check_eligibility", unit):
        return None
    return eligibility_for(user=user, subject=unit, as_of=as_of, year=year)


def household_eligibility(
    *, user: User, household_id: int, year: int | None = None, as_of: dt.date | None = None
) -> EligibilityReport | None:
    household = Household.objects.filter(scope_q(user), pk=household_id).select_related("unit").first()
    if household is None or not user.has_perm("appraisal.check_eligibility", household):
        return None
    return eligibility_for(user=user, subject=household, as_of=as_of, year=year)


# ---------------------------------------------------------------------------------------------------
# Discovery: who now meets the mechanical conditions of a higher title or form

# The base titles every higher one builds on. Proposing them is the unit's routine yearly list, not a
# discovery; showing them would bury the few people who have reached something new.
BASE_TITLES = frozenset({"LDTT", "CSTT"})
# The engine's own "not frozen" line is true for almost everyone; as a reason it only adds noise.
_NOT_REASONS = frozenset({"not_frozen"})
# The engine repeats the requirement after what was found ("… (yêu cầu: hoàn thành tốt nhiệm vụ trở
# lên)"); in a one-line reason only what was found matters.
_REQUIREMENT = re.compile(r"\s*\(yêu cầu: [^)]*\)")
_TRAILING_REQUIREMENT = re.compile(r"; yêu cầu: [^)]*\)")


def short_reason(text: str) -> str:
    return _TRAILING_REQUIREMENT.sub(")", _REQUIREMENT.sub("", text))


@dataclass
class DiscoveryFilters:
    year: int
    unit_id: int | None = None
    award: str = ""
    direct_worker: bool = False
    women: bool = False
    minority: bool = False
    remote_area: bool = False

    @property
    def narrowed(self) -> bool:
        return bool(
            self.unit_id
            or self.award
            or self.direct_worker
            or self.women
            or self.minority
            or self.remote_area
        )


# People are read for the rows shown, at least a page (core.http.PAGE_SIZE) at a time.
_PEOPLE_CHUNK = 100


class _Listing:
    """What the rows of one discovery share: the question they answer, and their people, read from the
    database a chunk of rows at a time when first shown (a province-wide list has a thousand rows and a
    page shows 50)."""

    def __init__(
        self,
        evaluator: Evaluator,
        year: int,
        as_of: dt.date,
        person_ids: Sequence[int],
        flagged: Mapping[int, tuple[str, tuple[bool, bool, bool]]],
    ) -> None:
        self.evaluator = evaluator
        self.year = year
        self.as_of = as_of
        self.person_ids = person_ids
        self.flagged = flagged
        self.people: dict[int, Person] = {}
        self.flags: dict[int, list[str]] = {}

    def person(self, index: int) -> Person:
        person_id = self.person_ids[index]
        person = self.people.get(person_id)
        if person is None:
            wanted = set(self.person_ids[index : index + _PEOPLE_CHUNK]) - self.people.keys()
            self.people.update(Person.objects.select_related("unit").in_bulk(wanted))
            person = self.people[person_id]
        return person

    def area_flags(self, unit: Unit) -> list[str]:
        # Per unit, not per row: a unit's flags come from its whole path.
        flags = self.flags.get(unit.pk)
        if flags is None:
            flags = self.flags[unit.pk] = _area_flags(unit, self.flagged)
        return list(flags)


class DiscoveryRow:
    """One eligible (person, award). Its person and its explanation, the explained engine path, are
    built only when a page or an export reads them.

    Slotted and without per-row closures: a page's context is a reference cycle (Django's template
    Context), so every row waits for the cyclic collector, whose full passes grew with the objects
    each row carried."""

    __slots__ = ("_explained", "_histories", "_listing", "award", "award_name", "candidate", "index")

    def __init__(
        self,
        listing: _Listing,
        index: int,
        candidate: Candidate,
        award: str,
        award_name: str,
        histories: dict[Any, Any],
    ) -> None:
        self._listing = listing
        self.index = index
        self.candidate = candidate
        self.award = award
        self.award_name = award_name
        self._histories = histories
        self._explained: Result | None = None

    def __repr__(self) -> str:
        return f"DiscoveryRow(person={self._listing.person_ids[self.index]}, award={self.award!r})"

    @property
    def person(self) -> Person:
        return self._listing.person(self.index)

    @property
    def area_flags(self) -> list[str]:
        return self._listing.area_flags(self.person.unit)

    @property
    def _result(self) -> Result:
        if self._explained is None:
            listing = self._listing
            self._explained = listing.evaluator.evaluate(
                self.candidate, self.award, listing.year, listing.as_of, MERIT, histories=self._histories
            )
        return self._explained

    @property
    def reasons(self) -> list[str]:
        return [
            short_reason(c.text)
            for c in self._result.conditions
            if c.mechanical and c.met and c.code not in _NOT_REASONS
        ]

    @property
    def judgments(self) -> int:
        return sum(1 for c in self._result.conditions if not c.mechanical)

    @property
    def confirmed(self) -> bool:
        return bool(self._result.confirmed)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class Discovery:
    filters: DiscoveryFilters
    rows: list[DiscoveryRow]
    checked: int
    as_of: dt.date
    regime: RegimeInfo
    unit: Unit | None
    unit_choices: list[Unit]
    award_choices: list[tuple[str, str]]
    years: list[int]


@dataclass(frozen=True)
class _Ladder:
    name: str
    category: str
    order: int


def _ladders(library: Library) -> dict[str, _Ladder]:
    """Name, category and rank of every code: the catalogue's legal order ranks titles against titles
    and forms against forms (LĐTT < CSTĐ cơ sở < CSTĐ tỉnh; Giấy khen < Bằng khen tỉnh < ...)."""
    known = {
        code: _Ladder(name, category, order)
        for code, name, category, order in AwardType.objects.values_list("code", "name", "category", "order")
    }
    out = {}
    for index, (code, entry) in enumerate(library.catalogue.items()):
        out[code] = known.get(code) or _Ladder(entry.name, entry.category, 1000 + index)
    return out


_AREA_FLAGS = (
    ("is_border", gettext_lazy("biên giới")),
    ("is_highland", gettext_lazy("vùng cao")),
    ("is_especially_difficult", gettext_lazy("đặc biệt khó khăn")),
)


def _flagged_units() -> dict[int, tuple[str, tuple[bool, bool, bool]]]:
    rows = Unit.objects.filter(
        Q(is_border=True) | Q(is_highland=True) | Q(is_especially_difficult=True)
    ).values_list("id", "path", "is_border", "is_highland", "is_especially_difficult")
    return {pk: (path, (border, highland, difficult)) for pk, path, border, highland, difficult in rows}


def _area_flags(unit: Unit, flagged: Mapping[int, tuple[str, tuple[bool, bool, bool]]]) -> list[str]:
    """The flags of the unit or any unit above it: a school in a border commune is in a border area."""
    have = [False, False, False]
    for unit_id in _path_ids(unit.path):
        found = flagged.get(unit_id)
        if found:
            have = [a or b for a, b in zip(have, found[1], strict=True)]
    return [str(label) for (_f, label), on in zip(_AREA_FLAGS, have, strict=True) if on]


def discovery_unit_choices(user: User, selected: Unit | None) -> list[Unit]:
    # Villages would make the list thousands long; a village reached by a link stays selectable.
    extra = Q(pk=selected.pk) if selected else Q(pk__in=[])
    return list(
        Unit.objects.filter(scope_q(user, None))
        .filter(~Q(kind=UnitKind.VILLAGE) | extra)
        .only("id", "name", "valid_to", "path")
        .order_by("sort_key", "id")
    )


def _discovery_people(user: User, filters: DiscoveryFilters, unit: Unit | None, flagged: Any) -> Any:
    people = Person.objects.filter(scope_q(user), is_active=True)
    if filters.unit_id:
        people = people.filter(unit__path__startswith=unit.path) if unit else people.none()
    if filters.direct_worker:
        people = people.filter(category=PersonCategory.DIRECT_WORKER)
    if filters.women:
        people = people.filter(gender=Gender.FEMALE)
    if filters.minority:
        people = people.exclude(kinh_or_unknown_q())
    if filters.remote_area:
        remote = [path for path, (border, highland, _d) in flagged.values() if border or highland]
        people = people.filter(_subtree_q(remote))
    return people.select_related("unit").order_by("sort_key", "id")


def discovery_codes() -> list[str]:
    """The titles and forms the discovery page looks for: every individual one but the base titles."""
    catalogue = default_evaluator().library.catalogue
    return [c for c, e in catalogue.items() if "individual" in e.recipients and c not in BASE_TITLES]


def _eligible(
    evaluator: Evaluator,
    people: QuerySet[Person],
    codes: Sequence[str],
    ladders: Mapping[str, _Ladder],
    year: int,
    as_of: dt.date,
) -> tuple[int, list[tuple[Candidate, str, dict[Any, Any]]]]:
    """How many people were checked, and (candidate, award, the history its explanations share) of
    every eligible award ranked above what the person already holds for the year, in the order of the
    people, then of `codes`.

    The histories of the people not listed are freed on return, still inside the pause of the cyclic
    collector (`_cyclic_gc_paused`): it then finds only the few listed when it runs again."""
    with _cyclic_gc_paused():
        candidates = candidates_for_people(people, decision_dates=False)
        return len(candidates), _judged(evaluator, candidates, codes, ladders, year, as_of)


def _judged(
    evaluator: Evaluator,
    candidates: Iterable[Candidate],
    codes: Sequence[str],
    ladders: Mapping[str, _Ladder],
    year: int,
    as_of: dt.date,
) -> list[tuple[Candidate, str, dict[Any, Any]]]:
    # What is asked depends only on the highest title and form held for the year: a few combinations
    # for a whole province, each worked out once.
    asked_for: dict[tuple[tuple[str, int], ...], tuple[str, ...]] = {}
    found: list[tuple[Candidate, str, dict[Any, Any]]] = []
    for candidate in candidates:
        held: dict[str, int] = {}
        for record in candidate.awards:
            if record.year == year:
                ladder = ladders.get(record.award)
                if ladder is not None and ladder.order > held.get(ladder.category, -1):
                    held[ladder.category] = ladder.order
        key = tuple(sorted(held.items()))
        asked = asked_for.get(key)
        if asked is None:
            asked = asked_for[key] = tuple(
                code for code in codes if ladders[code].order > held.get(ladders[code].category, -1)
            )
        if not asked:
            continue
        # Verdicts first, in one pass over the person's history; only the eligible rows are listed, and
        # each is explained (its reasons come from the conditions) only when shown or exported.
        verdicts = evaluator.verdicts(candidate, asked, year, as_of, MERIT)
        eligible = [
            code for code, (verdict, _route) in zip(asked, verdicts, strict=True) if verdict == ELIGIBLE
        ]
        if eligible:
            histories: dict[Any, Any] = {}
            found.extend((candidate, code, histories) for code in eligible)
    return found


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a province's histories are read and judged.

    They are hundreds of thousands of small tuples, lists and dicts that form no cycle and are freed
    by reference counting; allocating them made the collector run, in the middle of nearly every
    discovery, a full pass over the whole process's heap (about 50 ms of 300 on the demo province).
    A collector paused elsewhere stays paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def discovery(*, user: User, filters: DiscoveryFilters, as_of: dt.date | None = None) -> Discovery:
    """People of the scope whose verdict is `eligible` (every mechanical condition met on one route) for
    a title or form ranked above what they already hold for the year.

    There is no proposal (dossier) model yet, so "not yet proposed" is read as "not yet awarded for
    that year": someone already holding that award, or a higher one of the same ladder, for the year
    is left out.
    """
    as_of = as_of or timezone.localdate()
    evaluator = default_evaluator()
    library = evaluator.library
    rules = evaluator.rules_on(as_of)
    ladders = _ladders(library)
    codes = discovery_codes()
    award_choices = [(code, ladders[code].name) for code in codes]
    if filters.award:
        codes = [code for code in codes if code == filters.award]
    unit = Unit.objects.filter(scope_q(user, None), pk=filters.unit_id).first() if filters.unit_id else None
    flagged = _flagged_units()
    people_qs = _discovery_people(user, filters, unit, flagged)
    year = filters.year
    checked, found = _eligible(evaluator, people_qs, codes, ladders, year, as_of)
    listing = _Listing(evaluator, year, as_of, [int(c.id) for c, _code, _h in found], flagged)
    rows = [
        DiscoveryRow(listing, index, candidate, code, ladders[code].name, histories)
        for index, (candidate, code, histories) in enumerate(found)
    ]
    return Discovery(
        filters=filters,
        rows=rows,
        checked=checked,
        as_of=as_of,
        regime=_regime_info(rules.regime),
        unit=unit,
        unit_choices=discovery_unit_choices(user, unit),
        award_choices=award_choices,
        years=year_choices(as_of),
    )


# ---------------------------------------------------------------------------------------------------
# The rulebook, described for a specialist


def _names(library: Library) -> Names:
    return Names(
        {c: e.name for c, e in library.catalogue.items()},
        {c: e.category for c, e in library.catalogue.items()},
    )


def _window(years: int) -> str:
    return (
        _("trong năm xét")
        if years == 1
        else _("trong {n} năm tính đến năm xét").format(n=labels.count2(years))
    )


def describe_condition(spec: ConditionSpec, names: Names) -> str:
    """What a rule asks, in Vietnamese, from its check and parameters (the engine renders texts only
    for a result, with the candidate's years; a rulebook reader needs the rule itself)."""
    p = spec.params
    check = spec.check
    if check == "judgment":
        return spec.text or spec.code
    if check == "yearly_run":
        wanted = labels.rating_at_least(p["min_rating"])
        years = p.get("years", 1)
        or_awards = p.get("or_awards", [])
        alt = _(" hoặc đạt {awards}").format(awards=names.any_of(or_awards)) if or_awards else ""
        if years == 1:
            text = _("Năm xét được đánh giá {rating}{alt}").format(rating=wanted, alt=alt)
        else:
            text = _("{n} năm liên tục, tính đến năm xét, được đánh giá {rating}{alt}").format(
                n=labels.count2(years), rating=wanted, alt=alt
            )
        if p.get("missing") == "unknown":
            text += _(" (năm không có kết quả đánh giá thì cần bổ sung, không coi là chưa đạt)")
        return text
    if check == "rating_count":
        return _("Có ít nhất {k} năm được đánh giá {rating} {window}").format(
            k=labels.count2(p["at_least"]),
            rating=labels.rating_at_least(p["min_rating"]),
            window=_window(p["window"]),
        )
    if check == "meets_title":
        text = _("Năm xét đạt {awards}").format(awards=names.any_of(p["awards"]))
        if p.get("or_rating"):
            text += _(" hoặc được đánh giá {rating} (đạt tiêu chuẩn)").format(
                rating=labels.rating_at_least(p["or_rating"])
            )
        return text
    if check == "streak":
        period = p.get("period", 1)
        text = _("{n} lần liên tục đạt {award}, lần gần nhất là năm xét").format(
            n=labels.count2(p["count"]), award=names.of(p["award"])
        )
        if period > 1:
            text += _(" (mỗi lần tính {years} năm)").format(years=labels.count2(period))
        return text
    if check == "award_count":
        return _("Có ít nhất {k} lần đạt {award} {window}").format(
            k=labels.count2(p["at_least"]), award=names.of(p["award"]), window=_window(p["window"])
        )
    if check == "prior_award":
        if p["before_window"] == 1:
            return _("Đã được tặng {award} trước năm xét").format(award=names.of(p["award"]))
        return _("Đã được tặng {award} trước giai đoạn {n} năm đang xét").format(
            award=names.of(p["award"]), n=labels.count2(p["before_window"])
        )
    if check in ("period_run", "period_award_count", "period_rating_count"):
        period = _("thời gian liên tục được đánh giá {rating}, từ sau {since} đến năm xét").format(
            rating=labels.rating_at_least(p["min_rating"]), since=names.any_of(p["since"])
        )
        if check == "period_run":
            return _("Có {period} dài từ {n} năm trở lên").format(period=period, n=labels.count2(p["years"]))
        if check == "period_award_count":
            what = _("đạt {award}").format(award=names.of(p["award"]))
        else:
            rating = p["rating"]
            what = _("được đánh giá {rating}").format(
                rating=labels.RATING_LABELS[rating] if rating == "HTXSNV" else labels.rating_at_least(rating)
            )
        return _("Trong {period}, có ít nhất {k} lần {what}").format(
            period=period, k=labels.count2(p["at_least"]), what=what
        )
    if check == "initiatives":
        types = p.get("types", list(labels.INITIATIVE_TYPE_LABELS))
        kinds = _(" hoặc ").join(
            labels.INITIATIVE_TYPE_LABELS[t] for t in labels.INITIATIVE_TYPE_LABELS if t in types
        )
        scope = labels.SCOPE_LABELS[p["min_scope"]]
        scope_text = (
            _("phạm vi {scope}").format(scope=scope)
            if p["min_scope"] == "toan_quoc"
            else _("phạm vi {scope} trở lên").format(scope=scope)
        )
        same = _(" cùng loại") if p.get("same_type") and p["count"] > 1 else ""
        return _(
            "Có {n} {kinds}{same} được công nhận {scope} {window}, chưa dùng để xét khen thưởng khác"
        ).format(
            n=labels.count2(p["count"]), kinds=kinds, same=same, scope=scope_text, window=_window(p["window"])
        )
    if check == "member_ratio":
        need = _("trên") if p.get("strict") else _("ít nhất")
        return _("Năm xét, tỷ lệ {what} trên tổng số cá nhân {need} {ratio}").format(
            what=labels.MEMBER_STAT_LABELS[p["field"]], need=need, ratio=labels.percent(float(p["min"]))
        )
    if check == "member_count":
        what = labels.MEMBER_STAT_LABELS[p["field"]]
        low, high = p.get("min"), p.get("max")
        if high == 0 and low is None:
            return _("Năm xét không có {what}").format(what=what)
        parts = []
        if low is not None:
            parts.append(_("ít nhất {n}").format(n=labels.count2(low)))
        if high is not None:
            parts.append(_("không quá {n}").format(n=labels.count2(high)))
        return _("Năm xét có {bounds} {what}").format(bounds=", ".join(parts), what=what)
    if check == "bloc_role":
        or_awards = p.get("or_awards", [])
        alt = _(" hoặc đã đạt {awards}").format(awards=names.any_of(or_awards)) if or_awards else ""
        return _("Năm xét là {role} của cụm, khối thi đua{alt}").format(
            role=labels.BLOC_ROLE_LABELS[p["role"]], alt=alt
        )
    if check == "armed_forces":
        return _("Là quân nhân, công an, dân quân thường trực hoặc dân quân tự vệ cơ động")
    if check == "no_rating":
        return _("Không thuộc diện đánh giá, xếp loại trong năm xét (công nhân, nông dân, người lao động)")
    # A check without a description is a programming error, not a text to show: the rulebook page would
    # print a raw code. The system check `appraisal.E001` finds it when the project starts.
    raise ValueError(f"Không có mô tả cho phép kiểm tra `{check}` (điều kiện {spec.code})")


def undescribed_conditions() -> list[str]:
    """Every condition of every rulebook (regimes and the provincial layer) that has no description."""
    library = default_evaluator().library
    names = _names(library)
    missing = []
    for regime in library.regimes:
        for with_province in (False, True):
            rules = library.rules_of(regime, with_province=with_province)
            for award in rules.awards.values():
                for spec in (*award.conditions, *(c for r in award.routes for c in r.conditions)):
                    try:
                        describe_condition(spec, names)
                    except ValueError:
                        missing.append(f"{rules.key}: {award.code}.{spec.code} ({spec.check})")
    return missing


@dataclass
class SourceRef:
    tag: str
    what: str


@dataclass
class CitationView:
    basis: str
    confirmed: bool
    note: str
    sources: list[SourceRef]


def _citation(citation: Citation, library: Library) -> CitationView:
    refs = []
    for tag in citation.sources:
        entry = library.sources.get(tag)
        what = ""
        if isinstance(entry, Mapping):
            grade = entry.get("grade")
            what = str(entry.get("what", "")) + (f" ({_('mức tin cậy')} {grade})" if grade else "")
        refs.append(SourceRef(tag, what))
    return CitationView(citation.basis, citation.confirmed, citation.note or "", refs)


def _recipients_text(recipients: Iterable[str] | None) -> str:
    return ", ".join(labels.RECIPIENT_LABELS[r] for r in recipients or ())


def _kinds_text(kinds: Iterable[str] | None) -> str:
    return ", ".join(labels.KIND_LABELS[k] for k in kinds or ())


@dataclass
class RuleCondition:
    code: str
    text: str
    judgment: bool
    recipients: str
    citation: CitationView
    # False when the condition only repeats its route's (or award's) citation: shown once, above.
    own_citation: bool = True


@dataclass
class RuleRoute:
    id: str
    title: str
    kinds: str
    recipients: str
    judgment: bool
    provincial: bool
    citation: CitationView
    conditions: list[RuleCondition]
    own_citation: bool = True


@dataclass
class BonusLine:
    recipient: str
    coefficient: Decimal
    amount: int | None
    citation: CitationView


@dataclass
class RuleAward:
    code: str
    name: str
    category: str
    recipients: str
    kinds: str
    period: int
    modelled: bool
    provincial: bool
    citation: CitationView
    conditions: list[RuleCondition]
    routes: list[RuleRoute]
    bonuses: list[BonusLine]
    votes: list[str]

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS.get(self.category, ""))

    @property
    def confirmed(self) -> bool:
        return (
            self.citation.confirmed
            and all(c.citation.confirmed for c in self.conditions)
            and all(
                r.citation.confirmed and all(c.citation.confirmed for c in r.conditions) for r in self.routes
            )
        )


PRINCIPLE_LABELS = {
    "recipients": gettext_lazy("Đối tượng được xét tặng từng danh hiệu, hình thức"),
    "kinds": gettext_lazy("Loại hình khen thưởng (công trạng, chuyên đề, đột xuất…)"),
    "freeze": gettext_lazy(
        "Chưa xét khen thưởng khi đang xem xét kỷ luật, điều tra, thanh tra, kiểm tra hoặc xác minh đơn thư"
    ),
    "discipline_reset": gettext_lazy("Thành tích chỉ được tính từ khi chấp hành xong kỷ luật"),
    "one_initiative_one_use": gettext_lazy("Mỗi sáng kiến, đề tài chỉ được dùng một lần để xét khen thưởng"),
    "merit_only": gettext_lazy(
        "Kết quả khen thưởng đột xuất, chuyên đề không dùng làm căn cứ đề nghị khen thưởng công trạng"
    ),
    "next_period": gettext_lazy(
        "Lần đề nghị sau cùng hình thức tính thành tích từ sau lần trước; năm đã tính không tính lại"
    ),
}


@dataclass
class PrincipleLine:
    key: str
    label: str
    citation: CitationView


@dataclass
class SalaryInfo:
    amount: int
    valid_from: dt.date
    citation: CitationView


@dataclass
class BonusRules:
    rounding: int
    rounding_citation: CitationView
    household_multiplier: Decimal
    household_citation: CitationView
    citation: CitationView


@dataclass
class Rulebook:
    day: dt.date
    regime: RegimeInfo
    regimes: list[RegimeInfo]
    province: ProvinceInfo | None
    principles: list[PrincipleLine]
    quotas: list[tuple[str, CitationView]]
    awards: list[RuleAward]
    salary: SalaryInfo | None
    bonus: BonusRules | None
    # What a decision signed that day cites, whole ("Căn cứ …;"), with whether each reading is confirmed.
    decision_bases: list[CitationView] = field(default_factory=list)
    # The provincial layer written for this regime whose own text is not yet in force on the day.
    province_later: ProvinceInfo | None = None
    # Who decides what on the day: each level of authority, the awards its head decides, and the article.
    powers: list[tuple[str, list[str], CitationView]] = field(default_factory=list)


def _rule_condition(spec: ConditionSpec, names: Names, library: Library, parent: Citation) -> RuleCondition:
    return RuleCondition(
        code=spec.code,
        text=describe_condition(spec, names),
        judgment=spec.check == "judgment",
        recipients=_recipients_text(spec.recipients),
        citation=_citation(spec.citation, library),
        own_citation=spec.citation != parent,
    )


def _is_provincial(layer: str) -> bool:
    return layer.startswith("province:")


def _rule_award(
    spec: AwardSpec,
    rules: Rules,
    names: Names,
    library: Library,
    day: dt.date,
    local_names: Mapping[str, str],
) -> RuleAward:
    bonuses = []
    table = rules.regime.bonus
    if table is not None:
        for (code, recipient), coefficient in table.coefficients.items():
            if code != spec.code:
                continue
            try:
                amount: int | None = bonus(library, code, recipient, day).amount
            except BonusError:
                amount = None
            bonuses.append(
                BonusLine(
                    recipient=labels.RECIPIENT_LABELS[recipient],
                    coefficient=coefficient.value,
                    amount=amount,
                    citation=_citation(coefficient.citation, library),
                )
            )
    votes = [
        f"{vote.get('text', '')} ({_('tối thiểu')} {labels.percent(float(vote['min_ratio']))})"
        for vote in rules.council.get("votes", [])
        if spec.code in vote.get("awards", [])
    ]
    return RuleAward(
        code=spec.code,
        name=local_names.get(spec.code, spec.name),
        category=spec.category,
        recipients=_recipients_text(spec.recipients),
        kinds=_kinds_text(spec.kinds),
        period=spec.period,
        modelled=spec.modelled,
        provincial=_is_provincial(spec.layer),
        citation=_citation(spec.citation, library),
        conditions=[_rule_condition(c, names, library, spec.citation) for c in spec.conditions],
        routes=[_rule_route(r, spec, names, library) for r in spec.routes],
        bonuses=bonuses,
        votes=votes,
    )


def _rule_route(route: RouteSpec, award: AwardSpec, names: Names, library: Library) -> RuleRoute:
    return RuleRoute(
        id=route.id,
        title=route.title,
        kinds=_kinds_text(route.kinds or award.kinds),
        recipients=_recipients_text(route.recipients or award.recipients),
        judgment=route.judgment,
        provincial=_is_provincial(route.layer),
        citation=_citation(route.citation, library),
        conditions=[_rule_condition(c, names, library, route.citation) for c in route.conditions],
        own_citation=route.citation != award.citation,
    )


def regimes() -> list[RegimeInfo]:
    return [_regime_info(r) for r in default_evaluator().library.regimes]


def rulebook(*, day: dt.date) -> Rulebook:
    """The rules in force on `day`: the regime, the provincial layer, every award with its routes and
    conditions, and the bonus coefficients with the base salary of that day."""
    library = default_evaluator().library
    rules = library.rules_for(day)
    names = _names(library)
    local_names = award_names()
    salary = library.salary_on(day)
    table = rules.regime.bonus
    return Rulebook(
        day=day,
        decision_bases=[_citation(b.citation, library) for b in library.decision_bases(day)],
        powers=[
            (
                str(AuthorityLevel(p.level).label),
                [local_names.get(code, code) for code in library.catalogue if code in p.awards],
                _citation(p.citation, library),
            )
            for p in library.powers_on(day)
        ],
        regime=_regime_info(rules.regime),
        regimes=[_regime_info(r) for r in library.regimes],
        province=_province_info(rules, local_names),
        province_later=_province_info(library.rules_of(rules.regime), local_names)
        if rules.province is None
        else None,
        principles=[
            PrincipleLine(key, str(PRINCIPLE_LABELS.get(key, key)), _citation(p.citation, library))
            for key, p in rules.regime.principles.items()
        ],
        quotas=[
            (
                _("{award}: không quá {ratio} số cá nhân đạt {base} của đơn vị").format(
                    award=local_names.get(q.award, q.award),
                    ratio=labels.percent(float(q.max_ratio)),
                    base=local_names.get(q.of, q.of),
                ),
                _citation(q.citation, library),
            )
            for q in rules.regime.quotas.values()
        ],
        awards=[
            _rule_award(rules.awards[code], rules, names, library, day, local_names)
            for code in library.catalogue
            if code in rules.awards
        ],
        salary=SalaryInfo(salary.amount, salary.valid_from, _citation(salary.citation, library))
        if salary
        else None,
        bonus=BonusRules(
            rounding=table.rounding,
            rounding_citation=_citation(table.rounding_citation, library),
            household_multiplier=table.household_multiplier,
            household_citation=_citation(table.household_citation, library),
            citation=_citation(table.citation, library),
        )
        if table
        else None,
    )


# ---------------------------------------------------------------------------------------------------
# What changed between two regimes

CHANGE_LABELS = {
    "added": gettext_lazy("Bổ sung"),
    "removed": gettext_lazy("Bãi bỏ"),
    "changed": gettext_lazy("Thay đổi"),
}
PARAM_LABELS = {
    "min_rating": gettext_lazy("mức đánh giá tối thiểu"),
    "years": gettext_lazy("số năm liên tục"),
    "or_awards": gettext_lazy("hoặc danh hiệu"),
    "missing": gettext_lazy("khi thiếu dữ liệu"),
    "at_least": gettext_lazy("số lần, số năm tối thiểu"),
    "window": gettext_lazy("số năm xét"),
    "awards": gettext_lazy("danh hiệu"),
    "or_rating": gettext_lazy("hoặc mức đánh giá"),
    "award": gettext_lazy("danh hiệu, hình thức"),
    "count": gettext_lazy("số lần"),
    "period": gettext_lazy("số năm mỗi lần"),
    "before_window": gettext_lazy("số năm của giai đoạn sau"),
    "min_scope": gettext_lazy("phạm vi tối thiểu"),
    "types": gettext_lazy("loại sáng kiến, đề tài"),
    "same_type": gettext_lazy("cùng loại"),
    "field": gettext_lazy("chỉ số"),
    "min": gettext_lazy("tối thiểu"),
    "max": gettext_lazy("tối đa"),
    "strict": gettext_lazy("lớn hơn hẳn"),
    "role": gettext_lazy("vai trò"),
}


@dataclass
class Change:
    action: str
    subject: str
    before: str = ""
    after: str = ""
    details: list[str] = field(default_factory=list)
    # Only the article or its confirmation changed, not what the rule asks: listed after real changes.
    citation_only: bool = False

    @property
    def action_label(self) -> str:
        return str(CHANGE_LABELS[self.action])


@dataclass
class ChangeGroup:
    title: str
    changes: list[Change]

    def __post_init__(self) -> None:
        self.changes.sort(key=lambda change: change.citation_only)


@dataclass
class RegimeComparison:
    old: RegimeInfo
    new: RegimeInfo
    groups: list[ChangeGroup]
    regimes: list[RegimeInfo]
    invalid: bool = False

    @property
    def same(self) -> bool:
        return self.old.id == self.new.id

    @property
    def count(self) -> int:
        return sum(len(g.changes) for g in self.groups)


def _value_text(key: str, value: Any, names: Names) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(_value_text(key, v, names) for v in value) or "—"
    if key in ("award", "awards", "or_awards"):
        return names.names.get(value, value)
    if key in ("min_rating", "or_rating"):
        return labels.RATING_LABELS.get(value, value)
    if key == "min_scope":
        return labels.SCOPE_LABELS.get(value, value)
    if key == "types":
        return labels.INITIATIVE_TYPE_LABELS.get(value, value)
    if key == "field":
        return labels.MEMBER_STAT_LABELS.get(value, value)
    if key == "role":
        return labels.BLOC_ROLE_LABELS.get(value, value)
    if isinstance(value, float) and key in ("min",):
        return labels.percent(value)
    return str(value)


def _cited(text: str, citation: Citation) -> str:
    mark = "" if citation.confirmed else _(" – chưa xác nhận")
    return f"{text} ({citation.basis}{mark})"


def _basis(citation: Citation) -> str:
    return citation.basis + ("" if citation.confirmed else _(" (chưa xác nhận)"))


def _citation_changed(old: Citation, new: Citation) -> bool:
    return old.basis != new.basis or old.confirmed != new.confirmed


def _compare_conditions(
    old: Sequence[ConditionSpec], new: Sequence[ConditionSpec], names: Names, where: str
) -> list[Change]:
    changes = []
    old_by = {c.code: c for c in old}
    new_by = {c.code: c for c in new}
    for code, spec in old_by.items():
        if code not in new_by:
            changes.append(
                Change("removed", where, before=_cited(describe_condition(spec, names), spec.citation))
            )
    for code, spec in new_by.items():
        before = old_by.get(code)
        if before is None:
            changes.append(
                Change("added", where, after=_cited(describe_condition(spec, names), spec.citation))
            )
            continue
        details = [
            f"{PARAM_LABELS.get(key, key)}: {_value_text(key, before.params.get(key), names)} → "
            f"{_value_text(key, spec.params.get(key), names)}"
            for key in dict.fromkeys((*before.params, *spec.params))
            if before.params.get(key) != spec.params.get(key)
        ]
        old_text, new_text = describe_condition(before, names), describe_condition(spec, names)
        if (
            details
            or before.check != spec.check
            or old_text != new_text
            or _citation_changed(before.citation, spec.citation)
        ):
            changes.append(
                Change(
                    "changed",
                    where,
                    before=_cited(old_text, before.citation),
                    after=_cited(new_text, spec.citation),
                    details=details,
                    citation_only=not details and before.check == spec.check and old_text == new_text,
                )
            )
    return changes


def _route_summary(route: RouteSpec, names: Names) -> str:
    conditions = "; ".join(describe_condition(c, names) for c in route.conditions)
    return _cited(f"{route.title}: {conditions}", route.citation)


def _compare_awards(old: AwardSpec, new: AwardSpec, names: Names) -> list[Change]:
    subject = _("Tiêu chuẩn")
    if not old.modelled and not new.modelled:
        return []
    if not old.modelled:
        titles = "; ".join(r.title for r in new.routes)
        return [Change("added", subject, before=old.citation.note or "", after=_cited(titles, new.citation))]
    if not new.modelled:
        titles = "; ".join(r.title for r in old.routes)
        return [
            Change("removed", subject, before=_cited(titles, old.citation), after=new.citation.note or "")
        ]
    changes = []
    if _citation_changed(old.citation, new.citation):
        changes.append(
            Change("changed", _("Căn cứ"), before=_basis(old.citation), after=_basis(new.citation))
        )
    if set(old.kinds) != set(new.kinds):
        changes.append(
            Change(
                "changed",
                _("Loại hình khen thưởng"),
                before=_kinds_text(old.kinds),
                after=_kinds_text(new.kinds),
            )
        )
    if old.period != new.period:
        changes.append(
            Change("changed", _("Số năm tính thành tích"), before=str(old.period), after=str(new.period))
        )
    changes += _compare_conditions(old.conditions, new.conditions, names, _("Điều kiện chung"))
    old_routes = {r.id: r for r in old.routes}
    new_routes = {r.id: r for r in new.routes}
    for route_id, route in old_routes.items():
        if route_id not in new_routes:
            changes.append(Change("removed", _("Hướng xét"), before=_route_summary(route, names)))
    for route_id, route in new_routes.items():
        before = old_routes.get(route_id)
        where = _("Hướng xét “{title}”").format(title=route.title)
        if before is None:
            changes.append(Change("added", _("Hướng xét"), after=_route_summary(route, names)))
            continue
        if before.title != route.title:
            changes.append(Change("changed", _("Tên hướng xét"), before=before.title, after=route.title))
        if (before.kinds or old.kinds) != (route.kinds or new.kinds) or before.judgment != route.judgment:
            changes.append(
                Change(
                    "changed",
                    where,
                    before=_kinds_text(before.kinds or old.kinds)
                    + (_("; cần người thẩm định") if before.judgment else ""),
                    after=_kinds_text(route.kinds or new.kinds)
                    + (_("; cần người thẩm định") if route.judgment else ""),
                )
            )
        changes += _compare_conditions(before.conditions, route.conditions, names, where)
    return changes


def _compare_principles(old: Mapping[str, Principle], new: Mapping[str, Principle]) -> list[Change]:
    changes = []
    for key in dict.fromkeys((*old, *new)):
        label = str(PRINCIPLE_LABELS.get(key, key))
        a, b = old.get(key), new.get(key)
        if a is None and b is not None:
            changes.append(Change("added", label, after=_basis(b.citation)))
        elif b is None and a is not None:
            changes.append(Change("removed", label, before=_basis(a.citation)))
        elif (
            a is not None
            and b is not None
            and (_citation_changed(a.citation, b.citation) or a.params != b.params)
        ):
            changes.append(Change("changed", label, before=_basis(a.citation), after=_basis(b.citation)))
    return changes


def _coefficient_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}".replace(".", ",")


def _compare_bonus(old: Regime, new: Regime, names: Mapping[str, str]) -> list[Change]:
    old_table = old.bonus.coefficients if old.bonus else {}
    new_table = new.bonus.coefficients if new.bonus else {}
    changes = []
    if (old.bonus is None) != (new.bonus is None):
        changes.append(
            Change(
                "added" if new.bonus else "removed",
                _("Bảng hệ số tiền thưởng"),
                before=_basis(old.bonus.citation) if old.bonus else "",
                after=_basis(new.bonus.citation) if new.bonus else "",
            )
        )
    for key in dict.fromkeys((*old_table, *new_table)):
        code, recipient = key
        subject = f"{names.get(code, code)} ({labels.RECIPIENT_LABELS[recipient]})"
        a, b = old_table.get(key), new_table.get(key)
        if a is None and b is not None:
            changes.append(Change("added", subject, after=_cited(_coefficient_text(b.value), b.citation)))
        elif b is None and a is not None:
            changes.append(Change("removed", subject, before=_cited(_coefficient_text(a.value), a.citation)))
        elif (
            a is not None
            and b is not None
            and (a.value != b.value or _citation_changed(a.citation, b.citation))
        ):
            changes.append(
                Change(
                    "changed",
                    subject,
                    before=_cited(_coefficient_text(a.value), a.citation),
                    after=_cited(_coefficient_text(b.value), b.citation),
                    details=[] if a.value != b.value else [_("Hệ số giữ nguyên")],
                    citation_only=a.value == b.value,
                )
            )
    return changes


def _votes(council: Mapping[str, Any]) -> dict[str, float]:
    return {code: float(v["min_ratio"]) for v in council.get("votes", []) for code in v.get("awards", [])}


def compare_regimes(*, old_id: str = "", new_id: str = "", day: dt.date | None = None) -> RegimeComparison:
    """What changed from one regime to another: awards, routes and conditions added, removed or with
    other parameters; principles; the old quota; bonus coefficients; the Council's vote thresholds.
    Each side is read with the provincial layer it is applied with. Without ids (or with an unknown
    one), the regime in force on `day` is compared with the one before it."""
    library = default_evaluator().library
    ordered = list(library.regimes)
    by_id = {r.id: r for r in ordered}
    current = library.regime_for(day or timezone.localdate())
    position = next(i for i, r in enumerate(ordered) if r.id == current.id)
    invalid = bool((old_id and old_id not in by_id) or (new_id and new_id not in by_id))
    old_regime = by_id.get(old_id) or ordered[max(position - 1, 0)]
    new_regime = by_id.get(new_id) or current
    old_rules, new_rules = library.rules_of(old_regime), library.rules_of(new_regime)
    names = _names(library)
    local_names = award_names()
    groups = []
    principles = _compare_principles(old_regime.principles, new_regime.principles)
    for code in dict.fromkeys((*old_regime.quotas, *new_regime.quotas)):
        a, b = old_regime.quotas.get(code), new_regime.quotas.get(code)
        subject = _("Tỷ lệ tối đa {award}").format(award=local_names.get(code, code))
        if a and not b:
            principles.append(
                Change("removed", subject, before=_cited(labels.percent(float(a.max_ratio)), a.citation))
            )
        elif b and not a:
            principles.append(
                Change("added", subject, after=_cited(labels.percent(float(b.max_ratio)), b.citation))
            )
        elif a and b and a.max_ratio != b.max_ratio:
            principles.append(
                Change(
                    "changed",
                    subject,
                    before=_cited(labels.percent(float(a.max_ratio)), a.citation),
                    after=_cited(labels.percent(float(b.max_ratio)), b.citation),
                )
            )
    if principles:
        groups.append(ChangeGroup(_("Nguyên tắc chung"), principles))
    old_province = old_rules.province.id if old_rules.province else None
    new_province = new_rules.province.id if new_rules.province else None
    if old_province != new_province:
        groups.append(
            ChangeGroup(
                _("Lớp quy định của tỉnh"),
                [
                    Change(
                        "changed",
                        _("Áp dụng"),
                        before=old_rules.province.regulation if old_rules.province else _("không áp dụng"),
                        after=new_rules.province.regulation if new_rules.province else _("không áp dụng"),
                    )
                ],
            )
        )
    for code in library.catalogue:
        old_spec, new_spec = old_rules.awards.get(code), new_rules.awards.get(code)
        if old_spec is None or new_spec is None:
            continue
        award_changes = _compare_awards(old_spec, new_spec, names)
        if award_changes:
            groups.append(ChangeGroup(local_names.get(code, new_spec.name), award_changes))
    bonus_changes = _compare_bonus(old_regime, new_regime, local_names)
    if bonus_changes:
        groups.append(ChangeGroup(_("Hệ số tiền thưởng"), bonus_changes))
    old_votes, new_votes = _votes(old_rules.council), _votes(new_rules.council)
    vote_changes = []
    for code in dict.fromkeys((*old_votes, *new_votes)):
        was, now = old_votes.get(code), new_votes.get(code)
        if was != now:
            vote_changes.append(
                Change(
                    "added" if was is None else "removed" if now is None else "changed",
                    local_names.get(code, code),
                    before=labels.percent(was) if was is not None else "",
                    after=labels.percent(now) if now is not None else "",
                )
            )
    old_cite, new_cite = old_rules.council.get("votes_citation"), new_rules.council.get("votes_citation")
    if old_cite != new_cite and (old_cite or new_cite):
        vote_changes.append(
            Change(
                "changed",
                _("Căn cứ tỷ lệ phiếu"),
                before=str((old_cite or {}).get("basis", "")),
                after=str((new_cite or {}).get("basis", "")),
                citation_only=True,
            )
        )
    if vote_changes:
        groups.append(ChangeGroup(_("Tỷ lệ phiếu của Hội đồng"), vote_changes))
    return RegimeComparison(
        old=_regime_info(old_regime),
        new=_regime_info(new_regime),
        groups=groups,
        regimes=[_regime_info(r) for r in ordered],
        invalid=invalid,
    )
