"""The movements' pages: the whole cycle through the views, the scope of every URL (files included),
the dashboard's to-do, and a detail page whose number of queries does not grow with the units."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_unit
from tests.movements.conftest import Q1, Q3, launched, report
from tests.proposals.conftest import pdf_upload
from thidua.movements import services
from thidua.movements.models import Movement, ProgressReport
from thidua.movements.workflow import MovementState, ReportState
from thidua.organisation.models import UnitKind

pytestmark = pytest.mark.django_db


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_launch_report_return_correct_accept_through_the_pages(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    # The Board drafts the movement for Sở Y tế and the two communes.
    client = client_for(world["specialist"])
    response = client.post(
        reverse("movements:create"),
        {
            "title": "Phong trào thi đua xây dựng nông thôn mới năm 2026",
            "kind": "thematic",
            "start_date": "2026-03-01",
            "end_date": "2026-12-31",
            "report_due_days": "5",
            "target_mode": "list",
            "units": [world["health"].pk, world["xa1"].pk, world["xa2"].pk],
            "description": "Kế hoạch số 20/KH-UBND",
        },
    )
    movement = Movement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "movements:detail", args=[movement.pk]
    )
    for name, target, direction, weight, evidence in (
        ("Số lớp tập huấn", "4", "at_least", "2", "Danh sách lớp"),
        ("Tỷ lệ hộ nghèo", "5", "at_most", "1", ""),
        ("Số công trình hoàn thành", "10", "at_least", "1", ""),
    ):
        client.post(
            reverse("movements:criterion_add", args=[movement.pk]),
            {
                "name": name,
                "unit_of_measure": "đơn vị",
                "target": target,
                "direction": direction,
                "weight": weight,
                "period": "quarter",
                "evidence_required": evidence,
            },
        )
    client.post(reverse("movements:document_add", args=[movement.pk]), {"file": pdf_upload("ke-hoach.pdf")})
    client.post(reverse("movements:step", args=[movement.pk, "phat-dong"]), {"text": ""})
    movement.refresh_from_db()
    assert movement.state == MovementState.LAUNCHED
    assert movement.criteria.count() == 3 and movement.documents.count() == 1

    # Sở Y tế's officer opens the Q3 report from the movement's page, fills it in, adds evidence.
    officer = client_for(world["health_officer"])
    detail = officer.get(reverse("movements:detail", args=[movement.pk]))
    assert "Lập báo cáo Quý III/2026" in detail.content.decode()
    response = officer.post(
        reverse("movements:report_open", args=[movement.pk]),
        {"unit": world["health"].pk, "period": "2026-09-30"},
    )
    report_obj = ProgressReport.objects.get()
    assert response["Location"] == reverse("movements:report", args=[report_obj.pk])
    classes, poor, works = movement.criteria.order_by("position")
    officer.post(
        reverse("movements:report_save", args=[report_obj.pk]),
        {
            f"value-{classes.pk}": "3",
            f"value-{poor.pk}": "4,5",
            f"value-{works.pk}": "5",
            "narrative": "Quý III",
        },
    )
    officer.post(
        reverse("movements:evidence_add", args=[report_obj.pk]),
        {"criterion": classes.pk, "file": pdf_upload()},
    )
    # The officer has no button to send; the head sends it.
    page = officer.get(reverse("movements:report", args=[report_obj.pk])).content.decode()
    assert "Gửi báo cáo" not in page
    # The value typed with a decimal comma comes back with one, as officials write it.
    assert f'name="value-{poor.pk}" inputmode="decimal" value="4,50"' in page
    head = client_for(world["health_head"])
    head.post(reverse("movements:report_step", args=[report_obj.pk, "gui"]), {"text": ""})
    report_obj.refresh_from_db()
    assert report_obj.state == ReportState.SUBMITTED

    # The Board returns it; without a reason it stays where it is.
    board = client_for(world["specialist"])
    response = board.post(
        reverse("movements:report_step", args=[report_obj.pk, "tra-lai"]), {"text": ""}, follow=True
    )
    assert any("lý do" in m for m in _messages(response))
    report_obj.refresh_from_db()
    assert report_obj.state == ReportState.SUBMITTED
    board.post(
        reverse("movements:report_step", args=[report_obj.pk, "tra-lai"]),
        {"text": "Số lớp chưa khớp danh sách"},
    )
    report_obj.refresh_from_db()
    assert report_obj.state == ReportState.RETURNED

    # Corrected and sent again, then accepted: the movement's progress shows it.
    officer = client_for(world["health_officer"])
    officer.post(
        reverse("movements:report_save", args=[report_obj.pk]),
        {
            f"value-{classes.pk}": "2",
            f"value-{poor.pk}": "4,5",
            f"value-{works.pk}": "5",
            "narrative": "Đã sửa",
        },
    )
    client_for(world["health_head"]).post(reverse("movements:report_step", args=[report_obj.pk, "gui"]))
    board = client_for(world["specialist"])
    board.post(reverse("movements:report_step", args=[report_obj.pk, "chap-nhan"]))
    report_obj.refresh_from_db()
    assert report_obj.state == ReportState.ACCEPTED
    assert list(report_obj.transitions.values_list("target", flat=True)) == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]
    detail = board.get(reverse("movements:detail", args=[movement.pk]))
    row = next(r for r in detail.context["page"].units if r.unit == world["health"])
    # (2 × 2/4 + 1 × 1 + 1 × 5/10) / 4 = 0.625
    assert float(row.progress.overall) == pytest.approx(0.625)
    html = detail.content.decode()
    assert re.search(r"62[,.]5</td>", html)
    # The chart's bar for the classes: the mean over three units of 2/4, 0, 0 (16.7 %), drawn on the
    # 280-pixel scale of 100 % from the figure shown (16.7 % of 280), and the same figure in its table.
    bar = next(b for b in detail.context["criteria_chart"].bars if b.bar.label == classes.name)
    assert bar.bar.text == "16,7%" and bar.width == "46.8"
    assert f'<rect x="220" y="{bar.y}" width="46.8" height="14"' in html
    assert re.search(r"16,7</td>", html)


def _urls(movement: Any, report_obj: Any) -> dict[str, str]:
    evidence = report_obj.evidence.get()
    document = movement.documents.get()
    return {
        "detail": reverse("movements:detail", args=[movement.pk]),
        "document": reverse("movements:document", args=[movement.pk, document.pk]),
        "report": reverse("movements:report", args=[report_obj.pk]),
        "evidence": reverse("movements:evidence", args=[report_obj.pk, evidence.pk]),
    }


def test_every_url_follows_the_scope(world: dict[str, Any], client_for: Callable[[Any], Client]) -> None:
    movement = launched(world)
    services.document_add(actor=world["specialist"], movement=movement, upload=pdf_upload("ke-hoach.pdf"))
    health_report = report(world, movement, world["health"], Q3, {"c_classes": 2, "c_poor": 3})
    urls = _urls(movement, health_report)
    expected = {
        # The Board and the province-wide accounts see everything.
        "specialist": {"detail": 200, "document": 200, "report": 200, "evidence": 200},
        "admin": {"detail": 200, "document": 200, "report": 200, "evidence": 200},
        "health_officer": {"detail": 200, "document": 200, "report": 200, "evidence": 200},
        # A commune targeted by the movement reads the movement and its plan, never Sở Y tế's report.
        "xa1_officer": {"detail": 200, "document": 200, "report": 404, "evidence": 404},
        # Sở Giáo dục is not a target: nothing of it exists for its officer.
        "education_officer": {"detail": 404, "document": 404, "report": 404, "evidence": 404},
    }
    for role, answers in expected.items():
        client = client_for(world[role])
        got = {name: client.get(url).status_code for name, url in urls.items()}
        assert got == answers, role
    # Writes to another unit's report are refused the same way, and change nothing.
    client = client_for(world["xa1_head"])
    assert client.post(reverse("movements:report_step", args=[health_report.pk, "gui"])).status_code == 404
    assert client.post(reverse("movements:report_save", args=[health_report.pk]), {}).status_code == 404
    # The movement's list shows the commune the movement, and Sở Giáo dục nothing.
    assert movement.title in client_for(world["xa1_officer"]).get(reverse("movements:list")).content.decode()
    assert (
        movement.title
        not in client_for(world["education_officer"]).get(reverse("movements:list")).content.decode()
    )
    # The commune's reports list holds only its own.
    report(world, movement, world["xa1"], Q3, {"c_classes": 1, "c_poor": 2})
    listed = client_for(world["xa1_officer"]).get(reverse("movements:reports") + "?state=").context["page"]
    assert [r.unit for r in listed.object_list] == [world["xa1"]]


def test_a_draft_is_the_boards_alone_and_the_administrator_takes_no_step(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    from tests.movements.conftest import drafted

    movement = drafted(world)
    assert (
        client_for(world["health_officer"]).get(reverse("movements:detail", args=[movement.pk])).status_code
        == 404
    )
    admin = client_for(world["admin"])
    assert admin.get(reverse("movements:detail", args=[movement.pk])).status_code == 404
    response = admin.post(reverse("movements:step", args=[movement.pk, "phat-dong"]))
    assert response.status_code == 404
    movement = launched(world, title="Phong trào thứ hai")
    response = admin.post(reverse("movements:step", args=[movement.pk, "so-ket"]), follow=True)
    assert any("Vai trò" in m for m in _messages(response))
    movement.refresh_from_db()
    assert movement.state == MovementState.LAUNCHED


def test_the_dashboard_lists_reports_owed_and_to_review(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    movement = launched(world)
    returned = report(world, movement, world["xa1"], Q1, {"c_classes": 1, "c_poor": 2})
    services.report_return(actor=world["specialist"], report=returned, reason="Thiếu minh chứng")
    report(world, movement, world["health"], Q3, {"c_classes": 2, "c_poor": 3})

    def todo(who: str) -> list[str]:
        return [item.text for item in client_for(world[who]).get("/tong-quan/").context["todo"]]

    board = todo("specialist")
    assert any("Xem xét báo cáo Quý III/2026 của Sở Y tế" in t for t in board)
    commune = todo("xa1_officer")
    assert any(t.startswith("Sửa báo cáo Quý I/2026 bị trả lại (Xã Bình Lư)") for t in commune)
    assert any(t.startswith("Báo cáo tiến độ Quý II/2026 (Xã Bình Lư)") for t in commune)
    # Q4 has not ended: it is not owed yet. Sở Y tế's Q3 is sent: not owed.
    assert not any("Quý IV" in t for t in commune)
    health = todo("health_officer")
    assert not any("Quý III/2026" in t for t in health)
    assert any("Quý I/2026 (Sở Y tế)" in t for t in health)
    # The conflicted specialist (working in Sở Y tế) is not asked to review Sở Y tế.
    assert not any("Sở Y tế" in t for t in todo("conflicted_specialist"))


def test_the_detail_page_reads_as_many_queries_for_three_units_as_for_nine(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    def queries_for(units: list[Any], title: str) -> int:
        movement = launched(world, units=units, title=title)
        for unit in units[:3]:
            sent = report(world, movement, unit, Q1, {"c_classes": 1, "c_poor": 2})
            services.report_accept(actor=world["specialist"], report=sent)
        client = client_for(world["specialist"])
        client.get(reverse("movements:detail", args=[movement.pk]))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("movements:detail", args=[movement.pk]))
        assert response.status_code == 200
        return len(captured.captured_queries)

    few = queries_for([world["health"], world["xa1"], world["xa2"]], "Ba đơn vị")
    more = [make_unit(f"Xã {i}", parent=world["ubnd"], kind=UnitKind.COMMUNE) for i in range(6)]
    many = queries_for([world["health"], world["xa1"], world["xa2"], *more], "Chín đơn vị")
    assert few == many


def test_a_movement_of_many_units_lists_them_a_page_at_a_time_with_totals_over_all(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    communes = [make_unit(f"Xã {i:02d}", parent=world["ubnd"], kind=UnitKind.COMMUNE) for i in range(52)]
    movement = launched(world, units=[world["health"], *communes], title="Năm mươi ba đơn vị")
    sent = report(world, movement, world["health"], Q1, {"c_classes": 4, "c_poor": 5})
    services.report_accept(actor=world["specialist"], report=sent)
    client = client_for(world["specialist"])
    url = reverse("movements:detail", args=[movement.pk])
    first, second = client.get(url), client.get(url, {"page": 2})
    rows = [len(re.findall(r'<tr id="don-vi-\d+"', r.text)) for r in (first, second)]
    assert rows == [50, 3]
    # Sở Y tế met both quarterly criteria (weights 2 and 1 of 4; the yearly one is not reported): 3/4 for
    # it, none for the 52 communes, so the movement stands at 0.75 / 53 whichever page is shown.
    for response in (first, second):
        assert float(response.context["page"].overall) == pytest.approx(0.75 / 53)
    assert "Dòng 51–53 trên tổng số 53" in second.text
