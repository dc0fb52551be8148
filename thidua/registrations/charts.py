"""The registrations' chart (core.charts): how many collectives and people registered each title, over
the registrations the summary counts (the same scope, year and states)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.core import charts
from thidua.core.charts import Chart, Table
from thidua.registrations.selectors import Summary


def titles_table(summary: Summary) -> Table:
    return Table(
        caption=_("Số tập thể, cá nhân đăng ký từng danh hiệu năm {year}").format(year=summary.year),
        headers=[_("Danh hiệu"), _("Tập thể"), _("Cá nhân"), _("Tổng")],
        rows=[
            [a.name, summary.collectives.get(a.pk, 0), summary.people.get(a.pk, 0), summary.totals[a.pk]]
            for a in summary.titles
        ],
        footer=[
            _("Tổng cộng"),
            sum(summary.collectives.values()),
            sum(summary.people.values()),
            summary.total,
        ],
    )


def titles_chart(summary: Summary) -> Chart:
    query = f"?year={summary.year}" + ("&approved=1" if summary.approved_only else "")
    return charts.bar_chart(
        title=_("Đăng ký theo danh hiệu"),
        description=_(
            "Mỗi thanh là số tập thể và cá nhân đăng ký một danh hiệu thi đua năm {year}, trong các bản "
            "đăng ký {which}."
        ).format(
            year=summary.year,
            which=_("đã duyệt") if summary.approved_only else _("đã gửi (chờ duyệt và đã duyệt)"),
        ),
        bars=[charts.count_bar(a.name, summary.totals[a.pk]) for a in summary.titles],
        table=titles_table(summary),
        as_percent=False,
        export_url=reverse("registrations:titles_export") + query,
    )
