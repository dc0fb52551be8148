"""The menu shows what the user's permissions allow, remembered briefly per process; a change of role or
account state shows at once, and no user's menu serves another's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from thidua.accounts.models import Role
from thidua.core.context_processors import _NAV_PERMS, granted_nav_perms

pytestmark = pytest.mark.django_db


def _links(client: Client) -> set[str]:
    items = client.get("/tong-quan/").context["nav_items"]
    out = set()
    for item in items:
        for link in item.get("children", [item]):
            out.add(link["url"])
    return out


def test_the_menu_equals_the_permissions_and_follows_a_change_of_role(
    users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    officer, specialist = users["health_officer"], users["specialist"]
    for user in (officer, specialist):
        assert granted_nav_perms(user) == {p for p in _NAV_PERMS if user.has_perm(p)}
    officer_links = _links(client_for(officer))
    specialist_links = _links(client_for(specialist))
    assert "/tham-dinh/phat-hien/" in specialist_links and "/ho-so/hoi-dong/" in specialist_links
    assert "/ho-so/hoi-dong/" not in officer_links
    # Promoted: the Council's pages appear on the next request, not a minute later.
    officer.role = Role.BOARD_SPECIALIST
    officer.save(update_fields=["role"])
    assert "/ho-so/hoi-dong/" in _links(client_for(officer))
    # Remembered: a second page asks no permission query for the menu.
    client = client_for(specialist)
    client.get("/tong-quan/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/tong-quan/")
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
