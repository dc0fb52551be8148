"""The reports' charts (core.charts): each built from the table the page shows and the Excel file holds."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core import charts
from thidua.core.charts import Chart, Table, percent
from thidua.reports.models import Measure
from thidua.reports.selectors import Dashboard, Report

# The builder's chart draws this many rows; the table and the Excel file hold them all.
REPORT_BARS = 40
MET, MISSED = charts.PALETTE[2], charts.PALETTE[0]


def _year_text(d: Dashboard) -> str:
    return str(d.year)


def by_year_table(d: Dashboard) -> Table:
    return Table(
        caption=_("Số lượt khen thưởng còn hiệu lực theo năm thành tích"),
        headers=[_("Năm thành tích"), _("Số lượt khen thưởng")],
        rows=[[str(year), n] for year, n in d.by_year],
        footer=[_("Tổng cộng"), sum(n for _y, n in d.by_year)],
    )


def by_year_chart(d: Dashboard, export_url: str) -> Chart:
    table = by_year_table(d)
    return charts.series_chart(
        title=_("Khen thưởng theo năm thành tích"),
        description=_("Số lượt khen thưởng còn hiệu lực của mỗi năm thành tích, trong phạm vi của bạn."),
        categories=[row[0] for row in table.rows],
        series=[charts.Series(_("Số lượt khen thưởng"), [float(row[1]) for row in table.rows])],
        table=table,
        maximum=None,
        as_percent=False,
        export_url=export_url,
    )


def _count_table(caption: str, header: str, rows: list[tuple[str, str, int]]) -> Table:
    return Table(
        caption=caption,
        headers=[header, _("Số lượt khen thưởng")],
        rows=[[label, n] for _value, label, n in rows],
        footer=[_("Tổng cộng"), sum(n for *_x, n in rows)],
    )


def by_level_table(d: Dashboard) -> Table:
    return _count_table(
        _("Khen thưởng năm {year} theo cấp").format(year=_year_text(d)), _("Cấp khen thưởng"), d.by_level
    )


def by_category_table(d: Dashboard) -> Table:
    return _count_table(
        _("Khen thưởng năm {year}: danh hiệu thi đua và hình thức khen thưởng").format(year=_year_text(d)),
        _("Loại"),
        d.by_category,
    )


def by_kind_table(d: Dashboard) -> Table:
    return _count_table(
        _("Khen thưởng năm {year} theo loại hình").format(year=_year_text(d)),
        _("Loại hình khen thưởng"),
        d.by_kind,
    )


def by_type_table(d: Dashboard) -> Table:
    return _count_table(
        _("Khen thưởng năm {year} theo danh hiệu, hình thức").format(year=_year_text(d)),
        _("Danh hiệu, hình thức"),
        d.by_type,
    )


def count_chart(table: Table, title: str, export_url: str) -> Chart:
    return charts.bar_chart(
        title=title,
        description=_("Mỗi thanh là số lượt khen thưởng của một nhóm; bảng số liệu ở dưới."),
        bars=[charts.count_bar(str(row[0]), row[1]) for row in table.rows],
        table=table,
        as_percent=False,
        export_url=export_url,
    )


def _met_text(met: bool | None) -> str:
    if met is None:
        return ""
    return _("Đạt") if met else _("Chưa đạt")


def shares_table(d: Dashboard) -> Table:
    return Table(
        caption=_("Tỷ lệ khen thưởng năm {year} cho các đối tượng cần quan tâm, so với chỉ tiêu").format(
            year=_year_text(d)
        ),
        headers=[
            _("Đối tượng"),
            _("Số lượt"),
            _("Trên tổng số"),
            _("Tỷ lệ (%)"),
            _("Chỉ tiêu (%)"),
            _("Kết quả"),
        ],
        rows=[
            [row.label, row.count, row.base, percent(row.share), row.target, _met_text(row.met)]
            for row in d.shares
        ],
    )


def shares_chart(d: Dashboard, export_url: str) -> Chart:
    table = shares_table(d)
    return charts.bar_chart(
        title=_("Tỷ lệ khen thưởng cho các đối tượng cần quan tâm"),
        description=_(
            "Tỷ lệ người trực tiếp lao động, nữ, người dân tộc thiểu số, người có sáng kiến trên số lượt "
            "khen cá nhân, và tỷ lệ khen vùng biên giới, vùng cao trên tổng số lượt; màu xanh: đạt chỉ tiêu."
        ),
        bars=[
            charts.percent_bar(
                row.label,
                row.share,
                colour=MET if row.met else MISSED if row.met is False else charts.PALETTE[1],
            )
            for row in d.shares
        ],
        table=table,
        maximum=100,
        export_url=export_url,
        note=_("Tỷ lệ tính trên các lượt khen thưởng còn hiệu lực của năm {year}.").format(
            year=_year_text(d)
        ),
    )


UNIT_MEASURES = list(Measure)
# The table by unit has a column per group: short headers keep it on a printed page.
SHORT = {
    Measure.DIRECT_WORKER: gettext_lazy("Trực tiếp lao động"),
    Measure.WOMEN: gettext_lazy("Nữ"),
    Measure.ETHNIC_MINORITY: gettext_lazy("Dân tộc thiểu số"),
    Measure.BORDER_HIGHLAND: gettext_lazy("Biên giới, vùng cao"),
    Measure.INNOVATOR: gettext_lazy("Có sáng kiến"),
}


def units_table(d: Dashboard) -> Table:
    headers = [_("Đơn vị"), _("Số lượt khen thưởng"), _("Khen cá nhân")]
    headers += [_("{label} (%)").format(label=SHORT[m]) for m in UNIT_MEASURES]
    rows = []
    for row in d.units:
        c = row.counts
        rows.append([row.label, c.total, c.individuals, *[percent(c.share(m)) for m in UNIT_MEASURES]])
    w = d.whole
    return Table(
        caption=_("Khen thưởng năm {year} theo đơn vị và tỷ lệ các đối tượng cần quan tâm").format(
            year=_year_text(d)
        ),
        headers=headers,
        rows=rows,
        footer=[_("Tổng cộng"), w.total, w.individuals, *[percent(w.share(m)) for m in UNIT_MEASURES]],
    )


def units_chart(d: Dashboard, measure: Measure, export_url: str, href: Callable[[int], str]) -> Chart:
    table = units_table(d)
    target = next((row.target for row in d.shares if row.measure == measure), None)
    bars = []
    for row in d.units:
        share = row.counts.share(measure)
        colour = charts.PALETTE[1] if target is None else MET if share * 100 >= target else MISSED
        link = href(row.unit.pk) if row.unit is not None and row.unit != d.root else ""
        bars.append(charts.percent_bar(row.label, share, colour=colour, href=link))
    note = _("Chỉ tiêu: {target}%.").format(target=charts.show(target)) if target is not None else ""
    return charts.bar_chart(
        title=_("Tỷ lệ «{measure}» theo đơn vị").format(measure=measure.label),
        description=_("Mỗi thanh là tỷ lệ của một đơn vị (gồm các đơn vị trực thuộc); bảng có đủ các tỷ lệ."),
        bars=bars,
        table=table,
        maximum=100,
        export_url=export_url,
        note=note,
    )


def stages_table(d: Dashboard) -> Table:
    t = d.throughput
    assert t is not None
    return Table(
        caption=_("Thời gian xử lý hồ sơ đề nghị năm {year} theo bước").format(year=_year_text(d)),
        headers=[_("Trạng thái"), _("Số lượt qua bước"), _("Số ngày bình quân")],
        rows=[[row.label, row.passes, row.average_days] for row in t.stages],
    )


def stages_chart(d: Dashboard, export_url: str) -> Chart:
    table = stages_table(d)
    t = d.throughput
    assert t is not None
    return charts.bar_chart(
        title=_("Thời gian hồ sơ nằm ở mỗi trạng thái"),
        description=_("Số ngày bình quân từ khi hồ sơ vào một trạng thái đến khi rời trạng thái đó."),
        bars=[
            charts.Bar(row.label, float(row.average_days), charts.show(row.average_days)) for row in t.stages
        ],
        table=table,
        as_percent=False,
        export_url=export_url,
        note=_(
            "Đã trình {submitted} hồ sơ, {returned} hồ sơ từng bị trả lại ({returned_share}%); "
            "{overdue} trên {open} hồ sơ đang xử lý đã quá hạn ({overdue_share}%)."
        ).format(
            submitted=charts.show(t.submitted),
            returned=charts.show(t.returned),
            returned_share=charts.show(percent(t.returned_share)),
            overdue=charts.show(t.overdue),
            open=charts.show(t.open),
            overdue_share=charts.show(percent(t.overdue_share)),
        ),
    )


def blocs_table(d: Dashboard) -> Table:
    return Table(
        caption=_("Kết quả xếp hạng khối, cụm thi đua năm {year} đã công bố").format(year=_year_text(d)),
        headers=[_("Khối, cụm"), _("Đơn vị"), _("Xếp hạng"), _("Tổng điểm")],
        rows=[[e.sheet.bloc.name, e.unit.name, e.rank, Decimal(e.total)] for e in d.blocs],
    )


def blocs_chart(d: Dashboard, export_url: str) -> Chart:
    table = blocs_table(d)
    return charts.bar_chart(
        title=_("Điểm xếp hạng khối, cụm thi đua"),
        description=_("Tổng điểm của mỗi đơn vị trong khối, cụm của nó, theo thứ tự xếp hạng."),
        bars=[
            charts.Bar(
                f"{e.rank}. {e.unit.name}",
                float(e.total),
                charts.show(Decimal(e.total)),
                group=e.sheet.bloc.name,
            )
            for e in d.blocs
        ],
        table=table,
        as_percent=False,
        export_url=export_url,
    )


def report_table(report: Report, title: str) -> Table:
    blanks = [""] * (len(report.headers) - 2)
    return Table(
        caption=title,
        headers=report.headers,
        rows=[[*row.labels, row.count] for row in report.rows],
        footer=[_("Tổng cộng"), *blanks, report.total],
    )


def report_chart(report: Report, title: str, export_url: str) -> Chart:
    table = report_table(report, title)
    shown = report.rows[:REPORT_BARS]
    note = ""
    if len(report.rows) > REPORT_BARS:
        note = _("Biểu đồ vẽ {n} dòng đầu trong {total}; bảng và tệp Excel có đủ.").format(
            n=REPORT_BARS, total=len(report.rows)
        )
    return charts.bar_chart(
        title=title,
        description=_("Mỗi thanh là số lượt khen thưởng của một dòng trong bảng."),
        bars=[charts.count_bar(" · ".join(row.labels), row.count) for row in shown],
        table=table,
        as_percent=False,
        export_url=export_url,
        note=note,
    )
