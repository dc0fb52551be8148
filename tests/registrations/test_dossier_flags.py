"""A dossier line shows whether its recipient registered its award for the dossier's year: information
only (no text we hold makes registration a condition of a title), in a constant number of queries."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.proposals.conftest import award, flow  # noqa: F401 - the fixture
from thidua.proposals import services as proposals
from thidua.proposals.selectors import dossier_page
from thidua.registrations import services
from thidua.registrations.selectors import registration_flags

pytestmark = pytest.mark.django_db


def _line(**ids: Any) -> Any:
    fields = {"person_id": None, "collective_id": None, "household_id": None, "award_type_id": None}
    fields.update(ids)
    return SimpleNamespace(**fields)


def test_flags_by_recipient_award_and_state(world: dict[str, Any]) -> None:
    officer = world["health_officer"]
    registration = services.registration_open(actor=officer, unit=world["health"], year=2026)
    services.collective_add(
        actor=officer, registration=registration, award_code="TTLDXS", collective=world["clinic"]
    )
    services.people_set(
        actor=officer,
        registration=registration,
        titles={world["health_person"].pk: "CSTDCS", world["clinic_person"].pk: "LDTT"},
    )
    lines = [
        _line(person_id=world["health_person"].pk, award_type_id=award("CSTDCS").pk),
        _line(person_id=world["clinic_person"].pk, award_type_id=award("CSTDCS").pk),
        _line(person_id=world["health_person2"].pk, award_type_id=award("LDTT").pk),
        _line(collective_id=world["clinic"].pk, award_type_id=award("TTLDXS").pk),
        _line(household_id=1, award_type_id=award("GDVH").pk),
    ]
    registration_flags(lines, 2026)
    assert [n.registration for n in lines] == ["pending", "other", "none", "pending", None]
    assert lines[1].registration_other == "Lao động tiên tiến"
    registration = services.registration_submit(actor=world["health_head"], registration=registration)
    services.registration_approve(actor=world["specialist"], registration=registration)
    registration_flags(lines, 2026)
    assert [n.registration for n in lines] == ["registered", "other", "none", "registered", None]
    # Another year's registration says nothing about 2027.
    registration_flags(lines, 2027)
    assert [n.registration for n in lines] == ["none", "none", "none", "none", None]


def test_the_dossier_page_shows_the_flag_in_constant_queries(flow: dict[str, Any], client: Any) -> None:  # noqa: F811
    officer = flow["health_officer"]
    registration = services.registration_open(actor=officer, unit=flow["health"], year=2026)
    services.people_set(
        actor=officer, registration=registration, titles={flow["health_person"].pk: "CSTD_TINH"}
    )
    registration = services.registration_submit(actor=flow["health_head"], registration=registration)
    services.registration_approve(actor=flow["specialist"], registration=registration)
    dossier = proposals.dossier_create(
        actor=officer,
        unit=flow["health"],
        kind="cong_trang",
        year=2026,
        title="Đề nghị tặng Chiến sĩ thi đua cấp tỉnh năm 2026",
        authority=flow["ubnd"].authority,
    )
    proposals.nominee_add(
        actor=officer,
        dossier=dossier,
        recipient=flow["health_person"],
        award_type=award("CSTD_TINH"),
        achievement="x",
    )
    client.force_login(officer)
    url = reverse("proposals:detail", args=[dossier.pk])
    client.get(url)  # the menu's permissions are remembered after the first page
    with CaptureQueriesContext(connection) as one:
        body = client.get(url).content.decode()
    assert "Đã đăng ký" in body
    proposals.nominee_add(
        actor=officer,
        dossier=dossier,
        recipient=flow["clinic_person"],
        award_type=award("CSTD_TINH"),
        achievement="y",
    )
    with CaptureQueriesContext(connection) as two:
        body = client.get(url).content.decode()
    assert "Đã đăng ký" in body and "Chưa đăng ký" in body
    assert len(one) == len(two)
    page = dossier_page(user=officer, pk=dossier.pk)
    assert {n.person.full_name: n.registration for n in page.nominees} == {
        "Nguyễn Văn Đức": "registered",
        "Lò Thị Mai": "none",
    }
