from __future__ import annotations

from django.db.models import QuerySet

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.imports.models import ImportBatch
from thidua.organisation.models import Unit

# The unit sheet of a template is a convenience; a whole province fits well within this.
TEMPLATE_UNIT_LIMIT = 5000


def recent_batches(*, user: User, limit: int = 20) -> QuerySet[ImportBatch]:
    """The user's own recent imports; province-wide staff see everyone's, as they may confirm them."""
    batches = ImportBatch.objects.select_related("uploaded_by", "unit").order_by("-created_at")
    if not user.is_province_wide:
        batches = batches.filter(uploaded_by=user)
    return batches[:limit]


def template_units(*, user: User) -> list[tuple[str, str]]:
    """Codes and names of the units the user may import for, listed in the downloaded template."""
    units = Unit.objects.filter(scope_q(user, None)).order_by("sort_key")
    return list(units.values_list("code", "name")[:TEMPLATE_UNIT_LIMIT])
