"""Who may open the directive-tracking pages (django-rules); each object is then found through the scoped
selectors (outside the scope: 404), and the services check each write again."""

from __future__ import annotations

import rules

from thidua.accounts.models import AUTHORITY_ROLES
from thidua.accounts.rules import has_role, is_board_specialist, is_province_wide, is_unit_staff
from thidua.movements.rules import holds_an_authority

rules.add_perm("directives.view_directives", is_province_wide | is_unit_staff | has_role(*AUTHORITY_ROLES))
rules.add_perm("directives.create_directive", is_board_specialist & holds_an_authority)
