"""The reports' dashboard: each figure equals a count of the records it stands for, made one by one in
Python; the shares equal the ones worked out by hand on the fixture; a unit officer counts only the
unit's records; the Excel files hold the page's tables; the queries do not grow with the records."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import FIXED_NOW
from tests.factories import make_award, make_person, make_unit, make_user
from tests.proposals.conftest import drafted
from tests.reports.helpers import count_by, in_force, recipient_unit, xlsx_rows
from thidua.accounts.models import Role, User
from thidua.awards.models import AwardCategory, AwardLevel, CommendationKind
from thidua.core.models import AuditLog
from thidua.proposals.models import DossierTransition
from thidua.reports import services
from thidua.reports.models import Measure, Target

pytestmark = pytest.mark.django_db

URL = "/bao-cao/"


def _page(client: Client, user: User, query: str = "?nam=2025") -> Any:
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200, response.status_code
    return response.context


def everyone(registry: dict[str, Any]) -> list[User]:
    return [
        registry["admin"],
        registry["specialist"],
        registry["council"],
        make_user("bc.chutich", Role.CHAIRMAN, registry["ubnd"]),
        make_user("bc.thutruong", Role.UNIT_HEAD, registry["health"]),
        make_user("bc.khoa", Role.UNIT_OFFICER, registry["clinic"]),
        registry["health_officer"],
        registry["education_officer"],
    ]


def test_shares_equal_the_hand_computed_figures(registry: dict[str, Any], client: Client) -> None:
    services.targets_set(
        actor=registry["specialist"],
        authority=registry["ubnd"].authority,
        year=2025,
        values={"direct_worker": "60", "women": "30", "border_highland": "40"},
    )
    d = _page(client, registry["admin"])["d"]
    shares = {row.measure: (row.count, row.base, row.share, row.target, row.met) for row in d.shares}
    # 2025: R1–R5 in force, four of them to individuals (R6 is revoked).
    assert shares == {
        "direct_worker": (2, 4, Decimal("0.5"), Decimal("60.0"), False),  # Mai, Páo
        "women": (2, 4, Decimal("0.5"), Decimal("30.0"), True),  # Mai, Hoa
        "ethnic_minority": (2, 4, Decimal("0.5"), None, None),  # Thái, Mông
        # R1, R5 of Sở Y tế (vùng cao) and R2 of its Khoa Nội, in the same area
        "border_highland": (3, 5, Decimal("0.6"), Decimal("40.0"), True),
        "innovator": (1, 4, Decimal("0.25"), None, None),  # Mai's award cites her initiative
    }
    officer = _page(client, registry["health_officer"])["d"]
    # Sở Y tế and Khoa Nội: R1, R2, R5.
    assert {row.measure: (row.count, row.base) for row in officer.shares} == {
        "direct_worker": (1, 2),
        "women": (1, 2),
        "ethnic_minority": (1, 2),
        "border_highland": (3, 3),
        "innovator": (1, 2),
    }
    table = _page(client, registry["admin"])["shares_chart"].table
    assert [row[3] for row in table.rows] == [
        Decimal("50.0"),
        Decimal("50.0"),
        Decimal("50.0"),
        Decimal("60.0"),
        Decimal("25.0"),
    ]
    assert [row[5] for row in table.rows] == ["Chưa đạt", "Đạt", "", "Đạt", ""]


def test_every_count_equals_the_records_it_stands_for_for_every_role(
    registry: dict[str, Any], client: Client
) -> None:
    for user in everyone(registry):
        d = _page(client, user)["d"]
        records = in_force(user)
        assert d.by_year == sorted(Counter(r.year for r in records).items()), user.username
        this_year = [r for r in records if r.year == 2025]
        for rows, key, choices in (
            (d.by_level, "level", AwardLevel.choices),
            (d.by_category, "category", AwardCategory.choices),
            (d.by_kind, "kind", CommendationKind.choices),
        ):
            counted = count_by(this_year, [key])
            assert [(value, n) for value, _label, n in rows] == [(v, counted[(v,)]) for v, _l in choices]
        assert d.total == len(this_year)
        by_type = count_by(this_year, ["award_type"])
        assert {int(pk): n for pk, _name, n in d.by_type} == {k[0]: n for k, n in by_type.items()}
        # Each unit row: the records of the unit and its sub-units (or, for the root's own row, of the root).
        for row in d.units:
            if row.unit == d.root:
                expected = [r for r in this_year if recipient_unit(r) == d.root]
            else:
                expected = [r for r in this_year if recipient_unit(r).path.startswith(row.unit.path)]
            assert row.counts.total == len(expected), (user.username, row.label)
            assert row.counts.individuals == sum(1 for r in expected if r.person_id)
            women = sum(1 for r in expected if r.person and r.person.gender == "female")
            assert row.counts.by_measure[Measure.WOMEN] == women
            minority = sum(1 for r in expected if r.person and r.person.is_ethnic_minority)
            assert row.counts.by_measure[Measure.ETHNIC_MINORITY] == minority
        assert sum(row.counts.total for row in d.units) == len(this_year)


def test_a_unit_officer_counts_only_the_units_records(registry: dict[str, Any], client: Client) -> None:
    d = _page(client, registry["health_officer"])["d"]
    assert d.total == 3  # R1, R2, R5
    assert [(row.label, row.counts.total) for row in d.units] == [
        ("Sở Y tế (khen trực tiếp)", 2),
        ("Khoa Nội", 1),
    ]
    education = _page(client, registry["education_officer"])["d"]
    assert education.total == 2  # R3, R4; R6 is revoked
    # Another unit's breakdown and its tables do not exist for this officer.
    client.force_login(registry["health_officer"])
    assert client.get(f"{URL}?nam=2025&don-vi={registry['education'].pk}").status_code == 404
    assert client.get(f"{URL}xuat/don-vi/?nam=2025&don-vi={registry['education'].pk}").status_code == 404
    # The province's specialist opens Sở Y tế's breakdown.
    drilled = _page(client, registry["specialist"], f"?nam=2025&don-vi={registry['health'].pk}")["d"]
    assert drilled.total == 3 and drilled.root == registry["health"]


def test_excel_files_hold_the_pages_tables(registry: dict[str, Any], client: Client) -> None:
    context = _page(client, registry["specialist"])
    for name, chart in (
        ("nam", "by_year_chart"),
        ("cap", "level_chart"),
        ("loai", "category_chart"),
        ("loai-hinh", "kind_chart"),
        ("danh-hieu", "type_chart"),
        ("ty-le", "shares_chart"),
        ("don-vi", "units_chart"),
        ("ho-so", "stages_chart"),
    ):
        table = context[chart].table
        response = client.get(f"{URL}xuat/{name}/?nam=2025")
        assert response.status_code == 200, name
        rows = xlsx_rows(response)
        assert rows[0] == table.headers
        expected = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in table.rows]
        if table.footer:
            expected.append([float(v) if isinstance(v, Decimal) else v for v in table.footer])
        assert [[v if v is not None else None for v in row] for row in rows[1:]] == [
            [None if v in ("", None) else v for v in row] for row in expected
        ], name
    assert client.get(f"{URL}xuat/khong-co/").status_code == 404


def test_the_dashboard_asks_the_same_queries_however_many_records(
    registry: dict[str, Any], client: Client
) -> None:
    def queries(user: User) -> int:
        client.force_login(user)
        client.get(URL + "?nam=2025")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL + "?nam=2025").status_code == 200
        return len(captured)

    users = [registry["specialist"], registry["health_officer"]]
    before = [queries(u) for u in users]
    school = make_unit("Trường THPT Phong Thổ", parent=registry["education"], is_border=True)
    for i in range(12):
        person = make_person(school, f"Vàng Thị Thêm{i}", gender="female", ethnicity="Dao")
        make_award(person, "LDTT", 2025)
        make_award(person, "GK", 2024)
    make_award(make_person(registry["clinic"], "Lò Văn Sướng"), "CSTT", 2025)
    assert [queries(u) for u in users] == before


def test_dossier_throughput_equals_the_transition_log(client: Client, flow: dict[str, Any]) -> None:
    from thidua.proposals import services as proposals

    first = drafted(flow)
    second = drafted(flow)
    day = dt.timedelta(days=1)
    with time_machine.travel(FIXED_NOW + 2 * day, tick=False):
        proposals.dossier_submit(actor=flow["health_head"], dossier=first)
        proposals.dossier_submit(actor=flow["health_head"], dossier=second)
    with time_machine.travel(FIXED_NOW + 5 * day, tick=False):
        first.refresh_from_db()
        proposals.dossier_return(actor=flow["specialist"], dossier=first, reason="Thiếu báo cáo thành tích")
    with time_machine.travel(FIXED_NOW + 6 * day, tick=False):
        second.refresh_from_db()
        proposals.dossier_receive(actor=flow["specialist"], dossier=second)
    d = _page(client, flow["specialist"], "?nam=2024")["d"]
    # Independently: each transition's time since the one before it (or the dossier's creation).
    spent: dict[str, list[float]] = {}
    for dossier in (first, second):
        since = dossier.created_at
        for t in DossierTransition.objects.filter(dossier=dossier).order_by("at"):
            spent.setdefault(t.source, []).append((t.at - since).total_seconds() / 86400)
            since = t.at
    expected = {
        state: (len(days), Decimal(str(sum(days) / len(days))).quantize(Decimal("0.1")))
        for state, days in spent.items()
    }
    assert {row.state: (row.passes, row.average_days) for row in d.throughput.stages} == expected
    # Submitted on day 2; returned on day 5 and received on day 6: 3 and 4 days.
    assert expected["submitted"] == (2, Decimal("3.5"))
    assert (d.throughput.submitted, d.throughput.returned) == (2, 1)
    assert d.throughput.returned_share == Decimal("0.5")
    # The unit officer of another department sees none of Sở Y tế's dossiers.
    other = _page(client, flow["education_officer"], "?nam=2024")["d"]
    assert other.throughput.stages == [] and other.throughput.submitted == 0


def test_the_board_sets_targets_with_an_audit_row_and_others_cannot(
    registry: dict[str, Any], client: Client
) -> None:
    client.force_login(registry["specialist"])
    response = client.post("/bao-cao/chi-tieu/?nam=2025", {"women": "35,5", "innovator": "10"})
    assert response.status_code == 302
    assert dict(Target.objects.values_list("measure", "percent")) == {
        "women": Decimal("35.5"),
        "innovator": Decimal("10.0"),
    }
    audit = AuditLog.objects.get(action="reports.targets_set")
    assert audit.actor == registry["specialist"] and audit.extra["changes"]["women"] == [None, "35.5"]
    assert Target.history.filter(history_user=registry["specialist"]).count() == 2
    # A wrong figure: a Vietnamese message, nothing changed.
    response = client.post("/bao-cao/chi-tieu/?nam=2025", {"women": "120", "innovator": "5"}, follow=True)
    assert "phải là một tỷ lệ từ 0 đến 100" in response.text
    assert dict(Target.objects.values_list("measure", "percent"))["innovator"] == Decimal("10.0")
    # Blank removes a target.
    client.post("/bao-cao/chi-tieu/?nam=2025", {"women": "35.5", "innovator": ""})
    assert list(Target.objects.values_list("measure", flat=True)) == ["women"]
    # A unit officer reads the targets but may not set them.
    client.force_login(registry["health_officer"])
    assert client.get("/bao-cao/chi-tieu/?nam=2025").status_code == 200
    assert client.post("/bao-cao/chi-tieu/?nam=2025", {"women": "90"}).status_code == 403
    assert Target.objects.get().percent == Decimal("35.5")
