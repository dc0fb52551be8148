"""Reads of the portal. The public ones return only what is published (a role model also needs a consent
in force) and only public fields are put into the pages' context; the staff ones follow the data scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.awards.models import AwardRecord, Decision
from thidua.core.text import fold
from thidua.movements.models import Movement, MovementReview
from thidua.movements.workflow import MovementState
from thidua.portal.models import Consent, RoleModel, RoleModelState

HOME_ROLE_MODELS = 6
HOME_DECISIONS = 6
HOME_MOVEMENTS = 4
SEARCH_LIMIT = 30


def _tokens(query: str) -> list[str]:
    return [token for token in fold(query).split() if token][:8]


# Nothing else of a role model is read for a public page: the contact details and the internal note stay
# in the database.
_PUBLIC_FIELDS = (
    "slug", "name", "headline", "year", "photo", "photo_alt", "featured", "published_at",
    "person_id", "collective_id", "unit__name", "story",
)  # fmt: skip


def public_role_models() -> QuerySet[RoleModel]:
    """Published, with a consent in force: the two conditions checked on every read, so a withdrawal that
    left the state untouched (it does not) would still hide the profile."""
    in_force = Consent.objects.filter(role_model=OuterRef("pk"), withdrawn_at__isnull=True)
    return (
        RoleModel.objects.filter(state=RoleModelState.PUBLISHED)
        .filter(Exists(in_force))
        .select_related("unit")
        .only(*_PUBLIC_FIELDS)
        .order_by("-featured", "-year", "name", "id")
    )


def public_role_model(slug: str) -> RoleModel | None:
    return public_role_models().filter(slug=slug).first()


@dataclass(frozen=True)
class PublicAward:
    award: str
    year: int
    decision_number: str
    decision_date: Any
    decision_id: int | None


def role_model_awards(role_model: RoleModel) -> list[PublicAward]:
    """The registry's awards of the person or collective, not revoked: the title, the year and the
    decision; the decision links to the portal only when it is published."""
    subject = (
        Q(person_id=role_model.person_id) if role_model.person_id else Q(unit_id=role_model.collective_id)
    )
    records = (
        AwardRecord.objects.filter(subject, revoked_on__isnull=True)
        .select_related("award_type", "decision")
        .order_by("-year", "award_type__order", "id")
    )
    return [
        PublicAward(
            award=r.award_type.name,
            year=r.year,
            decision_number=r.decision.number,
            decision_date=r.decision.date,
            decision_id=r.decision_id if r.decision.published_at else None,
        )
        for r in records
    ]


_line_count = (
    AwardRecord.objects.filter(decision=OuterRef("pk"), revoked_on__isnull=True)
    .order_by()
    .values("decision")
    .annotate(n=Count("id"))
    .values("n")
)


def public_decisions(query: str = "", year: int | None = None) -> QuerySet[Decision]:
    decisions = (
        Decision.objects.filter(published_at__isnull=False)
        .only("number", "date", "issuing_authority", "summary", "published_at")
        # A correlated count, computed for the rows of the page only: a join with GROUP BY counted the
        # records of every published decision before the newest few were taken.
        .annotate(record_count=Coalesce(Subquery(_line_count), 0))
        .order_by("-date", "number", "id")
    )
    for token in _tokens(query):
        decisions = decisions.filter(search_text__contains=token)
    if year:
        decisions = decisions.filter(date__year=year)
    return decisions


def public_decision_years() -> list[int]:
    dates = Decision.objects.filter(published_at__isnull=False).dates("date", "year", order="DESC")
    return [d.year for d in dates]


@dataclass(frozen=True)
class PublicLine:
    """One line of a published decision: the public fields and nothing else."""

    name: str
    unit: str
    kind: str
    award: str
    year: int


def public_decision(pk: int) -> tuple[Decision, list[PublicLine]] | None:
    decision = Decision.objects.filter(pk=pk, published_at__isnull=False).first()
    if decision is None:
        return None
    records = (
        AwardRecord.objects.filter(decision=decision, revoked_on__isnull=True)
        .select_related("award_type", "person__unit", "unit__parent", "household__unit")
        .order_by("award_type__order", "id")
    )
    lines: list[PublicLine] = []
    for r in records:
        if r.person is not None:
            name, unit, kind = r.person.full_name, r.person.unit.name, "individual"
        elif r.unit is not None:
            parent = r.unit.parent.name if r.unit.parent else ""
            name, unit, kind = r.unit.name, parent, "collective"
        else:
            assert r.household is not None
            name, unit, kind = r.household.head_name, r.household.unit.name, "household"
        lines.append(PublicLine(name=name, unit=unit, kind=kind, award=r.award_type.name, year=r.year))
    return decision, lines


def public_movements() -> QuerySet[Movement]:
    """Launched movements (every state after the draft) with their mid-term and final reviews."""
    return (
        Movement.objects.exclude(state=MovementState.DRAFT)
        .select_related("authority")
        .prefetch_related(Prefetch("reviews", queryset=MovementReview.objects.order_by("held_on", "id")))
        .order_by("-start_date", "code")
    )


def home() -> dict[str, Any]:
    # The public order puts the featured first, so one query gives them, then the latest published.
    return {
        "role_models": list(public_role_models()[:HOME_ROLE_MODELS]),
        "decisions": list(public_decisions()[:HOME_DECISIONS]),
        "movements": list(public_movements()[:HOME_MOVEMENTS]),
    }


def search(query: str) -> dict[str, Any]:
    tokens = _tokens(query)
    if not tokens:
        return {"role_models": [], "decisions": []}
    role_models = public_role_models()
    for token in tokens:
        role_models = role_models.filter(search_text__contains=token)
    return {
        "role_models": list(role_models[:SEARCH_LIMIT]),
        "decisions": list(public_decisions(query)[:SEARCH_LIMIT]),
    }


# Staff ------------------------------------------------------------------------------------------------


def staff_role_models(*, user: User, state: str = "") -> QuerySet[RoleModel]:
    rows = RoleModel.objects.filter(scope_q(user, "unit")).select_related("unit")
    if state:
        rows = rows.filter(state=state)
    return rows.annotate(
        consents_in_force=Count("consents", filter=Q(consents__withdrawn_at__isnull=True))
    ).order_by("-year", "name", "id")


def staff_role_model(*, user: User, pk: int) -> RoleModel | None:
    return (
        RoleModel.objects.filter(scope_q(user, "unit"), pk=pk)
        .select_related("unit", "person", "collective", "nominated_by", "approved_by")
        .prefetch_related("consents")
        .first()
    )


def staff_consent(*, user: User, role_model: RoleModel, pk: int) -> Consent | None:
    return Consent.objects.filter(role_model=role_model, pk=pk).select_related("role_model__unit").first()


def staff_decision(*, user: User, pk: int) -> Decision | None:
    """A decision the user may publish: issued by a unit in the scope (or by no recorded unit, for the
    province-wide)."""
    scope = scope_q(user, "issuer_unit")
    if user.is_province_wide:
        scope = Q()
    return Decision.objects.filter(scope, pk=pk).first()


NOMINATE_CHOICES = 1000


def nominable(*, user: User) -> dict[str, Any]:
    """The people and the collectives a unit's staff may put forward: those in the scope, in order."""
    from thidua.organisation.models import Person, Unit

    people = (
        Person.objects.filter(scope_q(user, "unit"), is_active=True)
        .select_related("unit")
        .only("full_name", "unit__name")
        .order_by("sort_key", "id")[:NOMINATE_CHOICES]
    )
    units = (
        Unit.objects.filter(scope_q(user, None), valid_to__isnull=True)
        .only("name")
        .order_by("sort_key", "id")[:NOMINATE_CHOICES]
    )
    return {"people": list(people), "units": list(units)}
