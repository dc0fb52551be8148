"""Who may do what with a dossier (django-rules). Services check the same again: a page that shows a
button is a convenience, the service is the guard."""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.accounts.rules import (
    has_role,
    is_board_specialist,
    is_logged_in,
    is_province_wide,
    is_unit_staff,
)
from thidua.accounts.scope import unit_in_scope, works_in
from thidua.proposals.models import EDITABLE_STATES, DossierState
from thidua.proposals.selectors import signer_for

is_unit_head = has_role(Role.UNIT_HEAD)
is_council_member = has_role(Role.COUNCIL_MEMBER, Role.CHAIRMAN)


@rules.predicate
def holds_signing_authority(user: Any) -> bool:
    return signer_for(user=user, on=timezone.localdate()) is not None


@rules.predicate
def dossier_in_scope(user: Any, dossier: Any) -> bool:
    return dossier is not None and unit_in_scope(user, dossier.unit)


@rules.predicate
def dossier_editable(user: Any, dossier: Any) -> bool:
    return dossier is not None and dossier.state in EDITABLE_STATES


@rules.predicate
def not_conflicted(user: Any, dossier: Any) -> bool:
    return dossier is not None and not works_in(user, dossier.unit)


def _state_in(*states: str) -> Any:
    @rules.predicate(name=f"dossier_state_in_{'_'.join(states)}")
    def predicate(user: Any, dossier: Any) -> bool:
        return dossier is not None and dossier.state in states

    return predicate


rules.add_perm("proposals.view_dossiers", is_province_wide | is_unit_staff)
rules.add_perm(
    "proposals.view_dossier", is_logged_in & (is_province_wide | (is_unit_staff & dossier_in_scope))
)
rules.add_perm("proposals.create_dossier", is_unit_staff | is_board_specialist)
rules.add_perm(
    "proposals.edit_dossier",
    dossier_editable & ((is_unit_staff & dossier_in_scope) | is_board_specialist),
)
rules.add_perm("proposals.submit_dossier", is_unit_head & dossier_in_scope & dossier_editable)
rules.add_perm(
    "proposals.withdraw_dossier",
    is_unit_head
    & dossier_in_scope
    & _state_in(DossierState.DRAFT, DossierState.RETURNED, DossierState.SUBMITTED, DossierState.RECEIVED),
)
rules.add_perm("proposals.handle_dossier", is_board_specialist & not_conflicted)
rules.add_perm("proposals.decide", holds_signing_authority)
rules.add_perm("proposals.view_council", is_board_specialist | is_council_member)
rules.add_perm("proposals.manage_council", is_board_specialist)
