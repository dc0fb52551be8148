"""core.charts: the scales, the geometry drawn from the shown figures, SVG coordinates written with a
point on Vietnamese pages, colours that stand out from the page, and the Excel file of a table."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook

from thidua.core import charts


def _table() -> charts.Table:
    return charts.Table(
        caption="Bảng",
        headers=["Tiêu chí", "Đạt (%)"],
        rows=[["Số lớp", charts.percent(Decimal("0.625"))], ["=Công thức", charts.percent(Decimal(1) / 3)]],
        footer=["Chung", charts.percent(Decimal("0.5"))],
    )


def test_percentages_round_half_up_and_bars_are_drawn_from_the_figure_shown() -> None:
    assert charts.percent(Decimal("0.62549")) == Decimal("62.5")
    assert charts.percent(Decimal("0.00050")) == Decimal("0.1")
    chart = charts.bar_chart(
        title="Tiến độ",
        description="Mô tả",
        bars=[charts.percent_bar("A", Decimal("0.5")), charts.percent_bar("B", Decimal("1.7"))],
        table=_table(),
        maximum=100,
    )
    # 560 wide: labels 220, values 60, so 280 px stand for 100 %; beyond 100 % the bar stops at the end.
    assert [b.width for b in chart.bars] == ["140", "280"]
    assert [t.text for t in chart.ticks] == ["0%", "25%", "50%", "75%", "100%"]


@pytest.mark.parametrize(
    ("largest", "top"), [(0, 1), (2, 2), (2.2, 5), (7, 10), (12, 20), (230, 250), (4100, 5000)]
)
def test_a_count_axis_ends_on_a_round_number_above_the_largest(largest: float, top: int) -> None:
    assert charts.nice_maximum(largest) == top


def test_the_svg_writes_coordinates_with_a_point_on_vietnamese_pages() -> None:
    bars = [charts.count_bar("Đơn vị", 3), charts.count_bar("Khác", 1)]
    chart = charts.bar_chart(title="Số", description="d", bars=bars, table=_table(), as_percent=False)
    series = charts.series_chart(
        title="Qua các kỳ",
        description="d",
        categories=["Quý I", "Quý II", "Quý III"],
        series=[charts.Series("Chung", [12.5, None, 40.0])],
        table=_table(),
    )
    with translation.override("vi"):
        html = render_to_string("core/includes/chart.html", {"chart": chart})
        lines = render_to_string("core/includes/chart.html", {"chart": series})
    # 3 and 1 on an axis of 0–5 (whole-number ticks), 280 px long.
    assert 'width="168"' in html and 'width="56"' in html
    assert [t.text for t in chart.ticks] == ["0", "1", "2", "3", "4", "5"]
    assert ',5"' not in html and ',7"' not in lines
    # A period with no value is left out of the line, not drawn at 0.
    assert len(series.lines[0].points) == 2
    # The plot runs from y 216 (0 %) up to 12 (100 %): 12.5 % at 190.5, 40 % at 134.4.
    assert '<polyline points="48,190.5 600,134.4"' in lines
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "Bảng số liệu" not in html and "<caption" in html


def test_every_mark_colour_contrasts_with_the_page() -> None:
    for colour in (*charts.PALETTE, *charts.STATUS_COLOURS.values()):
        assert charts.contrast(colour) >= 4.5, colour


def test_the_excel_file_holds_the_table_and_user_text_stays_text() -> None:
    response = charts.table_xlsx(_table(), filename="t.xlsx", title="Bảng")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Tiêu chí", "Đạt (%)"],
        ["Số lớp", 62.5],
        ["=Công thức", 33.3],
        ["Chung", 50.0],
    ]
    assert sheet["A3"].data_type == "s"
