"""Who may draw the central statistical forms (django-rules): the Board's specialists, the Council, the
chairman (each for their own authority) and administrators (any authority). Unit staff may not: the forms
are the authority's report to the level above."""

from __future__ import annotations

import rules

from thidua.accounts.models import AUTHORITY_ROLES
from thidua.accounts.rules import has_role, is_administrator

rules.add_perm("statistics.view_statistics", is_administrator | has_role(*AUTHORITY_ROLES))
