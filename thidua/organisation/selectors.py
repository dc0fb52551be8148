"""Reads of people, collectives, households and blocs, always within the user's data scope.

Profiles load each section with one query (select_related / prefetch_related), so a page costs the
same number of queries for a person with one award as for one with thirty.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q, unit_in_scope
from thidua.awards.models import (
    AwardRecord,
    AwardType,
    Discipline,
    Initiative,
    Investigation,
    YearlyRating,
)
from thidua.awards.selectors import search_tokens, tokens_q
from thidua.core.queries import count_of
from thidua.organisation.models import (
    Bloc,
    BlocMembership,
    BlocRole,
    Household,
    Person,
    PositionHistory,
    Unit,
    UnitKind,
)

# ---------------------------------------------------------------------------------------------------
# Change history (django-simple-history)

# Derived columns repeat what the named fields already say; showing them would double every change.
_HIDDEN_HISTORY_FIELDS = {"search_text", "sort_key", "full_name", "path", "import_batch"}
MAX_HISTORY_ENTRIES = 200


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    subject: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)


def _field(model: type[models.Model], name: str) -> models.Field:
    return cast(models.Field, model._meta.get_field(name))


def _display(model: type[models.Model], name: str, value: Any, related: dict[tuple[str, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    model_field = _field(model, name)
    if isinstance(model_field, models.ForeignKey):
        return related.get((model_field.related_model._meta.label, value), f"#{value}")  # type: ignore[union-attr]
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (list, set, tuple)):
        return ", ".join(related.get((Initiative._meta.label, v), f"#{v}") for v in sorted(value)) or "—"
    return str(value)


@dataclass
class _M2MChange:
    field: str
    old: set[int]
    new: set[int]


def _history_rows(history: Iterable[Any]) -> list[tuple[Any, Any, list[Any]]]:
    """(record, previous record of the same object, raw changes) in time order."""
    rows: list[tuple[Any, Any, list[Any]]] = []
    previous: dict[Any, Any] = {}
    for record in history:
        prev = previous.get(record.id)
        changes = []
        if prev is not None:
            delta = record.diff_against(
                prev, excluded_fields=_HIDDEN_HISTORY_FIELDS | {"initiatives"}, foreign_keys_are_objs=False
            )
            changes = list(delta.changes)
            if hasattr(record, "_prefetched_initiatives"):
                # simple-history diffs M2M fields with one query per record; the prefetched rows are used
                # instead, so the page stays at a fixed number of queries.
                old_ids = prev._prefetched_initiatives
                new_ids = record._prefetched_initiatives
                if old_ids != new_ids:
                    changes.append(_M2MChange("initiatives", old_ids, new_ids))
        rows.append((record, prev, changes))
        previous[record.id] = record
    return rows


def _who(record: Any) -> str:
    user = record.history_user
    return str(user) if user is not None else _("Hệ thống")


_ACTIONS = {"+": gettext_lazy("Tạo mới"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xóa")}


def _person_history(person: Person, award_names: dict[int, str]) -> list[HistoryEntry]:
    """The person's changes and those of the person's award records, latest first; `award_names`, the
    names of the award types already read (of the current records), by id."""
    person_history = list(
        person.history.select_related("history_user").order_by("history_date", "history_id")  # type: ignore[attr-defined]
    )
    award_history = list(
        AwardRecord.history.filter(person_id=person.pk)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    # The M2M history rows of all those records in one query; the class attribute is the manager of
    # simple-history's M2M history model.
    m2m_rows = AwardRecord.history.model.initiatives.filter(  # type: ignore[attr-defined]
        history_id__in=[r.history_id for r in award_history]
    ).values_list("history_id", "initiative_id")
    initiatives_by_history: dict[Any, set[int]] = defaultdict(set)
    for history_id, initiative_id in m2m_rows:
        initiatives_by_history[history_id].add(initiative_id)
    for record in award_history:
        record._prefetched_initiatives = initiatives_by_history[record.history_id]
    person_rows = _history_rows(person_history)
    award_rows = _history_rows(award_history)

    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for model, rows in ((Person, person_rows), (AwardRecord, award_rows)):
        for _record, _prev, changes in rows:
            for change in changes:
                if isinstance(change, _M2MChange):
                    wanted[Initiative] |= change.old | change.new
                    continue
                model_field = model._meta.get_field(change.field)
                if isinstance(model_field, models.ForeignKey):
                    wanted[model_field.related_model].update(  # type: ignore[index]
                        v for v in (change.old, change.new) if v is not None
                    )
    related: dict[tuple[str, Any], str] = {}
    for related_model, ids in wanted.items():
        for pk, obj in related_model._default_manager.in_bulk(list(ids)).items():
            related[(related_model._meta.label, pk)] = str(obj)
    # The history's types are mostly those of the current records, whose names the caller has: only
    # the others (a record since deleted) are asked for.
    missing = {r.award_type_id for r in award_history} - award_names.keys()
    if missing:
        award_names = award_names | dict(AwardType.objects.filter(pk__in=missing).values_list("id", "name"))

    entries: list[HistoryEntry] = []
    for model, rows, subject_of in (
        (Person, person_rows, lambda r: _("Hồ sơ cá nhân")),
        (
            AwardRecord,
            award_rows,
            lambda r: _("Khen thưởng: {award} năm {year}").format(
                award=award_names.get(r.award_type_id, ""), year=r.year
            ),
        ),
    ):
        for record, _prev, changes in rows:
            if record.history_type == "~" and not changes:
                continue
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=_who(record),
                    subject=subject_of(record),
                    action=str(_ACTIONS.get(record.history_type, record.history_type)),
                    changes=[
                        FieldChange(
                            label=str(_field(model, c.field).verbose_name),
                            old=_display(model, c.field, c.old, related),
                            new=_display(model, c.field, c.new, related),
                        )
                        for c in changes
                    ],
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:MAX_HISTORY_ENTRIES]


# ---------------------------------------------------------------------------------------------------
# Person


@dataclass
class InitiativeUse:
    initiative: Initiative
    used_by: list[AwardRecord]


@dataclass
class PersonProfile:
    person: Person
    awards: list[AwardRecord]
    ratings: list[YearlyRating]
    initiatives: list[InitiativeUse]
    disciplines: list[Discipline]
    investigations: list[Investigation]
    positions: list[PositionHistory]
    history: list[HistoryEntry]
    total_bonus: int

    @property
    def case_count(self) -> int:
        return len(self.disciplines) + len(self.investigations)

    @property
    def open_investigations(self) -> list[Investigation]:
        return [i for i in self.investigations if i.is_open]

    @property
    def disciplines_in_force(self) -> list[Discipline]:
        today = timezone.localdate()
        return [d for d in self.disciplines if d.end_date is None or d.end_date >= today]


def _award_records() -> QuerySet[AwardRecord]:
    # The decision's issuing unit is not joined: the award timeline shows its number, date and the
    # authority's name as recorded on it (a field of its own).
    return AwardRecord.objects.select_related("award_type", "decision").order_by(
        "-year", "award_type__order", "-decision__date", "id"
    )


def person_with_record_flags(people: QuerySet[Person]) -> QuerySet[Person]:
    """The people, each knowing whether any discipline or investigation is on record (`has_disciplines`,
    `has_investigations`): few have one, so the profile and the eligibility panel skip those two queries
    when empty."""
    return people.annotate(
        has_disciplines=Exists(Discipline.objects.filter(person=OuterRef("pk"))),
        has_investigations=Exists(Investigation.objects.filter(person=OuterRef("pk"))),
    )


def person_profile(*, user: User, person_id: int) -> PersonProfile | None:
    """Everything the registry knows about one person, or None when absent or outside the scope."""
    person = person_with_record_flags(
        Person.objects.filter(scope_q(user), pk=person_id).select_related("unit", "unit__parent")
    ).first()
    if person is None:
        return None
    awards = list(_award_records().filter(person=person))
    initiatives = list(
        Initiative.objects.filter(person=person)
        .prefetch_related(
            Prefetch(
                "used_by",
                queryset=AwardRecord.objects.select_related("award_type").order_by("year", "id"),
            )
        )
        .order_by("-year", "title")
    )
    return PersonProfile(
        person=person,
        awards=awards,
        ratings=list(YearlyRating.objects.filter(person=person).order_by("-year")),
        initiatives=[InitiativeUse(i, list(i.used_by.all())) for i in initiatives],
        disciplines=(
            list(Discipline.objects.filter(person=person).order_by("-start_date"))
            if person.has_disciplines  # type: ignore[attr-defined]
            else []
        ),
        investigations=(
            list(Investigation.objects.filter(person=person).order_by("-since"))
            if person.has_investigations  # type: ignore[attr-defined]
            else []
        ),
        positions=list(
            PositionHistory.objects.filter(person=person)
            .select_related("unit")
            .order_by(F("start_date").desc(nulls_last=True), "-id")
        ),
        history=_person_history(person, {a.award_type_id: a.award_type.name for a in awards}),
        total_bonus=sum(a.bonus_amount or 0 for a in awards),
    )


ETHNICITY_KINH = "kinh"
ETHNICITY_MINORITY = "thieu_so"


def kinh_or_unknown_q() -> Q:
    """The database twin of `not Person.is_ethnic_minority`: Kinh, or no ethnicity recorded."""
    return Q(ethnicity__iexact="kinh") | Q(ethnicity="")


@dataclass
class PersonFilters:
    q: str = ""
    unit_id: int | None = None
    gender: str = ""
    category: str = ""
    ethnicity: str = ""


@dataclass
class PersonListing:
    people: QuerySet[Person]
    unit: Unit | None
    unit_choices: QuerySet[Unit]


def _unit_choices(user: User, selected: Unit | None) -> QuerySet[Unit]:
    # Villages would make the list thousands long; a village reached by a link stays selectable.
    extra = Q(pk=selected.pk) if selected else Q(pk__in=[])
    return (
        Unit.objects.filter(scope_q(user, None))
        .filter(~Q(kind=UnitKind.VILLAGE) | extra)
        .only("id", "name", "valid_to")
        .order_by("sort_key", "id")
    )


def _scoped_unit(user: User, unit_id: int | None) -> Unit | None:
    if not unit_id:
        return None
    return Unit.objects.filter(scope_q(user, None), pk=unit_id).first()


def person_list(*, user: User, filters: PersonFilters) -> PersonListing:
    """People in Vietnamese order (given name, family name, middle name), with their award count."""
    people = Person.objects.filter(scope_q(user)).select_related("unit")
    tokens = search_tokens(filters.q)
    if tokens:
        people = people.filter(tokens_q(tokens))
    unit = _scoped_unit(user, filters.unit_id)
    if filters.unit_id:
        people = people.filter(unit__path__startswith=unit.path) if unit else people.none()
    if filters.gender:
        people = people.filter(gender=filters.gender)
    if filters.category:
        people = people.filter(category=filters.category)
    if filters.ethnicity == ETHNICITY_KINH:
        people = people.filter(kinh_or_unknown_q())
    elif filters.ethnicity == ETHNICITY_MINORITY:
        people = people.exclude(kinh_or_unknown_q())
    people = people.annotate(award_count=count_of(AwardRecord, "person")).order_by("sort_key", "id")
    return PersonListing(people=people, unit=unit, unit_choices=_unit_choices(user, unit))


# ---------------------------------------------------------------------------------------------------
# Unit


@dataclass
class Crumb:
    unit: Unit
    linkable: bool


@dataclass
class UnitProfile:
    unit: Unit
    ancestors: list[Crumb]
    successor_linkable: bool
    predecessors: list[Crumb]
    awards: list[AwardRecord]
    ratings: list[YearlyRating]
    children: list[Unit]
    people_count: int
    direct_people_count: int
    household_count: int
    memberships: list[BlocMembership]

    @property
    def dissolved_on(self) -> dt.date | None:
        """The first day the unit no longer exists, if that day has come."""
        valid_to = self.unit.valid_to
        if valid_to is None or valid_to >= timezone.localdate():
            return None
        return valid_to + dt.timedelta(days=1)


def _ancestor_ids(unit: Unit) -> list[int]:
    ids = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]
    return [i for i in ids if i != unit.pk]


def unit_profile(*, user: User, unit_id: int) -> UnitProfile | None:
    unit = Unit.objects.filter(scope_q(user, None), pk=unit_id).select_related("successor").first()
    if unit is None:
        return None
    ancestor_ids = _ancestor_ids(unit)
    by_id = Unit.objects.in_bulk(ancestor_ids)
    ancestors = [Crumb(by_id[i], unit_in_scope(user, by_id[i])) for i in ancestor_ids if i in by_id]
    people = Person.objects.filter(unit__path__startswith=unit.path).aggregate(
        total=Count("id"), direct=Count("id", filter=Q(unit=unit))
    )
    return UnitProfile(
        unit=unit,
        ancestors=ancestors,
        successor_linkable=unit.successor is not None and unit_in_scope(user, unit.successor),
        predecessors=[Crumb(p, unit_in_scope(user, p)) for p in unit.predecessors.order_by("sort_key")],
        awards=list(_award_records().filter(unit=unit)),
        ratings=list(YearlyRating.objects.filter(unit=unit).order_by("-year")),
        children=list(
            unit.children.annotate(people_count=Count("people")).order_by(
                Case(When(valid_to__isnull=True, then=Value(0)), default=Value(1)), "sort_key"
            )
        ),
        people_count=people["total"],
        direct_people_count=people["direct"],
        household_count=Household.objects.filter(unit__path__startswith=unit.path).count(),
        memberships=list(
            BlocMembership.objects.filter(unit=unit)
            .select_related("bloc")
            .order_by("-year", "bloc__sort_key")
        ),
    )


@dataclass
class UnitFilters:
    q: str = ""
    kind: str = ""
    border: bool = False
    highland: bool = False
    difficult: bool = False
    include_dissolved: bool = False


def unit_list(*, user: User, filters: UnitFilters) -> QuerySet[Unit]:
    units = Unit.objects.filter(scope_q(user, None)).select_related("parent")
    tokens = search_tokens(filters.q)
    if tokens:
        units = units.filter(tokens_q(tokens))
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.border:
        units = units.filter(is_border=True)
    if filters.highland:
        units = units.filter(is_highland=True)
    if filters.difficult:
        units = units.filter(is_especially_difficult=True)
    if not filters.include_dissolved:
        units = units.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate()))
    return units.annotate(people_count=count_of(Person, "unit")).order_by("sort_key", "id")


# ---------------------------------------------------------------------------------------------------
# Household


@dataclass
class HouseholdProfile:
    household: Household
    awards: list[AwardRecord]


def household_profile(*, user: User, household_id: int) -> HouseholdProfile | None:
    household = (
        Household.objects.filter(scope_q(user), pk=household_id)
        .select_related("unit", "unit__parent")
        .first()
    )
    if household is None:
        return None
    return HouseholdProfile(household=household, awards=list(_award_records().filter(household=household)))


@dataclass
class HouseholdFilters:
    q: str = ""
    unit_id: int | None = None


@dataclass
class HouseholdListing:
    households: QuerySet[Household]
    unit: Unit | None
    unit_choices: QuerySet[Unit]


def household_list(*, user: User, filters: HouseholdFilters) -> HouseholdListing:
    households = Household.objects.filter(scope_q(user)).select_related("unit")
    tokens = search_tokens(filters.q)
    if tokens:
        households = households.filter(tokens_q(tokens))
    unit = _scoped_unit(user, filters.unit_id)
    if filters.unit_id:
        households = households.filter(unit__path__startswith=unit.path) if unit else households.none()
    households = households.annotate(award_count=count_of(AwardRecord, "household")).order_by(
        "sort_key", "id"
    )
    # Households belong to communes and wards; other units would only lengthen the list.
    local = Q(kind__in=[UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT])
    choices = _unit_choices(user, unit).filter(local | Q(pk=unit.pk) if unit else local)
    return HouseholdListing(households=households, unit=unit, unit_choices=choices)


# ---------------------------------------------------------------------------------------------------
# Blocs

_ROLE_ORDER = Case(
    When(role=BlocRole.LEADER, then=Value(0)),
    When(role=BlocRole.DEPUTY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass
class BlocFilters:
    q: str = ""
    kind: str = ""
    year: int | None = None


@dataclass
class BlocListing:
    blocs: QuerySet[Bloc]
    year: int
    years: list[int]


def bloc_list(*, user: User, filters: BlocFilters) -> BlocListing:
    """Blocs with their members of one year (by default the latest year any bloc has members)."""
    years = list(BlocMembership.objects.values_list("year", flat=True).distinct().order_by("-year"))
    year = filters.year or (years[0] if years else timezone.localdate().year)
    members = (
        BlocMembership.objects.filter(year=year)
        .select_related("unit")
        .annotate(role_order=_ROLE_ORDER)
        .order_by("role_order", "unit__sort_key")
    )
    blocs = Bloc.objects.prefetch_related(Prefetch("memberships", queryset=members, to_attr="year_members"))
    if filters.q:
        blocs = blocs.filter(
            Q(pk__in=[b.pk for b in Bloc.objects.only("id", "name", "code") if _bloc_matches(b, filters.q)])
        )
    if filters.kind:
        blocs = blocs.filter(kind=filters.kind)
    return BlocListing(blocs=blocs.order_by("sort_key", "id"), year=year, years=years)


def _bloc_matches(bloc: Bloc, query: str) -> bool:
    # Blocs keep no folded search column; there are a few dozen, so they are matched in Python.
    text = search_tokens(f"{bloc.code} {bloc.name}")
    haystack = " ".join(text)
    return all(token in haystack for token in search_tokens(query))


def bloc_export_rows(*, user: User, filters: BlocFilters) -> QuerySet[BlocMembership]:
    listing = bloc_list(user=user, filters=filters)
    return (
        BlocMembership.objects.filter(year=listing.year, bloc__in=listing.blocs.values("pk"))
        .select_related("bloc", "unit")
        .annotate(role_order=_ROLE_ORDER)
        .order_by("bloc__sort_key", "role_order", "unit__sort_key")
    )


@dataclass
class BlocYear:
    year: int
    members: list[BlocMembership]


@dataclass
class BlocProfile:
    bloc: Bloc
    years: list[BlocYear]


def bloc_detail(*, user: User, bloc_id: int) -> BlocProfile | None:
    """A bloc's members year by year. Blocs are open to every signed-in user (rules: view_bloc), so
    `user` does not narrow the read; the page links only the units inside the user's scope."""
    bloc = Bloc.objects.filter(pk=bloc_id).first()
    if bloc is None:
        return None
    by_year: dict[int, list[BlocMembership]] = defaultdict(list)
    for membership in (
        BlocMembership.objects.filter(bloc=bloc)
        .select_related("unit")
        .annotate(role_order=_ROLE_ORDER)
        .order_by("-year", "role_order", "unit__sort_key")
    ):
        by_year[membership.year].append(membership)
    return BlocProfile(bloc=bloc, years=[BlocYear(y, m) for y, m in by_year.items()])
