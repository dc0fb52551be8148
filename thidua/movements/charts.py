"""The movements' charts (core.charts): progress by criterion, by unit, over the periods, and the
dashboard's running movements. Each is built from its table, which the page shows and the Excel file
holds, so the three always tell the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.core import charts
from thidua.core.charts import Chart, Table, percent
from thidua.movements.models import Direction, Movement
from thidua.movements.selectors import CriterionRow, MovementPage, ProgressSeries, UnitRow

# Beyond this many units the chart shows the lowest and the highest ones; the table lists every unit.
UNITS_IN_FULL = 20
UNITS_AT_EACH_END = 10


def _target_text(row: CriterionRow) -> str:
    c = row.criterion
    sign = "≤" if c.direction == Direction.AT_MOST else "≥"
    target = f"{c.target.normalize():f}".replace(".", ",")
    text = f"{sign} {target} {c.unit_of_measure}".strip()
    if row.overrides:
        text += " " + _("({n} đơn vị có chỉ tiêu riêng)").format(n=row.overrides)
    return text


def _weight(weight: Decimal) -> int | Decimal:
    return int(weight) if weight == weight.to_integral_value() else weight.normalize()


def criteria_table(page: MovementPage) -> Table:
    return Table(
        caption=_(
            "Tiến độ theo tiêu chí: bình quân mức đạt của các đơn vị, từ các báo cáo đã được chấp nhận"
        ),
        headers=[_("Tiêu chí"), _("Chỉ tiêu"), _("Kỳ báo cáo"), _("Trọng số"), _("Đạt bình quân (%)")],
        rows=[
            [
                row.criterion.name,
                _target_text(row),
                str(row.criterion.get_period_display()),
                _weight(row.criterion.weight),
                percent(row.average),
            ]
            for row in page.criteria
        ],
        footer=[_("Tiến độ chung (theo trọng số)"), "", "", "", percent(page.overall)],
    )


def criteria_chart(page: MovementPage) -> Chart:
    m = page.movement
    table = criteria_table(page)
    return charts.bar_chart(
        title=_("Tiến độ theo tiêu chí"),
        description=_(
            "Mỗi thanh là mức đạt bình quân của các đơn vị đối với một tiêu chí của phong trào {title}, "
            "thang 0–100%; tiến độ chung {overall}%."
        ).format(title=m.title, overall=charts.show(percent(page.overall))),
        bars=[charts.percent_bar(row.criterion.name, row.average) for row in page.criteria],
        table=table,
        maximum=100,
        export_url=reverse("movements:progress_export", args=[m.pk, "tieu-chi"]),
    )


def units_table(rows: Sequence[UnitRow], *, caption: str) -> Table:
    return Table(
        caption=caption,
        headers=[_("Đơn vị"), _("Tiến độ (%)")],
        rows=[[row.unit.name, percent(row.progress.overall)] for row in rows],
    )


def units_chart(page: MovementPage) -> Chart:
    """Every unit when there are few; else the ten lowest and the ten highest (the table of the page
    and the Excel file list them all)."""
    m = page.movement
    rows = page.units
    total = len(rows)
    if total <= UNITS_IN_FULL:
        shown = [(row, "") for row in rows]
        note = ""
    else:
        ranked = sorted(rows, key=lambda r: (r.progress.overall, r.unit.sort_key))
        low, high = ranked[:UNITS_AT_EACH_END], ranked[-UNITS_AT_EACH_END:][::-1]
        low_label = _("{n} đơn vị thấp nhất").format(n=len(low))
        high_label = _("{n} đơn vị cao nhất").format(n=len(high))
        shown = [(row, high_label) for row in high] + [(row, low_label) for row in low]
        note = _(
            "Biểu đồ và bảng số liệu chỉ nêu {low} đơn vị có tiến độ thấp nhất và {high} đơn vị cao nhất "
            "trong {total} đơn vị; tiến độ của mọi đơn vị ở bảng “Đơn vị tham gia” và trong tệp Excel."
        ).format(low=len(low), high=len(high), total=charts.show(total))
    table = units_table(
        [row for row, _group in shown],
        caption=_("Tiến độ theo đơn vị, từ các báo cáo đã được chấp nhận"),
    )
    return charts.bar_chart(
        title=_("Tiến độ theo đơn vị"),
        description=_(
            "Mỗi thanh là tiến độ chung của một đơn vị tham gia phong trào {title}, thang 0–100%."
        ).format(title=m.title),
        bars=[
            charts.percent_bar(
                row.unit.name,
                row.progress.overall,
                colour=charts.PALETTE[1],
                href=f"#don-vi-{row.unit.pk}",
                group=group,
            )
            for row, group in shown
        ],
        table=table,
        maximum=100,
        export_url=reverse("movements:progress_export", args=[m.pk, "don-vi"]),
        note=note,
    )


def all_units_table(page: MovementPage) -> Table:
    return units_table(page.units, caption=_("Tiến độ của mọi đơn vị tham gia"))


def series_table(series: ProgressSeries) -> Table:
    return Table(
        caption=_("Tiến độ sau từng kỳ báo cáo, từ các báo cáo đã được chấp nhận đến hết kỳ"),
        headers=[_("Kỳ"), _("Tiến độ chung (%)")] + [f"{c.name} (%)" for c in series.criteria],
        rows=[
            [p.period.label, percent(p.overall)] + [percent(p.by_criterion[c.pk]) for c in series.criteria]
            for p in series.periods
        ],
    )


def series_chart(series: ProgressSeries, *, with_criteria: bool) -> Chart:
    m = series.movement
    table = series_table(series)
    lines = [charts.Series(_("Tiến độ chung"), [float(row[1]) for row in table.rows])]
    if with_criteria:
        for i, c in enumerate(series.criteria):
            lines.append(
                charts.Series(
                    c.name,
                    [float(row[2 + i]) for row in table.rows],
                    colour=charts.PALETTE[1 + i % (len(charts.PALETTE) - 1)],
                    dashed=True,
                )
            )
    return charts.series_chart(
        title=_("Tiến độ qua các kỳ"),
        description=_(
            "Đường tiến độ chung của phong trào {title} sau từng kỳ báo cáo, thang 0–100%{more}."
        ).format(title=m.title, more=_(", và của từng tiêu chí (nét đứt)") if with_criteria else ""),
        categories=[p.period.label for p in series.periods],
        series=lines,
        table=table,
        export_url=reverse("movements:progress_export", args=[m.pk, "theo-ky"]),
    )


def running_table(movements: Sequence[tuple[Movement, Decimal]]) -> Table:
    return Table(
        caption=_("Tiến độ chung của các phong trào đang diễn ra"),
        headers=[_("Phong trào"), _("Cơ quan phát động"), _("Tiến độ chung (%)")],
        rows=[[m.title, m.authority.name, percent(share)] for m, share in movements],
    )


def running_chart(movements: Sequence[tuple[Movement, Decimal]]) -> Chart:
    return charts.bar_chart(
        title=_("Tiến độ các phong trào đang diễn ra"),
        description=_("Mỗi thanh là tiến độ chung của một phong trào, thang 0–100%."),
        bars=[
            charts.percent_bar(m.title, share, href=reverse("movements:detail", args=[m.pk]))
            for m, share in movements
        ],
        table=running_table(movements),
        maximum=100,
        export_url=reverse("movements:running_export"),
    )
