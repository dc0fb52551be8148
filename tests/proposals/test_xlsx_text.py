"""The dossier list's Excel export writes a title typed as a formula as text (issue 13, finding 2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.proposals.conftest import drafted
from tests.xlsx_xml import PAYLOAD, assert_written_as_text, body_of
from thidua.proposals.models import Dossier

pytestmark = pytest.mark.django_db


def test_dossier_export_writes_the_title_as_text(flow: dict[str, Any], client_for: Any) -> None:
    dossier = drafted(flow)
    Dossier.objects.filter(pk=dossier.pk).update(title=PAYLOAD)
    response = client_for(flow["health_officer"]).get(reverse("proposals:list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert_written_as_text(body_of(response), count=1)
