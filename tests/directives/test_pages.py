"""Directive tracking through the pages: the Board enters a plan and its tasks, a unit reports after the
due date and shows as late, every URL (files and exports included) against the scope of each role, the
summary's rows and counts in Excel, Word and PDF, the dashboard's to-do and the menu."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.directives.conftest import directive, issued, once_task, report, yearly_task
from tests.proposals.conftest import docx_text, pdf_text, pdf_upload
from thidua.directives import services
from thidua.directives.models import Directive, TaskReport

pytestmark = pytest.mark.django_db
D = dt.date


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_board_enters_a_plan_and_a_unit_reports_late_through_the_pages(
    dworld: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    w = dworld
    board = client_for(w["specialist"])
    response = board.post(
        reverse("directives:create"),
        {
            "kind": "plan",
            "number": "30/KH-UBND",
            "issued_on": "2026-02-02",
            "title": "Kế hoạch tổ chức phong trào thi đua năm 2026",
            "reminder_days": "3",
        },
    )
    d = Directive.objects.get()
    assert response["Location"] == reverse("directives:detail", args=[d.pk])
    board.post(
        reverse("directives:task_add", args=[d.pk]),
        {
            "item": "1",
            "text": "Báo cáo sơ kết 6 tháng",
            "lead_unit": w["health"].pk,
            "coordinating_units": [w["xa1"].pk],
            "recurrence": "once",
            "due_date": "2026-11-30",
            "expected_report": "Số liệu 6 tháng",
        },
    )
    board.post(reverse("directives:document_add", args=[d.pk]), {"file": pdf_upload("ke-hoach.pdf")})
    board.post(reverse("directives:step", args=[d.pk, "ban-hanh"]), {"text": ""})
    d.refresh_from_db()
    task = d.tasks.get()
    assert d.state == "issued" and d.documents.count() == 1
    assert list(task.coordinating_units.all()) == [w["xa1"]]

    officer = client_for(w["health_officer"])
    page = officer.get(reverse("directives:task", args=[task.pk])).content.decode()
    assert "Quá hạn chưa báo cáo" in page and "Gửi báo cáo" in page
    # Only its own unit is offered, and Xã Bình Lư's cell is not shown.
    assert f'value="{w["health"].pk}|2026-11-30"' in page
    assert f'value="{w["xa1"].pk}|' not in page
    assert page.count("Quá hạn chưa báo cáo") == 2  # the offer and Sở Y tế's row
    officer.post(
        reverse("directives:report_submit", args=[task.pk]),
        {"choice": f"{w['health'].pk}|2026-11-30", "text": "Đã sơ kết", "file": pdf_upload("so-ket.pdf")},
    )
    saved = TaskReport.objects.get()
    assert saved.unit == w["health"] and saved.files.count() == 1
    detail = client_for(w["specialist"]).get(reverse("directives:detail", args=[d.pk]))
    assert detail.context["page"].counts == {"late": 1, "overdue": 1}
    assert "Trễ hạn" in detail.content.decode()
    # A report for a unit not the officer's is refused with nothing written.
    response = client_for(w["health_officer"]).post(
        reverse("directives:report_submit", args=[task.pk]),
        {"choice": f"{w['xa1'].pk}|2026-11-30", "text": "Thay xã"},
        follow=True,
    )
    assert TaskReport.objects.count() == 1
    assert any("phạm vi" in str(m) for m in response.context["messages"])


def test_summary_exports_list_every_row_and_count_them(
    dworld: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    w = dworld
    d = directive(w)
    task = yearly_task(w, d)
    once = once_task(w, d, D(2026, 6, 30), text='=HYPERLINK("http://x")')
    issued(w, d)
    report(w, task, w["health"], D(2026, 11, 15), D(2026, 11, 16))  # Sunday's deadline moves: on time
    report(w, task, w["xa1"], D(2026, 11, 15), D(2026, 11, 20))  # late
    report(w, once, w["xa2"], D(2026, 6, 30), D(2026, 6, 30))  # on time
    board = client_for(w["specialist"])
    response = board.get(reverse("directives:summary", args=[d.pk, 2026, "xlsx"]))
    sheet = load_workbook(io.BytesIO(_body(response))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3
    assert sorted((r[2], r[7]) for r in rows) == [
        ("Sở Y tế", "Đúng hạn"),
        ("Xã Bình Lư", "Trễ hạn"),
        ("Xã Bản Bo", "Đúng hạn"),
    ]
    # A task's text typed as a formula stays text.
    cell = next(c for row in sheet.iter_rows(min_row=2) for c in row if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"
    # 2025: the yearly task only, nobody reported: two overdue rows.
    rows_2025 = list(
        load_workbook(
            io.BytesIO(_body(board.get(reverse("directives:summary", args=[d.pk, 2025, "xlsx"]))))
        ).active.iter_rows(min_row=2, values_only=True)
    )
    assert [r[7] for r in rows_2025] == ["Quá hạn chưa báo cáo", "Quá hạn chưa báo cáo"]
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        data = _body(board.get(reverse("directives:summary", args=[d.pk, 2026, fmt])))
        text = " ".join(read(data).split())
        assert "BÁO CÁO" in text and "15/KH-UBND" in text
        assert "đúng hạn: 02; trễ hạn: 01; quá hạn chưa báo cáo: 00" in text
        assert text.count("Trễ hạn") == 1 and text.count("Đúng hạn") == 2


def _urls(w: dict[str, Any]) -> dict[str, Any]:
    d = directive(w)
    health_task = yearly_task(w, d, coordinating_units=[])
    xa2_task = once_task(w, d, D(2026, 12, 31))
    services.document_add(actor=w["specialist"], directive=d, upload=pdf_upload("ke-hoach.pdf"))
    issued(w, d)
    health_report = report(
        w, health_task, w["health"], D(2026, 11, 15), D(2026, 11, 16), uploads=[pdf_upload()]
    )
    xa2_report = report(
        w, xa2_task, w["xa2"], D(2026, 12, 31), D(2026, 12, 7), uploads=[pdf_upload("xa.pdf")]
    )
    return {
        "list": reverse("directives:list"),
        "detail": reverse("directives:detail", args=[d.pk]),
        "document": reverse("directives:document", args=[d.pk, d.documents.get().pk]),
        "health_task": reverse("directives:task", args=[health_task.pk]),
        "health_file": reverse("directives:report_file", args=[health_task.pk, health_report.files.get().pk]),
        "xa2_task": reverse("directives:task", args=[xa2_task.pk]),
        "xa2_file": reverse("directives:report_file", args=[xa2_task.pk, xa2_report.files.get().pk]),
        # Xã Bản Bo's file asked through Sở Y tế's task.
        "xa2_file_via_health": reverse(
            "directives:report_file", args=[health_task.pk, xa2_report.files.get().pk]
        ),
        **{
            f"summary_{fmt}": reverse("directives:summary", args=[d.pk, 2026, fmt])
            for fmt in ("xlsx", "docx", "pdf")
        },
        "number": d.number,
    }


def test_every_url_follows_the_scope_of_each_role(
    dworld: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    w = dworld
    urls = _urls(w)
    number = urls.pop("number")
    summaries = {"summary_xlsx", "summary_docx", "summary_pdf"}
    expected = {
        # The issuing authority's specialist and a province-wide Council member see everything.
        "specialist": dict.fromkeys(urls, 200) | {"xa2_file_via_health": 404},
        "council": dict.fromkeys(urls, 200) | {"xa2_file_via_health": 404},
        # Sở Y tế sees its own task and file, the directive and its text; not Xã Bản Bo's, nor the summary.
        "health_officer": dict.fromkeys(urls, 200)
        | {"xa2_task": 404, "xa2_file": 404, "xa2_file_via_health": 404}
        | dict.fromkeys(summaries, 404),
        "xa2_officer": dict.fromkeys(urls, 200)
        | {"health_task": 404, "health_file": 404, "xa2_file_via_health": 404}
        | dict.fromkeys(summaries, 404),
        # Units with nothing to do with it: the list only, without it.
        "education_officer": dict.fromkeys(urls, 404) | {"list": 200},
        "xa3_officer": dict.fromkeys(urls, 404) | {"list": 200},
    }
    for role, answers in expected.items():
        client = client_for(w[role])
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == answers[name], (role, name, response.status_code)
            if name == "list":
                assert (number in response.content.decode()) == (answers["detail"] == 200), role


def test_the_dashboard_lists_overdue_and_due_soon_tasks_and_the_menu_links_the_list(
    dworld: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    w = dworld
    d = directive(w)
    yearly_task(w, d, coordinating_units=[])  # 15/11 of 2024, 2025, 2026 missed; 15/11/2027 far away
    once_task(w, d, D(2026, 12, 20), lead_unit=w["health"], text="Nộp báo cáo tổng kết")  # due soon
    once_task(w, d, D(2026, 12, 21))  # Xã Bản Bo's
    issued(w, d)
    response = client_for(w["health_officer"]).get(reverse("core:dashboard"))
    texts = [item.text for item in response.context["todo"] if "nhiệm vụ" in item.text]
    assert len(texts) == 2
    # One line per task and unit, however many due dates it missed.
    assert texts[0].startswith("Báo cáo nhiệm vụ 1 (15/KH-UBND, 3 hạn chưa báo cáo) – Sở Y tế")
    mine = [item for item in response.context["todo"] if "nhiệm vụ" in item.text]
    assert [item.overdue for item in mine] == [True, False]
    assert texts[1].startswith("Sắp đến hạn báo cáo nhiệm vụ 2")
    assert reverse("directives:list") in response.content.decode()


def test_the_directive_page_reads_the_same_number_of_queries_for_few_or_many_units(
    dworld: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_unit

    w = dworld
    client = client_for(w["specialist"])

    def queries(d: Any) -> int:
        client.get(reverse("directives:detail", args=[d.pk]))  # warm the session and the menu
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("directives:detail", args=[d.pk])).status_code == 200
        return len(captured)

    small = directive(w, number="1/KH-UBND")
    task = yearly_task(w, small)
    issued(w, small)
    report(w, task, w["health"], D(2025, 11, 15), D(2025, 11, 17), uploads=[pdf_upload()])
    large = directive(w, number="2/KH-UBND")
    communes = [make_unit(f"Xã Thử {i}", parent=w["ubnd"], kind="commune") for i in range(8)]
    for _ in range(3):
        big = yearly_task(w, large, coordinating_units=[w["xa1"], *communes])
    issued(w, large)
    report(w, big, w["health"], D(2025, 11, 15), D(2025, 11, 17), uploads=[pdf_upload()])
    report(w, big, w["xa1"], D(2024, 11, 15), D(2024, 11, 20))
    assert queries(small) == queries(large)


def test_a_due_date_on_a_day_off_shows_its_last_working_day_in_the_matrix(
    dworld: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    """Sunday 15/11/2026: the matrix's column says the report is due on Monday 16/11, as the statuses and
    the to-do judge it; a working day's column says nothing more."""
    w = dworld
    d = directive(w)
    once_task(w, d, D(2026, 11, 15))
    once_task(w, d, D(2026, 11, 13))
    issued(w, d)
    page = client_for(w["specialist"]).get(reverse("directives:detail", args=[d.pk])).text
    assert "hạn cuối 16/11/2026 (ngày nghỉ)" in page
    assert page.count("(ngày nghỉ)") == 1


def test_the_dashboard_todo_of_tasks_reads_three_queries_however_many_tasks_and_units(
    dworld: dict[str, Any],
) -> None:
    """The tasks, their coordinating units in scope and their reports: three queries, for one task or
    several, led or coordinated, with reports or not (the task rows are read in part)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.directives.selectors import todo

    w = dworld
    d = directive(w)
    yearly_task(w, d)
    issued(w, d)

    def count(user: Any) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            items = todo(user=user)
        return len(queries), len(items)

    assert count(w["health_officer"]) == (3, 1)
    assert count(w["xa1_officer"]) == (3, 1)
    d2 = directive(w, number="16/KH-UBND")
    yearly_task(w, d2, coordinating_units=[w["xa1"], w["xa2"], w["education"]])
    once_task(w, d2, D(2026, 12, 20), lead_unit=w["health"], coordinating_units=[w["xa1"]])
    issued(w, d2)
    task = d.tasks.get()
    report(w, task, w["health"], D(2024, 11, 15), D(2024, 11, 10))
    assert count(w["health_officer"]) == (3, 3)
    assert count(w["xa1_officer"]) == (3, 3)
