"""The report builder: every cell equals a count of the records in Python for every dimension and many
filters; only the listed dimensions and filters are taken, refused in Vietnamese otherwise; saved
reports are their owner's (or shared within the authority), run for another year, export what the page
shows; the queries do not grow with the records."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_award, make_person, make_user
from tests.reports.helpers import count_by, in_force, value_of, xlsx_rows
from thidua.accounts.models import Role, User
from thidua.core.models import AuditLog
from thidua.reports import builder
from thidua.reports.models import SavedReport
from thidua.reports.selectors import run_report

pytestmark = pytest.mark.django_db

URL = "/bao-cao/tu-chon/"


def _run(client: Client, user: User, params: list[tuple[str, Any]]) -> Any:
    client.force_login(user)
    response = client.get(URL + "?" + urlencode(params))
    assert response.status_code == 200, [str(m) for m in response.context["messages"]]
    return response.context


def _cells(report: Any) -> dict[tuple[Any, ...], int]:
    return {tuple(row.values): row.count for row in report.rows}


@pytest.mark.parametrize("key", list(builder.DIMENSIONS))
def test_each_dimension_counts_the_records_it_stands_for(
    registry: dict[str, Any], client: Client, key: str
) -> None:
    for user in (registry["specialist"], registry["health_officer"]):
        report = _run(client, user, [("dim", key)])["report"]
        assert _cells(report) == dict(count_by(in_force(user), [key])), (user.username, key)
        assert report.total == len(in_force(user))


FILTERED = [
    ([("dim", "unit"), ("dim", "gender"), ("dim", "innovator"), ("year", 2025)], {"year": 2025}),
    ([("dim", "level"), ("dim", "kind"), ("year_from", 2024), ("year_to", 2024)], {"year": 2024}),
    ([("dim", "year"), ("dim", "recipient_kind"), ("border_highland", "1")], {"border_highland": True}),
    ([("dim", "ethnicity"), ("ethnic_minority", "1")], {"ethnic_minority": True}),
    ([("dim", "award_type"), ("direct_worker", "0")], {"direct_worker": False}),
    ([("dim", "person_category"), ("gender", "female")], {"gender": "female"}),
    ([("dim", "category"), ("recipient_kind", "collective")], {"recipient_kind": "collective"}),
    ([("dim", "kind"), ("level", "tinh"), ("innovator", "0")], {"level": "tinh", "innovator": False}),
]


@pytest.mark.parametrize(("params", "wanted"), FILTERED)
def test_filters_count_the_records_they_keep(
    registry: dict[str, Any], client: Client, params: list[tuple[str, Any]], wanted: dict[str, Any]
) -> None:
    keys = [v for k, v in params if k == "dim"]
    for user in (registry["admin"], registry["health_officer"]):
        kept = [r for r in in_force(user) if all(value_of(r, k) == v for k, v in wanted.items())]
        report = _run(client, user, params)["report"]
        assert _cells(report) == dict(count_by(kept, keys)), (user.username, params)


def test_the_unit_filter_keeps_the_unit_and_its_sub_units_within_the_scope(
    registry: dict[str, Any], client: Client
) -> None:
    health = registry["health"]
    report = _run(client, registry["specialist"], [("dim", "unit"), ("unit", health.pk)])["report"]
    assert _cells(report) == dict(count_by(in_force(registry["specialist"], health), ["unit"]))
    assert report.total == 4  # R1, R2, R5 of 2025 and R7 of 2024
    client.force_login(registry["education_officer"])
    response = client.get(URL + f"?dim=year&unit={health.pk}")
    assert "Đơn vị đã chọn không thuộc phạm vi của bạn." in [str(m) for m in response.context["messages"]]
    assert "report" not in response.context


def test_unknown_dimensions_and_filters_are_refused_in_vietnamese(
    registry: dict[str, Any], client: Client
) -> None:
    client.force_login(registry["specialist"])
    for query, message in (
        (
            "dim=person__identity_number",
            "Chiều thống kê «person__identity_number» không có trong danh sách được phép",
        ),
        ("dim=year&person__gender=female", "Bộ lọc «person__gender» không có trong danh sách được phép."),
        ("dim=year&gender=unknown", "Giá trị «unknown» không hợp lệ cho bộ lọc «Giới tính»."),
        ("dim=year&year=abc", "«abc» không phải một năm hợp lệ cho «Năm thành tích»."),
        ("dim=year&dim=year", "Chiều thống kê «Năm thành tích» được chọn hai lần."),
        ("dim=year&dim=level&dim=kind&dim=unit", "Chỉ chọn tối đa 3 chiều thống kê."),
        ("year=2025", "Hãy chọn ít nhất một chiều thống kê."),
        ("dim=year&year_from=2026&year_to=2020", "«Từ năm» phải không sau «Đến năm»."),
    ):
        response = client.get(URL + "?" + query)
        assert response.status_code == 400, query
        shown = " ".join(str(m) for m in response.context["messages"])
        assert message in shown, (query, shown)
    # The same check guards a saved definition, whatever reaches the service.
    with pytest.raises(ValidationError) as refused:
        builder.parse({"dimensions": ["year"], "filters": {"person__unit__path__startswith": "/"}})
    assert refused.value.code == "unknown_filter"
    with pytest.raises(ValidationError):
        builder.parse({"dimensions": ["year"], "filters": {}, "extra": 1})


def test_the_excel_file_holds_the_table(registry: dict[str, Any], client: Client) -> None:
    params = [("dim", "unit"), ("dim", "gender"), ("year", 2025)]
    context = _run(client, registry["specialist"], params)
    table = context["chart"].table
    response = client.get(f"{URL}xlsx/?" + urlencode(params))
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0] == table.headers
    assert rows[1:] == [*table.rows, [None if v == "" else v for v in table.footer]]
    assert rows[-1][-1] == len([r for r in in_force(registry["specialist"]) if r.year == 2025])


def test_saved_reports_belong_to_their_owner_and_run_for_another_year(
    registry: dict[str, Any], client: Client
) -> None:
    officer = registry["health_officer"]
    client.force_login(officer)
    response = client.post(
        f"{URL}luu/", {"dim": ["level", "gender"], "year": "2025", "name": "Khen theo cấp và giới"}
    )
    saved = SavedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bao-cao/da-luu/{saved.pk}/"
    assert saved.owner == officer
    assert saved.definition == {"dimensions": ["level", "gender"], "filters": {"year": 2025}}
    assert AuditLog.objects.filter(action="reports.saved_report_create", target_id=str(saved.pk)).exists()
    assert "Khen theo cấp và giới" in client.get("/bao-cao/da-luu/").text
    opened = client.get(f"/bao-cao/da-luu/{saved.pk}/").context["report"]
    this_year = [r for r in in_force(officer) if r.year == 2025]
    assert _cells(opened) == dict(count_by(this_year, ["level", "gender"]))
    # Run for 2024: the same definition with the year changed.
    other = client.get(f"/bao-cao/da-luu/{saved.pk}/?nam=2024").context["report"]
    last_year = [r for r in in_force(officer) if r.year == 2024]
    assert _cells(other) == dict(count_by(last_year, ["level", "gender"])) and other.total == 1
    exported = xlsx_rows(client.get(f"/bao-cao/da-luu/{saved.pk}/xlsx/?nam=2024"))
    assert exported[-1][-1] == 1
    # Another user does not find it (404), nor its file, nor can delete it.
    client.force_login(registry["education_officer"])
    assert client.get(f"/bao-cao/da-luu/{saved.pk}/").status_code == 404
    assert client.get(f"/bao-cao/da-luu/{saved.pk}/xlsx/").status_code == 404
    assert client.post(f"/bao-cao/da-luu/{saved.pk}/xoa/").status_code == 404
    assert "Khen theo cấp và giới" not in client.get("/bao-cao/da-luu/").text
    # The owner deletes it.
    client.force_login(officer)
    assert client.post(f"/bao-cao/da-luu/{saved.pk}/xoa/").status_code == 302
    assert not SavedReport.objects.exists()
    assert AuditLog.objects.filter(action="reports.saved_report_delete").exists()


def test_a_shared_report_runs_over_each_readers_own_scope(registry: dict[str, Any], client: Client) -> None:
    client.force_login(registry["specialist"])
    client.post(f"{URL}luu/", {"dim": ["unit"], "name": "Theo đơn vị", "shared": "1"})
    saved = SavedReport.objects.get()
    assert saved.shared and saved.authority == registry["ubnd"].authority
    # The health officer's unit decides nothing itself: its authority is the province's.
    client.force_login(registry["health_officer"])
    report = client.get(f"/bao-cao/da-luu/{saved.pk}/").context["report"]
    assert _cells(report) == dict(count_by(in_force(registry["health_officer"]), ["unit"]))
    assert (registry["education"].pk,) not in _cells(report)
    assert client.post(f"/bao-cao/da-luu/{saved.pk}/xoa/").status_code == 404
    assert SavedReport.objects.exists()


def test_a_bad_save_says_why_and_saves_nothing(registry: dict[str, Any], client: Client) -> None:
    client.force_login(registry["specialist"])
    response = client.post(f"{URL}luu/", {"dim": ["year"], "name": "  "}, follow=True)
    assert "Hãy đặt tên cho báo cáo." in response.text
    response = client.post(f"{URL}luu/", {"dim": ["id"], "name": "Thử"}, follow=True)
    assert "Chiều thống kê «id» không có trong danh sách được phép" in response.text
    assert not SavedReport.objects.exists()


def test_the_builder_asks_the_same_queries_however_many_records(
    registry: dict[str, Any], client: Client
) -> None:
    params = urlencode([("dim", "unit"), ("dim", "award_type"), ("dim", "ethnic_minority")])

    def queries(user: User) -> int:
        client.force_login(user)
        client.get(f"{URL}?{params}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{URL}?{params}").status_code == 200
        return len(captured)

    users = [registry["specialist"], registry["health_officer"]]
    before = [queries(u) for u in users]
    for i in range(10):
        person = make_person(registry["clinic"], f"Lò Văn Thành{i}", ethnicity="Thái")
        make_award(person, "LDTT", 2025)
        make_award(person, "GK", 2023)
    make_award(registry["education"], "TTLDTT", 2025)
    assert [queries(u) for u in users] == before


def test_the_selector_refuses_a_unit_outside_the_scope(registry: dict[str, Any]) -> None:
    outsider = make_user("bc.gd2", Role.UNIT_OFFICER, registry["education"])
    definition = builder.parse({"dimensions": ["year"], "filters": {"unit": registry["clinic"].pk}})
    with pytest.raises(ValidationError) as refused:
        run_report(user=outsider, definition=definition)
    assert refused.value.code == "out_of_scope"


def test_a_saved_definition_no_longer_allowed_shows_a_message_not_an_error(
    registry: dict[str, Any], client: Client
) -> None:
    officer = registry["health_officer"]
    saved = SavedReport.objects.create(
        owner=officer, name="Cũ", definition={"dimensions": ["person__identity_number"], "filters": {}}
    )
    client.force_login(officer)
    response = client.get(f"/bao-cao/da-luu/{saved.pk}/")
    assert response.status_code == 200 and "report" not in response.context
    assert "không còn được phép" in " ".join(str(m) for m in response.context["messages"])
    assert client.get(f"/bao-cao/da-luu/{saved.pk}/xlsx/").status_code == 302
