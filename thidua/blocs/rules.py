"""Who may open the blocs' scoring pages (django-rules). Each sheet is then found through the scoped
selectors (outside what the user may see: 404), and the services check each step again."""

from __future__ import annotations

import rules

from thidua.accounts.models import AUTHORITY_ROLES, Role
from thidua.accounts.rules import has_role, is_province_wide, is_unit_staff

rules.add_perm(
    "blocs.view_scoring",
    is_province_wide | is_unit_staff | has_role(Role.BLOC_LEADER) | has_role(*AUTHORITY_ROLES),
)
