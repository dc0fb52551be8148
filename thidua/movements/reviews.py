"""Reads of the reviews (sơ kết, tổng kết): the review page, and the figures of the review's report.

The figures are the movement page's, over every target unit (as the launching authority sees them): the
same accepted values (`selectors.accepted_values`), the same achievement rules (`progress`), the same
report schedule and late / missing flags (`selectors.movement_periods_from`, `selectors._late_missing`).
They are read when the report is generated, so they stand as of that day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.movements import access, progress, selectors
from thidua.movements.models import (
    Criterion,
    CriterionTarget,
    Movement,
    MovementReview,
    MovementTarget,
    ProgressReport,
    ReviewKind,
)
from thidua.movements.workflow import ReportState
from thidua.organisation.models import Unit
from thidua.proposals.documents_build import _recipient_name
from thidua.proposals.models import Dossier, DossierState, LineOutcome, Nominee


@dataclass
class CriterionResult:
    criterion: Criterion
    # Units with a target of their own instead of the common one.
    overrides: int
    # The mean of the target units' achievements (0–1): the movement page's figure.
    average: Decimal
    # Units whose achievement is 1 (the target reached), and units with an accepted value at all.
    reached: int
    reported: int

    @property
    def percent(self) -> Decimal:
        return self.average * 100


@dataclass
class Timeliness:
    """The report slots (a unit and a period that has begun) by how they were sent."""

    on_time: int
    late: int
    missing: int
    accepted: int
    late_units: list[str]
    missing_units: list[str]


@dataclass
class AwardLine:
    name: str
    award: str
    outcome: str

    @property
    def outcome_label(self) -> str:
        return str(LineOutcome(self.outcome).label)


@dataclass
class DossierRow:
    dossier: Dossier
    lines: list[AwardLine]


@dataclass
class ReviewFigures:
    movement: Movement
    as_of: dt.date
    units: list[Unit]
    criteria: list[CriterionResult]
    overall: Decimal
    # Units whose overall progress is 1: every criterion's target reached.
    units_complete: int
    timeliness: Timeliness
    # Units whose approved registration carries a pledge to the movement.
    pledged_units: int
    documents: list[str]
    dossiers: list[DossierRow] = field(default_factory=list)

    @property
    def percent(self) -> Decimal:
        return self.overall * 100

    @property
    def lines(self) -> int:
        return sum(len(d.lines) for d in self.dossiers)

    @property
    def approved(self) -> int:
        return sum(1 for d in self.dossiers for line in d.lines if line.outcome == LineOutcome.APPROVED)


def linked_dossiers(
    movement: Movement, *, user: User | None = None, proposed_only: bool = False
) -> list[DossierRow]:
    """The dossiers pointing to the movement (`Dossier.linked_movement`) with their active lines; within
    the user's scope when a user is given. `proposed_only`: not drafts nor withdrawn ones."""
    qs = Dossier.objects.filter(linked_movement=movement).select_related("unit", "authority")
    if user is not None:
        qs = qs.filter(scope_q(user))
    if proposed_only:
        qs = qs.exclude(state__in=(DossierState.DRAFT, DossierState.WITHDRAWN))
    lines = Nominee.objects.filter(is_active=True).select_related(
        "person", "person__unit", "collective", "household", "household__unit", "award_type"
    )
    rows = []
    for d in qs.prefetch_related(Prefetch("nominees", queryset=lines.order_by("position", "id"))).order_by(
        "created_at", "id"
    ):
        rows.append(
            DossierRow(
                d,
                [
                    AwardLine(_recipient_name(n), n.award_type.name, n.outcome)
                    for n in d.nominees.all()  # type: ignore[attr-defined]
                ],
            )
        )
    return rows


def review_figures(movement: Movement, *, today: dt.date | None = None) -> ReviewFigures:
    """The figures of the report over every target unit, from accepted reports only, as they stood at
    the end of `today` (a review's report: its day, `figures_of`): reports accepted later, and periods
    begun later, are not in it."""
    today = today or timezone.localdate()
    day_after = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
    criteria = list(movement.criteria.order_by("position", "id"))
    periods = selectors.movement_periods_from(movement, criteria)
    units = [
        t.unit
        for t in MovementTarget.objects.filter(movement=movement)
        .select_related("unit")
        .order_by("unit__sort_key")
    ]
    overrides: dict[int, dict[int, Decimal]] = {}
    override_counts: Counter[int] = Counter()
    for cid, unit_id, target in CriterionTarget.objects.filter(criterion__movement=movement).values_list(
        "criterion_id", "unit_id", "target"
    ):
        overrides.setdefault(unit_id, {})[cid] = target
        override_counts[cid] += 1
    latest = selectors.accepted_values(movement=movement, accepted_before=day_after)
    specs = [progress.CriterionSpec(c.pk, c.direction, c.weight, c.target) for c in criteria]
    by_unit = {
        u.pk: progress.unit_progress(u.pk, specs, latest.get(u.pk, {}), overrides.get(u.pk, {}))
        for u in units
    }
    results = [
        CriterionResult(
            c,
            override_counts[c.pk],
            progress.mean([p.by_criterion[c.pk][2] for p in by_unit.values()]),
            reached=sum(1 for p in by_unit.values() if p.by_criterion[c.pk][2] >= 1),
            reported=sum(1 for p in by_unit.values() if p.by_criterion[c.pk][0] is not None),
        )
        for c in criteria
    ]
    sent: dict[tuple[int, dt.date], selectors.ReportBrief] = {}
    for pk, unit_id, end, state, first, reviewed in (
        ProgressReport.objects.filter(movement=movement)
        .values_list("id", "unit_id", "period_end", "state", "first_submitted_at", "reviewed_at")
        .order_by()
    ):
        submitted_on = timezone.localdate(first) if first else None
        if submitted_on is not None and submitted_on > today:
            # Sent after the day the figures stand at: missing on that day.
            continue
        if state == ReportState.ACCEPTED and (reviewed is None or reviewed >= day_after):
            # Accepted after that day: it was still waiting then.
            state = ReportState.SUBMITTED
        sent[(unit_id, end)] = selectors.ReportBrief(pk, state, submitted_on)
    on_time = late = missing = accepted = 0
    late_units: list[str] = []
    missing_units: list[str] = []
    for unit in units:
        unit_late = unit_missing = False
        for p in periods:
            if p.start > today:
                break
            brief = sent.get((unit.pk, p.end))
            is_late, is_missing = selectors._late_missing(p, brief, today)
            late += is_late
            missing += is_missing
            on_time += brief is not None and brief.submitted_on is not None and not is_late
            accepted += brief is not None and brief.state == ReportState.ACCEPTED
            unit_late |= is_late
            unit_missing |= is_missing
        if unit_late:
            late_units.append(unit.name)
        if unit_missing:
            missing_units.append(unit.name)
    from thidua.registrations.models import Pledge
    from thidua.registrations.workflow import RegistrationState

    pledged = (
        Pledge.objects.filter(movement=movement, registration__state=RegistrationState.APPROVED)
        .values("registration__unit_id")
        .distinct()
        .count()
    )
    return ReviewFigures(
        movement=movement,
        as_of=today,
        units=units,
        criteria=results,
        overall=progress.mean([p.overall for p in by_unit.values()]),
        units_complete=sum(1 for p in by_unit.values() if p.overall >= 1),
        timeliness=Timeliness(on_time, late, missing, accepted, late_units, missing_units),
        pledged_units=pledged,
        documents=list(
            movement.documents.filter(is_active=True).order_by("id").values_list("original_name", flat=True)
        ),
        dossiers=linked_dossiers(movement, proposed_only=True),
    )


def figures_of(review: MovementReview, *, today: dt.date | None = None) -> ReviewFigures:
    """A review's report stands at the review's day (a sơ kết downloaded at the tổng kết still shows the
    mid-term figures), or today while the review's day is still ahead."""
    today = today or timezone.localdate()
    return review_figures(review.movement, today=min(review.held_on, today))


# ---------------------------------------------------------------------------------------------------
# Pages


def get_review(*, user: User, movement_pk: int, pk: int) -> MovementReview:
    """The review, through its movement's scope (outside it: 404)."""
    movement = selectors.get_movement(user=user, pk=movement_pk)
    review = MovementReview.objects.filter(movement=movement, pk=pk).select_related("created_by").first()
    if review is None:
        raise Http404
    review.movement = movement
    return review


def sees_report(user: User, movement: Movement) -> bool:
    """The report covers every target unit and every dossier proposed: the launching authority's people
    and province-wide accounts, as for the movement's figures over all units; a target unit's staff see
    their own units only (docs/movements.md, "Sơ kết, tổng kết")."""
    return access.sees_all_units(user, movement)


def get_review_for_report(*, user: User, movement_pk: int, pk: int) -> MovementReview:
    review = get_review(user=user, movement_pk=movement_pk, pk=pk)
    if not sees_report(user, review.movement):
        raise Http404
    return review


@dataclass
class ReviewPage:
    review: MovementReview
    movement: Movement
    others: list[MovementReview]
    dossiers: list[DossierRow]
    figures: ReviewFigures | None
    perms: dict[str, bool]


def review_page(*, user: User, movement_pk: int, pk: int) -> ReviewPage:
    review = get_review(user=user, movement_pk=movement_pk, pk=pk)
    movement = review.movement
    sees_all = sees_report(user, movement)
    figures = figures_of(review) if sees_all else None
    return ReviewPage(
        review=review,
        movement=movement,
        others=list(movement.reviews.exclude(pk=review.pk).order_by("held_on")),
        dossiers=linked_dossiers(movement, user=user),
        figures=figures,
        perms={
            "edit": access.manages(user, movement) and movement.state != "archived",
            "download": sees_all,
            "propose": user.has_perm("proposals.create_dossier"),
        },
    )


def reviews_of(*, movement: Movement) -> list[MovementReview]:
    """The movement's reviews (the movement already found through the user's scope)."""
    return list(MovementReview.objects.filter(movement=movement).order_by("held_on", "id"))


def review_kind_for(slug: str) -> str:
    """The review form's URL names the kind as the movement's step does (so-ket, tong-ket)."""
    kinds = {"so-ket": ReviewKind.MIDTERM, "tong-ket": ReviewKind.FINAL}
    if slug not in kinds:
        raise Http404
    return kinds[slug]
