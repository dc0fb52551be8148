from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_award, make_person, make_unit
from tests.web.conftest import read_xlsx
from thidua.exports.models import ExportJob
from thidua.organisation.models import Bloc, BlocMembership, UnitKind
from thidua.organisation.services import household_create

PEOPLE = reverse("organisation:person_list")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def names(response: Any) -> list[str]:
    return [p.full_name for p in response.context["page"].object_list]


def test_person_list_is_in_vietnamese_order_given_name_first(
    province: dict, users: dict, client_for: Any
) -> None:
    unit = make_unit("Sở Tư pháp", parent=province["ubnd"])
    for full in ("Trần Văn Đào", "Lê Thị Bình", "Phạm Ánh", "Nguyễn Văn An", "Bùi Văn Dũng", "Âu Thị An"):
        make_person(unit, full)
    response = client_for(users["specialist"]).get(PEOPLE, {"unit": unit.pk})
    assert names(response) == [
        "Âu Thị An",  # equal given names: the family name decides (Â after A, before N)
        "Nguyễn Văn An",
        "Phạm Ánh",
        "Lê Thị Bình",
        "Bùi Văn Dũng",
        "Trần Văn Đào",  # Đ after D
    ]


def test_person_list_filters(province: dict, users: dict, client_for: Any) -> None:
    client = client_for(users["specialist"])
    # The unit filter takes in the sub-units.
    assert sorted(names(client.get(PEOPLE, {"unit": province["health"].pk}))) == [
        "Lò Thị Mai",
        "Nguyễn Văn Đức",
    ]
    assert names(client.get(PEOPLE, {"gender": "female", "ethnicity": "thieu_so"})) == ["Lò Thị Mai"]
    assert sorted(names(client.get(PEOPLE, {"ethnicity": "kinh"}))) == ["Nguyễn Văn Đức", "Trần Thị Hoa"]
    assert names(client.get(PEOPLE, {"q": "hoa tran"})) == ["Trần Thị Hoa"]
    assert names(client.get(PEOPLE, {"category": "farmer"})) == []
    assert "Không tìm thấy kết quả cho “zzz”" in client.get(PEOPLE, {"q": "zzz"}).text
    # Nonsense parameters are ignored rather than failing.
    assert len(names(client.get(PEOPLE, {"gender": "x", "unit": "abc", "page": "99"}))) == 3


def test_person_list_is_scoped_and_paginated(province: dict, users: dict, client_for: Any) -> None:
    for i in range(55):
        make_person(province["clinic"], f"Hà Văn Tú{i:02d}")
    officer = client_for(users["education_officer"])
    assert names(officer.get(PEOPLE)) == ["Trần Thị Hoa"]
    # A unit outside the scope shows nothing, not that unit's people.
    assert names(officer.get(PEOPLE, {"unit": province["health"].pk})) == []
    client = client_for(users["specialist"])
    first = client.get(PEOPLE)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 58
    second = client.get(PEOPLE, {"page": 2})
    assert len(second.context["page"].object_list) == 8
    assert "?page=2" in first.text


def test_person_export_is_valid_xlsx_all_rows_and_scoped(
    province: dict, users: dict, client_for: Any
) -> None:
    for i in range(60):
        make_person(province["clinic"], f"Hà Văn Tú{i:02d}")
    response = client_for(users["specialist"]).get(PEOPLE, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert ".xlsx" in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0][:3] == ["STT", "Họ và tên", "Họ"]
    assert len(rows) == 1 + 63  # every row, not just the first page
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Nguyễn Văn Đức"][8] == "012345678901"
    # Same filters as the page, same order.
    filtered = read_xlsx(client_for(users["specialist"]).get(PEOPLE, {"export": "xlsx", "q": "tu0"}))
    assert [r[1] for r in filtered[1:]] == [f"Hà Văn Tú{i:02d}" for i in range(10)]
    scoped = read_xlsx(client_for(users["education_officer"]).get(PEOPLE, {"export": "xlsx"}))
    assert [r[1] for r in scoped[1:]] == ["Trần Thị Hoa"]


def test_export_masks_identity_number_for_council(province: dict, users: dict, client_for: Any) -> None:
    rows = read_xlsx(client_for(users["council"]).get(PEOPLE, {"export": "xlsx", "q": "duc"}))
    assert rows[1][8] == "012••••••901"


def test_unit_list_filters_dissolved_and_flags(province: dict, users: dict, client_for: Any) -> None:
    make_unit(
        "Huyện Phong Thổ",
        parent=province["ubnd"],
        kind=UnitKind.DISTRICT,
        is_border=True,
        valid_to=dt.date(2025, 6, 30),
    )
    make_unit("Xã Dào San", parent=province["ubnd"], kind=UnitKind.COMMUNE, is_border=True, is_highland=True)
    client = client_for(users["specialist"])
    url = reverse("organisation:unit_list")

    def unit_names(**params: Any) -> list[str]:
        return [u.name for u in client.get(url, params).context["page"].object_list]

    assert "Huyện Phong Thổ" not in unit_names()
    assert unit_names(border=1) == ["Xã Dào San"]
    assert unit_names(border=1, dissolved=1) == ["Huyện Phong Thổ", "Xã Dào San"]
    assert unit_names(highland=1) == ["Xã Dào San"]
    assert unit_names(kind="department") == ["Sở Giáo dục và Đào tạo", "Sở Y tế"]
    rows = read_xlsx(client.get(url, {"export": "xlsx", "border": 1, "dissolved": 1}))
    assert rows[0][2] == "Tên đơn vị"
    assert [r[2] for r in rows[1:]] == ["Huyện Phong Thổ", "Xã Dào San"]
    officer_units = [u.name for u in client_for(users["health_officer"]).get(url).context["page"].object_list]
    assert officer_units == ["Khoa Nội", "Sở Y tế"]


def test_household_list_and_export(province: dict, users: dict, client_for: Any) -> None:
    commune = make_unit("Xã Dào San", parent=province["health"], kind=UnitKind.COMMUNE)
    household_create(actor=None, code="H2", head_name="Giàng A Páo", unit=commune, village="Bản Tả Phìn")
    household_create(actor=None, code="H1", head_name="Lò Văn Ánh", unit=commune, village="Bản Mới")
    household_create(actor=None, code="H3", head_name="Trần Văn Bình", unit=province["education"])
    url = reverse("organisation:household_list")
    page = client_for(users["health_officer"]).get(url)
    assert [h.head_name for h in page.context["page"].object_list] == ["Lò Văn Ánh", "Giàng A Páo"]
    rows = read_xlsx(client_for(users["health_officer"]).get(url, {"export": "xlsx", "q": "ta phin"}))
    assert rows[0][:3] == ["STT", "Mã hộ", "Chủ hộ"]
    assert [r[2] for r in rows[1:]] == ["Giàng A Páo"]


def test_decision_list_filters_scope_and_export(province: dict, users: dict, client_for: Any) -> None:
    make_award(province["health_person"], year=2023, number="11/QĐ-UBND")
    make_award(province["education_person"], year=2024, number="12/QĐ-UBND")
    url = reverse("awards:decision_list")
    client = client_for(users["specialist"])
    listed = [d.number for d in client.get(url).context["page"].object_list]
    assert listed == ["12/QĐ-UBND", "11/QĐ-UBND"]  # newest first
    assert [d.number for d in client.get(url, {"year": 2024}).context["page"].object_list] == ["11/QĐ-UBND"]
    assert [d.number for d in client.get(url, {"q": "12/qd"}).context["page"].object_list] == ["12/QĐ-UBND"]
    officer = client_for(users["health_officer"]).get(url)
    assert [d.number for d in officer.context["page"].object_list] == ["11/QĐ-UBND"]
    rows = read_xlsx(client_for(users["health_officer"]).get(url, {"export": "xlsx"}))
    assert rows[0][:3] == ["STT", "Số, ký hiệu", "Ngày ký"]
    assert [r[1] for r in rows[1:]] == ["11/QĐ-UBND"]
    assert rows[1][2] == dt.datetime(2024, 1, 15)
    assert rows[1][7] == 1


def test_decision_list_counts_only_records_in_scope(province: dict, users: dict, client_for: Any) -> None:
    # Same number, date and issuer: both awards land on one decision.
    make_award(province["health_person"], number="5/QĐ", year=2024)
    make_award(province["education_person"], number="5/QĐ", year=2024)
    url = reverse("awards:decision_list")
    [row] = client_for(users["health_officer"]).get(url).context["page"].object_list
    assert row.record_count == 1
    [row] = client_for(users["specialist"]).get(url).context["page"].object_list
    assert row.record_count == 2


def test_decision_list_and_export_count_decisions_without_reading_records(
    province: dict, users: dict, client_for: Any, settings: Any
) -> None:
    """The page's total and the export's size are the decisions matching the filters, each once however
    many records it holds, counted without grouping the award records."""
    for number in ("21/QĐ-UBND", "22/QĐ-UBND", "23/QĐ-UBND"):
        make_award(province["health_person"], year=2023, number=number)
        make_award(province["clinic_person"], year=2023, number=number)
    make_award(province["education_person"], year=2024, number="24/QĐ-UBND")
    url = reverse("awards:decision_list")
    expected = {
        "specialist": ({}, ["24/QĐ-UBND", "21/QĐ-UBND", "22/QĐ-UBND", "23/QĐ-UBND"]),
        "health_officer": ({}, ["21/QĐ-UBND", "22/QĐ-UBND", "23/QĐ-UBND"]),
        "education_officer": ({"year": 2025}, ["24/QĐ-UBND"]),
    }
    for role, (params, numbers) in expected.items():
        client = client_for(users[role])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, params).context["page"]
        assert [d.number for d in page.object_list] == numbers, role
        assert page.paginator.count == len(numbers), role
        [count] = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith("SELECT COUNT(") and "awards_decision" in q["sql"]
        ]
        assert "GROUP BY" not in count, count
        # One row per decision in the file; a large list is queued with the same total.
        rows = read_xlsx(client.get(url, {"export": "xlsx", **params}))
        assert [r[1] for r in rows[1:]] == numbers, role
    settings.THIDUA_EXPORT_INLINE_ROWS = 1
    client_for(users["specialist"]).get(url, {"export": "xlsx"})
    assert ExportJob.objects.get().rows_total == 4


def test_bloc_list_shows_members_of_chosen_year(province: dict, users: dict, client_for: Any) -> None:
    bloc = Bloc(code="K1", name="Khối các sở")
    bloc.refresh_derived()
    bloc.save()
    BlocMembership.objects.create(bloc=bloc, unit=province["health"], year=2024, role="member")
    BlocMembership.objects.create(bloc=bloc, unit=province["education"], year=2024, role="leader")
    BlocMembership.objects.create(bloc=bloc, unit=province["health"], year=2025, role="deputy")
    url = reverse("organisation:bloc_list")
    client = client_for(users["specialist"])
    latest = client.get(url)
    assert latest.context["year"] == 2025
    [shown] = latest.context["page"].object_list
    assert [(m.unit.name, m.role) for m in shown.year_members] == [("Sở Y tế", "deputy")]
    earlier = client.get(url, {"year": 2024})
    [shown] = earlier.context["page"].object_list
    # The leader comes first, whatever the alphabet says.
    assert [m.unit.name for m in shown.year_members] == ["Sở Giáo dục và Đào tạo", "Sở Y tế"]
    assert "Khối trưởng" in earlier.text
    rows = read_xlsx(client.get(url, {"year": 2024, "export": "xlsx"}))
    assert rows[0] == ["STT", "Mã khối", "Tên khối, cụm", "Loại", "Năm", "Đơn vị", "Vai trò"]
    assert [r[6] for r in rows[1:]] == ["Khối trưởng", "Thành viên"]
    detail = client.get(reverse("organisation:bloc_detail", args=[bloc.pk]))
    assert [y.year for y in detail.context["profile"].years] == [2025, 2024]


def test_catalogue_lists_and_exports(province: dict, users: dict, client_for: Any) -> None:
    url = reverse("awards:catalogue")
    client = client_for(users["council"])
    page = client.get(url)
    codes = [t.code for t in page.context["page"].object_list]
    assert codes[0] == "LDTT" and "AHLD" in codes
    assert "Luật Thi đua, khen thưởng 2022" in page.text
    household_only = [t.code for t in client.get(url, {"recipient": "household"}).context["page"].object_list]
    assert "GDVH" in household_only and "LDTT" not in household_only
    assert [t.code for t in client.get(url, {"q": "chien si thi dua tinh"}).context["page"].object_list] == [
        "CSTD_TINH"
    ]
    rows = read_xlsx(client.get(url, {"export": "xlsx", "level": "nha_nuoc"}))
    assert rows[0][:6] == ["STT", "Mã", "Tên danh hiệu, hình thức", "Loại", "Cấp", "Đối tượng"]
    assert {r[4] for r in rows[1:]} == {"Nhà nước"}


def test_navigation_offers_every_registry_page(province: dict, users: dict, client_for: Any) -> None:
    page = client_for(users["health_officer"]).get(reverse("core:dashboard")).text
    for name in (
        "awards:search",
        "organisation:person_list",
        "organisation:unit_list",
        "organisation:household_list",
        "awards:decision_list",
        "organisation:bloc_list",
        "awards:catalogue",
    ):
        assert f'href="{reverse(name)}"' in page, name


def test_list_counts_equal_the_records_behind_them_and_cost_the_same_queries(
    province: dict, users: dict, client_for: Any
) -> None:
    from thidua.awards.models import AwardRecord
    from thidua.organisation.models import Person

    person = province["health_person"]
    for year in (2021, 2022, 2023):
        make_award(person, "LDTT", year)
    make_award(province["clinic_person"], "LDTT", 2024)
    client = client_for(users["specialist"])
    response = client.get(PEOPLE)
    shown = {p.pk: p.award_count for p in response.context["page"].object_list}
    assert shown == {p.pk: AwardRecord.objects.filter(person=p).count() for p in Person.objects.all()}
    assert shown[person.pk] == 3
    units = client.get(reverse("organisation:unit_list"))
    for unit in units.context["page"].object_list:
        assert unit.people_count == Person.objects.filter(unit=unit).count()
    # More people and awards do not add queries to the list.
    with CaptureQueriesContext(connection) as before:
        client.get(PEOPLE)
    for i in range(30):
        make_award(make_person(province["health"], f"Vũ Văn Tư{i:02d}"), "LDTT", 2024)
    with CaptureQueriesContext(connection) as after:
        client.get(PEOPLE)
    assert len(after.captured_queries) == len(before.captured_queries)
