"""The Board's summary report on a directive or plan for the level above: the tasks' due dates in a year,
each unit's standing and the counts by status, as XLSX (every cell the users typed written as text), DOCX
(docxtpl, template built by scripts/make_directive_docx.py) and PDF (WeasyPrint), in the layout of Decree
30/2020/NĐ-CP (Phụ lục I) that the dossiers' papers use (`proposals.documents`)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone
from docxtpl import DocxTemplate

from thidua.accounts.models import User
from thidua.core.xlsx import xlsx_response
from thidua.directives.models import DirectiveKind
from thidua.directives.schedule import TaskStatus
from thidua.directives.selectors import Summary
from thidua.eligibility import labels
from thidua.organisation.models import AuthorityLevel
from thidua.proposals import documents as docs
from thidua.proposals.documents_build import FORMATS, province_name

DOCX_FILE = Path(__file__).resolve().parent / "templates" / "directives" / "docx" / "summary.docx"
PDF_DIR = Path(__file__).resolve().parent.parent / "proposals" / "templates" / "proposals" / "pdf"

HEADERS = (
    "Mục",
    "Nhiệm vụ",
    "Đơn vị",
    "Vai trò",
    "Hạn báo cáo",
    "Hạn cuối (ngày làm việc)",
    "Ngày báo cáo",
    "Tình trạng",
    "Nội dung báo cáo",
)


def _role(lead: bool) -> str:
    return "Chủ trì" if lead else "Phối hợp"


def xlsx(summary: Summary) -> HttpResponseBase:
    d = summary.directive
    rows = [
        (
            r.task.item,
            r.task.text,
            r.cell.unit.name,
            _role(r.cell.lead),
            r.cell.due,
            r.cell.deadline,
            r.cell.report.submitted_on if r.cell.report else None,
            str(TaskStatus(r.cell.status).label),
            r.cell.report.text if r.cell.report else "",
        )
        for r in summary.rows
    ]
    return xlsx_response(
        filename=f"tong-hop-{d.pk}-{summary.year}.xlsx",
        title=f"Tổng hợp {summary.year}",
        headers=HEADERS,
        rows=rows,
        widths=[6, 60, 32, 10, 12, 12, 12, 20, 60],
    )


def context(summary: Summary, user: User) -> dict[str, Any]:
    d = summary.directive
    province = province_name()
    authority = d.authority
    if authority.level == AuthorityLevel.PROVINCE:
        parent, issuer = (f"UBND TỈNH {province.upper()}" if province else ""), "SỞ NỘI VỤ"
        addressee = f"Ủy ban nhân dân tỉnh {province}".strip()
    else:
        parent, issuer = "", authority.name
        addressee = f"Ủy ban nhân dân tỉnh {province}".strip()
    kind = DirectiveKind(d.kind).label
    tasks = {r.task.pk for r in summary.rows}
    counts = summary.counts
    overview = [
        f"{kind} số {d.number} ngày {d.issued_on:%d/%m/%Y} của {authority.name}: "
        f"{d.title.strip().rstrip('.')}.",
        f"Năm {summary.year}: {labels.count2(len(tasks))} nhiệm vụ có hạn báo cáo, "
        f"{labels.count2(len(summary.rows))} lượt báo cáo của các đơn vị phải thực hiện.",
        "Kết quả: "
        + "; ".join(f"{str(s.label).lower()}: {labels.count2(counts.get(s.value, 0))}" for s in TaskStatus)
        + f" (tính đến ngày {timezone.localdate():%d/%m/%Y}).",
    ]
    overdue = sorted({r.cell.unit.name for r in summary.rows if r.cell.status == TaskStatus.OVERDUE})
    proposals = (
        [f"Đề nghị đôn đốc các đơn vị quá hạn chưa báo cáo: {', '.join(overdue)}."]
        if overdue
        else ["Các đơn vị đã báo cáo đầy đủ các nhiệm vụ đến hạn."]
    )
    return {
        "header": docs._header(
            docs.Header(
                authority_parent=parent,
                authority=issuer,
                number="",
                place=province,
                date=timezone.localdate(),
            )
        ),
        "title": "BÁO CÁO",
        "subject": f"Kết quả thực hiện {str(kind).lower()} số {d.number} năm {summary.year}",
        "addressee": addressee,
        "overview": overview,
        # A task's number and text head its first row only: the units under it follow.
        "rows": [
            {
                "item": r.task.item if i == 0 or summary.rows[i - 1].task.pk != r.task.pk else "",
                "task": r.task.text if i == 0 or summary.rows[i - 1].task.pk != r.task.pk else "",
                "unit": f"{r.cell.unit.name} ({_role(r.cell.lead).lower()})",
                "due": f"{r.cell.due:%d/%m/%Y}",
                "submitted": f"{r.cell.report.submitted_on:%d/%m/%Y}" if r.cell.report else "",
                "status": str(TaskStatus(r.cell.status).label),
            }
            for i, r in enumerate(summary.rows)
        ],
        "proposals": proposals,
        "closing": "Trên đây là báo cáo kết quả theo dõi, đôn đốc thực hiện văn bản./.",
        "recipients": docs._listed(["Như trên", "Lưu: VT, TĐKT"], prefix="- "),
        "signature": docs._signature("", docs.Signer(name=str(user), title="Người lập báo cáo")),
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

    html = render_to_string("directives/pdf/summary.html", ctx)
    return bytes(weasyprint.HTML(string=html, base_url=str(PDF_DIR)).write_pdf())


def document_response(summary: Summary, user: User, fmt: str) -> HttpResponse:
    ctx = context(summary, user)
    data = docx_bytes(ctx) if fmt == "docx" else pdf_bytes(ctx)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-{summary.directive.pk}-{summary.year}.{fmt}"'
    )
    return response
