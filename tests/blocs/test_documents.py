"""The bloc's score summary (XLSX) and the minutes with the ranking (DOCX, PDF): what they hold and who
gets them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.blocs.conftest import SCORED, approved, reviewed, self_scored
from tests.conftest import FIXED_TODAY
from tests.proposals.conftest import docx_text, pdf_text
from thidua.blocs import services
from thidua.blocs.models import ScoreSheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(world: dict[str, Any]) -> dict[str, Any]:
    sheet = approved(world)
    health = self_scored(world, sheet, "health", {"c1": 10, "c3": 5})
    education = self_scored(world, sheet, "education", {"c1": 10, "c3": 4, "b1": 1})
    finance = self_scored(world, sheet, "finance", {"c1": 7})
    reviewed(world, health)
    reviewed(world, education)
    reviewed(world, finance, {"c1": ("6", "Thiếu báo cáo quý IV")})
    services.meeting_settle(
        actor=world["bloc_leader"],
        sheet=sheet,
        meeting_date=FIXED_TODAY,
        minutes="Hội nghị thống nhất kết quả.\n=SUM(A1) không phải công thức",
    )
    world["sheet"] = ScoreSheet.objects.get(pk=sheet.pk)
    return world


def _rows(response: Any) -> list[tuple[Any, ...]]:
    data = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)][1:]


def test_the_summary_holds_every_score_the_user_may_see(client: Client, settled: dict[str, Any]) -> None:
    w, sheet = settled, settled["sheet"]
    url = reverse("blocs:summary_export", args=[sheet.pk])
    client.force_login(w["specialist"])
    rows = _rows(client.get(url))
    # Three units, each with its eight scored items and its total.
    assert len(rows) == 3 * (len(SCORED) + 1)
    finance_c1 = next(r for r in rows if r[0] == "Sở Tài chính" and r[2] == "Hoàn thành chỉ tiêu")
    assert finance_c1[5:] == (7, None, 6, "Thiếu báo cáo quý IV", None, None, 6)
    totals = {r[0]: r[11] for r in rows if r[2].startswith("TỔNG ĐIỂM")}
    assert totals == {"Sở Y tế": 15.0, "Sở Giáo dục và Đào tạo": 15.0, "Sở Tài chính": 6.0}
    # Before publication a member gets its own rows only.
    client.force_login(w["finance_officer"])
    assert {r[0] for r in _rows(client.get(url))} == {"Sở Tài chính"}
    client.force_login(w["xa_officer"])
    assert client.get(url).status_code == 404


def test_the_minutes_and_ranking_explain_the_tie_break(client: Client, settled: dict[str, Any]) -> None:
    w, sheet = settled, settled["sheet"]
    docx_url = reverse("blocs:ranking_document", args=[sheet.pk, "docx"])
    pdf_url = reverse("blocs:ranking_document", args=[sheet.pk, "pdf"])
    client.force_login(w["finance_officer"])
    assert client.get(docx_url).status_code == 404
    client.force_login(w["bloc_leader"])
    text = docx_text(client.get(docx_url).content)
    # Both 15: Sở Y tế's 15 has no bonus, Sở Giáo dục's has one point of bonus.
    assert (
        "Sở Y tế xếp trên Sở Giáo dục và Đào tạo vì tổng điểm trước điểm thưởng cao hơn (15,0 so với 14,0)"
        in text
    )
    assert "=SUM(A1) không phải công thức" in text
    assert "HỘI NGHỊ KHỐI CÁC SỞ" in text.upper()
    services.ranking_publish(actor=w["specialist"], sheet=sheet)
    client.force_login(w["finance_officer"])
    pdf = pdf_text(client.get(pdf_url).content)
    assert "Cờ thi đua" in pdf and "Sở Y tế" in pdf
    client.force_login(w["xa_officer"])
    assert client.get(pdf_url).status_code == 404
