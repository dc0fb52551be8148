from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Sum

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.awards.models import Decision
from thidua.core.models import AwardTally
from thidua.core.queries import counts
from thidua.organisation.models import Household, Person, Unit


def _merged_todo(*lists: list[Any], limit: int = 12) -> list[Any]:
    """The dossiers', the movements' and the directives' to-do as one list, soonest deadline first."""
    items = [item for found in lists for item in found]
    items.sort(key=lambda item: (item.due is None, item.due or date.max))
    return items[:limit]


# A safety net only: every change the dashboard shows replaces the data version (thidua.core.dataversion).
DASHBOARD_SECONDS = 5 * 60


def dashboard_key(user: User) -> str:
    return f"core:dashboard:{user.pk}"


def dashboard_overview(*, user: User) -> dict[str, Any]:
    """The user's dashboard, from the cache while nothing it shows has changed: the same data version (every
    audited change and every vote replaces it), the same day (deadlines fall due, movements open and close)
    and the same account (a new role or scope is an audited change too). Every user lands here after the
    login and comes back to it between tasks; computing it costs 15–19 queries."""
    from django.core.cache import cache
    from django.utils import timezone

    from thidua.core import dataversion

    # The version is read before the figures: figures newer than their version are only recomputed sooner.
    stamp = (dataversion.current(), timezone.localdate().isoformat())
    key = dashboard_key(user)
    hit = cache.get(key)
    if hit is not None and hit[0] == stamp:
        return dict(hit[1])
    context = _dashboard_overview(user=user)
    cache.set(key, (stamp, context), DASHBOARD_SECONDS)
    return context


def _dashboard_overview(*, user: User) -> dict[str, Any]:
    """Counts within the user's data scope, and the latest decisions touching it.

    The award figures and the latest decisions come from the tallies (core.AwardTally: about a row per
    unit and decision, kept in step with the records), not from reading the registry on every request;
    the queries are the same whatever the number of records.
    """
    from django.utils import timezone

    from thidua.directives import selectors as directives
    from thidua.movements import charts as movement_charts
    from thidua.movements import selectors as movements
    from thidua.proposals.selectors import dossier_counts, overdue_dossiers, signer_for, todo
    from thidua.registrations import selectors as registrations

    by_year = list(
        AwardTally.objects.filter(scope_q(user))
        .values_list("year")
        .annotate(n=Sum("records"), revoked=Sum("revoked"))
        .order_by("-year")
    )
    # EXISTS walks the decisions newest first and stops at the eighth that awards someone in scope, each
    # probe reading the decision's few tally rows; a join of the records with DISTINCT read every record
    # in scope first.
    touching = AwardTally.objects.filter(scope_q(user), decision=OuterRef("pk"), records__gt=0)
    decisions = Decision.objects.filter(Exists(touching)).order_by("-date", "number")[:8]
    running = movements.running_progress(user=user)
    totals = counts(
        person=Person.objects.filter(scope_q(user)),
        unit=Unit.objects.filter(scope_q(user, None), valid_to__isnull=True),
        household=Household.objects.filter(scope_q(user)),
    )
    counts_by_state = dossier_counts(user=user)
    return {
        "dossier_counts": counts_by_state,
        # Read only when the count just taken has some: mostly there are none, and the list would be empty.
        "overdue_dossiers": overdue_dossiers(user=user) if counts_by_state.get("overdue") else [],
        "todo": _merged_todo(
            todo(user=user),
            movements.todo(user=user),
            registrations.todo(user=user),
            directives.todo(user=user),
        ),
        "movements": [m for m, _share in running],
        "movement_chart": movement_charts.running_chart(running) if running else None,
        # Who signs, not has_perm: a superuser holds every permission, yet never issues a decision.
        "can_decide": signer_for(user=user, on=timezone.localdate()) is not None,
        "person_count": totals["person"],
        "unit_count": totals["unit"],
        "household_count": totals["household"],
        "award_count": sum(n for _year, n, _revoked in by_year),
        "revoked_count": sum(revoked for _year, _n, revoked in by_year),
        "awards_by_year": [(year, n) for year, n, _revoked in by_year if n][:5],
        "latest_decisions": list(decisions),
    }


def audit_target_types() -> list[tuple[str, str]]:
    """The object types an audit row can name: every model, by its Vietnamese name."""
    from django.apps import apps

    return sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name)) for m in apps.get_models()),
        key=lambda choice: choice[1].lower(),
    )


def audit_search(
    *,
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    text: str = "",
) -> Any:
    """The audit rows matching every filter given, newest first. Who may read them is the view's rule
    (core.view_audit): the rows name objects of every app and cannot all be placed in a unit, so they
    are not cut by data scope."""
    import datetime as dt

    from django.db.models import Q
    from django.utils import timezone

    from thidua.core.models import AuditLog

    rows = AuditLog.objects.select_related("actor").order_by("-at", "-pk")
    if actor:
        rows = rows.filter(Q(actor__username__icontains=actor) | Q(actor__full_name__icontains=actor))
    if target_type:
        rows = rows.filter(target_type=target_type)
    if target_id:
        rows = rows.filter(target_id=target_id)
    zone = timezone.get_current_timezone()
    # Whole local days, compared on the indexed timestamp rather than on a computed date.
    if date_from:
        rows = rows.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=zone))
    if date_to:
        rows = rows.filter(
            at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        )
    if text:
        rows = rows.filter(Q(summary__icontains=text) | Q(action__icontains=text))
    return rows
