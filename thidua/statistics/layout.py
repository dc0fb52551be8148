"""The official layout of a form as a grid, shared by the page, the Excel file and the PDF: header rows
with merged cells (rowspan, colspan), the numbering row (A, B, C, 1, 2…) and the body rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from thidua.statistics.definitions import Line, StatForm
from thidua.statistics.selectors import Table


@dataclass
class HeadCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    extra: bool = False


@dataclass
class BodyCell:
    column: str
    value: int


@dataclass
class BodyRow:
    line: Line
    cells: list[BodyCell]


@dataclass
class Grid:
    stub: list[str]  # the left header cells: indicator, "mã số", "đơn vị tính"
    head: list[list[HeadCell]]
    numbers: list[HeadCell]
    rows: list[BodyRow]
    columns: int

    @property
    def depth(self) -> int:
        return len(self.head)

    @property
    def width(self) -> int:
        return len(self.stub) + sum(c.colspan for c in self.numbers[len(self.stub) :])


def _path(line: Line) -> list[str]:
    return [str(h) for h in line.heads] + [str(line.label)]


def header(form: StatForm) -> list[list[HeadCell]]:
    paths = [_path(c) for c in form.columns]
    depth = max(len(p) for p in paths)
    rows: list[list[HeadCell]] = []
    for level in range(depth):
        cells: list[HeadCell] = []
        i = 0
        while i < len(paths):
            path = paths[i]
            if level == len(path) - 1:
                cells.append(HeadCell(path[level], rowspan=depth - level, extra=form.columns[i].extra))
                i += 1
            elif level < len(path) - 1:
                j = i + 1
                while (
                    j < len(paths)
                    and len(paths[j]) - 1 > level
                    and paths[j][: level + 1] == path[: level + 1]
                ):
                    j += 1
                cells.append(HeadCell(path[level], colspan=j - i))
                i = j
            else:
                i += 1
        rows.append(cells)
    return rows


def has_units(form: StatForm) -> bool:
    return any(line.unit for line in form.rows)


def grid(table: Table) -> Grid:
    form = table.form
    stub = ["", _("Mã số")] + ([_("Đơn vị tính")] if has_units(form) else [])
    numbers = [HeadCell(letter) for letter in "ABC"[: len(stub)]]
    for column in form.columns:
        if numbers[-1].text == column.number and len(numbers) > len(stub):
            numbers[-1].colspan += 1
        else:
            numbers.append(HeadCell(column.number))
    body = [
        BodyRow(
            line,
            [] if line.heading else [BodyCell(c.key, table.value(line.key, c.key)) for c in form.columns],
        )
        for line in form.rows
    ]
    return Grid(stub, header(form), numbers, body, len(form.columns))


def indicator(line: Line) -> str:
    prefix = {0: "", 1: "- ", 2: "+ "}.get(line.depth, "")
    return f"{prefix}{line.label}"


def report_heading(table: Table) -> dict[str, Any]:
    form = table.form
    return {
        "number": _("Biểu số: {number}").format(number=form.number),
        "basis": _("Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ Nội vụ"),
        "received": _("Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo"),
        "reporter": _("Đơn vị báo cáo: {name}").format(name=table.authority.name),
        "title": str(form.title).upper(),
        "period": str(table.period),
        "unit": _("Đơn vị tính: {unit}").format(unit=form.unit_label),
    }
