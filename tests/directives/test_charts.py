"""The chart of a directive's tasks by status: each bar, table cell and Excel cell equals the number of
cells with that status the page lists in its tasks' tables; the file follows the page's scope."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.directives.conftest import directive, issued, once_task, report, yearly_task

pytestmark = pytest.mark.django_db
D = dt.date


def _listed(html: str) -> Counter[str]:
    """The statuses of the cells in the tasks' tables (unit × due date), read from the page."""
    tasks = html[html.index('id="nhiem-vu"') :]
    return Counter(
        re.findall(
            r"<td class=\"text-nowrap\"[^>]*>\s*<span class=\"badge fw-normal [^\"]*\">([^<]+)</span>", tasks
        )
    )


def _sheet(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_tasks_by_status_equal_the_cells_listed(
    dworld: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    w = dworld
    d = directive(w)
    task = yearly_task(w, d)
    once_task(w, d, D(2026, 11, 30))
    issued(w, d)
    report(w, task, w["health"], D(2024, 11, 15), D(2024, 11, 15))
    report(w, task, w["xa1"], D(2024, 11, 15), D(2024, 11, 18))
    report(w, task, w["health"], D(2025, 11, 15), D(2025, 11, 17))
    board = client_for(w["specialist"])
    response = board.get(reverse("directives:detail", args=[d.pk]))
    html = response.content.decode()
    listed = _listed(html)
    # Sở Y tế on time in 2024 and 2025, Xã Bình Lư late in 2024; overdue: Xã Bình Lư 2025, both in 2026,
    # Xã Bản Bo's one-off task of 30/11; not due: both in 2027.
    assert listed == {"Đúng hạn": 2, "Trễ hạn": 1, "Quá hạn chưa báo cáo": 4, "Chưa đến hạn": 2}
    chart = response.context["status_chart"]
    assert {row[0]: row[1] for row in chart.table.rows} == {
        "Chưa đến hạn": 2,
        "Đúng hạn": 2,
        "Trễ hạn": 1,
        "Quá hạn chưa báo cáo": 4,
    }
    assert {b.bar.label: b.bar.value for b in chart.bars} == {k: float(v) for k, v in listed.items()}
    assert chart.table.footer == ["Tổng cộng", sum(listed.values())]
    sheet = _sheet(board.get(reverse("directives:status_export", args=[d.pk])))
    assert sheet == [chart.table.headers, *chart.table.rows, chart.table.footer]

    # Sở Y tế's officer: its own cells only, in the page, the chart and the file.
    officer = client_for(w["health_officer"])
    own = officer.get(reverse("directives:detail", args=[d.pk]))
    own_listed = _listed(own.content.decode())
    assert own_listed == {"Đúng hạn": 2, "Quá hạn chưa báo cáo": 1, "Chưa đến hạn": 1}
    rows = {r[0]: r[1] for r in _sheet(officer.get(reverse("directives:status_export", args=[d.pk])))[1:-1]}
    assert rows == {"Chưa đến hạn": 1, "Đúng hạn": 2, "Trễ hạn": 0, "Quá hạn chưa báo cáo": 1}
    # A unit no task names gets 404 for the page and the file alike.
    outsider = client_for(w["education_officer"])
    assert outsider.get(reverse("directives:detail", args=[d.pk])).status_code == 404
    assert outsider.get(reverse("directives:status_export", args=[d.pk])).status_code == 404
