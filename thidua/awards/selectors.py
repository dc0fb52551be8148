"""Reads of the award registry: search, decisions, the catalogue, each limited to the user's scope."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.awards.models import AwardRecord, AwardType, Decision, RecordSource
from thidua.core.text import fold
from thidua.organisation.models import Household, Person, Unit

# More words than this is a pasted paragraph, not a search; the extra words would only slow the scan.
MAX_SEARCH_TOKENS = 8


def initiative_in_use() -> Exists:
    """For an initiative row (OuterRef "pk"): an award still standing rests on it. One initiative serves
    one award only (Công văn 5007/BNV-TĐKT); a revoked award frees it. As a correlated EXISTS it probes
    the few rows of that initiative, where a NOT IN over every use read the whole table of uses on every
    dossier page (26 ms on PostgreSQL for the demo province)."""
    return Exists(
        AwardRecord.initiatives.through.objects.filter(
            initiative_id=OuterRef("pk"), awardrecord__revoked_on__isnull=True
        )
    )


def search_tokens(query: str | None) -> list[str]:
    return fold(query).split()[:MAX_SEARCH_TOKENS]


# PostgreSQL's trigram index finds a word only through a run of three letters or digits in it.
_TRIGRAM = re.compile(r"[^\W_]{3}")


def tokens_q(tokens: list[str], field_name: str = "search_text") -> Q:
    """Every word must occur in the folded text, in any order ("duc nguyen" finds "Nguyễn Văn Đức").

    A word of one or two letters ("lo", "y") is tested with strpos()/instr(), which no index serves: as a
    LIKE, PostgreSQL would read the whole trigram index to find nothing narrower than every row, then
    recheck each one (95 ms for "pa ly" at 140,000 people, against 20 ms for a plain scan).
    """
    condition = Q()
    for token in tokens:
        if _TRIGRAM.search(token):
            condition &= Q(**{f"{field_name}__contains": token})
        else:
            condition &= Q(GreaterThan(StrIndex(field_name, Value(token)), 0))
    return condition


def record_scope_q(user: User, prefix: str = "") -> Q:
    """Award records whose recipient (person, collective or household) lies inside the user's scope."""
    if user.is_province_wide:
        return Q()
    # scope_q(...) | scope_q(...) would collapse to "no filter" for an empty Q, hence the early return.
    return (
        scope_q(user, f"{prefix}person__unit")
        | scope_q(user, f"{prefix}unit")
        | scope_q(user, f"{prefix}household__unit")
    )


def decision_scope_q(user: User) -> Q:
    """Unit staff see a decision only if it awards someone in their scope or was issued inside it."""
    if user.is_province_wide:
        return Q()
    if user.unit is None:
        return Q(pk__in=[])
    touching = AwardRecord.objects.filter(record_scope_q(user)).values("decision_id")
    return Q(issuer_unit__path__startswith=user.unit.path) | Q(pk__in=touching)


# Past this many hits a section says "1.000+": counting every match of a common name ("nguyen") would
# cost a full scan on every keystroke, and nobody reads past the first page of a search.
COUNT_CAP = 1000


@dataclass
class SearchSection:
    items: list[Any] = field(default_factory=list)
    count: int = 0
    capped: bool = False

    @property
    def has_more(self) -> bool:
        return self.count > len(self.items)

    @property
    def count_label(self) -> str:
        """The count as shown: 1.234, or 1.000+ past the cap."""
        return intcomma(self.count) + ("+" if self.capped else "")


@dataclass
class SearchResults:
    query: str
    tokens: list[str]
    people: SearchSection
    units: SearchSection
    households: SearchSection
    decisions: SearchSection

    @property
    def total(self) -> int:
        return self.people.count + self.units.count + self.households.count + self.decisions.count

    @property
    def total_capped(self) -> bool:
        return any(s.capped for s in (self.people, self.units, self.households, self.decisions))


def _section(matches: QuerySet[Any], order: tuple[str, ...], limit: int) -> SearchSection:
    """The first `limit` matches in `order`, and how many match up to the cap, reading the table once.

    The ids of the matches come first, unordered and stopping at the cap: that is the count, and the
    only scan when there are few (a full name, a unit, a decision number); SQLite reads them from the
    narrow search-text index rather than the table. Up to the cap, the rows shown are then read by id;
    past it the matches are common, and walking the sort order finds the first ones at once. (Reading
    the page in order and then counting scanned twice whenever a page was full, and on SQLite an ORDER BY
    sort_key with few matches walked the whole sort-key index: 180 ms at 140,000 people.)
    """
    ids = list(matches.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
    if not ids:
        return SearchSection()
    capped = len(ids) > COUNT_CAP
    shown = matches if capped else matches.filter(pk__in=ids)
    items = list(shown.order_by(*order)[:limit])
    return SearchSection(items=items, count=min(len(ids), COUNT_CAP), capped=capped)


def search(*, user: User, query: str, limit: int = 20) -> SearchResults:
    """People, collectives, households and decisions whose folded text holds every word of the query."""
    tokens = search_tokens(query)
    if not tokens:
        return SearchResults(query, [], SearchSection(), SearchSection(), SearchSection(), SearchSection())
    match = tokens_q(tokens)
    people = Person.objects.filter(scope_q(user), match).select_related("unit")
    units = Unit.objects.filter(scope_q(user, None), match).select_related("parent")
    households = Household.objects.filter(scope_q(user), match).select_related("unit")
    decisions = Decision.objects.filter(decision_scope_q(user), match).select_related("issuer_unit")
    by_name = ("sort_key", "id")
    return SearchResults(
        query=query,
        tokens=tokens,
        people=_section(people, by_name, limit),
        units=_section(units, by_name, limit),
        households=_section(households, by_name, limit),
        decisions=_section(decisions, ("-date", "number", "id"), limit),
    )


@dataclass
class DecisionFilters:
    q: str = ""
    year: int | None = None


@dataclass
class DecisionListing:
    decisions: QuerySet[Decision]
    # The same decisions without the records' count: what counting them needs (a count of the annotated
    # rows groups every award record by decision, 13 ms on the demo against 1 ms).
    matching: QuerySet[Decision]
    visible: QuerySet[Decision]

    @cached_property
    def years(self) -> list[int]:
        """The filter bar's years, read only by the page that shows it (not by an export)."""
        return [d.year for d in self.visible.dates("date", "year", order="DESC")]


def decision_list(*, user: User, filters: DecisionFilters) -> DecisionListing:
    """Decisions newest first, each with the number of its records the user may see."""
    visible = Decision.objects.filter(decision_scope_q(user))
    matching = visible
    tokens = search_tokens(filters.q)
    if tokens:
        matching = matching.filter(tokens_q(tokens))
    if filters.year:
        matching = matching.filter(date__year=filters.year)
    decisions = matching.select_related("issuer_unit")
    if user.is_province_wide:
        decisions = decisions.annotate(record_count=Count("records"))
    else:
        decisions = decisions.annotate(
            record_count=Count("records", filter=record_scope_q(user, "records__"))
        )
    return DecisionListing(
        decisions=decisions.order_by("-date", "number", "id"), matching=matching, visible=visible
    )


@dataclass
class DecisionDetail:
    decision: Decision
    records: list[AwardRecord]
    # Lines of the decision outside the user's scope: counted so the list does not look complete.
    hidden_count: int
    total_bonus: int
    # Issued here through the decision step of dossiers, so the system can print its paper. A decision
    # imported or entered by hand (of the President, the Prime Minister, a ministry, or an old paper of the
    # province) is shown as its stored record only: a regenerated paper would be headed by the province.
    generated: bool = False


def decision_detail(*, user: User, decision_id: int) -> DecisionDetail | None:
    decision = (
        Decision.objects.filter(decision_scope_q(user), pk=decision_id).select_related("issuer_unit").first()
    )
    if decision is None:
        return None
    all_records = AwardRecord.objects.filter(decision=decision)
    records = list(
        all_records.filter(record_scope_q(user))
        .select_related("award_type", "person__unit", "unit", "household__unit")
        .order_by(
            "award_type__order", "person__sort_key", "unit__sort_key", "household__sort_key", "year", "id"
        )
    )
    hidden = 0 if user.is_province_wide else all_records.count() - len(records)
    total_bonus = sum(r.bonus_amount or 0 for r in records)
    return DecisionDetail(
        decision=decision,
        records=records,
        hidden_count=hidden,
        total_bonus=total_bonus,
        generated=decision.source == RecordSource.SYSTEM and decision.dossiers.exists(),
    )


@dataclass
class RecordFilters:
    recipient_kind: str = ""  # individual, collective, household ("" with recipient_id: ignored)
    recipient_id: int | None = None
    year: int | None = None
    award_code: str = ""
    decision_id: int | None = None


_RECIPIENT_FIELD = {"individual": "person_id", "collective": "unit_id", "household": "household_id"}


def record_list(*, user: User, filters: RecordFilters) -> QuerySet[AwardRecord]:
    """Award records whose recipient lies in the user's scope (as the registry pages), newest first,
    each with its award, decision and recipient read in the same query."""
    records = AwardRecord.objects.filter(record_scope_q(user))
    if filters.recipient_id is not None and filters.recipient_kind in _RECIPIENT_FIELD:
        records = records.filter(**{_RECIPIENT_FIELD[filters.recipient_kind]: filters.recipient_id})
    if filters.year:
        records = records.filter(year=filters.year)
    if filters.award_code:
        records = records.filter(award_type__code=filters.award_code)
    if filters.decision_id is not None:
        records = records.filter(decision_id=filters.decision_id)
    return records.select_related("award_type", "decision", "person", "unit", "household").order_by(
        "-year", "-decision__date", "id"
    )


@dataclass
class CatalogueFilters:
    q: str = ""
    category: str = ""
    level: str = ""
    recipient: str = ""


def catalogue(*, filters: CatalogueFilters) -> list[AwardType]:
    """The catalogue in its legal order. It holds a few dozen rows, so filtering happens in Python,
    which also keeps the recipients filter portable (SQLite has no JSON containment lookup)."""
    tokens = search_tokens(filters.q)
    rows = []
    for award_type in AwardType.objects.order_by("order", "code"):
        if tokens and not all(t in fold(f"{award_type.code} {award_type.name}") for t in tokens):
            continue
        if filters.category and award_type.category != filters.category:
            continue
        if filters.level and award_type.level != filters.level:
            continue
        if filters.recipient and filters.recipient not in award_type.recipients:
            continue
        rows.append(award_type)
    return rows
