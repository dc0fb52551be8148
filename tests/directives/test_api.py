"""The directives' REST API: the pages' scope, a report sent from outside, late after the deadline,
`{detail, code}` refusals, and the summary for the level above."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.directives.conftest import directive, issued, once_task, report, yearly_task
from tests.proposals.test_api import Api
from thidua.directives.models import TaskReport

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def api(client: Client) -> Any:
    return lambda user: Api(client, user)


def test_list_detail_report_and_summary_through_the_api(dworld: dict[str, Any], api: Any) -> None:
    w = dworld
    d = directive(w)
    task = yearly_task(w, d, start_year=2026)
    other = once_task(w, d, D(2026, 12, 31))
    issued(w, d)
    report(w, task, w["xa1"], D(2026, 11, 15), D(2026, 11, 16))

    board = api(w["specialist"])
    assert [x["number"] for x in board.get("/directives").json()["items"]] == ["15/KH-UBND"]
    detail = board.get(f"/directives/{d.pk}").json()
    assert detail["counts"] == {"not_due": 3, "on_time": 1, "late": 0, "overdue": 1}
    assert [t["item"] for t in detail["tasks"]] == ["1", "2"]

    health = api(w["health_officer"])
    seen = health.get(f"/directives/{d.pk}").json()
    assert [t["item"] for t in seen["tasks"]] == ["1"]
    assert {c["unit"] for c in seen["tasks"][0]["cells"]} == {"Sở Y tế"}
    assert seen["counts"] == {"not_due": 1, "on_time": 0, "late": 0, "overdue": 1}
    # Sở Y tế reports 2026 today: late (the deadline was Monday 16/11).
    response = health.post(
        f"/directive-tasks/{task.pk}/reports",
        {"unit_id": w["health"].pk, "due_date": "2026-11-15", "text": "Đã làm"},
    )
    assert response.status_code == 200, response.content
    cell = next(c for c in response.json()["cells"] if c["due_date"] == "2026-11-15")
    assert cell["status"] == "late" and cell["deadline"] == "2026-11-16"
    # Again: refused with its code; for another unit or task: 404; the summary: 404.
    again = health.post(
        f"/directive-tasks/{task.pk}/reports",
        {"unit_id": w["health"].pk, "due_date": "2026-11-15", "text": "Lại"},
    )
    assert again.status_code == 400 and again.json()["code"] == "already_reported"
    assert (
        health.post(
            f"/directive-tasks/{task.pk}/reports",
            {"unit_id": w["xa1"].pk, "due_date": "2026-11-15", "text": "x"},
        ).status_code
        == 404
    )
    assert health.get(f"/directive-tasks/{other.pk}").status_code == 404
    assert health.get(f"/directives/{d.pk}/summary", year=2026).status_code == 404
    assert TaskReport.objects.count() == 2

    summary = board.get(f"/directives/{d.pk}/summary", year=2026).json()
    assert summary["counts"] == {"not_due": 1, "on_time": 1, "late": 1, "overdue": 0}
    assert len(summary["rows"]) == 3 == sum(summary["counts"].values())

    outsider = api(w["education_officer"])
    assert outsider.get("/directives").json()["items"] == []
    for path in (f"/directives/{d.pk}", f"/directive-tasks/{task.pk}", f"/directives/{d.pk}/summary"):
        answer = outsider.get(path)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found", path
