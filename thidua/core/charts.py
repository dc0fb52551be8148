"""Charts drawn on the server as SVG: no script, no build step, read by a screen reader (a title, a
description, and the data table beside every chart), and printed as they are shown.

A chart is built from the same `Table` that is shown under it and exported to Excel (`table_xlsx`), so
the figure, the table and the file can never tell different numbers. Two shapes serve every page:
horizontal bars (`bar_chart`: a value per row, a percentage or a count) and a series over periods
(`series_chart`: one line per series, a point per period). The geometry is computed here; the template
`core/includes/chart.html` only places it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import FileResponse
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from thidua.core.xlsx import xlsx_response

# Colours of the marks: each has a contrast of at least 4.5:1 against the white page, so a bar or a line
# is told from the background (WCAG 2.1, 1.4.11 asks 3:1 for graphics) and a value written in the colour
# reads as text (1.4.3). The order is the series' order; the first is the product's red.
PALETTE = ("#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#8d4a00", "#37474f", "#ad1457", "#00695c")
TRACK = "#eef1f4"
GRID = "#ced4da"
INK = "#212529"

# Statuses read at a glance; the same colours as the status badges, darkened to the contrast above.
STATUS_COLOURS = {"not_due": "#546e7a", "on_time": "#2e7d32", "late": "#8d4a00", "overdue": "#c62828"}

ONE_PLACE = Decimal("0.1")


def percent(share: Decimal | float) -> Decimal:
    """A share between 0 and 1 as the percentage shown and exported, to one decimal place."""
    return (Decimal(str(share)) * 100).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def show(value: Any) -> str:
    """A cell as the page shows it: numbers in the Vietnamese way (1.000; 62,5), text as it is."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else (_("Có") if value else "")
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, Decimal | float):
        return number_format(value, 1, force_grouping=True)
    return str(value)


@dataclass
class Table:
    """The chart's numbers: a caption, the column headers, the rows (plain values, numbers already
    rounded as shown) and an optional total row. The page, the figure and the Excel file read it."""

    caption: str
    headers: list[str]
    rows: list[list[Any]]
    footer: list[Any] | None = None

    @property
    def shown_rows(self) -> list[list[str]]:
        return [[show(v) for v in row] for row in self.rows]

    @property
    def shown_footer(self) -> list[str]:
        return [show(v) for v in self.footer] if self.footer else []


def table_xlsx(table: Table, *, filename: str, title: str) -> FileResponse:
    """The table of a chart as an .xlsx download: the same headers, rows and total row."""
    rows: list[Sequence[Any]] = [[_cell(v) for v in row] for row in table.rows]
    if table.footer:
        rows.append([_cell(v) for v in table.footer])
    return xlsx_response(filename=filename, title=title, headers=table.headers, rows=rows)


def _cell(value: Any) -> Any:
    # Excel has no decimal type: a percentage rounded to one place is written as that float.
    return float(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    colour: str = PALETTE[0]
    href: str = ""
    # Bars of the same group are drawn together under the group's heading ("10 đơn vị thấp nhất").
    group: str = ""


def _n(x: float) -> str:
    """An SVG coordinate: written with a point whatever the page's language (a template would write
    "12,5" in Vietnamese), to a tenth of a pixel."""
    return f"{x:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class PlacedBar:
    bar: Bar
    y: str
    text_y: str
    width: str
    label: str


@dataclass(frozen=True)
class Tick:
    at: str
    text: str
    # Where the tick's text stands across the axis (below the bars, left of the lines).
    text_at: str = ""


@dataclass(frozen=True)
class Heading:
    y: str
    text: str


@dataclass(frozen=True)
class Point:
    x: str
    y: str
    text: str


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    points: list[Point]
    dashed: bool = False

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class Frame:
    """The plot area and where the texts around it stand, as SVG coordinates."""

    left: str
    top: str
    right: str
    bottom: str
    span: str
    label_x: str
    value_x: str
    axis_y: str


@dataclass
class Chart:
    kind: str  # "bars" or "lines"
    slug: str
    title: str
    description: str
    table: Table
    frame: Frame
    width: str
    height: str
    export_url: str = ""
    note: str = ""
    # Bars
    bars: list[PlacedBar] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    # Both: the value axis (vertical grid lines for bars, horizontal for lines)
    ticks: list[Tick] = field(default_factory=list)
    # Lines
    lines: list[Line] = field(default_factory=list)
    categories: list[Tick] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.bars and not any(line.points for line in self.lines)


def _frame(left: float, top: float, right: float, bottom: float, *, axis_gap: float) -> Frame:
    return Frame(
        _n(left),
        _n(top),
        _n(right),
        _n(bottom),
        _n(right - left),
        _n(left - 6),
        _n(right + 6),
        _n(bottom + axis_gap),
    )


def nice_maximum(largest: float) -> float:
    """The top of a count axis: 1, 2, 2.5 or 5 times a power of ten, at or above the largest value."""
    if largest <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 2.5, 5, 10):
        # A count axis of 2.5 would have no whole-number tick between 0 and its end.
        if largest <= step * power and (step * power) % 1 == 0:
            return float(step * power)
    return float(10 * power)


def _ticks(maximum: float, as_percent: bool) -> list[tuple[float, str]]:
    # Whole-number steps on a count axis (0, 1, 2, 3, 4, 5 rather than 0; 1,25; 2,5 …).
    count = 4 if as_percent else next((n for n in (4, 5, 2, 3) if (maximum / n) % 1 == 0), 4)
    out = []
    for i in range(count + 1):
        value = maximum * i / count
        text = number_format(value, 0 if value == int(value) else 1, force_grouping=True)
        out.append((value, f"{text}%" if as_percent else text))
    return out


LABEL_WIDTH = 220.0
VALUE_WIDTH = 60.0
ROW = 22.0
BAR = 14.0
TOP = 8.0
AXIS = 20.0


def _clip(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def bar_chart(
    *,
    title: str,
    description: str,
    bars: Sequence[Bar],
    table: Table,
    maximum: float | None = None,
    as_percent: bool = True,
    export_url: str = "",
    note: str = "",
    width: int = 560,
) -> Chart:
    """Horizontal bars, one per row; `maximum` fixes the scale (100 for percentages), else a round
    number above the largest value."""
    top = maximum if maximum is not None else nice_maximum(max((b.value for b in bars), default=0))
    left, right = LABEL_WIDTH, width - VALUE_WIDTH
    span = right - left
    placed: list[PlacedBar] = []
    headings: list[Heading] = []
    y = TOP
    group = None
    for bar in bars:
        if bar.group and bar.group != group:
            group = bar.group
            headings.append(Heading(_n(y + 12), bar.group))
            y += ROW
        share = max(0.0, min(bar.value / top, 1.0)) if top else 0.0
        placed.append(PlacedBar(bar, _n(y), _n(y + 11), _n(span * share), _clip(bar.label, 32)))
        y += ROW
    ticks = [Tick(_n(left + span * value / top), text) for value, text in _ticks(top, as_percent)]
    return Chart(
        kind="bars",
        slug=slugify(title) or "bieu-do",
        title=title,
        description=description,
        table=table,
        frame=_frame(left, TOP, right, y, axis_gap=14),
        width=_n(width),
        height=_n(y + AXIS),
        export_url=export_url,
        note=note,
        bars=placed,
        headings=headings,
        ticks=ticks,
    )


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    colour: str = PALETTE[0]
    dashed: bool = False


def series_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    table: Table,
    maximum: float | None = 100.0,
    as_percent: bool = True,
    export_url: str = "",
    note: str = "",
    width: int = 640,
    height: int = 260,
) -> Chart:
    """One line per series over the categories (the periods), a marked point per known value."""
    known = [v for s in series for v in s.values if v is not None]
    top = maximum if maximum is not None else nice_maximum(max(known, default=0))
    left, right, plot_top, bottom = 48.0, width - 40.0, 12.0, height - 44.0
    step = (right - left) / max(len(categories) - 1, 1)
    xs = [left + step * i if len(categories) > 1 else (left + right) / 2 for i in range(len(categories))]

    def y_of(value: float) -> float:
        share = max(0.0, min(value / top, 1.0)) if top else 0.0
        return bottom - (bottom - plot_top) * share

    lines = []
    for one in series:
        points = [
            Point(_n(xs[i]), _n(y_of(v)), f"{one.name}, {categories[i]}: {_value_text(v, as_percent)}")
            for i, v in enumerate(one.values)
            if v is not None
        ]
        lines.append(Line(one.name, one.colour, points, one.dashed))
    ticks = [Tick(_n(y_of(value)), text, _n(y_of(value) + 3)) for value, text in _ticks(top, as_percent)]
    # Every label when they fit, else every second or third one (the table has them all).
    every = max(1, math.ceil(len(categories) * 58 / (right - left)))
    labels = [Tick(_n(x), label) for x, label in zip(xs, categories, strict=True)]
    return Chart(
        kind="lines",
        slug=slugify(title) or "bieu-do",
        title=title,
        description=description,
        table=table,
        frame=_frame(left, plot_top, right, bottom, axis_gap=16),
        width=_n(width),
        height=_n(height),
        export_url=export_url,
        note=note,
        ticks=ticks,
        lines=lines,
        categories=[t for i, t in enumerate(labels) if i % every == 0 or i == len(labels) - 1],
    )


def _value_text(value: float, as_percent: bool) -> str:
    if as_percent:
        return number_format(value, 1, force_grouping=True) + "%"
    return number_format(value, 0, force_grouping=True)


def percent_bar(
    label: str, share: Decimal, *, colour: str = PALETTE[0], href: str = "", group: str = ""
) -> Bar:
    shown = percent(share)
    return Bar(label, float(shown), show(shown) + "%", colour, href, group)


def count_bar(label: str, n: int, *, colour: str = PALETTE[0], href: str = "", group: str = "") -> Bar:
    return Bar(label, float(n), show(n), colour, href, group)


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours given as #rrggbb."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
