"""Who acts on a registration and who sees it.

The unit's officer (or head) fills it; the unit's head submits it; the specialist of the authority above
the unit (`Registration.authority`, fixed when the registration is begun) approves or returns it, unless
the specialist works in the registering unit (conflict of interest: another specialist of the authority
reviews it). The authority's people and province-wide accounts see the registrations of the units below
it; a unit's staff see those of their unit and its sub-units only. Nobody else, the administrator's
superuser flag included, takes a step.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from thidua.accounts.models import UNIT_STAFF, Role
from thidua.accounts.scope import scope_q, unit_in_scope, works_in
from thidua.movements.access import own_authority_ids
from thidua.organisation.authorities import province_authority, recipient_chain
from thidua.organisation.models import Authority, Unit
from thidua.proposals.access import serves

SPECIALIST = Role.BOARD_SPECIALIST


def reviewing_authority(unit: Unit) -> Authority | None:
    """The authority above the unit: the nearest one strictly above it (a collective is never judged by
    itself, as in `organisation.authorities`), else the province."""
    chain = recipient_chain(unit)
    return chain[0] if chain else province_authority()


def visible_q(user: Any) -> Q:
    """Registrations the user may open: all for a province-wide account; else those addressed to the
    user's own authorities and those of the units in the user's scope."""
    if getattr(user, "is_province_wide", False):
        return Q()
    return Q(authority_id__in=own_authority_ids(user)) | scope_q(user)


def sees(user: Any, registration: Any) -> bool:
    return (
        bool(getattr(user, "is_province_wide", False))
        or registration.authority_id in own_authority_ids(user)
        or unit_in_scope(user, registration.unit)
    )


def is_staff_of(user: Any, registration: Any) -> bool:
    return user.role in UNIT_STAFF and unit_in_scope(user, registration.unit)


def conflicted(user: Any, registration: Any) -> bool:
    """The specialist works in the registering unit (or a sub-unit of it)."""
    return works_in(user, registration.unit)


def reviews(user: Any, registration: Any) -> bool:
    return bool(serves(user, registration.authority, SPECIALIST)) and not conflicted(user, registration)
