"""The report of a sơ kết or tổng kết (báo cáo sơ kết / tổng kết phong trào thi đua), generated from the
movement's data and the Board's assessment, as DOCX (docxtpl, template built by
scripts/make_movement_review_docx.py) and PDF (WeasyPrint), in the layout of Decree 30/2020/NĐ-CP,
Phụ lục I, that the dossiers' papers use (`proposals.documents`).

The outline is the one the Boards publish for a báo cáo tổng kết phong trào thi đua: I. Đặc điểm tình
hình; II. Kết quả thực hiện (chỉ đạo, triển khai; kết quả các tiêu chí; khen thưởng); III. Đánh giá chung
(ưu điểm; hạn chế, nguyên nhân); IV. Bài học kinh nghiệm; V. Phương hướng, nhiệm vụ; VI. Đề xuất, kiến
nghị. A part the Board has not written is left as a dotted line to fill in the DOCX.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from docxtpl import DocxTemplate

from thidua.eligibility import labels
from thidua.movements.models import Direction, MovementKind, MovementReview, ReviewKind
from thidua.movements.reviews import ReviewFigures
from thidua.organisation.models import Authority, AuthorityLevel
from thidua.proposals import documents as docs
from thidua.proposals.documents_build import FORMATS, province_name

DOCX_FILE = Path(__file__).resolve().parent / "templates" / "movements" / "docx" / "review.docx"
PDF_DIR = Path(__file__).resolve().parent.parent / "proposals" / "templates" / "proposals" / "pdf"
# Where a part of the assessment is still to be written: a line to fill in the DOCX.
BLANK = "…" * 40
# The number is given when the paper is registered (Decree 30/2020, Điều 15): room left before "/BC-…",
# in non-breaking spaces that HTML keeps.
NUMBER_BLANK = "\u00a0" * 8


def number(value: Decimal) -> str:
    """4 → '4'; 5.50 → '5,5' (the decimal comma)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _paragraphs(text: str) -> list[str]:
    parts = [line.strip() for line in text.splitlines() if line.strip()]
    return parts or [BLANK]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _issuer(authority: Authority) -> tuple[str, str, str]:
    """(governing body, issuing body, the capacity the head signs in) as Decree 30 heads the paper."""
    province = province_name()
    unit_name = authority.unit.name
    if authority.level == AuthorityLevel.PROVINCE:
        heading = f"ỦY BAN NHÂN DÂN\nTỈNH {province.upper()}" if province else authority.name.upper()
        return "", heading, "TM. ỦY BAN NHÂN DÂN"
    if authority.level in (AuthorityLevel.COMMUNE, AuthorityLevel.DISTRICT):
        return "", f"ỦY BAN NHÂN DÂN\n{unit_name.upper()}", "TM. ỦY BAN NHÂN DÂN"
    return authority.superior_name.upper(), unit_name.upper(), ""


def subject(review: MovementReview) -> str:
    """'Tổng kết phong trào thi đua …': the movement's name after the kind of review."""
    title = review.movement.title.strip()
    name = _lower_first(title) if title.lower().startswith("phong trào") else f"phong trào thi đua “{title}”"
    return f"{ReviewKind(review.kind).label} {name}"


def _criterion_rows(figures: ReviewFigures) -> list[dict[str, str]]:
    units = len(figures.units)
    return [
        {
            "position": str(i),
            "name": row.criterion.name,
            "unit": row.criterion.unit_of_measure,
            "target": ("≤ " if row.criterion.direction == Direction.AT_MOST else "≥ ")
            + number(row.criterion.target)
            + (f" ({row.overrides} đơn vị có chỉ tiêu riêng)" if row.overrides else ""),
            "average": labels.percent(float(row.average)),
            "reached": f"{row.reached}/{units}",
        }
        for i, row in enumerate(figures.criteria, start=1)
    ]


def _award_rows(figures: ReviewFigures) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for d in figures.dossiers:
        for line in d.lines:
            rows.append(
                {
                    "position": str(len(rows) + 1),
                    "name": line.name,
                    "dossier": f"{d.dossier.unit.name} ({d.dossier.code})",
                    "award": line.award,
                    "outcome": line.outcome_label,
                }
            )
    return rows


def context(review: MovementReview, figures: ReviewFigures) -> dict[str, Any]:
    movement = review.movement
    authority = movement.authority
    parent, issuer, capacity = _issuer(authority)
    final = review.kind == ReviewKind.FINAL
    kind_word = str(ReviewKind(review.kind).label).lower()
    units = len(figures.units)
    launched = timezone.localdate(movement.launched_at) if movement.launched_at else movement.start_date
    t = figures.timeliness
    situation = [
        f"Ngày {launched:%d/%m/%Y}, {authority.name} phát động phong trào “{movement.title}” "
        f"({str(MovementKind(movement.kind).label).lower()}, từ ngày {movement.start_date:%d/%m/%Y} đến ngày "
        f"{movement.end_date:%d/%m/%Y}) với {labels.count2(units)} đơn vị tham gia và "
        f"{labels.count2(len(figures.criteria))} tiêu chí định lượng.",
        *([] if not review.situation.strip() else _paragraphs(review.situation)),
    ]
    plan = movement.description.strip()
    direction = [
        f"Kế hoạch triển khai: {plan.rstrip('.')}."
        if plan
        else f"{authority.name} triển khai phong trào từ ngày phát động {launched:%d/%m/%Y}.",
        f"Phong trào được triển khai đến {labels.count2(units)} đơn vị tham gia; "
        + (
            f"{labels.count2(figures.pledged_units)} đơn vị đã đăng ký thi đua, cam kết tham gia phong trào "
            "(bản đăng ký đã được duyệt)."
            if figures.pledged_units
            else "chưa có đơn vị nào đăng ký cam kết tham gia phong trào trên hệ thống."
        ),
        f"Các đơn vị báo cáo kết quả theo kỳ, chậm nhất {labels.count2(movement.report_due_days)} ngày làm "
        "việc sau khi hết kỳ"
        + (f"; văn bản kèm theo: {', '.join(figures.documents)}." if figures.documents else "."),
    ]
    results = [
        f"Tính đến ngày {figures.as_of:%d/%m/%Y}, từ các báo cáo đã được chấp nhận, mức đạt chung của "
        f"phong trào là {labels.percent(float(figures.overall))}; {labels.count2(figures.units_complete)}/"
        f"{labels.count2(units)} đơn vị đạt toàn bộ chỉ tiêu. Kết quả theo từng tiêu chí:",
    ]
    reporting = [
        f"Tình hình báo cáo: {labels.count2(t.on_time)} lượt báo cáo đúng hạn, {labels.count2(t.late)} lượt "
        f"trễ hạn, {labels.count2(t.missing)} lượt quá hạn chưa báo cáo; {labels.count2(t.accepted)} báo cáo "
        "đã được chấp nhận.",
    ]
    if t.late_units:
        reporting.append(f"Đơn vị có báo cáo trễ hạn: {', '.join(t.late_units)}.")
    if t.missing_units:
        reporting.append(f"Đơn vị còn kỳ quá hạn chưa báo cáo: {', '.join(t.missing_units)}.")
    award_rows = _award_rows(figures)
    awards = (
        [
            f"Gắn với phong trào, các đơn vị đã trình {labels.count2(len(figures.dossiers))} hồ sơ đề nghị "
            f"khen thưởng với {labels.count2(figures.lines)} lượt đề nghị; "
            f"{labels.count2(figures.approved)} lượt đã được khen thưởng:"
        ]
        if award_rows or figures.dossiers
        else ["Chưa có hồ sơ đề nghị khen thưởng gắn với phong trào được trình."]
    )
    period = "trong thời gian còn lại của phong trào" if not final else "trong thời gian tới"
    province = province_name()
    place = province if authority.level != AuthorityLevel.COMMUNE else authority.unit.name.split(" ", 1)[-1]
    return {
        "header": docs._header(
            docs.Header(
                authority_parent=parent,
                authority=issuer,
                number=f"{NUMBER_BLANK}/BC-{authority.abbreviation}",
                place=place,
                date=review.held_on,
            )
        ),
        "title": "BÁO CÁO",
        "subject": subject(review),
        "situation": situation,
        "direction": direction,
        "results": results,
        "criteria": _criterion_rows(figures),
        "reporting": reporting,
        "awards": awards,
        "award_rows": award_rows,
        "strengths": _paragraphs(review.strengths),
        "weaknesses": _paragraphs(review.weaknesses),
        "lessons": _paragraphs(review.lessons),
        "directions_heading": f"V. PHƯƠNG HƯỚNG, NHIỆM VỤ {period.upper()}",
        "directions": _paragraphs(review.directions),
        "recommendations": _paragraphs(review.recommendations),
        "closing": f"Trên đây là báo cáo {kind_word} phong trào “{movement.title}” của {authority.name}./.",
        "recipients": docs._listed(
            [
                "Các đơn vị tham gia phong trào",
                "Thành viên Hội đồng Thi đua – Khen thưởng",
                "Lưu: VT, TĐKT",
            ],
            prefix="- ",
        ),
        "signature": _signature(review, authority, capacity),
    }


def _signature(review: MovementReview, authority: Authority, capacity: str) -> Any:
    """Decree 30/2020, Phụ lục I: "TM." for a body that decides collectively (the People's Committee),
    then "KT." and the head's title when a deputy signs on the head's behalf."""
    title = review.signer_title.strip() or authority.head_title
    lines = [capacity] if capacity else []
    if title.lower() != authority.head_title.lower() and title.lower().startswith("phó"):
        lines.append(f"KT. {authority.head_title.upper()}")
    signature = docs._signature("", docs.Signer(name=review.signer_name.strip(), title=title))
    signature.lines[:0] = lines
    return signature


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

    html = render_to_string("movements/pdf/review.html", ctx)
    return bytes(weasyprint.HTML(string=html, base_url=str(PDF_DIR)).write_pdf())


def document_response(review: MovementReview, figures: ReviewFigures, fmt: str) -> HttpResponse:
    ctx = context(review, figures)
    data = docx_bytes(ctx) if fmt == "docx" else pdf_bytes(ctx)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    slug = "so-ket" if review.kind == ReviewKind.MIDTERM else "tong-ket"
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-{slug}-{review.movement.code.lower()}.{fmt}"'
    )
    return response
