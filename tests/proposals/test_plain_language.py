"""Users' pages speak plain Vietnamese: no internal rulebook ids ("vn-2025", the province layer's id) on
the dossier page, the eligibility panel or the discovery page; the rulebook page keeps the detail."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.proposals.conftest import drafted
from thidua.eligibility.rulebook import load_library

pytestmark = pytest.mark.django_db

INTERNAL = re.compile(r"\bvn-20\d\d\b|mau-[a-z-]+")


def test_users_pages_name_the_law_not_its_internal_id(
    flow: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    dossier = drafted(flow)
    line = dossier.nominees.get()
    regime = next(r for r in load_library().regimes if r.id == line.check_result["regime"])
    page = client_for(flow["health_officer"]).get(f"/ho-so/{dossier.pk}/").text
    assert regime.title in page
    specialist = client_for(flow["specialist"])
    panel = specialist.get(f"/tham-dinh/ca-nhan/{flow['health_person'].pk}/").text
    discovery = specialist.get("/tham-dinh/phat-hien/").text
    for text in (page, panel, discovery):
        assert not INTERNAL.findall(text)
    # The detail stays where it belongs: the rulebook page names each regime's id.
    assert INTERNAL.search(specialist.get("/tham-dinh/quy-dinh/").text)
