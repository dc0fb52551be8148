"""Who may open the movements' pages (django-rules). Each object is then found through the scoped
selectors (outside the scope: 404), and the services check each step again."""

from __future__ import annotations

from typing import Any

import rules

from thidua.accounts.models import AUTHORITY_ROLES
from thidua.accounts.rules import has_role, is_board_specialist, is_province_wide, is_unit_staff


@rules.predicate
def holds_an_authority(user: Any) -> bool:
    return getattr(user, "authority_id", None) is not None


rules.add_perm("movements.view_movements", is_province_wide | is_unit_staff | has_role(*AUTHORITY_ROLES))
rules.add_perm("movements.create_movement", is_board_specialist & holds_an_authority)
