"""Discovery: the people of a scope who now meet the mechanical conditions of a title or form above what
they hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.appraisal.candidates import MERIT, _path_ids, _subtree_q, candidates_for_people
from thidua.appraisal.panel import RegimeInfo, _regime_info, year_choices
from thidua.awards.models import (
    AwardType,
)
from thidua.core.memory import cyclic_gc_paused
from thidua.eligibility.engine import (
    ELIGIBLE,
    Evaluator,
    Result,
    default_evaluator,
)
from thidua.eligibility.model import Candidate
from thidua.eligibility.rulebook import (
    Library,
)
from thidua.organisation.models import (
    Gender,
    Person,
    PersonCategory,
    Unit,
    UnitKind,
)
from thidua.organisation.selectors import kinh_or_unknown_q

# ---------------------------------------------------------------------------------------------------
# Discovery: who now meets the mechanical conditions of a higher title or form

# The base titles every higher one builds on. Proposing them is the unit's routine yearly list, not a
# discovery; showing them would bury the few people who have reached something new.
BASE_TITLES = frozenset({"LDTT", "CSTT"})
# The engine's own "not frozen" line is true for almost everyone; as a reason it only adds noise.
_NOT_REASONS = frozenset({"not_frozen"})


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
        # In a one-line reason only what was found matters, not the requirement the engine repeats
        # after it ("… (yêu cầu: hoàn thành tốt nhiệm vụ trở lên)").
        return [
            c.found_text
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
    collector (`core.memory.cyclic_gc_paused`): it then finds only the few listed when it runs again."""
    with cyclic_gc_paused():
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
