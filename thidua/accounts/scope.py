"""Data scope: which units' records a user may see. A unit officer sees the unit and its sub-units."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.accounts.models import UNIT_STAFF, User
from thidua.core.errors import Forbidden, require_role


def unit_in_scope(user: Any, unit: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or unit is None:
        return False
    if user.is_province_wide:
        return True
    own = user.scope_unit
    return own is not None and unit.path.startswith(own.path)


def works_in(user: Any, unit: Any) -> bool:
    """The user's own unit is `unit` or one of its sub-units: the reverse of `unit_in_scope`. Whoever
    works in a proposing unit may not appraise or vote on its proposals (conflict of interest)."""
    own = getattr(user, "unit", None)
    return own is not None and unit is not None and own.path.startswith(unit.path)


def scope_q(user: User, unit_field: str | None = "unit") -> Q:
    """A filter restricting a queryset to the user's data scope, through `unit_field` (None: the units)."""
    if user.is_province_wide:
        return Q()
    own = user.scope_unit
    if own is None:
        return Q(pk__in=[])
    lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    return Q(**{lookup: own.path})


def require_unit_staff(actor: Any, unit: Any) -> None:
    """Refuse anyone but the unit's officer or head (a report, a registration is the unit's own)."""
    require_role(actor, *UNIT_STAFF)
    if not unit_in_scope(actor, unit):
        raise Forbidden(_("Đơn vị này không thuộc phạm vi của bạn."), "out_of_scope")
