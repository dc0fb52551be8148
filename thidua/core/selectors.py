from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.awards.models import AwardRecord, Decision
from thidua.organisation.models import Household, Person, Unit


def public_overview() -> dict[str, Any]:
    """Figures shown on the public home page: only aggregate counts, nothing personal."""
    return {
        "decision_count": Decision.objects.count(),
        "award_count": AwardRecord.objects.count(),
        "unit_count": Unit.objects.filter(valid_to__isnull=True).count(),
    }


def dashboard_overview(*, user: User) -> dict[str, Any]:
    """Counts within the user's data scope, and the latest decisions touching it."""
    people = Person.objects.filter(scope_q(user))
    award_scope = (
        Q()
        if user.is_province_wide
        else scope_q(user, "person__unit") | scope_q(user, "unit") | scope_q(user, "household__unit")
    )
    awards = AwardRecord.objects.filter(award_scope)
    by_level = dict(
        awards.values_list("award_type__level").annotate(n=Count("id")).values_list("award_type__level", "n")
    )
    latest_years = list(
        awards.values("year").annotate(n=Count("id")).order_by("-year").values_list("year", "n")[:5]
    )
    decisions = Decision.objects.filter(records__in=awards).distinct().order_by("-date", "number")[:8]
    from thidua.proposals.selectors import dossier_counts, overdue_dossiers

    return {
        "dossier_counts": dossier_counts(user=user),
        "overdue_dossiers": overdue_dossiers(user=user),
        "person_count": people.count(),
        "unit_count": Unit.objects.filter(scope_q(user, None), valid_to__isnull=True).count(),
        "household_count": Household.objects.filter(scope_q(user)).count(),
        "award_count": awards.count(),
        "awards_by_level": by_level,
        "awards_by_year": latest_years,
        "latest_decisions": list(decisions),
    }
