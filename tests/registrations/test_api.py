"""The registrations' REST API: scope of the list and detail, a registration filled, refused, sent,
returned and approved from outside with its {detail, code} errors, the summary, 404 for another unit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.proposals.test_api import Api, api  # noqa: F401 - the fixture
from thidua.registrations.models import Registration

from .conftest import sent

pytestmark = pytest.mark.django_db


def test_a_registration_through_the_api(world: dict[str, Any], api: Any) -> None:  # noqa: F811
    officer, head, specialist = (
        api(world["health_officer"]),
        api(world["health_head"]),
        api(world["specialist"]),
    )
    response = officer.post("/registrations", {"unit_id": world["health"].pk, "year": 2027})
    assert response.status_code == 200, response.content
    body = response.json()
    rid = body["id"]
    assert (body["state"], body["due_date"], body["deadline_confirmed"]) == ("draft", "2027-03-31", False)
    assert body["authority"] == world["authority"].name
    refused = officer.post(
        f"/registrations/{rid}/lines",
        {"people": [{"person_id": world["education_person"].pk, "award_code": "LDTT"}]},
    )
    assert refused.status_code == 400 and refused.json()["code"] == "person_out_of_unit"
    response = officer.post(
        f"/registrations/{rid}/lines",
        {
            "people": [{"person_id": world["health_person"].pk, "award_code": "CSTDCS"}],
            "collectives": [
                {"award_code": "TTLDTT"},
                {"collective_id": world["clinic"].pk, "award_code": "TTLDXS"},
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(p["person"], p["award_code"]) for p in body["people"]] == [("Nguyễn Văn Đức", "CSTDCS")]
    assert {(c["collective"], c["award_code"]) for c in body["collectives"]} == {
        ("Sở Y tế", "TTLDTT"),
        ("Khoa Nội", "TTLDXS"),
    }
    assert body["permissions"]["step_submit"] is False
    denied = officer.post(f"/registrations/{rid}/transitions/submit", {})
    assert denied.status_code == 403 and denied.json()["code"] == "role_not_allowed"
    assert head.post(f"/registrations/{rid}/transitions/submit", {}).json()["state"] == "submitted"
    no_reason = specialist.post(f"/registrations/{rid}/transitions/return", {"text": ""})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    returned = specialist.post(f"/registrations/{rid}/transitions/return", {"text": "Ghi rõ chỉ tiêu"}).json()
    assert returned["state"] == "returned" and returned["transitions"][-1]["comment"] == "Ghi rõ chỉ tiêu"
    assert head.post(f"/registrations/{rid}/transitions/submit", {}).json()["state"] == "submitted"
    assert specialist.post(f"/registrations/{rid}/transitions/approve", {}).json()["state"] == "approved"
    assert specialist.post(f"/registrations/{rid}/transitions/withdraw", {}).status_code == 404
    summary = specialist.get("/registrations/summary", year=2027).json()
    assert summary["total"] == 3
    assert summary["units"][0]["counts"] == {"CSTDCS": 1, "TTLDTT": 1, "TTLDXS": 1}
    listed = specialist.get("/registrations", year=2027).json()
    assert [(r["unit"], r["person_count"], r["collective_count"]) for r in listed["items"]] == [
        ("Sở Y tế", 1, 2)
    ]


def test_another_units_staff_get_404(world: dict[str, Any], api: Any) -> None:  # noqa: F811
    registration = sent(world)
    for user in ("education_officer", "xa1_head"):
        outsider = api(world[user])
        assert outsider.get(f"/registrations/{registration.pk}").status_code == 404
        assert outsider.post(f"/registrations/{registration.pk}/transitions/approve", {}).status_code == 404
        assert (
            outsider.post(
                f"/registrations/{registration.pk}/lines", {"collectives": [{"award_code": "TTLDXS"}]}
            ).status_code
            == 404
        )
        assert outsider.post("/registrations", {"unit_id": world["health"].pk, "year": 2027}).json() == {
            "detail": "Không tìm thấy.",
            "code": "not_found",
        }
        assert outsider.get("/registrations").json() == {"items": [], "count": 0}
        assert outsider.get("/registrations/summary", year=2027).json()["units"] == []
    assert Registration.objects.get().state == "submitted"
