"""Who may open the role models' staff pages and act on them (django-rules). Each record is then found
through the scoped selectors (outside the scope: 404), and the services check role and scope again."""

from __future__ import annotations

import rules

from thidua.accounts.rules import is_administrator, is_board_specialist, is_unit_staff

rules.add_perm("portal.view_role_models", is_unit_staff | is_board_specialist | is_administrator)
rules.add_perm("portal.nominate_role_model", is_unit_staff)
# Approve, publish, feature, retire: the Board's specialist of the authority the unit belongs to.
rules.add_perm("portal.decide_role_model", is_board_specialist)
rules.add_perm("portal.record_consent", is_unit_staff | is_board_specialist)
rules.add_perm("portal.publish_decision", is_board_specialist)
