"""Who may open the reports (django-rules). Every figure is then counted over the user's data scope, and
a saved report outside what the user owns or shares answers 404."""

from __future__ import annotations

import rules

from thidua.accounts.rules import is_administrator, is_board_specialist, is_logged_in

rules.add_perm("reports.view_reports", is_logged_in)
# The Board (Ban Thi đua – Khen thưởng) sets its authority's targets; the service checks the authority.
rules.add_perm("reports.edit_targets", is_board_specialist | is_administrator)
