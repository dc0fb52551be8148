"""A form as an Excel file and as a PDF, in the layout of Thông tư 02/2023/TT-BNV: the heading, the
merged header cells, the numbering row and the body. Counts are numbers, labels are text; no cell holds a
formula (the totals are counted, not summed by Excel)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from thidua.core.xlsx import keep_as_text
from thidua.statistics.layout import Grid, grid, indicator, report_heading
from thidua.statistics.selectors import Table

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _put(sheet: Any, row: int, col: int, value: Any, *, bold: bool = False, align: Any = _CENTER) -> Any:
    cell = sheet.cell(row=row, column=col, value=value)
    keep_as_text(cell)
    cell.font = Font(bold=bold)
    cell.alignment = align
    return cell


def xlsx_bytes(table: Table) -> bytes:
    g: Grid = grid(table)
    heading = report_heading(table)
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = f"Biểu {table.form.code}"
    width = g.width
    _put(sheet, 1, 1, heading["number"], bold=True, align=_LEFT)
    _put(sheet, 1, max(4, width - 3), heading["reporter"], align=_LEFT)
    _put(sheet, 2, 1, heading["basis"], align=_LEFT)
    _put(sheet, 3, 1, heading["received"], align=_LEFT)
    _put(sheet, 5, 1, heading["title"], bold=True)
    sheet.merge_cells(start_row=5, start_column=1, end_row=5, end_column=width)
    _put(sheet, 6, 1, heading["period"])
    sheet.merge_cells(start_row=6, start_column=1, end_row=6, end_column=width)
    _put(sheet, 7, 1, heading["unit"], align=Alignment(horizontal="right"))
    sheet.merge_cells(start_row=7, start_column=1, end_row=7, end_column=width)

    top = 9
    stub = len(g.stub)
    for i, text in enumerate(g.stub, start=1):
        _put(sheet, top, i, text, bold=True)
        if g.depth > 1:
            sheet.merge_cells(start_row=top, start_column=i, end_row=top + g.depth - 1, end_column=i)
    # Each header row's cells go to the first column not already covered by a merge from above.
    covered: set[tuple[int, int]] = set()
    for level, cells in enumerate(g.head):
        row = top + level
        col = stub + 1
        for cell in cells:
            while (row, col) in covered:
                col += 1
            _put(sheet, row, col, cell.text, bold=True)
            if cell.colspan > 1 or cell.rowspan > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=col,
                    end_row=row + cell.rowspan - 1,
                    end_column=col + cell.colspan - 1,
                )
            for r in range(row, row + cell.rowspan):
                for c in range(col, col + cell.colspan):
                    covered.add((r, c))
            col += cell.colspan
    row = top + g.depth
    col = 1
    for cell in g.numbers:
        _put(sheet, row, col, cell.text, bold=True)
        if cell.colspan > 1:
            sheet.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + cell.colspan - 1)
        col += cell.colspan
    for body in g.rows:
        row += 1
        line = body.line
        bold = line.bold or line.heading
        _put(sheet, row, 1, indicator(line), bold=bold, align=_LEFT)
        _put(sheet, row, 2, line.number)
        if stub > 2:
            _put(sheet, row, 3, str(line.unit))
        for i, value in enumerate(body.cells, start=stub + 1):
            _put(sheet, row, i, value.value, bold=bold)
    last = row
    for r in range(top, last + 1):
        for c in range(1, width + 1):
            sheet.cell(row=r, column=c).border = _BOX
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 7
    if stub > 2:
        sheet.column_dimensions["C"].width = 11
    for c in range(stub + 1, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 12
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pdf_bytes(table: Table) -> bytes:
    import weasyprint

    html = render_to_string(
        "statistics/pdf.html", {"t": table, "g": grid(table), "heading": report_heading(table)}
    )
    return bytes(weasyprint.HTML(string=html).write_pdf())
