"""Object permissions, as predicates over the user's role and data scope (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from thidua.accounts.models import Role
from thidua.accounts.scope import unit_in_scope


def has_role(*roles: str) -> Any:
    @rules.predicate(name=f"has_role_{'_'.join(roles)}")
    def predicate(user: Any) -> bool:
        # No superuser bypass: a role is what the user holds, whatever the account's admin-site powers.
        return getattr(user, "is_authenticated", False) and user.role in roles

    return predicate


is_province_wide = rules.predicate(
    lambda user: getattr(user, "is_authenticated", False) and user.is_province_wide, name="is_province_wide"
)
is_administrator = has_role(Role.ADMINISTRATOR)
is_board_specialist = has_role(Role.BOARD_SPECIALIST)
is_unit_staff = has_role(Role.UNIT_OFFICER, Role.UNIT_HEAD)


@rules.predicate
def record_in_scope(user: Any, obj: Any) -> bool:
    """The object belongs to a unit inside the user's scope (the unit itself, or its person's unit)."""
    if obj is None:
        return False
    if hasattr(obj, "path"):
        return unit_in_scope(user, obj)
    for attr in ("unit", "person", "household"):
        target = getattr(obj, attr, None)
        if target is not None:
            return unit_in_scope(user, target if hasattr(target, "path") else target.unit)
    return False


is_logged_in = rules.is_authenticated

rules.add_perm("organisation.view_person", is_logged_in & (is_province_wide | record_in_scope))
rules.add_perm("organisation.view_unit", is_logged_in & (is_province_wide | record_in_scope))
rules.add_perm("organisation.view_household", is_logged_in & (is_province_wide | record_in_scope))
rules.add_perm("organisation.view_bloc", is_logged_in)
# The full CCCD number is personal data (Nghị định 13/2023/NĐ-CP): the Board, administrators and the
# person's own unit staff see it; everyone else sees it masked.
rules.add_perm(
    "organisation.view_identity_number",
    is_administrator | is_board_specialist | (is_unit_staff & record_in_scope),
)
rules.add_perm("awards.view_registry", is_logged_in)
rules.add_perm("awards.view_decision", is_logged_in)
rules.add_perm("imports.import_data", is_administrator | is_board_specialist | is_unit_staff)
# The audit log names objects of every app (dossiers, ballots' sessions, users, imports), which cannot
# all be placed in a unit: a department's specialist would see other authorities' records. So only the
# provincial Board and administrators read it (docs/security.md).
rules.add_perm("core.view_audit", is_administrator | (is_board_specialist & is_province_wide))
# Appraisal: the eligibility panel follows the profile's scope rule; discovery is for the Board, the
# Council, the chairman, administrators and unit staff (over their own units only, by scope_q).
rules.add_perm("appraisal.check_eligibility", is_logged_in & (is_province_wide | record_in_scope))
rules.add_perm("appraisal.view_discovery", is_province_wide | is_unit_staff)
