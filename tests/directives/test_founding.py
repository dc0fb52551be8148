"""The founding directive loaded as a plan against a province shaped like the demo's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_authority, make_unit, make_user
from thidua.accounts.models import Role
from thidua.directives.founding import ITEMS, NUMBER, load_founding_directive
from thidua.directives.models import Directive, Task
from thidua.directives.workflow import DirectiveState
from thidua.organisation.models import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_like(db: Any) -> dict[str, Any]:
    """The demo's bodies by its names: Sở Nội vụ and its Phòng Thi đua, khen thưởng, two departments, the
    Front and two mass organisations, the merged newspaper and radio-television, a ward and two communes."""
    ubnd = make_unit("UBND tỉnh Lai Châu", kind=UnitKind.PROVINCIAL_COMMITTEE)
    make_authority(ubnd)
    snv = make_unit("Sở Nội vụ", parent=ubnd)
    units = {
        "ubnd": ubnd,
        "snv": snv,
        "tdkt": make_unit("Phòng Thi đua, khen thưởng", parent=snv, kind=UnitKind.SUB_UNIT),
        "syt": make_unit("Sở Y tế", parent=ubnd),
        "ttr": make_unit("Thanh tra tỉnh", parent=ubnd, kind=UnitKind.BOARD),
        "mttq": make_unit(
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", parent=ubnd, kind=UnitKind.MASS_ORGANISATION
        ),
        "td": make_unit("Tỉnh đoàn Lai Châu", parent=ubnd, kind=UnitKind.MASS_ORGANISATION),
        "hnd": make_unit("Hội Nông dân tỉnh", parent=ubnd, kind=UnitKind.MASS_ORGANISATION),
        "bptth": make_unit("Báo và Phát thanh, Truyền hình Lai Châu", parent=ubnd, kind=UnitKind.SECTOR),
        "p1": make_unit("Phường Đoàn Kết", parent=ubnd, kind=UnitKind.WARD),
        "x1": make_unit("Xã Bình Lư", parent=ubnd, kind=UnitKind.COMMUNE),
        "x2": make_unit("Xã Bản Bo", parent=ubnd, kind=UnitKind.COMMUNE),
        # A school under a department is not "a department".
        "school": make_unit(
            "Trường THPT Lai Châu", parent=make_unit("Sở Giáo dục", parent=ubnd), kind="school"
        ),
    }
    units["specialist"] = make_user("chuyenvien", Role.BOARD_SPECIALIST, snv)
    units["specialist"].authority = ubnd.authority
    units["specialist"].save()
    return units


def _names(units: Any) -> set[str]:
    return {u.name for u in units}


def test_the_nine_items_go_to_the_bodies_the_directive_names(demo_like: dict[str, Any]) -> None:
    u = demo_like
    d = load_founding_directive(actor=u["specialist"], authority=u["ubnd"].authority, start_year=2024)
    assert d.number == NUMBER and d.state == DirectiveState.ISSUED and d.kind == "directive"
    tasks = {t.item: t for t in Task.objects.filter(directive=d).prefetch_related("coordinating_units")}
    assert sorted(tasks) == [str(n) for n in range(1, 10)] and len(ITEMS) == 9
    departments = {"Sở Y tế", "Thanh tra tỉnh", "Sở Giáo dục"}
    communes = {"Phường Đoàn Kết", "Xã Bình Lư", "Xã Bản Bo"}
    mass = {"Tỉnh đoàn Lai Châu", "Hội Nông dân tỉnh"}
    expected = {
        "1": ("Sở Nội vụ", departments | mass | communes),
        "2": ("Sở Nội vụ", departments | communes),
        "3": (
            "Phòng Thi đua, khen thưởng",
            departments | communes | {"Báo và Phát thanh, Truyền hình Lai Châu"},
        ),
        "4": ("Sở Nội vụ", departments | mass),
        "5": ("Sở Nội vụ", departments | communes),
        "6": ("Phòng Thi đua, khen thưởng", departments | communes),
        "7": ("Báo và Phát thanh, Truyền hình Lai Châu", {"Phòng Thi đua, khen thưởng"}),
        "8": ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", mass),
        "9": ("Phòng Thi đua, khen thưởng", {"Sở Nội vụ"}),
    }
    for item, (lead, coordinating) in expected.items():
        task = tasks[item]
        assert task.lead_unit.name == lead, item
        assert _names(task.coordinating_units.all()) == coordinating, item
        assert task.recurrence == "yearly" and task.start_year == 2024 and task.end_year is None
    assert (tasks["2"].due_day, tasks["2"].due_month) == (31, 3)
    assert all((t.due_day, t.due_month) == (15, 11) for k, t in tasks.items() if k != "2")
    # Run again: the same directive, nothing written.
    again = load_founding_directive(actor=u["specialist"], authority=u["ubnd"].authority)
    assert again.pk == d.pk and Directive.objects.count() == 1 and Task.objects.count() == 9


def test_a_province_without_the_named_bodies_still_loads(db: Any) -> None:
    ubnd = make_unit("UBND tỉnh Thử", kind=UnitKind.PROVINCIAL_COMMITTEE)
    make_authority(ubnd)
    specialist = make_user("chuyenvien", Role.BOARD_SPECIALIST, ubnd)
    d = load_founding_directive(actor=specialist, authority=ubnd.authority, issue=False)
    assert d.state == DirectiveState.DRAFT
    # Without Sở Nội vụ, its Board or the media, the province's own unit leads.
    assert {t.lead_unit for t in d.tasks.all()} == {ubnd}
