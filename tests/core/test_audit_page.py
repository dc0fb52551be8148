"""The audit log page (/nhat-ky/): the provincial Board and administrators search it; no one else opens it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.conftest import FIXED_NOW
from tests.factories import make_authority, make_person, make_user
from thidua.accounts.models import Role
from thidua.core.audit import audit_verify
from thidua.core.models import AuditLog
from thidua.organisation.models import AuthorityLevel, UnitKind
from thidua.organisation.services import person_create, unit_create

pytestmark = pytest.mark.django_db
URL = "/nhat-ky/"


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200
    return [int(n) for n in re.findall(r'id="nhat-ky-(\d+)"', response.content.decode())]


def test_only_the_provincial_board_and_administrators_open_it(
    province: dict[str, Any], users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    make_authority(province["health"], AuthorityLevel.DEPARTMENT, abbreviation="SYT")
    department_specialist = make_user("chuyenvien.syt", Role.BOARD_SPECIALIST, province["health"])
    assert not department_specialist.is_province_wide
    assert Client().get(URL).status_code == 302
    for name in ("specialist", "admin"):
        assert client_for(users[name]).get(URL).status_code == 200, name
    for user in (users["health_officer"], users["council"], department_specialist):
        assert client_for(user).get(URL).status_code == 403, user.username
    page = client_for(users["specialist"]).get("/tong-quan/").content.decode()
    assert 'href="/nhat-ky/"' in page
    page = client_for(users["health_officer"]).get("/tong-quan/").content.decode()
    assert 'href="/nhat-ky/"' not in page


def test_each_filter_lists_exactly_the_rows_it_matches(
    province: dict[str, Any], users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    # Rows on three days, by two actors.
    with time_machine.travel(FIXED_NOW - dt.timedelta(days=10), tick=False):
        early = person_create(
            actor=users["specialist"],
            family_name="Hoàng",
            given_name="Sáng",
            gender="male",
            unit=province["health"],
        )
    with time_machine.travel(FIXED_NOW - dt.timedelta(days=3), tick=False):
        middle = unit_create(
            actor=users["admin"],
            code="PTC",
            name="Phòng Tổ chức",
            kind=UnitKind.SUB_UNIT,
            parent=province["health"],
        )
    client = client_for(users["specialist"])
    everything = _ids(client.get(URL))
    assert sorted(everything) == sorted(AuditLog.objects.values_list("pk", flat=True))
    assert everything == list(AuditLog.objects.order_by("-at", "-pk").values_list("pk", flat=True))

    by_actor = _ids(client.get(URL, {"actor": "quantri"}))
    assert by_actor and set(by_actor) == set(
        AuditLog.objects.filter(actor=users["admin"]).values_list("pk", flat=True)
    )

    by_type = _ids(client.get(URL, {"target_type": "organisation.person"}))
    assert set(by_type) == set(
        AuditLog.objects.filter(target_type="organisation.person").values_list("pk", flat=True)
    )
    assert len(by_type) >= 4

    by_object = _ids(client.get(URL, {"target_type": "organisation.unit", "target_id": str(middle.pk)}))
    assert by_object == list(
        AuditLog.objects.filter(target_type="organisation.unit", target_id=str(middle.pk)).values_list(
            "pk", flat=True
        )
    )
    assert by_object

    day = (FIXED_NOW - dt.timedelta(days=10)).date()
    one_day = _ids(client.get(URL, {"date_from": day.isoformat(), "date_to": day.strftime("%d/%m/%Y")}))
    assert one_day and set(one_day) == set(
        AuditLog.objects.filter(target_type="organisation.person", target_id=str(early.pk)).values_list(
            "pk", flat=True
        )
    )
    since = _ids(client.get(URL, {"date_from": (FIXED_NOW - dt.timedelta(days=3)).date().isoformat()}))
    assert set(since) == set(everything) - set(one_day)

    text = _ids(client.get(URL, {"text": "tổ chức"}))
    assert text and set(text) == set(
        AuditLog.objects.filter(summary__icontains="Tổ chức").values_list("pk", flat=True)
    )


def test_pages_of_fifty_cover_every_row_once(
    users: dict[str, Any], client_for: Callable[[Any], Client], province: dict[str, Any]
) -> None:
    for i in range(60):
        make_person(province["clinic"], f"Lò Văn Số{i}")
    client = client_for(users["admin"])
    first, second = _ids(client.get(URL)), _ids(client.get(URL, {"page": 2}))
    assert len(first) == 50
    assert sorted(first + second) == sorted(AuditLog.objects.values_list("pk", flat=True))
    assert audit_verify().broken is None
