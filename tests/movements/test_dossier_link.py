"""A chuyên đề dossier points to the movement it answers (issue 10, item 3): chosen among the launched
movements of the unit, named by the movement, refused for another unit's or a draft movement."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.movements.conftest import drafted, launched
from tests.proposals.test_api import Api
from thidua.proposals import services as dossier_services
from thidua.proposals.models import Dossier

pytestmark = pytest.mark.django_db


def test_the_officer_links_a_thematic_dossier_to_the_movement_through_the_page(
    world: dict[str, Any], client_for: Any
) -> None:
    movement = launched(world)
    client = client_for(world["health_officer"])
    form = client.get(reverse("proposals:create"))
    assert f'<option value="{movement.pk}"' in form.text
    response = client.post(
        reverse("proposals:create"),
        {
            "unit": world["health"].pk,
            "kind": "chuyen_de",
            "year": "2026",
            "title": "Đề nghị khen thưởng chuyên đề phong trào chung tay vì người nghèo",
            "linked_movement": str(movement.pk),
            "movement": "",
        },
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.linked_movement == movement
    # The name comes from the movement when none is typed: the chuyên đề dossier's required movement.
    assert dossier.movement == movement.title
    page = client.get(reverse("proposals:detail", args=[dossier.pk])).text
    assert reverse("movements:detail", args=[movement.pk]) in page


def test_a_draft_or_another_units_movement_is_refused(world: dict[str, Any]) -> None:
    draft = drafted(world, title="Bản nháp")
    # Sở Giáo dục is not a target of the province's movement for Sở Y tế and two communes.
    movement = launched(world)
    for unit, officer, chosen in (
        (world["health"], world["health_officer"], draft),
        (world["education"], world["education_officer"], movement),
    ):
        with pytest.raises(ValidationError) as raised:
            dossier_services.dossier_create(
                actor=officer,
                unit=unit,
                kind="chuyen_de",
                year=2026,
                title="Đề nghị khen chuyên đề",
                linked_movement=chosen,
            )
        assert raised.value.code == "wrong_movement"
    assert not Dossier.objects.exists()


def test_the_api_links_and_unlinks_a_movement(world: dict[str, Any], client: Client) -> None:
    movement = launched(world)
    as_officer = Api(client, world["health_officer"])
    created = as_officer.post(
        "/dossiers",
        {
            "unit_id": world["health"].pk,
            "kind": "chuyen_de",
            "year": 2026,
            "title": "Đề nghị khen chuyên đề",
            "movement_id": movement.pk,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["movement_id"], body["movement"]) == (movement.pk, movement.title)
    unlinked = as_officer.patch(f"/dossiers/{body['id']}", {"movement_id": 0, "movement": "Phong trào khác"})
    assert unlinked.status_code == 200
    assert (unlinked.json()["movement_id"], unlinked.json()["movement"]) == (None, "Phong trào khác")
    # A movement the caller does not see is not found, and nothing is written.
    hidden = drafted(world, title="Bản nháp của Ban")
    refused = as_officer.post(
        "/dossiers",
        {
            "unit_id": world["health"].pk,
            "kind": "chuyen_de",
            "year": 2026,
            "title": "X",
            "movement_id": hidden.pk,
        },
    )
    assert refused.status_code == 404
    assert Dossier.objects.count() == 1
