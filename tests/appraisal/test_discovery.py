"""Discovery: people who now meet the mechanical conditions of a higher title or form, not yet awarded."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_award, make_person, make_unit, make_user
from tests.xlsx_xml import PAYLOAD, assert_written_as_text, body_of
from thidua.accounts.models import Role
from thidua.awards.services import rating_set
from thidua.organisation.models import PersonCategory, Unit, UnitKind

URL = reverse("appraisal:discovery")


def make_eligible(unit: Any, name: str, **extra: Any) -> Any:
    """LĐTT and 'hoàn thành xuất sắc nhiệm vụ' in 2025: the standard of CSTĐ cơ sở (Luật 2022 Điều 23)."""
    person = make_person(unit, name, **extra)
    make_award(person, "LDTT", 2025)
    rating_set(actor=None, subject=person, year=2025, rating="HTXSNV")
    return person


@pytest.fixture
def candidates(province: dict) -> dict[str, Any]:
    highland = make_unit("Xã Mù Cả", parent=province["health"], kind=UnitKind.COMMUNE, is_highland=True)
    station = make_unit("Trạm Y tế xã Mù Cả", parent=highland, kind=UnitKind.SUB_UNIT)
    return {
        "her": make_eligible(
            station, "Lò Thị Xuân", gender="female", ethnicity="Hà Nhì", category=PersonCategory.DIRECT_WORKER
        ),
        # Eligible too, but none of the filters' groups: every filter must hide him.
        "him": make_eligible(province["health"], "Trần Văn Bình", category=PersonCategory.CIVIL_SERVANT),
        "other_unit": make_eligible(province["education"], "Phạm Thị Hạnh", gender="female"),
    }


def names(response: Any) -> list[str]:
    return [row.person.full_name for row in response.context["result"].rows]


def test_finds_an_eligible_direct_worker_woman_until_she_is_awarded(
    candidates: dict, users: dict, client_for: Any
) -> None:
    client = client_for(users["specialist"])
    response = client.get(URL, {"year": "2025"})
    assert response.status_code == 200
    rows = {(r.person.full_name, r.award) for r in response.context["result"].rows}
    assert ("Lò Thị Xuân", "CSTDCS") in rows
    assert ("Trần Văn Bình", "CSTDCS") in rows
    # LĐTT is the base title, never listed.
    assert not any(code == "LDTT" for _name, code in rows)
    page = response.text
    assert reverse("organisation:person_detail", args=[candidates["her"].pk]) in page
    assert "Chiến sĩ thi đua cơ sở" in page
    assert "vùng cao" in page  # from the commune above her health station
    assert "Lao động tiên tiến" in page  # the reason: the met conditions

    make_award(candidates["her"], "CSTDCS", 2025)
    after = names(client.get(URL, {"year": "2025"}))
    assert "Lò Thị Xuân" not in after
    assert "Trần Văn Bình" in after


def test_a_higher_title_already_held_hides_the_lower_one(
    candidates: dict, users: dict, client_for: Any
) -> None:
    make_award(candidates["her"], "CSTD_TINH", 2025)
    assert "Lò Thị Xuân" not in names(client_for(users["specialist"]).get(URL, {"year": "2025"}))


@pytest.mark.parametrize("flag", ["direct", "women", "minority", "area"])
def test_each_filter_keeps_her_and_drops_him(
    candidates: dict, users: dict, client_for: Any, flag: str
) -> None:
    found = names(client_for(users["specialist"]).get(URL, {"year": "2025", flag: "1"}))
    assert "Lò Thị Xuân" in found
    assert "Trần Văn Bình" not in found


def test_women_filter_keeps_every_woman(candidates: dict, users: dict, client_for: Any) -> None:
    found = names(client_for(users["specialist"]).get(URL, {"year": "2025", "women": "1"}))
    assert sorted(found) == sorted(["Lò Thị Xuân", "Phạm Thị Hạnh"])


def test_award_and_unit_filters(candidates: dict, province: dict, users: dict, client_for: Any) -> None:
    client = client_for(users["specialist"])
    assert names(client.get(URL, {"year": "2025", "award": "BK_TTG"})) == []
    in_health = names(client.get(URL, {"year": "2025", "unit": str(province["health"].pk)}))
    assert sorted(in_health) == sorted(["Lò Thị Xuân", "Trần Văn Bình"])
    # An unknown award code is ignored rather than emptying the list.
    assert "Phạm Thị Hạnh" in names(client.get(URL, {"year": "2025", "award": "XYZ"}))


def test_unit_staff_see_only_their_scope(
    candidates: dict, province: dict, users: dict, client_for: Any
) -> None:
    health = client_for(users["health_officer"]).get(URL, {"year": "2025"})
    assert sorted(names(health)) == sorted(["Lò Thị Xuân", "Trần Văn Bình"])
    # Picking a unit outside the scope shows nothing, and it is not offered.
    outside = client_for(users["health_officer"]).get(
        URL, {"year": "2025", "unit": str(province["education"].pk)}
    )
    assert names(outside) == []
    assert province["education"] not in outside.context["result"].unit_choices
    assert names(client_for(users["education_officer"]).get(URL, {"year": "2025"})) == ["Phạm Thị Hạnh"]


def test_roles_without_the_permission_get_403(province: dict, client_for: Any) -> None:
    leader = make_user("khoitruong", Role.BLOC_LEADER, province["health"])
    assert client_for(leader).get(URL).status_code == 403


def test_council_member_may_use_it(candidates: dict, users: dict, client_for: Any) -> None:
    assert client_for(users["council"]).get(URL, {"year": "2025"}).status_code == 200


def test_export_is_an_xlsx_with_the_same_rows(candidates: dict, users: dict, client_for: Any) -> None:
    response = client_for(users["specialist"]).get(URL, {"year": "2025", "women": "1", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["STT", "Họ và tên", "Đơn vị"]
    data = {(r[1], r[7]) for r in rows[1:]}
    assert data == {("Lò Thị Xuân", "Chiến sĩ thi đua cơ sở"), ("Phạm Thị Hạnh", "Chiến sĩ thi đua cơ sở")}
    her = next(r for r in rows[1:] if r[1] == "Lò Thị Xuân")
    assert her[4] == "Nữ" and her[5] == "Hà Nhì" and "vùng cao" in her[6] and her[8] == 2025


def test_rows_are_in_vietnamese_order(province: dict, users: dict, client_for: Any) -> None:
    unit = make_unit("Sở Xây dựng")
    for name in ("Nguyễn Văn Đức", "Nguyễn Văn Dũng", "Lê Thị Ánh", "Trần Văn An"):
        make_eligible(unit, name)
    found = names(client_for(users["specialist"]).get(URL, {"year": "2025", "unit": str(unit.pk)}))
    # By given name (An < Ánh < Dũng < Đức), as every list of the product.
    assert found == ["Trần Văn An", "Lê Thị Ánh", "Nguyễn Văn Dũng", "Nguyễn Văn Đức"]


def queries_for(client: Any, unit: Any) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"year": "2025", "unit": str(unit.pk)})
    return len(captured), len(response.context["result"].rows)


def test_query_count_does_not_grow_with_the_people(province: dict, users: dict, client_for: Any) -> None:
    small = make_unit("Sở Nhỏ")
    large = make_unit("Sở Lớn")
    for i in range(5):
        make_eligible(small, f"Nguyễn Văn Nhỏ{i}")
    for i in range(40):
        make_eligible(large, f"Nguyễn Văn Lớn{i}", gender="female" if i % 2 else "male")
    client = client_for(users["specialist"])
    client.get(URL, {"year": "2025"})  # warm the session and the rulebook cache
    small_queries, small_rows = queries_for(client, small)
    large_queries, large_rows = queries_for(client, large)
    assert (small_rows, large_rows) == (5, 40)
    assert small_queries == large_queries


def test_a_reason_says_what_was_found_without_the_requirement(
    candidates: dict, users: dict, client_for: Any
) -> None:
    """The engine repeats the requirement after what was found; the one-line reason leaves it out (the
    found part of each condition, not a pattern over the text)."""
    rows = client_for(users["specialist"]).get(URL, {"year": "2025"}).context["result"].rows
    row = next(r for r in rows if (r.person.full_name, r.award) == ("Lò Thị Xuân", "CSTDCS"))
    assert row.reasons == [
        "Năm 2025 đạt danh hiệu Lao động tiên tiến",
        "Năm 2025 được đánh giá hoàn thành xuất sắc nhiệm vụ",
    ]
    assert row.reason == "; ".join(row.reasons)


def test_export_writes_a_unit_name_typed_as_a_formula_as_text(
    candidates: dict, users: dict, client_for: Any
) -> None:
    Unit.objects.filter(pk=candidates["him"].unit_id).update(name=PAYLOAD)
    response = client_for(users["specialist"]).get(URL, {"year": "2025", "export": "xlsx"})
    assert response.status_code == 200
    # Trần Văn Bình of Sở Y tế, once per title he may now be proposed for.
    page = client_for(users["specialist"]).get(URL, {"year": "2025"})
    his_rows = [r for r in page.context["result"].rows if r.person == candidates["him"]]
    assert his_rows
    assert_written_as_text(body_of(response), count=len(his_rows))
