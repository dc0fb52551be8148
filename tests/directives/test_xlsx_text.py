"""The directive summary's Excel file writes task texts and unit names typed as formulas as text (issue 13,
finding 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from tests.directives.conftest import directive, issued, once_task, report
from tests.xlsx_xml import PAYLOAD, assert_written_as_text, body_of

pytestmark = pytest.mark.django_db


def test_summary_writes_task_text_and_report_as_text(dworld: dict[str, Any], client_for: Any) -> None:
    w = dworld
    d = directive(w)
    task = once_task(w, d, dt.date(2026, 6, 30), text=PAYLOAD)
    issued(w, d)
    report(w, task, w["xa2"], dt.date(2026, 6, 30), dt.date(2026, 6, 30), text="-" + PAYLOAD)
    response = client_for(w["specialist"]).get(reverse("directives:summary", args=[d.pk, 2026, "xlsx"]))
    assert response.status_code == 200
    body = body_of(response)
    assert_written_as_text(body, count=2)  # the task's text and the report that quotes it
    assert_written_as_text(body, "-" + PAYLOAD, count=1)
