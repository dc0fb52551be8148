"""The levels through the REST API, as an integrator of a department finds them: the caller's authority in
/api/me, a dossier addressed to a chosen authority, a line above it refused with a code, and the head's
decision that issues the department's own and sends the rest up with the tờ trình number."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.proposals.test_api import Api, add_line, appraise_all, attach_all, step
from thidua.awards.models import AwardRecord
from thidua.proposals.models import Dossier, DossierState

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client) -> Any:
    return lambda user: Api(client, user)


def test_me_names_the_authority_a_role_is_held_in(
    api: Any,
    levels: dict[str, Any],
) -> None:
    me = api(levels["syt_specialist"]).get("/me").json()
    assert me["authority"]["name"] == "Sở Y tế tỉnh Lai Châu" and me["authority"]["abbreviation"] == "SYT"
    assert me["province_wide"] is False and "Sở Y tế" in me["scope"]
    head = api(levels["health_head"]).get("/me").json()
    assert head["may_sign_decisions"] is True and head["signer_title"] == "Giám đốc"
    assert [a["name"] for a in head["signs_for"]] == ["Sở Y tế tỉnh Lai Châu"]
    assert api(levels["admin"]).get("/me").json()["may_sign_decisions"] is False


def test_a_departments_cycle_through_the_api(api: Any, levels: dict[str, Any]) -> None:
    officer, head = api(levels["health_officer"]), api(levels["health_head"])
    created = officer.post(
        "/dossiers",
        {
            "unit_id": levels["health"].pk,
            "kind": "cong_trang",
            "year": 2024,
            "title": "Danh hiệu thi đua năm 2024",
            "authority_id": levels["syt"].pk,
        },
    )
    assert created.status_code == 201, created.content
    dossier = created.json()
    assert dossier["authority"]["name"] == "Sở Y tế tỉnh Lai Châu"
    # An authority outside the caller's chain is not offered.
    other = officer.post(
        "/dossiers",
        {
            "unit_id": levels["health"].pk,
            "kind": "cong_trang",
            "year": 2024,
            "title": "x",
            "authority_id": levels["xa"].pk,
        },
    )
    assert other.status_code == 404
    add_line(officer, dossier["id"], levels["clinic_person"], "LDTT")
    add_line(officer, dossier["id"], levels["clinic_person"], "BK_TINH")
    refused = officer.post(
        f"/dossiers/{dossier['id']}/lines",
        {"recipient_kind": "individual", "recipient_id": levels["hospital_person"].pk, "award_code": "LDTT"},
    )
    assert refused.status_code == 400 and refused.json()["code"] == "wrong_authority"
    assert "Bệnh viện Đa khoa tỉnh" in refused.json()["detail"]
    attach_all(officer, dossier["id"])
    assert step(head, dossier["id"], "submit").json()["state"] == "submitted"
    # The province's specialist is told the dossier belongs to another level.
    wrong = step(api(levels["specialist"]), dossier["id"], "receive")
    assert wrong.status_code == 403 and wrong.json()["code"] == "other_authority"
    appraise_all(api(levels["syt_specialist"]), dossier["id"])

    missing = head.post(
        "/decisions",
        {"dossier_ids": [dossier["id"]], "number": "7/QĐ-SYT", "date": dt.date(2026, 12, 7).isoformat()},
    )
    assert missing.status_code == 400 and missing.json()["code"] == "proposal_number_required"
    decided = head.post(
        "/decisions",
        {
            "dossier_ids": [dossier["id"]],
            "number": "7/QĐ-SYT",
            "date": dt.date(2026, 12, 7).isoformat(),
            "proposal_number": "21/TTr-SYT",
        },
    )
    assert decided.status_code == 201, decided.content
    body = decided.json()
    assert body["decision"]["issuing_authority"] == "Sở Y tế tỉnh Lai Châu"
    assert body["decision"]["signer_title"] == "Giám đốc"
    assert [
        r.award_type.code for r in AwardRecord.objects.filter(pk__in=body["decision"]["award_record_ids"])
    ] == ["LDTT"]
    up = Dossier.objects.get(sent_up_from_id=dossier["id"])
    detail = api(levels["specialist"]).get(f"/dossiers/{up.pk}").json()
    assert detail["authority"]["level"] == "province" and detail["sent_up_from_id"] == dossier["id"]
    assert detail["state"] == DossierState.SUBMITTED and detail["proposal_number"] == "21/TTr-SYT"
    assert [line["award"]["code"] for line in detail["lines"]] == ["BK_TINH"]
