"""Excel export: every list in the product downloads as .xlsx through this one helper."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# OWASP's list of the characters that make a spreadsheet read a cell as a formula (= + - @, tab,
# carriage return), and the full-width forms an East Asian input method turns into them when a cell is edited.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def choice_labels(model: Any, field: str) -> Callable[[Any], str]:
    """What `get_<field>_display()` answers, with the labels translated once for a whole file: that method
    hashes the field's lazy labels, a translation lookup each, on every row (measured: a quarter of the CPU
    of the decisions' export)."""
    labels = {value: str(label) for value, label in model._meta.get_field(field).flatchoices}
    return lambda value: labels.get(value, str(value))


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def keep_as_text(cell: Any) -> Any:
    """Text typed by a user stays text: stored as a string (never `<f>`), with Excel's quote prefix so that
    editing the cell in Excel does not turn it into a formula either. Other cells are left as they are."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def keep_sheet_as_text(sheet: Any) -> None:
    """keep_as_text() on every cell of a sheet built in memory (not write-only): the import templates."""
    for row in sheet.iter_rows():
        for cell in row:
            keep_as_text(cell)


def write_xlsx(
    target: Any,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
) -> None:
    """Write one sheet, streaming rows. XlsxWriter in constant-memory mode writes each row out as it
    comes (memory stays flat on large lists) and took about half openpyxl's CPU for the decisions'
    4,111 rows (docs/benchmarks.md); openpyxl still reads the uploads and builds the import templates.

    No text is ever a formula: strings are never turned into formulas, addresses or numbers, and text that
    starts like a formula also gets Excel's quote prefix, so that editing the cell in Excel keeps it text."""
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": False,
        },
    )
    try:
        sheet = workbook.add_worksheet(title[:31])
        header_style = {
            "bold": True,
            "bg_color": "#DDE3EA",
            "pattern": 1,
            "text_wrap": True,
            "valign": "vcenter",
        }
        header = workbook.add_format(header_style)
        quoted_header = workbook.add_format({**header_style, "quote_prefix": True})
        quoted = workbook.add_format({"quote_prefix": True})
        day = workbook.add_format({"num_format": "DD/MM/YYYY"})
        moment = workbook.add_format({"num_format": "DD/MM/YYYY HH:MM:SS"})
        for index, width in enumerate(widths or [max(12, min(40, len(h) + 4)) for h in headers]):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(1, 0)
        for col, text in enumerate(headers):
            sheet.write_string(0, col, str(text), quoted_header if looks_like_formula(str(text)) else header)
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                _write_cell(sheet, row_index, col, value, quoted=quoted, day=day, moment=moment)
    finally:
        workbook.close()


def _write_cell(sheet: Any, row: int, col: int, value: Any, *, quoted: Any, day: Any, moment: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float, Decimal)):
        sheet.write_number(row, col, value)
    elif isinstance(value, dt.datetime):
        # Excel has no time zones: write the local wall-clock time officials expect.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        sheet.write_datetime(row, col, local.replace(tzinfo=None), moment)
    elif isinstance(value, dt.date):
        # Excel stores a date as a midnight datetime; the number format shows only the day.
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), day)
    else:
        text = str(value)
        sheet.write_string(row, col, text, quoted if looks_like_formula(text) else None)


def xlsx_response(
    *,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
) -> FileResponse:
    """An .xlsx download; the workbook is spooled to a temporary file, not held in memory."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    write_xlsx(spool, title=title, headers=headers, rows=rows, widths=widths)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
