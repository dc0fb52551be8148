"""The directives' chart (core.charts): the tasks' reports by status (chưa đến hạn, đúng hạn, trễ hạn,
quá hạn chưa báo cáo), counted over the cells the directive page lists for the user: one per task,
unit and due date so far."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.core import charts
from thidua.core.charts import Chart, Table
from thidua.directives.selectors import DirectivePage


def status_table(page: DirectivePage) -> Table:
    rows = page.count_rows
    return Table(
        caption=_("Tình hình báo cáo các nhiệm vụ theo tình trạng (mỗi đơn vị, mỗi hạn báo cáo là một lượt)"),
        headers=[_("Tình trạng"), _("Số lượt")],
        rows=[[label, n] for _value, label, n in rows],
        footer=[_("Tổng cộng"), sum(n for _value, _label, n in rows)],
    )


def status_chart(page: DirectivePage) -> Chart:
    d = page.directive
    return charts.bar_chart(
        title=_("Nhiệm vụ theo tình trạng báo cáo"),
        description=_(
            "Mỗi thanh là số lượt báo cáo (nhiệm vụ, đơn vị, hạn báo cáo) của {title} ở một tình trạng."
        ).format(title=d.title),
        bars=[
            charts.count_bar(label, n, colour=charts.STATUS_COLOURS.get(value, charts.PALETTE[0]))
            for value, label, n in page.count_rows
        ],
        table=status_table(page),
        as_percent=False,
        export_url=reverse("directives:status_export", args=[d.pk]),
    )
