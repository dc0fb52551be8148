"""The dashboard's bloc results: the published ranking of the year, for the member units in the scope;
nothing before publication."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.blocs.test_services import _settled
from thidua.blocs import services
from thidua.blocs.models import RankingEntry

pytestmark = pytest.mark.django_db


def _blocs(client: Client, user: Any) -> Any:
    client.force_login(user)
    response = client.get("/bao-cao/?nam=2026")
    assert response.status_code == 200
    return response.context


def test_bloc_results_are_the_published_ranking_within_the_scope(
    world: dict[str, Any], client: Client
) -> None:
    sheet = _settled(world)
    assert _blocs(client, world["specialist"])["d"].blocs == []
    services.ranking_publish(actor=world["specialist"], sheet=sheet)
    entries = list(RankingEntry.objects.filter(sheet=sheet).select_related("unit").order_by("position"))
    assert len(entries) == 3
    context = _blocs(client, world["specialist"])
    assert context["d"].blocs == entries
    assert context["blocs_chart"].table.rows == [
        ["Khối các sở", e.unit.name, e.rank, Decimal(e.total)] for e in entries
    ]
    # Sở Y tế's officer: Sở Y tế's own line only.
    own = _blocs(client, world["health_officer"])
    assert [e.unit for e in own["d"].blocs] == [world["health"]]
    assert _blocs(client, world["xa_officer"])["d"].blocs == []
