"""Builds the docxtpl template of the sơ kết / tổng kết report of a movement
(thidua/movements/templates/movements/docx/review.docx), with the Decree 30/2020 layout helpers of
scripts/make_docx_templates.py. The context is built by thidua/movements/documents.py (the PDF template
reads the same). Run again after changing the layout:

    .venv/bin/python scripts/make_movement_review_docx.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.document import Document as DocumentObject
from make_docx_templates import (
    CENTER,
    LEFT,
    R,
    body,
    grid_header,
    header_block,
    new_document,
    para,
    recipients_and_signature,
    table,
    tag,
    title_block,
)

OUT = Path(__file__).resolve().parent.parent / "thidua" / "movements" / "templates" / "movements" / "docx"


def heading(doc: DocumentObject, text: str, *, before: float = 6) -> None:
    para(doc, text, bold=True, before=before, after=6, keep_with_next=True)


def sub_heading(doc: DocumentObject, text: str) -> None:
    para(doc, text, bold=True, italic=False, indent=1.0, after=6, keep_with_next=True)


def paragraphs(doc: DocumentObject, name: str) -> None:
    tag(doc, f"{{%p for s in {name} %}}")
    body(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")


def review() -> DocumentObject:
    doc = new_document()
    header_block(doc)
    title_block(doc, "{{ title }}", "{{ subject }}")

    heading(doc, "I. ĐẶC ĐIỂM TÌNH HÌNH")
    paragraphs(doc, "situation")

    heading(doc, "II. KẾT QUẢ THỰC HIỆN")
    sub_heading(doc, "1. Công tác chỉ đạo, tổ chức triển khai")
    paragraphs(doc, "direction")

    sub_heading(doc, "2. Kết quả thực hiện các tiêu chí")
    paragraphs(doc, "results")
    size = 12
    t = table(doc, [1.2, 5.4, 2.0, 3.0, 2.2, 2.2], 4, borders=True)
    grid_header(
        t, 0, ["STT", "Tiêu chí", "Đơn vị tính", "Chỉ tiêu", "Mức đạt bình quân", "Số đơn vị đạt"], size
    )
    para(t.cell(1, 0), "{%tr for c in criteria %}")
    for col, (text, align) in enumerate(
        [
            ("{{ c.position }}", CENTER),
            ("{{ c.name }}", LEFT),
            ("{{ c.unit }}", CENTER),
            ("{{ c.target }}", CENTER),
            ("{{ c.average }}", CENTER),
            ("{{ c.reached }}", CENTER),
        ]
    ):
        para(t.cell(2, col), text, align=align, size=size)
    para(t.cell(3, 0), "{%tr endfor %}")
    para(doc, "", after=6)
    paragraphs(doc, "reporting")

    sub_heading(doc, "3. Công tác khen thưởng")
    paragraphs(doc, "awards")
    tag(doc, "{%p if award_rows %}")
    t = table(doc, [1.2, 4.2, 4.4, 3.6, 2.6], 4, borders=True)
    grid_header(
        t, 0, ["STT", "Cá nhân, tập thể", "Đơn vị đề nghị (hồ sơ)", "Hình thức đề nghị", "Kết quả"], size
    )
    para(t.cell(1, 0), "{%tr for a in award_rows %}")
    for col, (text, align) in enumerate(
        [
            ("{{ a.position }}", CENTER),
            ("{{ a.name }}", LEFT),
            ("{{ a.dossier }}", LEFT),
            ("{{ a.award }}", LEFT),
            ("{{ a.outcome }}", CENTER),
        ]
    ):
        para(t.cell(2, col), text, align=align, size=size)
    para(t.cell(3, 0), "{%tr endfor %}")
    tag(doc, "{%p endif %}")

    heading(doc, "III. ĐÁNH GIÁ CHUNG", before=12)
    sub_heading(doc, "1. Ưu điểm")
    paragraphs(doc, "strengths")
    sub_heading(doc, "2. Hạn chế, nguyên nhân")
    paragraphs(doc, "weaknesses")

    heading(doc, "IV. BÀI HỌC KINH NGHIỆM")
    paragraphs(doc, "lessons")

    heading(doc, "{{ directions_heading }}")
    paragraphs(doc, "directions")

    heading(doc, "VI. ĐỀ XUẤT, KIẾN NGHỊ")
    paragraphs(doc, "recommendations")
    body(doc, R("{{ closing }}", italic=True))
    recipients_and_signature(doc)
    return doc


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "review.docx"
    review().save(str(path))
    print(path)


if __name__ == "__main__":
    main()
