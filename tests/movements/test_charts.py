"""The movements' charts: every figure, table cell and Excel cell equals an answer computed here from the
records by hand; the exports follow the page's scope; the page and the dashboard read as many queries
for many units as for few."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_unit
from tests.movements.conftest import Q1, Q2, Q3, launched, on, report
from thidua.movements import progress, selectors, services, standing
from thidua.movements.models import (
    Criterion,
    CriterionTarget,
    Period,
    ProgressReport,
    ReportValue,
    UnitStanding,
)
from thidua.movements.workflow import ReportState
from thidua.organisation.models import UnitKind

pytestmark = pytest.mark.django_db


def _sheet(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _as_sheet(table: Any) -> list[list[Any]]:
    """A chart's table as its Excel file must hold it: the headers, the rows, the total row."""
    rows = [table.headers, *table.rows, *([table.footer] if table.footer else [])]
    return [[float(v) if isinstance(v, Decimal) else (None if v == "" else v) for v in row] for row in rows]


def _scene(w: dict[str, Any]) -> Any:
    """Sở Y tế: Q1 accepted (2 classes, 3 % poor), Q2 accepted (4, 6 %), Q3 sent, not accepted (9, 1 %).
    Xã Bản Bo: its own target of 2 classes; Q1 accepted (3, 0 %). Xã Bình Lư: Q1 returned."""
    movement = launched(w)
    for period, classes, poor in ((Q1, 2, 3), (Q2, 4, 6)):
        sent = report(w, movement, w["health"], period, {"c_classes": classes, "c_poor": poor})
        services.report_accept(actor=w["specialist"], report=sent)
    report(w, movement, w["health"], Q3, {"c_classes": 9, "c_poor": 1})
    services.unit_target_set(actor=w["specialist"], criterion=w["c_classes"], unit=w["xa2"], target="2")
    services.report_accept(
        actor=w["specialist"], report=report(w, movement, w["xa2"], Q1, {"c_classes": 3, "c_poor": 0})
    )
    services.report_return(
        actor=w["specialist"],
        report=report(w, movement, w["xa1"], Q1, {"c_classes": 4, "c_poor": 1}),
        reason="Thiếu danh sách lớp",
    )
    return movement


# By hand, from the accepted reports only (weights 2, 1, 1):
# classes: Sở Y tế 4/4 = 1, Xã Bình Lư 0, Xã Bản Bo 3 ≥ 2 → 1: mean 2/3 → 66.7 %
# poor (at most 5 %): Sở Y tế 6 % → 5/6, Xã Bình Lư 0, Xã Bản Bo 0 % → 1: mean 11/18 → 61.1 %
# initiatives: nobody → 0
# units: Sở Y tế (2 + 5/6) / 4 = 70.8 %, Xã Bình Lư 0, Xã Bản Bo (2 + 1) / 4 = 75 %
# overall: (17/24 + 0 + 3/4) / 3 = 35/72 → 48.6 %
BY_CRITERION = {"Số lớp tập huấn": 66.7, "Tỷ lệ hộ nghèo": 61.1, "Số sáng kiến": 0.0}
BY_UNIT = {"Sở Y tế": 70.8, "Xã Bình Lư": 0.0, "Xã Bản Bo": 75.0}
OVERALL = 48.6


def test_progress_by_criterion_and_by_unit_equal_the_computation_by_hand(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    movement = _scene(world)
    board = client_for(world["specialist"])
    response = board.get(reverse("movements:detail", args=[movement.pk]))
    criteria, units = response.context["criteria_chart"], response.context["units_chart"]
    assert {row[0]: float(row[-1]) for row in criteria.table.rows} == BY_CRITERION
    assert float(criteria.table.footer[-1]) == OVERALL
    assert {bar.bar.label: bar.bar.value for bar in criteria.bars} == BY_CRITERION
    assert {row[0]: float(row[1]) for row in units.table.rows} == BY_UNIT
    assert {bar.bar.label: bar.bar.value for bar in units.bars} == BY_UNIT
    assert float(response.context["page"].overall) == pytest.approx(35 / 72)
    html = response.content.decode()
    # The figure and its table are in the page: the bar's text, the cell, the bar's length on 280 px.
    assert "75,0%" in html and '<td class="text-end">70,8</td>' in html
    bo = next(b for b in units.bars if b.bar.label == "Xã Bản Bo")
    assert bo.width == "210" and f'width="{bo.width}"' in html
    # Each Excel file holds exactly its table; the units' file every unit.
    for table, chart in (("tieu-chi", criteria), ("don-vi", units)):
        got = _sheet(board.get(reverse("movements:progress_export", args=[movement.pk, table])))
        assert got == _as_sheet(chart.table)


def test_progress_over_the_periods_counts_what_was_accepted_by_the_end_of_each(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    movement = _scene(world)
    board = client_for(world["specialist"])
    response = board.get(reverse("movements:progress_periods", args=[movement.pk]))
    chart = response.context["chart"]
    # After Q1: Sở Y tế 2/4 and 3 % ≤ 5 %; Xã Bản Bo 1 and 1; Xã Bình Lư nothing.
    # classes (1/2 + 0 + 1) / 3 = 1/2, poor (1 + 0 + 1) / 3 = 2/3: (2 × 1/2 + 2/3) / 4 = 5/12 → 41.7 %.
    # From Q2 on, what the page shows (48.6 %): Q3 is sent, not accepted, and Q4 is not reported yet.
    overall = {row[0]: float(row[1]) for row in chart.table.rows}
    assert overall == {"Quý I/2026": 41.7, "Quý II/2026": 48.6, "Quý III/2026": 48.6, "Quý IV/2026": 48.6}
    classes = chart.table.headers.index("Số lớp tập huấn (%)")
    assert [float(row[classes]) for row in chart.table.rows] == [50.0, 66.7, 66.7, 66.7]
    assert [p.text.split(": ")[1] for p in chart.lines[0].points] == ["41,7%", "48,6%", "48,6%", "48,6%"]
    got = _sheet(board.get(reverse("movements:progress_export", args=[movement.pk, "theo-ky"])))
    assert got == _as_sheet(chart.table)
    with_criteria = board.get(reverse("movements:progress_periods", args=[movement.pk]), {"tieu-chi": "1"})
    assert len(with_criteria.context["chart"].lines) == 4


def test_a_units_staff_charts_and_files_hold_their_units_only_and_others_get_404(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    movement = _scene(world)
    commune = client_for(world["xa2_officer"])
    page = commune.get(reverse("movements:detail", args=[movement.pk]))
    assert [row[0] for row in page.context["units_chart"].table.rows] == ["Xã Bản Bo"]
    # Over its own unit only: classes 1, poor 1, initiatives 0 → 75 %.
    assert float(page.context["criteria_chart"].table.footer[-1]) == 75.0
    units = _sheet(commune.get(reverse("movements:progress_export", args=[movement.pk, "don-vi"])))
    assert units == [["Đơn vị", "Tiến độ (%)"], ["Xã Bản Bo", 75.0]]
    periods = _sheet(commune.get(reverse("movements:progress_export", args=[movement.pk, "theo-ky"])))
    assert [row[1] for row in periods[1:]] == [75.0] * 4
    outsider = client_for(world["education_officer"])
    for table in ("tieu-chi", "don-vi", "theo-ky"):
        url = reverse("movements:progress_export", args=[movement.pk, table])
        assert outsider.get(url).status_code == 404
    assert outsider.get(reverse("movements:progress_periods", args=[movement.pk])).status_code == 404
    board = client_for(world["specialist"])
    assert board.get(reverse("movements:progress_export", args=[movement.pk, "khac"])).status_code == 404
    from tests.movements.conftest import drafted

    draft = drafted(world, title="Bản nháp")
    assert board.get(reverse("movements:progress_export", args=[draft.pk, "don-vi"])).status_code == 404


def _accepted(movement: Any, unit: Any, period_end: dt.date, values: dict[int, Decimal], board: Any) -> None:
    """An accepted report written directly (the bench's way): many units without their staff."""
    period = next(p for p in services.movement_periods(movement) if p.end == period_end)
    report_obj = ProgressReport.objects.create(
        movement=movement,
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        label=period.label,
        due_date=period.due,
        state=ReportState.ACCEPTED,
        created_by=board,
    )
    ReportValue.objects.bulk_create(
        [ReportValue(report=report_obj, criterion_id=cid, value=v) for cid, v in values.items()]
    )
    # Written past the service that accepts: the unit's stored progress brought up to date as it would.
    standing.refresh(movement, [unit.pk])


def test_many_units_chart_the_lowest_and_highest_ten_and_the_file_holds_all(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    communes = [make_unit(f"Xã {i:02d}", parent=world["ubnd"], kind=UnitKind.COMMUNE) for i in range(30)]
    movement = launched(world, units=communes, title="Ba mươi xã")
    # Xã i reports i classes of 4 and no poor households in Q1 (its initiatives are yearly): progress
    # (2 × min(i/4, 1) + 1) / 4.
    for i, unit in enumerate(communes):
        _accepted(
            movement,
            unit,
            Q1,
            {world["c_classes"].pk: Decimal(i), world["c_poor"].pk: Decimal(0)},
            world["specialist"],
        )
    expected = {f"Xã {i:02d}": round((2 * min(i / 4, 1) + 1) / 4 * 100, 1) for i in range(30)}
    board = client_for(world["specialist"])
    chart = board.get(reverse("movements:detail", args=[movement.pk])).context["units_chart"]
    ranked = sorted(expected, key=lambda name: (expected[name], name))
    assert [b.bar.label for b in chart.bars if b.bar.group.endswith("cao nhất")] == ranked[-10:][::-1]
    assert [b.bar.label for b in chart.bars if b.bar.group.endswith("thấp nhất")] == ranked[:10]
    assert "trong 30 đơn vị" in chart.note
    sheet = _sheet(board.get(reverse("movements:progress_export", args=[movement.pk, "don-vi"])))
    assert {row[0]: row[1] for row in sheet[1:]} == expected


def test_the_stored_standing_equals_the_rule_over_the_accepted_reports(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    """The units' stored progress (kept by the services) equals the rule worked out from the accepted
    reports (`accepted_values` and `progress`), after reports are accepted through the service, after a
    unit's own target is set and cleared; a unit without a row is worked out on the spot."""
    board = world["specialist"]
    draft = services.movement_create(
        actor=board,
        authority=world["authority"],
        title="Tháng và quý",
        kind="regular",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        units=[world["health"], world["xa1"], world["xa2"]],
    )
    m_crit = services.criterion_add(
        actor=board, movement=draft, name="Tháng", unit_of_measure="việc", target="10", period=Period.MONTH
    )
    q_crit = services.criterion_add(
        actor=board,
        movement=draft,
        name="Quý",
        unit_of_measure="việc",
        target="3",
        period=Period.QUARTER,
        direction="at_most",
    )
    movement = services.movement_launch(actor=board, movement=draft)
    criteria = list(Criterion.objects.filter(movement=movement).order_by("position", "id"))
    units = [world["health"].pk, world["xa1"].pk, world["xa2"].pk]

    def rule() -> dict[int, Any]:
        values = selectors.accepted_values(movement=movement)
        overrides: dict[int, dict[int, Decimal]] = {}
        for cid, uid, target in CriterionTarget.objects.filter(criterion__movement=movement).values_list(
            "criterion_id", "unit_id", "target"
        ):
            overrides.setdefault(uid, {})[cid] = target
        specs = [progress.CriterionSpec(c.pk, c.direction, c.weight, c.target) for c in criteria]
        return {u: progress.unit_progress(u, specs, values.get(u, {}), overrides.get(u, {})) for u in units}

    def stored() -> dict[int, Any]:
        assert UnitStanding.objects.filter(movement=movement).count() == 3
        return standing.read(movement, criteria, units, standing._overrides(movement, None))

    # At launch every unit stands at nothing done.
    assert stored() == rule()
    assert {p.overall for p in stored().values()} == {Decimal(0)}
    # Accepted through the service: March's month and the first quarter.
    with on(dt.date(2026, 4, 3)):
        sent = report({**world, "m": m_crit, "q": q_crit}, movement, world["health"], Q1, {"m": 3, "q": 4})
        services.report_accept(actor=board, report=sent)
    assert stored() == rule()
    assert stored()[world["health"].pk].by_criterion[m_crit.pk][0] == Decimal(3)
    for unit, end, values in (
        (world["health"], dt.date(2026, 5, 31), {m_crit.pk: Decimal(6)}),
        (world["xa1"], Q2, {m_crit.pk: Decimal(9), q_crit.pk: Decimal(2)}),
    ):
        _accepted(movement, unit, end, values, board)
    assert stored() == rule()
    health = stored()[world["health"].pk]
    # Its latest month (May: 6 of 10) and its latest quarter (Q1: 4, over the at-most 3: 3/4).
    assert health.by_criterion[m_crit.pk][2] == Decimal("0.6")
    assert health.by_criterion[q_crit.pk][2] == Decimal(3) / Decimal(4)
    services.unit_target_set(actor=board, criterion=m_crit, unit=world["health"], target="6")
    assert stored() == rule()
    assert stored()[world["health"].pk].by_criterion[m_crit.pk][2] == Decimal(1)
    services.unit_target_set(actor=board, criterion=m_crit, unit=world["health"], target=None)
    assert stored() == rule()
    # A row lost (or data written past the services): that unit is worked out by the rule on the spot.
    UnitStanding.objects.filter(movement=movement, unit=world["xa1"]).delete()
    found = standing.read(movement, criteria, units, {})
    assert found == rule()
    page = client_for(board).get(reverse("movements:detail", args=[movement.pk])).context["page"]
    assert page.overall == progress.mean([p.overall for p in rule().values()])
    call_command("movements_standing", stdout=io.StringIO())
    assert stored() == rule()


def test_the_dashboard_chart_shows_each_running_movements_progress_in_constant_queries(
    world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    movement = _scene(world)
    board = client_for(world["specialist"])
    chart = board.get(reverse("core:dashboard")).context["movement_chart"]
    assert {row[0]: float(row[-1]) for row in chart.table.rows} == {movement.title: OVERALL}
    sheet = _sheet(board.get(reverse("movements:running_export")))
    assert sheet == _as_sheet(chart.table)
    # Xã Bản Bo's staff see the movement's progress over their unit (75 %), as on its page.
    commune = client_for(world["xa2_officer"]).get(reverse("core:dashboard")).context["movement_chart"]
    assert [float(row[-1]) for row in commune.table.rows] == [75.0]
    board = client_for(world["specialist"])

    def queries(client: Client, url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few_dashboard = queries(board, reverse("core:dashboard"))
    few_page = queries(board, reverse("movements:detail", args=[movement.pk]))
    few_periods = queries(board, reverse("movements:progress_periods", args=[movement.pk]))
    # Twelve more units, a second running movement and their accepted reports: no more queries.
    more = [make_unit(f"Xã thêm {i}", parent=world["ubnd"], kind=UnitKind.COMMUNE) for i in range(12)]
    other = launched(world, units=more, title="Phong trào thứ hai")
    for unit in more:
        values = {world["c_classes"].pk: Decimal(2), world["c_poor"].pk: Decimal(7)}
        _accepted(other, unit, Q1, values, world["specialist"])
    assert queries(board, reverse("core:dashboard")) == few_dashboard
    assert queries(board, reverse("movements:detail", args=[other.pk])) == few_page
    assert queries(board, reverse("movements:progress_periods", args=[other.pk])) == few_periods
