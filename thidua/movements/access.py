"""Who acts for a movement and who sees what of it.

The launching authority's specialist (chuyên viên thi đua, khen thưởng of that authority) drafts,
launches, reviews at mid-term and at the end, and accepts or returns the units' reports; no one else,
the administrator included, takes a step. The authority's people (its specialist, Council members,
chairman or head) and province-wide accounts see every target unit; a target unit's staff see the
movement and their own units' reports only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from thidua.accounts.models import Role
from thidua.accounts.scope import unit_in_scope, works_in
from thidua.proposals.access import headed_authority, serves

SPECIALIST = Role.BOARD_SPECIALIST


def own_authority_ids(user: Any) -> set[int]:
    """The authorities the user works for: the one the role is held in, and the one the user heads."""
    ids: set[int] = set()
    authority = getattr(user, "role_authority", None)
    if authority is not None:
        ids.add(authority.pk)
    headed = headed_authority(user)
    if headed is not None:
        ids.add(headed.pk)
    return ids


def manages(user: Any, movement: Any) -> bool:
    """The specialist of the launching authority."""
    return bool(serves(user, movement.authority, SPECIALIST))


def sees_all_units(user: Any, movement: Any) -> bool:
    return bool(getattr(user, "is_province_wide", False)) or movement.authority_id in own_authority_ids(user)


def visible_movements_q(user: Any) -> Q:
    """Movements the user may open: those of the user's own authorities (drafts included); launched ones
    province-wide accounts see, or whose target units are in the user's scope."""
    from thidua.movements.models import MovementTarget
    from thidua.movements.workflow import MovementState

    own = Q(authority_id__in=own_authority_ids(user))
    if getattr(user, "is_province_wide", False):
        return own | ~Q(state=MovementState.DRAFT)
    root = user.scope_unit
    if root is None:
        return own
    targeted = Exists(
        MovementTarget.objects.filter(movement=OuterRef("pk"), unit__path__startswith=root.path)
    )
    return own | (~Q(state=MovementState.DRAFT) & Q(targeted))


def sees_report(user: Any, report: Any) -> bool:
    return sees_all_units(user, report.movement) or unit_in_scope(user, report.unit)


def conflicted(user: Any, report: Any) -> bool:
    """The specialist works in the reporting unit: someone else of the authority reviews its report."""
    return report.unit_id != report.movement.authority.unit_id and works_in(user, report.unit)
