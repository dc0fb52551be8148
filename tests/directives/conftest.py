from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import make_unit, make_user
from tests.movements.conftest import on, world  # noqa: F401 - the movements' world is this app's too
from thidua.accounts.models import Role
from thidua.directives import services
from thidua.directives.models import DirectiveKind, Recurrence


@pytest.fixture
def dworld(world: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """The movements' world (the province's Board, Sở Y tế with officer and head, two communes with their
    staff, Sở Giáo dục) and a third commune no task names, with its officer."""
    xa3 = make_unit("Xã Mường Kim", parent=world["ubnd"], kind="commune")
    return {**world, "xa3": xa3, "xa3_officer": make_user("canbo.xa3", Role.UNIT_OFFICER, xa3)}


def directive(w: dict[str, Any], **extra: Any) -> Any:
    fields: dict[str, Any] = {
        "actor": w["specialist"],
        "authority": w["authority"],
        "kind": DirectiveKind.PLAN,
        "number": "15/KH-UBND",
        "issued_on": dt.date(2024, 3, 1),
        "title": "Kế hoạch triển khai công tác thi đua, khen thưởng",
    }
    fields.update(extra)
    return services.directive_create(**fields)


def yearly_task(w: dict[str, Any], d: Any, **extra: Any) -> Any:
    """Sở Y tế leads, Xã Bình Lư coordinates; reported before 15/11 every year from 2024."""
    fields: dict[str, Any] = {
        "actor": w["specialist"],
        "directive": d,
        "text": "Báo cáo kết quả phong trào thi đua của năm",
        "lead_unit": w["health"],
        "coordinating_units": [w["xa1"]],
        "recurrence": Recurrence.YEARLY,
        "due_day": 15,
        "due_month": 11,
        "start_year": 2024,
        "expected_report": "Số phong trào, số tập thể, cá nhân được khen",
    }
    fields.update(extra)
    return services.task_add(**fields)


def once_task(w: dict[str, Any], d: Any, due: dt.date, **extra: Any) -> Any:
    fields: dict[str, Any] = {
        "actor": w["specialist"],
        "directive": d,
        "text": "Kiện toàn Hội đồng Thi đua – Khen thưởng",
        "lead_unit": w["xa2"],
        "recurrence": Recurrence.ONCE,
        "due_date": due,
    }
    fields.update(extra)
    return services.task_add(**fields)


def issued(w: dict[str, Any], d: Any) -> Any:
    return services.directive_step(actor=w["specialist"], directive=d, action="issue")


def report(w: dict[str, Any], task: Any, unit: Any, due: dt.date, day: dt.date, **extra: Any) -> Any:
    """The unit's officer reports for `due` on `day` (10:00 ICT)."""
    officer = {w["health"]: w["health_officer"], w["xa1"]: w["xa1_officer"], w["xa2"]: w["xa2_officer"]}[unit]
    with on(day):
        return services.report_submit(
            actor=officer, task=task, unit=unit, due_date=due, text=extra.pop("text", "Đã thực hiện"), **extra
        )
