"""The blocs' REST API: the same scope, roles and refusals as the pages, `{detail, code}` errors, and the
whole scoring driven from outside."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.blocs.conftest import SCORED, YEAR, approved, drafted, self_scored
from tests.conftest import FIXED_TODAY
from tests.proposals.conftest import pdf_upload
from tests.proposals.test_api import Api
from thidua.blocs.models import Score, ScoreChange, ScoreEvidence, ScoreSheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client) -> Any:
    return lambda user: Api(client, user)


def put(as_: Api, path: str, body: Any) -> Any:
    return as_.client.put(
        f"/api{path}", json.dumps(body), content_type="application/json", headers=as_.headers
    )


def test_the_scoring_driven_through_the_api(world: dict[str, Any], api: Any) -> None:
    w = world
    board = api(w["specialist"])
    created = board.post("/bloc-sheets", {"bloc_id": w["bloc"].pk, "year": YEAR, "bonus_cap": "2"})
    assert created.status_code == 200, created.json()
    sheet_id = created.json()["id"]
    board.post(f"/bloc-sheets/{sheet_id}/groups", {"name": "I. Chuyên môn"})
    group_id = ScoreSheet.objects.get().groups.get().pk
    detail = board.post(
        f"/bloc-sheets/{sheet_id}/items", {"name": "Chỉ tiêu", "max_points": "10", "group_id": group_id}
    ).json()
    item_id = detail["criteria"][0]["id"]
    refused = board.post(
        f"/bloc-sheets/{sheet_id}/items", {"name": "Thưởng", "max_points": "3", "kind": "bonus"}
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "over_cap")
    assert board.post(f"/bloc-sheets/{sheet_id}/transitions/approve").json()["state"] == "approved"

    for unit, officer, head, points in (
        ("finance", "finance_officer", "finance_head", "9.5"),
        ("education", "education_officer", "education_head", "8"),
        ("health", "health_officer", "health_head", "7"),
    ):
        staff = api(w[officer])
        staff.post(f"/bloc-sheets/{sheet_id}/units/{w[unit].pk}")
        over = put(
            staff,
            f"/bloc-sheets/{sheet_id}/units/{w[unit].pk}/self-scores",
            {"scores": [{"item_id": item_id, "points": "10.5"}]},
        )
        assert (over.status_code, over.json()["code"]) == (400, "over_max")
        saved = put(
            staff,
            f"/bloc-sheets/{sheet_id}/units/{w[unit].pk}/self-scores",
            {
                "scores": [{"item_id": item_id, "points": points, "note": "Đạt"}],
                "explanation": "Đã thực hiện",
            },
        )
        assert saved.json()["lines"][0]["self_points"] in (points, f"{points}.00", f"{float(points):.2f}")
        uploaded = staff.client.post(
            f"/api/bloc-sheets/{sheet_id}/units/{w[unit].pk}/evidence",
            {"item_id": item_id, "file": pdf_upload()},
            headers=staff.headers,
        )
        assert uploaded.status_code == 200 and len(uploaded.json()["lines"][0]["evidence"]) == 1
        assert staff.post(f"/bloc-sheets/{sheet_id}/units/{w[unit].pk}/transitions/submit").status_code == 403
        api(w[head]).post(f"/bloc-sheets/{sheet_id}/units/{w[unit].pk}/transitions/submit")

    # Before publication Sở Tài chính sees only its own row, and 404 on another's scoring.
    finance = api(w["finance_officer"])
    rows = finance.get(f"/bloc-sheets/{sheet_id}").json()
    assert [r["unit"] for r in rows["rows"]] == ["Sở Tài chính"] and rows["hidden_rows"] == 2
    assert finance.get(f"/bloc-sheets/{sheet_id}/units/{w['education'].pk}").status_code == 404
    assert api(w["xa_officer"]).get(f"/bloc-sheets/{sheet_id}").status_code == 404
    # The evidence file itself: its unit and its reviewer (the leader) get it; another member 404.
    files = {u: ScoreEvidence.objects.get(unit_sheet__unit=w[u]).pk for u in ("finance", "education")}
    own = finance.get(f"/bloc-evidence/{files['finance']}")
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF")
    assert finance.get(f"/bloc-evidence/{files['education']}").status_code == 404
    assert api(w["bloc_leader"]).get(f"/bloc-evidence/{files['education']}").status_code == 200
    assert api(w["xa_officer"]).get(f"/bloc-evidence/{files['finance']}").status_code == 404

    leader = api(w["bloc_leader"])
    path = f"/bloc-sheets/{sheet_id}/units/{w['finance'].pk}"
    no_reason = put(leader, f"{path}/review", {"scores": [{"item_id": item_id, "points": "8"}]})
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    put(
        leader,
        f"{path}/review",
        {"scores": [{"item_id": item_id, "points": "8", "reason": "Thiếu minh chứng"}]},
    )
    for unit in ("finance", "education"):
        leader.post(f"/bloc-sheets/{sheet_id}/units/{w[unit].pk}/transitions/finish_review")
    api(w["education_officer"]).post(
        f"/bloc-sheets/{sheet_id}/units/{w['health'].pk}/transitions/finish_review"
    )
    settled = leader.post(
        f"/bloc-sheets/{sheet_id}/meeting",
        {"meeting_date": FIXED_TODAY.isoformat(), "minutes": "Hội nghị khối"},
    )
    assert settled.json()["state"] == "settled"
    assert board.post(f"/bloc-sheets/{sheet_id}/transitions/publish").json()["published"]
    ranking = finance.get(f"/bloc-sheets/{sheet_id}").json()["ranking"]
    # Sở Tài chính 8 (after review) and Sở Giáo dục 8 share the first place; Sở Y tế 7.
    assert [(r["rank"], r["unit"]) for r in ranking] == [
        (1, "Sở Giáo dục và Đào tạo"),
        (1, "Sở Tài chính"),
        (3, "Sở Y tế"),
    ]
    assert "đồng hạng" in ranking[1]["reason"]
    shared = board.post(f"/bloc-sheets/{sheet_id}/transitions/propose")
    assert (shared.status_code, shared.json()["code"]) == (400, "shared_first")
    changes = finance.get(f"/bloc-sheets/{sheet_id}/units/{w['finance'].pk}").json()["changes"]
    assert [(c["stage"], c["new"] is not None) for c in changes] == [("self", True), ("review", True)]


def test_another_blocs_staff_get_404_on_every_route(world: dict[str, Any], api: Any) -> None:
    sheet = approved(world)
    self_scored(world, sheet, "finance", {"c1": 5})
    outsider = api(world["xa_officer"])
    before = (Score.objects.count(), ScoreChange.objects.count())
    base = f"/bloc-sheets/{sheet.pk}"
    unit = f"{base}/units/{world['finance'].pk}"
    for method, path, body in (
        ("get", base, None),
        ("patch", base, {"bonus_cap": "9", "reason": "x"}),
        ("post", f"{base}/groups", {"name": "X"}),
        ("post", f"{base}/transitions/approve", {}),
        ("post", f"{base}/meeting", {"meeting_date": "2026-12-01", "minutes": "x"}),
        ("get", unit, None),
        ("post", unit, {}),
        ("post", f"{unit}/transitions/submit", {}),
    ):
        response = getattr(outsider, method)(path, body) if body is not None else outsider.get(path)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), (method, path)
    response = put(outsider, f"{unit}/self-scores", {"scores": [{"item_id": world["c1"].pk, "points": "1"}]})
    assert response.status_code == 404
    assert (Score.objects.count(), ScoreChange.objects.count()) == before


def test_a_draft_is_seen_by_the_board_and_the_bloc_leader_only(world: dict[str, Any], api: Any) -> None:
    sheet = drafted(world)
    for role, status in (
        ("specialist", 200),
        ("bloc_leader", 200),
        ("health_officer", 200),
        ("finance_officer", 404),
    ):
        assert api(world[role]).get(f"/bloc-sheets/{sheet.pk}").status_code == status, role
    listed = api(world["finance_officer"]).get("/bloc-sheets").json()["items"]
    assert listed == []
    assert len(SCORED) == 8
