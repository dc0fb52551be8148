"""A bloc's papers: the score summary (XLSX, every cell typed by a user written as text) and the minutes of
the bloc meeting with the ranking (DOCX with docxtpl, template built by scripts/make_bloc_docx.py; PDF with
WeasyPrint), in the layout of Decree 30/2020/NĐ-CP (Phụ lục I) that the dossiers' papers use."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone
from docxtpl import DocxTemplate

from thidua.accounts.models import User
from thidua.blocs import access, ranking, services
from thidua.blocs.models import RankingEntry, Score, ScoreSheet, UnitSheet
from thidua.blocs.workflow import ItemKind, SheetState
from thidua.core.xlsx import xlsx_response
from thidua.organisation.models import BlocRole
from thidua.proposals import documents as docs
from thidua.proposals.documents_build import FORMATS, province_name

DOCX_FILE = Path(__file__).resolve().parent / "templates" / "blocs" / "docx" / "ranking.docx"
PDF_DIR = Path(__file__).resolve().parent.parent / "proposals" / "templates" / "proposals" / "pdf"

HEADERS = (
    "Đơn vị",
    "Nhóm",
    "Tiêu chí",
    "Loại",
    "Điểm tối đa",
    "Tự chấm",
    "Giải trình",
    "Chấm chéo",
    "Lý do chấm khác",
    "Hội nghị chốt",
    "Lý do hội nghị",
    "Điểm tính",
)


def _n(value: Any) -> float | None:
    # A number in the sheet stays a number (officials sum columns); None stays empty.
    return None if value is None else float(value)


def xlsx(sheet: ScoreSheet, unit_sheets: list[UnitSheet]) -> HttpResponseBase:
    """One row per unit and scored item, then the unit's totals after the caps."""
    items = services.scored_items(sheet)
    rows: list[tuple[Any, ...]] = []
    for us in unit_sheets:
        scores = {s.item_id: s for s in us.scores.all()}
        sums: dict[str, Any] = {"base": 0, "bonus": 0, "penalty": 0, "at_max": 0}
        for item in items:
            s: Score | None = scores.get(item.pk)
            points = s.points if s else None
            if points is not None:
                sums[item.kind] += points
                sums["at_max"] += int(item.kind == ItemKind.BASE and points == item.max_points)
            group = item.group.name if item.group else ""
            rows.append(
                (
                    us.unit.name,
                    group,
                    item.name,
                    str(ItemKind(item.kind).label),
                    _n(item.max_points),
                    _n(s.self_points if s else None),
                    s.note if s else "",
                    _n(s.review_points if s else None),
                    s.review_reason if s else "",
                    _n(s.final_points if s else None),
                    s.final_reason if s else "",
                    _n(points),
                )
            )
        f = services.figures_of(sheet, us.unit_id, us.unit.name, us.unit.sort_key, sums, 0)
        rows.append(
            (
                us.unit.name,
                "",
                "TỔNG ĐIỂM (thưởng, trừ trong mức tối đa)",
                "",
                None,
                None,
                "",
                None,
                "",
                None,
                "",
                _n(f.total),
            )
        )
    return xlsx_response(
        filename=f"tong-hop-diem-khoi-{sheet.pk}-{sheet.year}.xlsx",
        title=f"Điểm {sheet.year}",
        headers=HEADERS,
        rows=rows,
        widths=[30, 24, 50, 12, 10, 10, 30, 10, 30, 10, 30, 10],
    )


def _ranked_rows(sheet: ScoreSheet) -> list[dict[str, Any]]:
    if sheet.state == SheetState.PUBLISHED:
        entries = list(RankingEntry.objects.filter(sheet=sheet).select_related("unit").order_by("position"))
        return [
            {
                "rank": e.rank,
                "unit": e.unit.name,
                "base": ranking.number(e.base),
                "bonus": ranking.number(e.bonus),
                "penalty": ranking.number(e.penalty),
                "total": ranking.number(e.total),
                "votes": e.votes if sheet.vote_required else "",
                "reason": e.reason,
            }
            for e in entries
        ]
    return [
        {
            "rank": r.rank,
            "unit": r.figures.name,
            "base": ranking.number(r.figures.base),
            "bonus": ranking.number(r.figures.bonus),
            "penalty": ranking.number(r.figures.penalty),
            "total": ranking.number(r.figures.total),
            "votes": r.figures.votes if sheet.vote_required else "",
            "reason": r.reason,
        }
        for r in services.current_ranking(sheet).rows
    ]


def _proposals(sheet: ScoreSheet) -> list[str]:
    if sheet.state != SheetState.PUBLISHED:
        return ["Đề nghị khen thưởng được lập sau khi công bố xếp hạng."]
    try:
        lines = services.proposal_lines(sheet)
    except ValidationError as exc:
        return [" ".join(exc.messages)]
    flag = [e.unit.name for e, code in lines if code == services.FLAG_CODE]
    commended = [e.unit.name for e, code in lines if code == services.COMMENDATION_CODE]
    out = [f"Đề nghị Ủy ban nhân dân tỉnh tặng Cờ thi đua cho tập thể dẫn đầu khối: {', '.join(flag)}."]
    if commended:
        out.append(f"Đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho: {', '.join(commended)}.")
    return out


def context(sheet: ScoreSheet, user: User) -> dict[str, Any]:
    province = province_name()
    leader = access.holder(sheet, BlocRole.LEADER)
    rows = _ranked_rows(sheet)
    keys = "; ".join(f"{i}. {ranking.KEYS[k].label}" for i, k in enumerate(sheet.tie_break, start=1))
    day = sheet.meeting_date or timezone.localdate()
    return {
        "header": docs._header(
            docs.Header(
                authority_parent=sheet.bloc.name,
                authority=leader.name if leader else "",
                number="",
                place=province,
                date=day,
            )
        ),
        "title": "BIÊN BẢN",
        "subject": f"Hội nghị {sheet.bloc.name} chấm điểm, xếp hạng thi đua năm {sheet.year}",
        "opening": (
            f"Ngày {day:%d/%m/%Y}, {sheet.bloc.name} họp chấm điểm, xếp hạng thi đua năm {sheet.year} "
            f"theo bảng tiêu chí đã được {sheet.get_approver_display()} duyệt"
            + (f" ngày {timezone.localtime(sheet.approved_at):%d/%m/%Y}" if sheet.approved_at else "")
            + "."
        ),
        "minutes": [p.strip() for p in sheet.minutes.splitlines() if p.strip()] or ["—"],
        "rows": rows,
        "tie_break": (
            "Đơn vị có tổng điểm cao hơn xếp trên; khi bằng tổng điểm, xét lần lượt: "
            + (keys or "không có")
            + "."
        ),
        "reasons": [r["reason"] for r in rows[1:]],
        "proposals": _proposals(sheet),
        "closing": "Biên bản được thông qua tại hội nghị và gửi các đơn vị thành viên./.",
        "recipients": docs._listed(
            ["Ban Thi đua – Khen thưởng tỉnh", "Các đơn vị thành viên khối", "Lưu: khối"], prefix="- "
        ),
        "signature": docs._signature(
            "", docs.Signer(name=str(sheet.settled_by or user), title=f"Khối trưởng {sheet.bloc.name}")
        ),
    }


@cache
def _template_bytes() -> bytes:
    return DOCX_FILE.read_bytes()


def docx_bytes(ctx: dict[str, Any]) -> bytes:
    template = DocxTemplate(io.BytesIO(_template_bytes()))
    template.render(ctx, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def pdf_bytes(ctx: dict[str, Any]) -> bytes:
    import weasyprint

    html = render_to_string("blocs/pdf/ranking.html", ctx)
    return bytes(weasyprint.HTML(string=html, base_url=str(PDF_DIR)).write_pdf())


def document_response(sheet: ScoreSheet, user: User, fmt: str) -> HttpResponse:
    ctx = context(sheet, user)
    data = docx_bytes(ctx) if fmt == "docx" else pdf_bytes(ctx)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="bien-ban-xep-hang-{sheet.pk}-{sheet.year}.{fmt}"'
    )
    return response
