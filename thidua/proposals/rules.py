"""Who may do what with a dossier (django-rules). Services check the same again: a page that shows a
button is a convenience, the service is the guard."""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from thidua.accounts.models import AUTHORITY_ROLES, Role
from thidua.accounts.rules import (
    has_role,
    is_board_specialist,
    is_logged_in,
    is_province_wide,
    is_unit_staff,
)
from thidua.accounts.scope import unit_in_scope
from thidua.proposals import workflow
from thidua.proposals.access import conflicted, council_authority_ids, is_head
from thidua.proposals.models import EDITABLE_STATES
from thidua.proposals.selectors import signer_for

is_unit_head = has_role(Role.UNIT_HEAD)
holds_authority_role = has_role(*AUTHORITY_ROLES)
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
    return dossier is not None and not conflicted(user, dossier)


@rules.predicate
def serves_dossier_authority(user: Any, dossier: Any) -> bool:
    """The dossier is addressed to the authority the user's role is held in."""
    return dossier is not None and user.authority_id == dossier.authority_id


def _state_in(*states: str) -> Any:
    @rules.predicate(name=f"dossier_state_in_{'_'.join(states)}")
    def predicate(user: Any, dossier: Any) -> bool:
        return dossier is not None and dossier.state in states

    return predicate


rules.add_perm("proposals.view_dossiers", is_province_wide | is_unit_staff | holds_authority_role)
rules.add_perm(
    "proposals.view_dossier",
    is_logged_in & (is_province_wide | ((is_unit_staff | holds_authority_role) & dossier_in_scope)),
)
rules.add_perm("proposals.create_dossier", is_unit_staff | is_board_specialist)
rules.add_perm(
    "proposals.edit_dossier",
    dossier_editable & dossier_in_scope & (is_unit_staff | is_board_specialist),
)


@rules.predicate
def heads_dossier_authority(user: Any, dossier: Any) -> bool:
    return dossier is not None and is_head(user, dossier.authority)


def _step_predicate(step: workflow.Step) -> Any:
    """Who may take a step of the workflow table, and on which dossiers: the step's roles, in the step's
    place, from the step's states."""
    states = _state_in(*step.states)
    specialist = (
        has_role(*[r for r in step.roles if r == Role.BOARD_SPECIALIST])
        & serves_dossier_authority
        & not_conflicted
    )
    if step.where == workflow.UNIT:
        return has_role(*step.roles) & dossier_in_scope & states
    if step.where == workflow.AUTHORITY:
        return has_role(*step.roles) & serves_dossier_authority & not_conflicted & states
    return (heads_dossier_authority | specialist) & states


for _step in workflow.STEPS:
    rules.add_perm(f"proposals.step_{_step.name}", _step_predicate(_step))
# The names the pages have used for the unit's two steps.
rules.add_perm("proposals.submit_dossier", _step_predicate(workflow.BY_NAME["submit"]))
rules.add_perm("proposals.withdraw_dossier", _step_predicate(workflow.BY_NAME["withdraw"]))
rules.add_perm("proposals.handle_dossier", is_board_specialist & serves_dossier_authority & not_conflicted)
rules.add_perm("proposals.decide", holds_signing_authority)


@rules.predicate
def sits_on_a_council(user: Any) -> bool:
    return bool(council_authority_ids(user))


rules.add_perm("proposals.view_council", is_board_specialist | is_council_member | sits_on_a_council)
rules.add_perm("proposals.manage_council", is_board_specialist)
