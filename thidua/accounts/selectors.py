from __future__ import annotations

from django.db.models import QuerySet

from thidua.accounts.models import ApiToken, Role, User


def tokens_visible(*, user: User) -> QuerySet[ApiToken]:
    """The API keys a user may see and revoke: their own; every account's for an administrator."""
    rows = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    if user.role == Role.ADMINISTRATOR:
        return rows
    return rows.filter(user=user)
