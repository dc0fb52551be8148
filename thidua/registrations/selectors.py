"""Reads of the registrations, each scoped to the user (outside the scope: 404), with the joins its page
needs and a number of queries that does not grow with the lines, units or titles."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import UNIT_STAFF, Role, User
from thidua.awards.models import AwardType
from thidua.movements.models import Criterion, Movement
from thidua.organisation.models import Person, Unit
from thidua.proposals.selectors import TodoItem
from thidua.registrations import access, services, workflow
from thidua.registrations.deadline import Deadline, deadline_for, open_year
from thidua.registrations.models import (
    CollectiveLine,
    PersonLine,
    Pledge,
    PledgeTarget,
    Registration,
    RegistrationTransition,
)
from thidua.registrations.workflow import RegistrationState


def registration_list(*, user: User, year: int | None = None, state: str = "") -> QuerySet[Registration]:
    qs = Registration.objects.filter(access.visible_q(user)).select_related("unit", "authority")
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    return qs.annotate(
        collective_count=Count("collectives", distinct=True),
        person_count=Count("people", distinct=True),
        pledge_count=Count("pledges", distinct=True),
    ).order_by("-year", "unit__sort_key", "id")


def get_registration(*, user: User, pk: int) -> Registration:
    found = (
        Registration.objects.filter(access.visible_q(user), pk=pk)
        .select_related("unit", "authority", "authority__unit", "created_by")
        .first()
    )
    if found is None or not access.sees(user, found):
        raise Http404
    return found


@dataclass
class PledgeRow:
    movement: Movement
    criteria: list[Criterion]
    pledge: Pledge | None
    targets: dict[int, PledgeTarget]


@dataclass
class RegistrationPage:
    registration: Registration
    collectives: list[CollectiveLine]
    people: list[PersonLine]
    pledges: list[PledgeRow]
    transitions: list[RegistrationTransition]
    deadline: Deadline
    missing: list[str]
    late: bool
    overdue: bool
    perms: dict[str, bool]
    collective_titles: list[AwardType] = field(default_factory=list)
    person_titles: list[AwardType] = field(default_factory=list)
    subunits: list[Unit] = field(default_factory=list)
    unlisted: list[Person] = field(default_factory=list)
    title_counts: list[tuple[AwardType, int]] = field(default_factory=list)

    @property
    def unlisted_own(self) -> int:
        """People of the unit itself not listed yet: what "Thêm tất cả" adds without the sub-units."""
        return sum(1 for p in self.unlisted if p.unit_id == self.registration.unit_id)


def registration_page(*, user: User, pk: int) -> RegistrationPage:
    registration = get_registration(user=user, pk=pk)
    today = timezone.localdate()
    collectives = list(
        registration.collectives.select_related("collective", "award_type").order_by(
            "collective__path", "award_type__order"
        )
    )
    people = list(
        registration.people.select_related("person", "person__unit", "award_type").order_by(
            "person__unit__path", "person__sort_key"
        )
    )
    pledges = {p.movement_id: p for p in registration.pledges.select_related("movement")}
    targets: dict[int, dict[int, PledgeTarget]] = {}
    for t in PledgeTarget.objects.filter(pledge__registration=registration):
        targets.setdefault(t.pledge_id, {})[t.criterion_id] = t
    editable = registration.state in workflow.EDITABLE_STATES
    staff = access.is_staff_of(user, registration)
    movements = services.pledge_movements(registration) if staff and editable else []
    shown = {m.pk: m for m in movements}
    for p in pledges.values():
        shown.setdefault(p.movement_id, p.movement)
    criteria: dict[int, list[Criterion]] = {}
    for c in Criterion.objects.filter(movement_id__in=list(shown)).order_by("position", "id"):
        criteria.setdefault(c.movement_id, []).append(c)
    pledge_rows = [
        PledgeRow(
            m,
            criteria.get(mid, []),
            pledges.get(mid),
            targets.get(pledges[mid].pk, {}) if mid in pledges else {},
        )
        for mid, m in shown.items()
    ]
    reviewer = access.reviews(user, registration)
    perms = {
        "edit": staff and editable,
        "step_submit": staff
        and user.role == Role.UNIT_HEAD
        and registration.state in workflow.MOVES["submit"].sources,
        "step_approve": reviewer and registration.state == RegistrationState.SUBMITTED,
        "step_return": reviewer and registration.state == RegistrationState.SUBMITTED,
    }
    counts = Counter(line.award_type_id for line in people)
    counts.update(line.award_type_id for line in collectives)
    awards: dict[int, AwardType] = {line.award_type_id: line.award_type for line in people}
    awards.update({line.award_type_id: line.award_type for line in collectives})
    page = RegistrationPage(
        registration=registration,
        collectives=collectives,
        people=people,
        pledges=pledge_rows,
        transitions=list(registration.transitions.select_related("actor").order_by("at", "id")),
        deadline=deadline_for(registration.year),
        missing=services.missing_items(registration) if perms["edit"] or perms["step_submit"] else [],
        late=registration.is_late,
        overdue=registration.is_overdue(today),
        perms=perms,
        title_counts=sorted(
            ((awards[a], n) for a, n in counts.items()), key=lambda pair: (pair[0].order, pair[0].code)
        ),
    )
    if perms["edit"]:
        page.collective_titles = services.collective_titles(registration.unit)
        page.person_titles = services.person_titles()
        page.subunits = list(
            Unit.objects.filter(path__startswith=registration.unit.path, valid_to__isnull=True).order_by(
                "path"
            )[:300]
        )
        listed = {line.person_id for line in people}
        page.unlisted = [
            p
            for p in Person.objects.filter(unit__path__startswith=registration.unit.path, is_active=True)
            .select_related("unit")
            .order_by("unit__path", "sort_key")[:1000]
            if p.pk not in listed
        ]
    return page


# ---------------------------------------------------------------------------------------------------
# The summary that goes up a level


@dataclass
class SummaryRow:
    unit: Unit
    registration: Registration
    counts: dict[int, int]
    # The counts in the order of the summary's titles (the table's cells).
    cells: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Summary:
    year: int
    titles: list[AwardType]
    rows: list[SummaryRow]
    totals: dict[int, int]
    deadline: Deadline
    waiting: int
    approved_only: bool
    # title id → how many collectives, and how many people, registered it
    collectives: dict[int, int] = field(default_factory=dict)
    people: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def total_cells(self) -> list[int]:
        return [self.totals[a.pk] for a in self.titles]


def summary(*, user: User, year: int, approved_only: bool = False) -> Summary:
    """Totals by unit and title of the registrations sent up for `year` (submitted or approved; approved
    only if asked), in the user's scope: the province sees every unit. A title's count is the number of
    lines registering it, collective and personal (three queries)."""
    states = (RegistrationState.APPROVED,) if approved_only else workflow.SENT_STATES
    registrations = list(
        Registration.objects.filter(access.visible_q(user), year=year, state__in=states)
        .select_related("unit")
        .order_by("unit__path", "id")
    )
    ids = [r.pk for r in registrations]
    counts: dict[int, Counter[int]] = {r.pk: Counter() for r in registrations}
    by_kind: dict[type[Any], Counter[int]] = {CollectiveLine: Counter(), PersonLine: Counter()}
    for model in (CollectiveLine, PersonLine):
        for reg_id, award_id, n in (
            model.objects.filter(registration_id__in=ids)
            .values_list("registration_id", "award_type_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[reg_id][award_id] += n
            by_kind[model][award_id] += n
    used = {a for c in counts.values() for a in c}
    titles = list(AwardType.objects.filter(pk__in=used).order_by("order", "code")) if used else []
    rows = [
        SummaryRow(r.unit, r, dict(counts[r.pk]), [counts[r.pk].get(a.pk, 0) for a in titles])
        for r in registrations
    ]
    totals = {a.pk: sum(row.counts.get(a.pk, 0) for row in rows) for a in titles}
    waiting = sum(1 for r in registrations if r.state == RegistrationState.SUBMITTED)
    return Summary(
        year,
        titles,
        rows,
        totals,
        deadline_for(year),
        waiting,
        approved_only,
        collectives=dict(by_kind[CollectiveLine]),
        people=dict(by_kind[PersonLine]),
    )


# ---------------------------------------------------------------------------------------------------
# A dossier line: did its recipient register for its award in the dossier's year?


REGISTERED, PENDING, OTHER, NONE = "registered", "pending", "other", "none"


def registration_flags(nominees: list[Any], year: int) -> None:
    """Set `registration` on each line: "registered" (its recipient's approved registration of `year`
    lists this award), "pending" (listed in a registration not yet approved), "other" (registered for
    another title, `registration_other` names it) or "none"; None for a household. Information only: no
    text we hold makes registration a condition of a title (docs/registrations.md). Two queries whatever
    the number of lines, unordered: the lines' default order would join the person and the unit for
    nothing."""
    people = {n.person_id for n in nominees if n.person_id}
    units = {n.collective_id for n in nominees if n.collective_id}
    by_person: dict[int, list[tuple[int, str, str]]] = {}
    by_unit: dict[int, list[tuple[int, str, str]]] = {}
    if people:
        for pid, award_id, name, state in (
            PersonLine.objects.filter(person_id__in=people, registration__year=year)
            .order_by()
            .values_list("person_id", "award_type_id", "award_type__name", "registration__state")
        ):
            by_person.setdefault(pid, []).append((award_id, name, state))
    if units:
        for uid, award_id, name, state in (
            CollectiveLine.objects.filter(collective_id__in=units, registration__year=year)
            .order_by()
            .values_list("collective_id", "award_type_id", "award_type__name", "registration__state")
        ):
            by_unit.setdefault(uid, []).append((award_id, name, state))
    for n in nominees:
        n.registration_other = ""
        if n.person_id:
            found = by_person.get(n.person_id, [])
        elif n.collective_id:
            found = by_unit.get(n.collective_id, [])
        else:
            n.registration = None
            continue
        same = [state for award_id, _name, state in found if award_id == n.award_type_id]
        if RegistrationState.APPROVED in same:
            n.registration = REGISTERED
        elif same:
            n.registration = PENDING
        elif found:
            n.registration = OTHER
            n.registration_other = ", ".join(sorted({name for _a, name, _s in found}))
        else:
            n.registration = NONE


# ---------------------------------------------------------------------------------------------------
# The dashboard's to-do


def todo(*, user: User, limit: int = 12) -> list[TodoItem]:
    """Registrations the user's unit must begin, fill, correct or send, and those waiting for the user's
    review. A constant number of queries."""
    items: list[TodoItem] = []
    today = timezone.localdate()
    if user.role == Role.BOARD_SPECIALIST and user.authority_id:
        waiting = (
            Registration.objects.filter(authority_id=user.authority_id, state=RegistrationState.SUBMITTED)
            .select_related("unit")
            .order_by("submitted_at", "id")
        )
        for r in waiting[: limit * 2]:
            if access.conflicted(user, r):
                continue
            items.append(
                TodoItem(
                    _("Duyệt bản đăng ký thi đua năm {year} của {unit}").format(
                        year=r.year, unit=r.unit.name
                    ),
                    reverse("registrations:detail", args=[r.pk]),
                )
            )
    if user.role in UNIT_STAFF and user.unit_id:
        items.extend(_owed(user, today))
    items.sort(key=lambda item: (item.due is None, item.due or today))
    return items[:limit]


def _owed(user: User, today: dt.date) -> list[TodoItem]:
    unit = user.unit
    assert unit is not None
    year = open_year(today)
    items = []
    mine = {
        r.year: r
        for r in Registration.objects.filter(unit=unit, year__gte=year - 1, year__lte=year).only(
            "id", "year", "state", "due_date", "first_submitted_at", "unit_id"
        )
    }
    for y in sorted({today.year, year}):
        r = mine.get(y)
        if r is None:
            if y < today.year:
                continue
            due = deadline_for(y).day
            items.append(
                TodoItem(
                    _("Lập bản đăng ký thi đua năm {year} ({unit})").format(year=y, unit=unit.name),
                    reverse("registrations:list") + f"?year={y}",
                    due,
                    due < today,
                )
            )
            continue
        if r.state == RegistrationState.RETURNED:
            text = _("Sửa bản đăng ký thi đua năm {year} bị trả lại ({unit})")
        elif r.state == RegistrationState.DRAFT and user.role == Role.UNIT_HEAD:
            text = _("Xem và gửi bản đăng ký thi đua năm {year} ({unit})")
        elif r.state == RegistrationState.DRAFT:
            text = _("Hoàn thiện bản đăng ký thi đua năm {year} ({unit})")
        else:
            continue
        items.append(
            TodoItem(
                text.format(year=y, unit=unit.name),
                reverse("registrations:detail", args=[r.pk]),
                r.due_date,
                r.due_date < today,
            )
        )
    return items


def units_to_register(*, user: User) -> list[Unit]:
    """The units the start form offers: the user's own unit (each unit registers itself)."""
    if user.role not in UNIT_STAFF or user.unit is None:
        return []
    return [user.unit]


def state_choices() -> list[tuple[str, str]]:
    return [(s.value, str(s.label)) for s in RegistrationState]


def get_collective_line(registration: Registration, pk: int) -> CollectiveLine:
    found = registration.collectives.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def get_pledge(registration: Registration, pk: int) -> Pledge:
    found = registration.pledges.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def get_unit_in_registration(registration: Registration, pk: int) -> Unit:
    found = Unit.objects.filter(pk=pk, path__startswith=registration.unit.path).first()
    if found is None:
        raise Http404
    return found


def get_pledge_movement(registration: Registration, pk: int) -> Movement:
    found = next((m for m in services.pledge_movements(registration) if m.pk == pk), None)
    if found is None:
        raise Http404
    return found
