"""A registration's export and the summary write names typed as formulas as text (issue 13, finding 2):
the unit's and people's names in the rows, the catalogue's titles in the summary's header."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.registrations.conftest import sent
from tests.xlsx_xml import PAYLOAD, assert_written_as_text, body_of
from thidua.awards.models import AwardType
from thidua.organisation.models import Unit

pytestmark = pytest.mark.django_db


def test_registration_export_writes_names_as_text(world: dict[str, Any], client_for: Any) -> None:
    registration = sent(world)
    Unit.objects.filter(pk=world["health"].pk).update(name=PAYLOAD)
    response = client_for(world["specialist"]).get(reverse("registrations:export", args=[registration.pk]))
    assert response.status_code == 200
    # The collective line (Sở Y tế itself) and its two people's unit.
    assert_written_as_text(body_of(response), count=3)


def test_registration_summary_writes_unit_and_title_names_as_text(
    world: dict[str, Any], client_for: Any
) -> None:
    sent(world)
    Unit.objects.filter(pk=world["health"].pk).update(name=PAYLOAD)
    AwardType.objects.filter(code="TTLDTT").update(name="@" + PAYLOAD)
    response = client_for(world["specialist"]).get(reverse("registrations:summary_export"), {"year": 2027})
    assert response.status_code == 200
    body = body_of(response)
    # Sở Y tế's row, and the title's column header.
    assert_written_as_text(body, count=2)
    assert_written_as_text(body, "@" + PAYLOAD, count=1)
