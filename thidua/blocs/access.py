"""Who acts on a bloc's score sheet and who sees what of it.

- The Board: the specialists of the sheet's authority (the province's Ban Thi đua – Khen thưởng) draft
  and, when the sheet says the Board approves (the default), approve it and publish the ranking.
- The bloc: the leader unit of the sheet's year (its bloc leader, head or officer) may draft the sheet,
  assigns the cross-reviewers, records the meeting; its bloc leader or head approves and publishes when
  the sheet says the bloc approves.
- A member unit: its officer self-scores, its head submits (as for movements' progress reports).
- A reviewer: the staff of the unit assigned to review a member (by default the leader; the leader's own
  sheet, by default the deputy).

Seeing: the Board, province-wide accounts and the sheet's authority see everything; a member unit's staff
see the sheet, and before publication only their own unit's scores and evidence, plus those they review;
the bloc's leader sees every submitted sheet (it settles them). After publication every member sees every
unit's scores and active evidence. Anyone else (a unit of another bloc) gets 404.
"""

from __future__ import annotations

from typing import Any

from thidua.accounts.models import Role
from thidua.accounts.scope import unit_in_scope
from thidua.blocs.workflow import Approver, SheetState, UnitSheetState
from thidua.movements.access import own_authority_ids
from thidua.organisation.models import BlocMembership, BlocRole
from thidua.proposals.access import serves

BLOC_STAFF = (Role.BLOC_LEADER, Role.UNIT_HEAD, Role.UNIT_OFFICER)
# Who signs for the bloc: what the bloc approves, settles and publishes.
BLOC_SIGNERS = (Role.BLOC_LEADER, Role.UNIT_HEAD)


def members(sheet: Any) -> list[BlocMembership]:
    cached = getattr(sheet, "_members", None)
    if cached is None:
        cached = list(
            BlocMembership.objects.filter(bloc_id=sheet.bloc_id, year=sheet.year)
            .select_related("unit")
            .order_by("unit__sort_key", "unit_id")
        )
        sheet._members = cached
    return cached


def member_units(sheet: Any) -> list[Any]:
    return [m.unit for m in members(sheet)]


def holder(sheet: Any, role: str) -> Any:
    return next((m.unit for m in members(sheet) if m.role == role), None)


def is_board(user: Any, sheet: Any) -> bool:
    return bool(serves(user, sheet.authority, Role.BOARD_SPECIALIST))


def works_for(user: Any, unit: Any, roles: tuple[str, ...] = BLOC_STAFF) -> bool:
    """The user is staff of `unit` itself (not of a unit above it: the bloc's work is the unit's own)."""
    return (
        unit is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in roles
        and user.unit_id == unit.pk
    )


def acts_for_bloc(user: Any, sheet: Any, roles: tuple[str, ...] = BLOC_STAFF) -> bool:
    return works_for(user, holder(sheet, BlocRole.LEADER), roles)


def may_edit(user: Any, sheet: Any) -> bool:
    return is_board(user, sheet) or acts_for_bloc(user, sheet)


def may_approve(user: Any, sheet: Any) -> bool:
    """Approve the sheet and publish the ranking: whoever the sheet names."""
    if sheet.approver == Approver.BLOC:
        return acts_for_bloc(user, sheet, BLOC_SIGNERS)
    return is_board(user, sheet)


def reviewer_of(sheet: Any, unit: Any, assignments: dict[int, Any] | None = None) -> Any:
    """The unit that cross-reviews `unit`: the one assigned, else the leader, else (for the leader's own
    sheet) the deputy."""
    if assignments is None:
        assignments = {a.unit_id: a.reviewer for a in sheet.assignments.select_related("reviewer")}
    if unit.pk in assignments:
        return assignments[unit.pk]
    leader = holder(sheet, BlocRole.LEADER)
    if leader is not None and leader.pk != unit.pk:
        return leader
    return holder(sheet, BlocRole.DEPUTY)


def is_member_staff(user: Any, sheet: Any) -> bool:
    return any(unit_in_scope(user, u) for u in member_units(sheet)) or any(
        works_for(user, u) for u in member_units(sheet)
    )


def sees_sheet(user: Any, sheet: Any) -> bool:
    if getattr(user, "is_province_wide", False) or sheet.authority_id in own_authority_ids(user):
        return True
    if is_board(user, sheet):
        return True
    if sheet.state == SheetState.DRAFT:
        return acts_for_bloc(user, sheet)
    return is_member_staff(user, sheet)


def sees_all_scores(user: Any, sheet: Any) -> bool:
    return (
        getattr(user, "is_province_wide", False)
        or sheet.authority_id in own_authority_ids(user)
        or sheet.state == SheetState.PUBLISHED
    )


def sees_unit_sheet(user: Any, unit_sheet: Any, assignments: dict[int, Any] | None = None) -> bool:
    """May this user see this unit's scores and evidence (the sheet itself being visible)?"""
    sheet = unit_sheet.sheet
    if sees_all_scores(user, sheet) or unit_in_scope(user, unit_sheet.unit):
        return True
    if unit_sheet.state == UnitSheetState.DRAFT:
        return False
    if acts_for_bloc(user, sheet):
        return True
    return works_for(user, reviewer_of(sheet, unit_sheet.unit, assignments))


def may_review(user: Any, unit_sheet: Any) -> bool:
    reviewer = reviewer_of(unit_sheet.sheet, unit_sheet.unit)
    return reviewer is not None and reviewer.pk != unit_sheet.unit_id and works_for(user, reviewer)
