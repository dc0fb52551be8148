"""Who sees and does what in directive tracking.

The issuing authority's specialist drafts a directive, adds its tasks, the inspected units, findings and
recommendations, and issues and closes it. The authority's people (specialist, Council members, chairman
or head) and province-wide accounts see every task and every unit's reports. A unit's staff see the issued
directives that give a task to (or inspect) a unit in their scope, those tasks only, and their own units'
reports; anyone else gets 404 on every page, file, export and API route.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from thidua.accounts.models import UNIT_STAFF, Role
from thidua.accounts.scope import unit_in_scope
from thidua.movements.access import own_authority_ids
from thidua.proposals.access import serves


def manages(user: Any, directive: Any) -> bool:
    return bool(serves(user, directive.authority, Role.BOARD_SPECIALIST))


def sees_all(user: Any, directive: Any) -> bool:
    return bool(getattr(user, "is_province_wide", False)) or directive.authority_id in own_authority_ids(user)


def assigned_q(user: Any, prefix: str = "") -> Q:
    """Tasks (through `prefix`) given to a unit in the user's scope, as lead or coordinating unit."""
    root = user.scope_unit
    if root is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}lead_unit__path__startswith": root.path}) | Q(
        **{f"{prefix}coordinating_units__path__startswith": root.path}
    )


def visible_directives_q(user: Any) -> Q:
    from thidua.directives.models import InspectedUnit, Task
    from thidua.directives.workflow import DirectiveState

    own = Q(authority_id__in=own_authority_ids(user))
    if getattr(user, "is_province_wide", False):
        return own | ~Q(state=DirectiveState.DRAFT)
    root = user.scope_unit
    if root is None:
        return own
    tasked = Exists(Task.objects.filter(assigned_q(user), directive=OuterRef("pk")))
    inspected = Exists(
        InspectedUnit.objects.filter(directive=OuterRef("pk"), unit__path__startswith=root.path)
    )
    return own | (~Q(state=DirectiveState.DRAFT) & (Q(tasked) | Q(inspected)))


def task_units(task: Any) -> list[Any]:
    """The units that report on the task: the lead unit first, then the coordinating units."""
    coordinating = sorted(task.coordinating_units.all(), key=lambda u: u.sort_key)
    return [task.lead_unit, *[u for u in coordinating if u.pk != task.lead_unit_id]]


def sees_unit(user: Any, directive: Any, unit: Any) -> bool:
    return sees_all(user, directive) or unit_in_scope(user, unit)


def reports_for(user: Any, unit: Any) -> bool:
    """The user may write the unit's report: its staff (officer or head)."""
    return user.role in UNIT_STAFF and unit_in_scope(user, unit)
