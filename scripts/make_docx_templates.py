"""Builds the docxtpl templates of the proposal documents (thidua/proposals/templates/proposals/docx/).

The .docx files are kept in the repository; run this again after changing the layout:

    .venv/bin/python scripts/make_docx_templates.py

The templates read the context built by thidua/proposals/documents.py (the same one the PDF templates
read). Layout per Decree 30/2020/NĐ-CP, Phụ lục I: A4, margins top/bottom 2 cm, left 3 cm, right 2 cm;
Times New Roman; issuing body top-left, national title top-right; page numbers centred in the top margin
from page 2 on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

OUT = Path(__file__).resolve().parent.parent / "thidua" / "proposals" / "templates" / "proposals" / "docx"
FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_CM = 16.0  # 21 cm less the 3 cm and 2 cm margins
# The two-column header reaches a little into the margins so that "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and
# a long body name such as "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG" each stay on one line at 12 pt.
HEADER_INDENT_CM = -0.7
HEADER_LEFT_CM = 8.0
HEADER_RIGHT_CM = 9.4
CELL_MARGIN_CM = 0.05
MOTTO_WIDTH_CM = 5.6  # "Độc lập - Tự do - Hạnh phúc" in 13 pt bold; its rule has the text's length

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

Container = DocumentObject | _Cell


@dataclass(frozen=True)
class R:
    """A run: text with its formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None


def _fonts(element: BaseOxmlElement) -> None:
    r_fonts = element.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        element.insert(0, r_fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        r_fonts.set(qn(attr), FONT)


def new_document() -> DocumentObject:
    doc = Document()
    doc.core_properties.author = "Thi Đua"
    doc.core_properties.comments = ""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.header_distance = section.footer_distance = Cm(1)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    # Page numbers: Arabic numerals, 13-14 pt, centred in the top margin, none on the first page.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    number._p.append(field)
    return doc


def para(
    container: Container,
    *runs: R | str,
    align: WD_ALIGN_PARAGRAPH = LEFT,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    indent: float | None = None,
    before: float = 0,
    after: float = 0,
    keep_with_next: bool = False,
    page_break_before: bool = False,
) -> Paragraph:
    """A paragraph; in a fresh table cell the cell's own untouched first paragraph is used."""
    first = container.paragraphs[0] if isinstance(container, _Cell) else None
    if first is not None and len(container.paragraphs) == 1 and first._p.pPr is None and not first.runs:
        p = first
    else:
        p = container.add_paragraph()
    fmt = p.paragraph_format
    p.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if indent is not None:
        fmt.first_line_indent = Cm(indent)
    if keep_with_next:
        fmt.keep_with_next = True
    if page_break_before:
        fmt.page_break_before = True
    for item in runs:
        r = R(item) if isinstance(item, str) else item
        run = p.add_run(r.text)
        if r.bold or bold:
            run.bold = True
        if r.italic or italic:
            run.italic = True
        if r.size or size:
            run.font.size = Pt(r.size or size or BODY_PT)
    return p


def tag(container: Container, text: str) -> Paragraph:
    """A paragraph holding only a docxtpl {%p %} or {%tr %} tag; rendering removes the paragraph."""
    return para(container, text)


def body(
    container: Container,
    *runs: R | str,
    italic: bool = False,
    before: float = 0,
    after: float = 6,
    keep_with_next: bool = False,
) -> Paragraph:
    """Running text: justified, first line indented 1 cm, 6 pt between paragraphs (Decree 30, Phụ lục I)."""
    return para(
        container,
        *runs,
        align=JUSTIFY,
        indent=1.0,
        italic=italic,
        before=before,
        after=after,
        keep_with_next=keep_with_next,
    )


def rule(container: Container, width_cm: float, within_cm: float, *, after: float = 0) -> Paragraph:
    """A short horizontal line, centred: a thin empty paragraph with a top border, narrowed by indents."""
    p = para(container, after=after)
    side = Cm(max((within_cm - width_cm) / 2, 0))
    p.paragraph_format.left_indent = side
    p.paragraph_format.right_indent = side
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(4)
    p_pr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        top.set(qn(key), value)
    borders.append(top)
    # pBdr must come before spacing and indentation in pPr (CT_PPr sequence).
    anchor = p_pr.find(qn("w:spacing"))
    if anchor is None:
        anchor = p_pr.find(qn("w:ind"))
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        p_pr.append(borders)
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    p_pr.append(mark)
    return p


def table(
    doc: DocumentObject,
    widths_cm: Sequence[float],
    rows: int,
    *,
    borders: bool,
    indent_cm: float = 0.0,
    cell_margin_cm: float | None = None,
) -> Table:
    t = doc.add_table(rows=rows, cols=len(widths_cm))
    if borders:
        t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
    width.set(qn("w:type"), "dxa")
    existing = tbl_pr.find(qn("w:tblW"))
    if existing is not None:
        tbl_pr.remove(existing)
    tbl_pr.append(width)
    if indent_cm:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(int(indent_cm * 567)))
        ind.set(qn("w:type"), "dxa")
        tbl_pr.append(ind)
    if cell_margin_cm is not None:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            m = OxmlElement(f"w:{side}")
            m.set(qn("w:w"), str(int(cell_margin_cm * 567)))
            m.set(qn("w:type"), "dxa")
            margins.append(m)
        tbl_pr.append(margins)
    _sort_tbl_pr(tbl_pr)
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(w * 567)))
    return t


# The order CT_TblPr requires; Word refuses files whose table properties are out of order.
_TBL_PR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
]


def _sort_tbl_pr(tbl_pr: BaseOxmlElement) -> None:
    children = list(tbl_pr)
    for child in children:
        tbl_pr.remove(child)
    rank = {name: i for i, name in enumerate(_TBL_PR_ORDER)}
    children.sort(key=lambda c: rank.get(c.tag.split("}")[1], len(rank)))
    for child in children:
        tbl_pr.append(child)


def repeat_as_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def merge_row(t: Table, row: int, first: int, last: int) -> _Cell:
    return t.cell(row, first).merge(t.cell(row, last))


# ---------------------------------------------------------------------------------------------------
# Blocks shared by the four documents


def header_block(doc: DocumentObject) -> None:
    """Decree 30, Phụ lục I: issuing body and number left; national title, motto, place and
    date right."""
    t = table(
        doc,
        [HEADER_LEFT_CM, HEADER_RIGHT_CM],
        2,
        borders=False,
        indent_cm=HEADER_INDENT_CM,
        cell_margin_cm=CELL_MARGIN_CM,
    )
    left, right = t.cell(0, 0), t.cell(0, 1)
    inner_left = HEADER_LEFT_CM - 2 * CELL_MARGIN_CM
    inner_right = HEADER_RIGHT_CM - 2 * CELL_MARGIN_CM
    tag(left, "{%p for l in header.parent_lines %}")
    para(left, "{{ l }}", align=CENTER, size=12)
    tag(left, "{%p endfor %}")
    tag(left, "{%p for l in header.authority_lines %}")
    para(left, "{{ l }}", align=CENTER, size=12, bold=True)
    tag(left, "{%p endfor %}")
    rule(left, 2.2, inner_left)

    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align=CENTER, size=12, bold=True)
    para(right, "Độc lập - Tự do - Hạnh phúc", align=CENTER, size=13, bold=True)
    rule(right, MOTTO_WIDTH_CM, inner_right)

    para(t.cell(1, 0), "{{ header.number }}", align=CENTER, size=13, before=6)
    para(t.cell(1, 1), "{{ header.place_date }}", align=CENTER, size=14, italic=True, before=6)
    for row in t.rows:
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def title_block(doc: DocumentObject, title: str, subject: str) -> None:
    """Decree 30, Phụ lục I: the kind of paper bold in capitals, the subject bold below, a short rule."""
    para(doc, title, align=CENTER, bold=True, before=18, keep_with_next=True)
    para(doc, subject, align=CENTER, bold=True, keep_with_next=True)
    rule(doc, 3.0, TEXT_WIDTH_CM, after=6)


def cant_split(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement("w:cantSplit"))


def signature_cell(cell: _Cell, lines: str, name: str) -> None:
    tag(cell, f"{{%p for l in {lines} %}}")
    para(cell, "{{ l }}", align=CENTER, bold=True)
    tag(cell, "{%p endfor %}")
    for _ in range(4):
        para(cell, "", align=CENTER)
    para(cell, f"{{{{ {name} }}}}", align=CENTER, bold=True)


def recipients_and_signature(doc: DocumentObject) -> None:
    """Decree 30, Phụ lục I: "Nơi nhận" bottom-left (12 pt bold italic, items 11 pt), signature right."""
    t = table(doc, [8.0, 8.0], 1, borders=False)
    cant_split(t.rows[0])
    left, right = t.cell(0, 0), t.cell(0, 1)
    para(left, R("Nơi nhận:", bold=True, italic=True, size=12), before=12)
    tag(left, "{%p for r in recipients %}")
    para(left, "{{ r }}", size=11)
    tag(left, "{%p endfor %}")
    first = para(right, "", before=12)
    first.paragraph_format.space_after = Pt(0)
    signature_cell(right, "signature.lines", "signature.name")


def signature_grid(doc: DocumentObject) -> None:
    """Signatures side by side, two to a row (minutes: secretary left, chair right)."""
    t = table(doc, [8.0, 8.0], 3, borders=False)
    cant_split(t.rows[1])
    para(t.cell(0, 0), "{%tr for row in signature_rows %}")
    for col, side in ((0, "left"), (1, "right")):
        cell = t.cell(1, col)
        para(cell, "", before=6)
        signature_cell(cell, f"row.{side}.lines", f"row.{side}.name")
    para(t.cell(2, 0), "{%tr endfor %}")


def grid_header(t: Table, row: int, labels: Sequence[str], size: float) -> None:
    for col, label in enumerate(labels):
        cell = t.cell(row, col)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para(cell, label, align=CENTER, bold=True, size=size)
    repeat_as_header(t.rows[row])


def vote_table(doc: DocumentObject) -> None:
    """One row per nominee: the counts, the share of agreeing votes over the whole membership, the
    threshold the law sets, and the outcome."""
    size = 11
    widths = [0.9, 3.3, 2.7, 1.2, 1.4, 1.4, 1.7, 1.9, 1.5]
    t = table(doc, widths, 4, borders=True)
    grid_header(
        t,
        0,
        [
            "STT",
            "Họ và tên / Tên tập thể",
            "Hình thức đề nghị",
            "Đồng ý",
            "Không đồng ý",
            "Không hợp lệ",
            "Tỷ lệ đồng ý / tổng số thành viên",
            "Yêu cầu",
            "Kết quả",
        ],
        size,
    )
    para(t.cell(1, 0), "{%tr for v in results %}")
    cells = [
        ("{{ v.position }}", CENTER),
        ("{{ v.name }}", LEFT),
        ("{{ v.award }}", LEFT),
        ("{{ v.agree }}", CENTER),
        ("{{ v.disagree }}", CENTER),
        ("{{ v.invalid }}", CENTER),
        ("{{ v.ratio }}", CENTER),
        ("{{ v.threshold }}", LEFT),
        ("{{ v.outcome }}", CENTER),
    ]
    for col, (text, align) in enumerate(cells):
        cell = t.cell(2, col)
        para(cell, text, align=align, size=size, bold=col == 8)
        if col == 1:
            tag(cell, "{%p if v.detail %}")
            para(cell, "{{ v.detail }}", size=size - 1, italic=True)
            tag(cell, "{%p endif %}")
    para(t.cell(3, 0), "{%tr endfor %}")


def save(doc: DocumentObject, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.docx"
    doc.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------------
# The four templates


def decision() -> DocumentObject:
    doc = new_document()
    header_block(doc)
    title_block(doc, "{{ title }}", "{{ subject }}")
    para(doc, "{{ issuer }}", align=CENTER, bold=True, before=6, after=12)
    tag(doc, "{%p for b in bases %}")
    body(doc, "{{ b }}", italic=True)
    tag(doc, "{%p endfor %}")
    body(doc, "{{ proposal }}", italic=True)
    para(doc, "QUYẾT ĐỊNH:", align=CENTER, bold=True, before=6, after=12, keep_with_next=True)
    tag(doc, "{%p for a in articles %}")
    body(doc, R("{{ a.label }}", bold=True), " {{ a.text }}")
    tag(doc, "{%p endfor %}")
    recipients_and_signature(doc)

    # The attached list, on a page of its own (Decree 30, Phụ lục I: a phụ lục begins a new page).
    tag(doc, "{%p if lines %}")
    para(doc, "{{ list_title }}", align=CENTER, bold=True, page_break_before=True, keep_with_next=True)
    para(doc, "{{ list_note }}", align=CENTER, italic=True, keep_with_next=True)
    rule(doc, 3.0, TEXT_WIDTH_CM, after=12)
    size = 12
    widths = [1.1, 4.0, 4.2, 4.2, 2.5]
    t = table(doc, widths, 5, borders=True)
    grid_header(
        t,
        0,
        ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Danh hiệu / hình thức", "Tiền thưởng (đồng)"],
        size,
    )
    para(t.cell(1, 0), "{%tr for line in lines %}")
    para(t.cell(2, 0), "{{ line.position }}", align=CENTER, size=size)
    para(t.cell(2, 1), "{{ line.name }}", size=size, bold=True)
    para(t.cell(2, 2), "{{ line.detail }}", size=size)
    award = t.cell(2, 3)
    para(award, "{{ line.award }}", size=size)
    tag(award, "{%p if line.achievement %}")
    para(award, "{{ line.achievement }}", size=size - 1, italic=True)
    tag(award, "{%p endif %}")
    para(t.cell(2, 4), "{{ line.bonus }}", align=RIGHT, size=size)
    para(t.cell(3, 0), "{%tr endfor %}")
    total = merge_row(t, 4, 0, 3)
    para(total, "{{ total_label }}", align=CENTER, bold=True, size=size)
    para(t.cell(4, 4), "{{ total_bonus }}", align=RIGHT, bold=True, size=size)
    tag(doc, "{%p endif %}")
    return doc


def appraisal_report() -> DocumentObject:
    doc = new_document()
    header_block(doc)
    title_block(doc, "{{ title }}", "{{ subject }}")
    tag(doc, "{%p if addressee %}")
    para(doc, "Kính gửi: {{ addressee }}", align=CENTER, before=6, after=12)
    tag(doc, "{%p endif %}")

    para(doc, "I. THÔNG TIN HỒ SƠ", bold=True, before=6, after=6, keep_with_next=True)
    body(doc, "{{ dossier }}")
    body(doc, "{{ received }}")

    para(doc, "II. KẾT QUẢ THẨM ĐỊNH", bold=True, before=6, after=6, keep_with_next=True)
    tag(doc, "{%p for n in nominees %}")
    body(doc, R("{{ n.heading }}", bold=True), keep_with_next=True)
    body(doc, "Hình thức đề nghị: {{ n.award }}.", after=0)
    body(doc, "Kết quả kiểm tra của hệ thống: ", R("{{ n.verdict }}", bold=True), ".", after=0)
    tag(doc, "{%p if n.conditions %}")
    body(doc, "Điều kiện, tiêu chuẩn:", after=0, keep_with_next=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for c in n.conditions %}")
    body(doc, "- {{ c.text }}: ", R("{{ c.mark }}", bold=True, italic=True), ";", after=0)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if n.flags %}")
    body(doc, R("Lưu ý:", italic=True), after=0, keep_with_next=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for f in n.flags %}")
    body(doc, "- {{ f }}", after=0)
    tag(doc, "{%p endfor %}")
    body(doc, "Ý kiến thẩm định: ", R("{{ n.conclusion }}", bold=True), ".", after=0)
    tag(doc, "{%p if n.override_reason %}")
    body(doc, R("Lý do: {{ n.override_reason }}", italic=True), after=0)
    tag(doc, "{%p endif %}")
    para(doc, "", after=6)
    tag(doc, "{%p endfor %}")

    para(doc, "III. TỔNG HỢP", bold=True, before=6, after=6, keep_with_next=True)
    tag(doc, "{%p for s in summary %}")
    body(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")
    recipients_and_signature(doc)
    return doc


def minutes() -> DocumentObject:
    doc = new_document()
    header_block(doc)
    title_block(doc, "{{ title }}", "{{ session_title }}")
    body(doc, "{{ opening }}")

    para(doc, "I. THÀNH PHẦN", bold=True, before=6, after=6, keep_with_next=True)
    body(doc, "- Chủ trì: {{ chair }}.", after=0)
    body(doc, "- Thư ký: {{ secretary }}.", after=0)
    body(doc, "- {{ total_members }}", after=0)
    body(doc, "- {{ present }}", after=0)
    body(doc, "- {{ absent_with_opinion }}", after=0)
    body(doc, "- {{ absent_without_opinion }}")
    body(doc, R("{{ quorum }}", italic=True))

    para(doc, "II. NỘI DUNG", bold=True, before=6, after=6, keep_with_next=True)
    body(doc, "Hội đồng xem xét các hồ sơ đề nghị khen thưởng sau:", after=0, keep_with_next=True)
    tag(doc, "{%p for d in dossiers %}")
    body(doc, "{{ d }}", after=0)
    tag(doc, "{%p endfor %}")

    para(doc, "III. KẾT QUẢ BỎ PHIẾU", bold=True, before=12, after=6, keep_with_next=True)
    body(
        doc,
        "Hội đồng biểu quyết bằng phiếu kín; tỷ lệ phiếu đồng ý tính trên tổng số thành viên Hội đồng.",
        keep_with_next=True,
    )
    vote_table(doc)
    body(doc, "{{ summary }}", before=6)
    tag(doc, "{%p if notes %}")
    para(doc, "IV. Ý KIẾN KHÁC", bold=True, before=6, after=6, keep_with_next=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for n in notes %}")
    body(doc, "{{ n }}")
    tag(doc, "{%p endfor %}")
    body(doc, "{{ closing }}", keep_with_next=True)
    signature_grid(doc)
    return doc


def ballot_count() -> DocumentObject:
    doc = new_document()
    header_block(doc)
    title_block(doc, "{{ title }}", "{{ session_title }}")
    body(doc, "{{ opening }}")
    body(doc, "Ban kiểm phiếu gồm:", after=0, keep_with_next=True)
    tag(doc, "{%p for c in counters %}")
    body(doc, "{{ c }}", after=0)
    tag(doc, "{%p endfor %}")

    para(doc, "I. SỐ PHIẾU", bold=True, before=12, after=6, keep_with_next=True)
    tag(doc, "{%p for b in ballots %}")
    body(doc, "- {{ b }}", after=0)
    tag(doc, "{%p endfor %}")

    para(doc, "II. KẾT QUẢ KIỂM PHIẾU", bold=True, before=12, after=6, keep_with_next=True)
    body(doc, "Tỷ lệ phiếu đồng ý tính trên tổng số thành viên Hội đồng.", keep_with_next=True)
    vote_table(doc)
    body(doc, "{{ summary }}", before=6)
    body(doc, "{{ closing }}", keep_with_next=True)
    signature_grid(doc)
    return doc


def main() -> None:
    for name, build in (
        ("decision", decision),
        ("appraisal_report", appraisal_report),
        ("minutes", minutes),
        ("ballot_count", ballot_count),
    ):
        print(save(build(), name))


if __name__ == "__main__":
    main()
