"""Builds the docxtpl template of the directive summary report
(thidua/directives/templates/directives/docx/summary.docx), with the Decree 30/2020 layout helpers of
scripts/make_docx_templates.py. Run again after changing the layout:

    .venv/bin/python scripts/make_directive_docx.py
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

OUT = Path(__file__).resolve().parent.parent / "thidua" / "directives" / "templates" / "directives" / "docx"


def summary() -> DocumentObject:
    doc = new_document()
    header_block(doc)
    title_block(doc, "{{ title }}", "{{ subject }}")
    tag(doc, "{%p if addressee %}")
    para(doc, "Kính gửi: {{ addressee }}", align=CENTER, before=6, after=12)
    tag(doc, "{%p endif %}")

    para(doc, "I. TÌNH HÌNH CHUNG", bold=True, before=6, after=6, keep_with_next=True)
    tag(doc, "{%p for s in overview %}")
    body(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")

    para(doc, "II. KẾT QUẢ THEO TỪNG NHIỆM VỤ", bold=True, before=6, after=6, keep_with_next=True)
    size = 11
    t = table(doc, [0.9, 5.2, 3.4, 2.0, 2.0, 2.5], 4, borders=True)
    grid_header(t, 0, ["Mục", "Nhiệm vụ", "Đơn vị", "Hạn báo cáo", "Ngày báo cáo", "Tình trạng"], size)
    para(t.cell(1, 0), "{%tr for r in rows %}")
    for col, (text, align) in enumerate(
        [
            ("{{ r.item }}", CENTER),
            ("{{ r.task }}", LEFT),
            ("{{ r.unit }}", LEFT),
            ("{{ r.due }}", CENTER),
            ("{{ r.submitted }}", CENTER),
            ("{{ r.status }}", CENTER),
        ]
    ):
        para(t.cell(2, col), text, align=align, size=size, bold=col == 5)
    para(t.cell(3, 0), "{%tr endfor %}")

    para(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ", bold=True, before=12, after=6, keep_with_next=True)
    tag(doc, "{%p for s in proposals %}")
    body(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")
    body(doc, R("{{ closing }}", italic=True))
    recipients_and_signature(doc)
    return doc


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "summary.docx"
    summary().save(str(path))
    print(path)


if __name__ == "__main__":
    main()
