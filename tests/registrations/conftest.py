from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_person, make_unit, make_user
from thidua.accounts.models import Role
from thidua.organisation.models import UnitKind
from thidua.registrations import services


@pytest.fixture
def world(province: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """The province's Board (its specialist, and one working in Sở Y tế), Sở Y tế with its officer, head
    and Khoa Nội, Sở Giáo dục with its officer and head, and a commune with its officer and head. Sở Y tế
    is no authority of its own: the province approves its registration."""
    ubnd = province["ubnd"]
    xa1 = make_unit("Xã Bình Lư", parent=ubnd, kind=UnitKind.COMMUNE)
    return {
        **province,
        **users,
        "xa1": xa1,
        "authority": ubnd.authority,
        "health_head": make_user("thutruong.yte", Role.UNIT_HEAD, province["health"]),
        "health_person2": make_person(province["health"], "Phạm Thị Lan", gender="female"),
        "conflicted_specialist": make_user("chuyenvien.yte", Role.BOARD_SPECIALIST, province["health"]),
        "education_head": make_user("thutruong.gd", Role.UNIT_HEAD, province["education"]),
        "xa1_officer": make_user("canbo.xa1", Role.UNIT_OFFICER, xa1),
        "xa1_head": make_user("chutich.xa1", Role.UNIT_HEAD, xa1),
        "xa1_person": make_person(xa1, "Lù Văn Páo"),
    }


def filled(w: dict[str, Any], year: int = 2027, *, unit: str = "health") -> Any:
    """A unit's registration with its collective aiming for Tập thể lao động tiên tiến and every person of
    the unit itself for Lao động tiên tiến (Sở Y tế: two people; the commune: one)."""
    officer = {"health": "health_officer", "xa1": "xa1_officer", "education": "education_officer"}[unit]
    registration = services.registration_open(actor=w[officer], unit=w[unit], year=year)
    services.collective_add(actor=w[officer], registration=registration, award_code="TTLDTT")
    services.people_add_all(actor=w[officer], registration=registration)
    return registration


def sent(w: dict[str, Any], year: int = 2027, *, unit: str = "health") -> Any:
    head = {"health": "health_head", "xa1": "xa1_head", "education": "education_head"}[unit]
    return services.registration_submit(actor=w[head], registration=filled(w, year, unit=unit))
