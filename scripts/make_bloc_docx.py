"""Builds the docxtpl template of a bloc's meeting minutes and ranking
(thidua/blocs/templates/blocs/docx/ranking.docx), with the Decree 30/2020 layout helpers of
scripts/make_docx_templates.py. Run again after changing the layout:

    .venv/bin/python scripts/make_bloc_docx.py
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

OUT = Path(__file__).resolve().parent.parent / "thidua" / "blocs" / "templates" / "blocs" / "docx"


def ranking() -> DocumentObject:
    doc = new_document()
    header_block(doc)
    title_block(doc, "{{ title }}", "{{ subject }}")
    body(doc, "{{ opening }}")

    para(doc, "I. DIỄN BIẾN HỘI NGHỊ", bold=True, before=6, after=6, keep_with_next=True)
    tag(doc, "{%p for s in minutes %}")
    body(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")

    para(doc, "II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG", bold=True, before=6, after=6, keep_with_next=True)
    size = 11
    t = table(doc, [1.2, 4.6, 2.0, 1.6, 1.6, 1.8, 1.4], 4, borders=True)
    labels = ["Hạng", "Đơn vị", "Điểm tiêu chí", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Số phiếu"]
    grid_header(t, 0, labels, size)
    para(t.cell(1, 0), "{%tr for r in rows %}")
    for col, (text, align) in enumerate(
        [
            ("{{ r.rank }}", CENTER),
            ("{{ r.unit }}", LEFT),
            ("{{ r.base }}", CENTER),
            ("{{ r.bonus }}", CENTER),
            ("{{ r.penalty }}", CENTER),
            ("{{ r.total }}", CENTER),
            ("{{ r.votes }}", CENTER),
        ]
    ):
        para(t.cell(2, col), text, align=align, size=size, bold=col == 5)
    para(t.cell(3, 0), "{%tr endfor %}")

    para(doc, "III. PHÂN ĐỊNH THỨ HẠNG", bold=True, before=12, after=6, keep_with_next=True)
    body(doc, "{{ tie_break }}")
    tag(doc, "{%p for s in reasons %}")
    body(doc, "{{ s }}", after=0)
    tag(doc, "{%p endfor %}")

    para(doc, "IV. ĐỀ NGHỊ KHEN THƯỞNG", bold=True, before=12, after=6, keep_with_next=True)
    tag(doc, "{%p for s in proposals %}")
    body(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")
    body(doc, R("{{ closing }}", italic=True))
    recipients_and_signature(doc)
    return doc


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "ranking.docx"
    ranking().save(str(path))
    print(path)


if __name__ == "__main__":
    main()
