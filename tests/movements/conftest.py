from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tests.factories import make_unit, make_user
from tests.proposals.conftest import pdf_upload
from thidua.accounts.models import Role
from thidua.movements import services
from thidua.movements.models import Direction, MovementKind, Period
from thidua.organisation.models import UnitKind

ICT = dt.timezone(dt.timedelta(hours=7))


@contextmanager
def on(day: dt.date, hour: int = 10) -> Iterator[None]:
    """Act on another day than the suite's fixed clock (a report sent in July)."""
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=ICT), tick=False):
        yield


@pytest.fixture
def world(province: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """The province's Board, Sở Y tế (officer, head, and a Board specialist working there), two communes
    with their officer and head, and Sở Giáo dục, which no movement here targets."""
    ubnd = province["ubnd"]
    xa1 = make_unit("Xã Bình Lư", parent=ubnd, kind=UnitKind.COMMUNE)
    xa2 = make_unit("Xã Bản Bo", parent=ubnd, kind=UnitKind.COMMUNE)
    return {
        **province,
        **users,
        "xa1": xa1,
        "xa2": xa2,
        "authority": ubnd.authority,
        "health_head": make_user("thutruong.yte", Role.UNIT_HEAD, province["health"]),
        "conflicted_specialist": make_user("chuyenvien.yte", Role.BOARD_SPECIALIST, province["health"]),
        "xa1_officer": make_user("canbo.xa1", Role.UNIT_OFFICER, xa1),
        "xa1_head": make_user("chutich.xa1", Role.UNIT_HEAD, xa1),
        "xa2_officer": make_user("canbo.xa2", Role.UNIT_OFFICER, xa2),
        "xa2_head": make_user("chutich.xa2", Role.UNIT_HEAD, xa2),
    }


def drafted(w: dict[str, Any], units: list[Any] | None = None, **extra: Any) -> Any:
    """The province's thematic movement from 01/3/2026 to 31/12/2026 with three criteria: training
    classes (quarterly, at least 4, weight 2, evidence required), the share of poor households (quarterly,
    at most 5 %), initiatives (yearly, at least 10)."""
    fields: dict[str, Any] = {
        "actor": w["specialist"],
        "authority": w["authority"],
        "title": "Phong trào thi đua chung tay vì người nghèo năm 2026",
        "kind": MovementKind.THEMATIC,
        "start_date": dt.date(2026, 3, 1),
        "end_date": dt.date(2026, 12, 31),
        "description": "Kế hoạch số 15/KH-UBND",
        "units": units if units is not None else [w["health"], w["xa1"], w["xa2"]],
    }
    fields.update(extra)
    movement = services.movement_create(**fields)
    w["c_classes"] = services.criterion_add(
        actor=w["specialist"],
        movement=movement,
        name="Số lớp tập huấn",
        unit_of_measure="lớp",
        target="4",
        weight="2",
        period=Period.QUARTER,
        evidence_required="Danh sách lớp tập huấn",
    )
    w["c_poor"] = services.criterion_add(
        actor=w["specialist"],
        movement=movement,
        name="Tỷ lệ hộ nghèo",
        unit_of_measure="%",
        target="5",
        direction=Direction.AT_MOST,
        period=Period.QUARTER,
    )
    w["c_initiatives"] = services.criterion_add(
        actor=w["specialist"],
        movement=movement,
        name="Số sáng kiến",
        unit_of_measure="sáng kiến",
        target="10",
        period=Period.YEAR,
    )
    return movement


def launched(w: dict[str, Any], **extra: Any) -> Any:
    movement = drafted(w, **extra)
    return services.movement_launch(actor=w["specialist"], movement=movement)


def report(
    w: dict[str, Any],
    movement: Any,
    unit: Any,
    period_end: dt.date,
    values: dict[str, Any],
    *,
    submit: bool = True,
) -> Any:
    """A unit's report for a period, with the values given by criterion key ("c_classes": 3) and the
    evidence the criteria ask for, sent by the unit's head when `submit`."""
    officer, head = _staff(w, unit)
    opened = services.report_open(actor=officer, movement=movement, unit=unit, period_end=period_end)
    services.report_save(
        actor=officer,
        report=opened,
        values={w[key].pk: (str(v), "") for key, v in values.items()},
        narrative="Đã triển khai",
    )
    if "c_classes" in values:
        services.evidence_add(
            actor=officer, report=opened, upload=pdf_upload("lop.pdf"), criterion=w["c_classes"]
        )
    if submit:
        services.report_submit(actor=head, report=opened)
    opened.refresh_from_db()
    return opened


def _staff(w: dict[str, Any], unit: Any) -> tuple[Any, Any]:
    if unit == w["health"]:
        return w["health_officer"], w["health_head"]
    if unit == w["xa1"]:
        return w["xa1_officer"], w["xa1_head"]
    return w["xa2_officer"], w["xa2_head"]


Q1, Q2, Q3, Q4 = (dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30), dt.date(2026, 12, 31))
D = Decimal
