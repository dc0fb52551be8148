"""Excel export: every list in the product downloads as .xlsx through this one helper."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# OWASP's list of the characters that make a spreadsheet read a cell as a formula (= + - @, tab,
# carriage return), and the full-width forms an East Asian input method turns into them when a cell is edited.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")


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
    """Write one sheet, streaming rows (write-only mode keeps memory flat on large lists)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths or [max(12, min(40, len(h) + 4)) for h in headers], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_cells = []
    for header in headers:
        cell = keep_as_text(WriteOnlyCell(sheet, value=header))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    sheet.freeze_panes = "A2"
    for row in rows:
        out: list[Any] = []
        for value in row:
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                # Excel stores a date as a midnight datetime; the number format shows only the day.
                cell = WriteOnlyCell(sheet, value=dt.datetime(value.year, value.month, value.day))
                cell.number_format = "DD/MM/YYYY"
                out.append(cell)
            elif isinstance(value, dt.datetime):
                # Excel has no time zones: write the local wall-clock time officials expect.
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                out.append(local.replace(tzinfo=None))
            elif looks_like_formula(value):
                out.append(keep_as_text(WriteOnlyCell(sheet, value=value)))
            else:
                out.append(value)
        sheet.append(out)
    workbook.save(target)


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
