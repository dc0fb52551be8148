"""The registry read as the eligibility engine's candidates.

The engine (`thidua/eligibility`) is plain Python and knows nothing of the database; this module turns
registry rows into its candidates. Candidates are built in bulk: one query per kind of history (ratings,
award records, initiative uses, initiatives, discipline, investigations) whatever the number of people,
grouped in Python, so the discovery page over a whole province costs the same number of queries as over
one department.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from thidua.awards.models import (
    AwardRecord,
    AwardType,
    Decision,
    Discipline,
    Initiative,
    Investigation,
    YearlyRating,
)
from thidua.eligibility.model import AwardRecord as EngineAward
from thidua.eligibility.model import Candidate, MemberStats, Pending
from thidua.eligibility.model import Discipline as EngineDiscipline
from thidua.eligibility.model import Initiative as EngineInitiative
from thidua.organisation.models import (
    BlocMembership,
    Household,
    Person,
    PositionHistory,
    Unit,
)

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

    def facts() -> Iterator[tuple[int, int, str, int, int, str, int | None, tuple[str, ...]]]:
        for record_id, owner_id, type_id, year, kind, *decision in rows:
            code, order = types[type_id]
            decision_id = decision[0] if decision else None
            yield owner_id, type_id, code, order, year, kind, decision_id, uses.get(record_id, ())

    return _grouped_awards(facts(), decided)


def _grouped_awards(
    facts: Iterable[tuple[int, int, str, int, int, str, int | None, tuple[str, ...]]],
    dates: dict[int, dt.date] | None = None,
) -> dict[int, tuple[EngineAward, ...]]:
    """(recipient, type id, code, catalogue order, year, kind, decision id, initiatives used) per record
    -> each recipient's engine records in the registry's order: the latest year first, then the
    catalogue's order, then the first seen (which also keeps two alike records of a recipient apart
    without comparing them). Records alike (one decision awards a whole list) share one frozen engine
    record. Both readers, the bulk one and the one-person one, group here."""
    made: dict[tuple[Any, ...], tuple[int, int, int, EngineAward]] = {}
    grouped: dict[int, list[tuple[int, int, int, EngineAward]]] = defaultdict(list)
    for owner_id, type_id, code, order, year, kind, decision_id, initiatives in facts:
        key = (type_id, year, kind, initiatives, decision_id)
        award = made.get(key)
        if award is None:
            when = dates.get(decision_id) if dates is not None and decision_id is not None else None
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


def _awards_of_one(owner: str, key: int) -> tuple[EngineAward, ...]:
    """`_engine_awards` for a single recipient, from one query instead of four: for one recipient's
    few records, joining the type, the decision's date and the initiatives used costs less than a
    query each (the bulk reader avoids those joins for a province's tens of thousands of records)."""
    used: dict[int, list[int]] = defaultdict(list)
    facts: dict[int, tuple[Any, ...]] = {}
    dates: dict[int, dt.date] = {}
    for record_id, type_id, code, order, year, kind, decision_id, when, initiative_id in (
        AwardRecord.objects.filter(**{owner: key}, revoked_on__isnull=True)
        .order_by("id")
        .values_list(
            "id",
            "award_type_id",
            "award_type__code",
            "award_type__order",
            "year",
            "kind",
            "decision_id",
            "decision__date",
            "initiatives",
        )
    ):
        facts[record_id] = (type_id, code, order, year, kind, decision_id)
        dates[decision_id] = when
        if initiative_id is not None:
            used[record_id].append(initiative_id)
    grouped = _grouped_awards(
        (
            (key, *fact, tuple(str(i) for i in sorted(used.get(record_id, ()))))
            for record_id, fact in facts.items()
        ),
        dates,
    )
    return grouped.get(key, ())


def candidate_for_person(person: Person) -> Candidate:
    """The candidate `candidates_for_people([person])` makes, from five queries instead of eight (the
    profile's panel asks for one person at a time); three for a person read through
    `organisation.selectors.person_with_record_flags` with no discipline or investigation."""
    pk = person.pk
    # Without the flags (a person read otherwise), both lists are read.
    disciplines = getattr(person, "has_disciplines", True)
    investigations = getattr(person, "has_investigations", True)
    return Candidate(
        id=str(pk),
        kind="individual",
        gender=person.gender or None,
        unit=str(person.unit_id),
        ratings=dict(YearlyRating.objects.filter(person_id=pk).order_by().values_list("year", "rating")),
        awards=_awards_of_one("person_id", pk),
        initiatives=tuple(
            EngineInitiative(str(i), year, scope, kind)
            for i, year, scope, kind in Initiative.objects.filter(person_id=pk).values_list(
                "id", "year", "scope", "type"
            )
        ),
        discipline=tuple(
            EngineDiscipline(start, end, level)
            for start, end, level in Discipline.objects.filter(person_id=pk).values_list(
                "start_date", "end_date", "level"
            )
        )
        if disciplines
        else (),
        pending=tuple(
            Pending(reason=reason, since=since, until=closed)
            for reason, since, closed in Investigation.objects.filter(person_id=pk).values_list(
                "reason", "since", "closed_on"
            )
        )
        if investigations
        else (),
    )


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


# A position as the member statistics read it: (start, end, unit path, id); None for an unknown start
# or a position still held.
_Span = tuple[dt.date | None, dt.date | None, str, int]


def _unit_of_year(spans: Sequence[_Span], year: int) -> str | None:
    """The path of the unit a person belongs to in `year`: the position held on 31 December (the
    latest started if several), else, for a person who left during the year, the last one held in it."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if len(spans) == 1:
        # Most people have held one position: it is theirs in any year it touches.
        start, end, where, _id = spans[0]
        return where if (start is None or start <= last) and (end is None or end >= first) else None
    held = [s for s in spans if (s[0] is None or s[0] <= last) and (s[1] is None or s[1] >= first)]
    if not held:
        return None
    at_review = [s for s in held if s[1] is None or s[1] >= last]
    if at_review:
        return max(at_review, key=lambda s: (s[0] or dt.date.min, s[3]))[2]
    return max(held, key=lambda s: (s[1] or dt.date.max, s[0] or dt.date.min, s[3]))[2]


def _spans_of(positions: Sequence[_Span], current_path: str, active: bool) -> tuple[list[_Span], bool]:
    """A person's positions, with the current unit standing in for the position not recorded: for a
    person still working with no position open, from the day after the last one ended (every year if
    none is recorded). The flag is true for a person who left with no position recorded, who counts
    only in the years of their own ratings and awards."""
    spans = list(positions)
    if active and not any(end is None for _start, end, _path, _id in spans):
        ends = [end for _start, end, _path, _id in spans if end is not None]
        spans.append((max(ends) + dt.timedelta(days=1) if ends else None, None, current_path, 0))
    elif not spans:
        return [(None, None, current_path, 0)], True
    return spans, False


def member_stats_for_units(units: Sequence[Unit]) -> dict[int, dict[int, MemberStats]]:
    """Per unit and year, the statistics of the people who belonged that year to its subtree (the unit
    and its sub-units), from a constant number of queries whatever the number of units and people.

    A person belongs in a year to the unit of the position (`PositionHistory`, quá trình công tác) held
    on 31 December of it, the time of the annual review; one who left during the year, to the unit of
    the last position held in it; one with no position that year, to none. The current unit stands in for
    a position not recorded: for a person still working whose positions are all closed, from the day
    after the last one ended; for one with no position at all, in every year; for one with no position
    who has left, in the years they have a rating or an award (the registry's reading before positions
    were kept). A year appears only when someone belonging to the subtree that year has a rating or an
    award in it: without any data the engine answers "unknown", not a ratio of zero.
    """
    if not units:
        return {}
    wanted = {u.pk for u in units}
    subtree = _subtree_q(u.path for u in units)
    # Whoever works in the subtree now or held a position in it at some time; their positions elsewhere
    # are read too, since they say in which years a person was not in it.
    held_there = PositionHistory.objects.filter(subtree).values("person_id")
    members = Person.objects.filter(subtree | Q(pk__in=held_there))
    keys = members.values("pk")
    people = list(members.values_list("id", "unit__path", "is_active"))
    positions: dict[int, list[_Span]] = defaultdict(list)
    for pid, path, start, end, pk in PositionHistory.objects.filter(person_id__in=keys).values_list(
        "person_id", "unit__path", "start_date", "end_date", "id"
    ):
        positions[pid].append((start, end, path, pk))
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

    years = sorted(set().union(*years_of.values())) if years_of else []
    owners_of_path: dict[str, list[int]] = {}
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    with_data: set[tuple[int, int]] = set()
    for pid, current_path, active in people:
        spans, own_years_only = _spans_of(positions.get(pid, ()), current_path, active)
        own_years = years_of.get(pid, set())
        for year in own_years if own_years_only else years:
            where = _unit_of_year(spans, year)
            if where is None:
                continue
            owners = owners_of_path.get(where)
            if owners is None:
                owners = owners_of_path[where] = [u for u in _path_ids(where) if u in wanted]
            if not owners:
                continue
            codes = titles.get((pid, year), set())
            row_values = (
                1,
                bool(codes & LDTT_OR_ABOVE),
                bool(codes & CSTDCS_OR_ABOVE),
                rating_of.get((pid, year)) in _RATED_DONE,
                any(start.year <= year and (end is None or end.year >= year) for start, end in serious[pid]),
            )
            for unit_id in owners:
                row = counts[(unit_id, year)]
                for k, value in enumerate(row_values):
                    row[k] += value
                if year in own_years:
                    with_data.add((unit_id, year))
    out: dict[int, dict[int, MemberStats]] = defaultdict(dict)
    for (unit_id, year), (total, ldtt, cstdcs, done, disciplined) in counts.items():
        if (unit_id, year) not in with_data:
            continue
        out[unit_id][year] = MemberStats(
            total=total,
            ldtt=ldtt,
            cstdcs=cstdcs,
            completed_tasks=done,
            disciplined_canh_cao_or_above=disciplined,
        )
    return out


def _led_from_published_rankings(keys: Any) -> dict[int, dict[int, bool]]:
    """unit id → year → whether a published ranking of its bloc put it first alone: the bloc's leading
    unit (tập thể dẫn đầu, Luật 2022 Điều 26 khoản 1), read by the engine's `bloc_ranking` check; the
    rotating khối trưởng (`bloc_roles`) is a different thing and stays as recorded (issue 11, item 5). A
    unit ranked in two blocs in one year led if it led either."""
    from thidua.blocs.models import RankingEntry
    from thidua.blocs.workflow import SheetState

    published = RankingEntry.objects.filter(sheet__state=SheetState.PUBLISHED)
    mine = published.filter(unit_id__in=keys)
    firsts: dict[int, list[int]] = defaultdict(list)
    for sheet_id, unit_id in published.filter(rank=1, sheet_id__in=mine.values("sheet_id")).values_list(
        "sheet_id", "unit_id"
    ):
        firsts[sheet_id].append(unit_id)
    led: dict[int, dict[int, bool]] = defaultdict(dict)
    for sheet_id, year, unit_id in mine.values_list("sheet_id", "sheet__year", "unit_id"):
        led[unit_id][year] = led[unit_id].get(year, False) or firsts[sheet_id] == [unit_id]
    return led


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
    led = _led_from_published_rankings(keys)
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
            bloc_led=led.get(u.pk, {}),
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
