"""Who may open the registrations' pages (django-rules). Each registration is then found through the
scoped selectors (outside the scope: 404), and the services check each step again."""

from __future__ import annotations

import rules

from thidua.accounts.models import AUTHORITY_ROLES
from thidua.accounts.rules import has_role, is_province_wide, is_unit_staff

rules.add_perm(
    "registrations.view_registrations", is_province_wide | is_unit_staff | has_role(*AUTHORITY_ROLES)
)
