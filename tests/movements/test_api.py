"""The movements' REST API: the same scope, roles and refusals as the pages, `{detail, code}` errors, and
a report written, sent, returned, corrected and accepted from outside."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.movements.conftest import Q1, Q3, drafted, launched, report
from tests.proposals.conftest import pdf_upload
from tests.proposals.test_api import Api
from thidua.movements import services
from thidua.movements.models import ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client) -> Any:
    return lambda user: Api(client, user)


def put(as_: Api, path: str, body: Any) -> Any:
    return as_.client.put(
        f"/api{path}", json.dumps(body), content_type="application/json", headers=as_.headers
    )


def test_lists_and_details_follow_the_scope(world: dict[str, Any], api: Any) -> None:
    # Drafted first: the helpers keep the criteria of the latest movement under world["c_…"].
    hidden = drafted(world, title="Bản nháp của Ban")
    movement = launched(world)
    accepted = report(world, movement, world["health"], Q1, {"c_classes": 2, "c_poor": 6})
    services.report_accept(actor=world["specialist"], report=accepted)
    report(world, movement, world["xa1"], Q1, {"c_classes": 4, "c_poor": 1})

    board = api(world["specialist"])
    listed = board.get("/movements").json()["items"]
    assert {m["id"] for m in listed} == {movement.pk, hidden.pk}
    detail = board.get(f"/movements/{movement.pk}").json()
    units = {u["unit"]: u for u in detail["units"]}
    assert set(units) == {"Sở Y tế", "Xã Bình Lư", "Xã Bản Bo"}
    # Sở Y tế: 2 of 4 classes (weight 2), 5/6 on the poor households' ceiling, no initiatives: the accepted
    # report alone counts; Xã Bình Lư's report is only sent.
    assert float(units["Sở Y tế"]["progress"]) == pytest.approx((2 * 0.5 + 5 / 6) / 4)
    assert float(units["Xã Bình Lư"]["progress"]) == 0
    q1 = next(p for p in units["Xã Bản Bo"]["periods"] if p["period_end"] == "2026-03-31")
    assert q1 == {
        "label": "Quý I/2026",
        "period_end": "2026-03-31",
        "due_date": "2026-04-07",
        "report_id": None,
        "state": "",
        "late": False,
        "missing": True,
    }

    commune = api(world["xa1_officer"])
    assert [m["id"] for m in commune.get("/movements").json()["items"]] == [movement.pk]
    seen = commune.get(f"/movements/{movement.pk}").json()
    assert [u["unit"] for u in seen["units"]] == ["Xã Bình Lư"]
    assert seen["target_count"] == 3
    reports = commune.get(f"/movements/{movement.pk}/reports").json()["items"]
    assert [r["unit"] for r in reports] == ["Xã Bình Lư"]
    refused = commune.get(f"/movement-reports/{accepted.pk}")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert commune.get(f"/movements/{hidden.pk}").status_code == 404

    outsider = api(world["education_officer"])
    assert outsider.get("/movements").json()["items"] == []
    assert outsider.get(f"/movements/{movement.pk}").status_code == 404


def test_a_report_driven_through_the_api(world: dict[str, Any], api: Any) -> None:
    movement = launched(world)
    officer = api(world["health_officer"])
    opened = officer.post(
        f"/movements/{movement.pk}/reports", {"unit_id": world["health"].pk, "period_end": "2026-09-30"}
    )
    assert opened.status_code == 200, opened.content
    rid = opened.json()["id"]
    assert opened.json()["label"] == "Quý III/2026" and opened.json()["due_date"] == "2026-10-07"
    c1, c2 = world["c_classes"].pk, world["c_poor"].pk
    bad = put(officer, f"/movement-reports/{rid}", {"values": [{"criterion_id": c1, "value": "-2"}]})
    assert bad.status_code == 400 and bad.json()["code"] == "out_of_range"
    saved = put(
        officer,
        f"/movement-reports/{rid}",
        {
            "values": [{"criterion_id": c1, "value": "3"}, {"criterion_id": c2, "value": "4.5"}],
            "narrative": "Quý III",
        },
    )
    assert saved.status_code == 200
    assert saved.json()["missing"] == ["minh chứng của tiêu chí “Số lớp tập huấn” (Danh sách lớp tập huấn)"]
    # The officer may not send; the head may not until the evidence is there.
    refused = officer.post(f"/movement-reports/{rid}/transitions/submit")
    assert refused.status_code == 403 and refused.json()["code"] == "role_not_allowed"
    head = api(world["health_head"])
    incomplete = head.post(f"/movement-reports/{rid}/transitions/submit")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "report_incomplete"
    services.evidence_add(
        actor=world["health_officer"],
        report=ProgressReport.objects.get(pk=rid),
        upload=pdf_upload(),
        criterion=world["c_classes"],
    )
    assert head.post(f"/movement-reports/{rid}/transitions/submit").json()["state"] == "submitted"

    board = api(world["specialist"])
    no_reason = board.post(f"/movement-reports/{rid}/transitions/return", {"text": ""})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    assert board.post(f"/movement-reports/{rid}/transitions/return", {"text": "Sửa số lớp"}).json()[
        "state"
    ] == ("returned")
    put(officer, f"/movement-reports/{rid}", {"values": [{"criterion_id": c1, "value": "4"}]})
    head.post(f"/movement-reports/{rid}/transitions/submit")
    admin = api(world["admin"])
    assert admin.post(f"/movement-reports/{rid}/transitions/accept").status_code == 403
    done = board.post(f"/movement-reports/{rid}/transitions/accept").json()
    assert done["state"] == "accepted"
    assert [t["target"] for t in done["transitions"]] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]
    # 4 of 4 classes and 4.5 % within the 5 % ceiling: (2 × 1 + 1 + 0) / 4.
    detail = board.get(f"/movements/{movement.pk}").json()
    health = next(u for u in detail["units"] if u["unit"] == "Sở Y tế")
    assert float(health["progress"]) == pytest.approx(0.75)
    assert board.post(f"/movement-reports/{rid}/transitions/other").status_code == 404


def test_another_units_staff_get_404_on_every_report_route(world: dict[str, Any], api: Any) -> None:
    movement = launched(world)
    sent = report(world, movement, world["health"], Q3, {"c_classes": 2, "c_poor": 3})
    commune_head = api(world["xa1_head"])
    answers = [
        commune_head.get(f"/movement-reports/{sent.pk}").status_code,
        put(commune_head, f"/movement-reports/{sent.pk}", {"values": []}).status_code,
        commune_head.post(f"/movement-reports/{sent.pk}/transitions/submit").status_code,
    ]
    assert answers == [404, 404, 404]
    # Opening a report for another unit than one's own is refused too.
    foreign = commune_head.post(
        f"/movements/{movement.pk}/reports", {"unit_id": world["health"].pk, "period_end": "2026-09-30"}
    )
    assert foreign.status_code == 403 and foreign.json()["code"] == "out_of_scope"
