from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_award, make_unit
from thidua.awards.models import AwardType
from thidua.awards.services import (
    award_record_create,
    decision_get_or_create,
    discipline_create,
    initiative_create,
    investigation_open,
    rating_set,
)
from thidua.core.services import model_update
from thidua.organisation.models import PositionHistory, UnitKind
from thidua.organisation.services import household_create


def person_url(person: Any) -> str:
    return reverse("organisation:person_detail", args=[person.pk])


def test_person_of_another_unit_is_404_for_unit_officer_and_200_for_specialist(
    province: dict, users: dict, client_for: Any
) -> None:
    health_person = province["health_person"]
    assert client_for(users["education_officer"]).get(person_url(health_person)).status_code == 404
    assert client_for(users["health_officer"]).get(person_url(health_person)).status_code == 200
    # Sub-units belong to the officer's scope.
    assert client_for(users["health_officer"]).get(person_url(province["clinic_person"])).status_code == 200
    assert client_for(users["specialist"]).get(person_url(health_person)).status_code == 200


def test_missing_person_is_404(province: dict, users: dict, client_for: Any) -> None:
    assert (
        client_for(users["specialist"]).get(reverse("organisation:person_detail", args=[999999])).status_code
        == 404
    )


def test_identity_number_masked_for_council_member_full_for_specialist(
    province: dict, users: dict, client_for: Any
) -> None:
    url = person_url(province["health_person"])
    council_page = client_for(users["council"]).get(url).text
    assert "012345678901" not in council_page
    assert "012••••••901" in council_page
    specialist_page = client_for(users["specialist"]).get(url).text
    assert "012345678901" in specialist_page
    # The person's own unit staff may see it too.
    assert "012345678901" in client_for(users["health_officer"]).get(url).text


def test_person_profile_shows_every_section(province: dict, users: dict, client_for: Any) -> None:
    person = province["health_person"]
    used = initiative_create(actor=None, title="Bệnh án điện tử", year=2022, scope="tinh", person=person)
    initiative_create(actor=None, title="Sổ tay tiếp đón", year=2024, scope="co_so", person=person)
    award = make_award(
        person,
        "CSTDCS",
        2023,
        number="15/QĐ-UBND",
        reason="Có sáng kiến",
        bonus_amount=2340000,
        initiatives=[used],
    )
    rating_set(actor=None, subject=person, year=2023, rating="HTXSNV")
    discipline_create(
        actor=None,
        person=person,
        level="khien_trach",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 12, 31),
        reason="Đi muộn",
    )
    investigation_open(actor=None, person=person, reason="Xác minh đơn thư", since=dt.date(2025, 9, 1))
    PositionHistory.objects.create(
        person=person,
        unit=province["clinic"],
        position="Bác sĩ",
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2019, 12, 31),
    )
    page = client_for(users["specialist"]).get(person_url(person)).text
    assert "Chiến sĩ thi đua cơ sở" in page
    assert "Quyết định số 15/QĐ-UBND ngày 15/01/2024" in page
    assert reverse("awards:decision_detail", args=[award.decision.pk]) in page
    assert "2.340.000 đ" in page
    assert "Hoàn thành xuất sắc nhiệm vụ" in page
    assert "đã sử dụng cho Chiến sĩ thi đua cơ sở 2023" in page
    assert "chưa sử dụng" in page
    assert "Khiển trách" in page
    assert "Đang bị xem xét kỷ luật hoặc điều tra" in page
    assert "Xác minh đơn thư" in page
    assert "Khoa Nội" in page and "31/12/2019" in page
    assert reverse("organisation:unit_detail", args=[province["health"].pk]) in page


def test_no_investigation_banner_when_closed_or_absent(province: dict, users: dict, client_for: Any) -> None:
    page = client_for(users["specialist"]).get(person_url(province["health_person"])).text
    assert "Đang bị xem xét kỷ luật hoặc điều tra" not in page
    assert "Chưa có khen thưởng nào" in page


def test_change_history_shows_who_field_old_and_new(province: dict, users: dict, client_for: Any) -> None:
    person = province["health_person"]
    actor = users["specialist"]
    model_update(instance=person, fields=["position"], data={"position": "Trưởng khoa"}, actor=actor)
    award = make_award(person, bonus_amount=500000)
    model_update(instance=award, fields=["bonus_amount"], data={"bonus_amount": 702000}, actor=actor)
    profile = client_for(actor).get(person_url(person)).context["profile"]
    changes = {(e.subject, c.label, c.old, c.new, e.who) for e in profile.history for c in e.changes}
    assert ("Hồ sơ cá nhân", "chức vụ", "—", "Trưởng khoa", str(actor)) in changes
    assert (
        "Khen thưởng: Lao động tiên tiến năm 2024",
        "tiền thưởng (đồng)",
        "500000",
        "702000",
        str(actor),
    ) in changes
    page = client_for(actor).get(person_url(person)).text
    assert "Lịch sử thay đổi" in page and "Trưởng khoa" in page


def _award_many(person: Any, count: int) -> None:
    for year in range(2024 - count + 1, 2025):
        make_award(person, "LDTT", year, reason=f"Năm {year}", bonus_amount=702000)
        rating_set(actor=None, subject=person, year=year, rating="HTTNV")


def test_person_detail_query_count_does_not_grow_with_awards(
    province: dict, users: dict, client_for: Any
) -> None:
    client = client_for(users["specialist"])
    one, many = province["health_person"], province["education_person"]
    initiative_create(actor=None, title="A", year=2020, scope="co_so", person=one)
    initiative_create(actor=None, title="B", year=2020, scope="co_so", person=many)
    _award_many(one, 1)
    _award_many(many, 30)
    for person in (one, many):
        model_update(
            instance=person, fields=["position"], data={"position": "Chuyên viên"}, actor=users["admin"]
        )
        award = person.awards.first()
        model_update(instance=award, fields=["reason"], data={"reason": "Sửa"}, actor=users["admin"])
    client.get(person_url(one))
    with CaptureQueriesContext(connection) as with_one:
        assert client.get(person_url(one)).status_code == 200
    with CaptureQueriesContext(connection) as with_thirty:
        response = client.get(person_url(many))
    assert len(response.context["profile"].awards) == 30
    assert len(with_thirty.captured_queries) == len(with_one.captured_queries)
    assert len(with_one.captured_queries) <= 20


def test_person_detail_stays_bounded_with_django_assert_max(
    province: dict, users: dict, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    _award_many(province["health_person"], 30)
    client = client_for(users["specialist"])
    with django_assert_max_num_queries(20):
        client.get(person_url(province["health_person"]))


# --- Units ------------------------------------------------------------------------------------


@pytest.fixture
def dissolved_district(province: dict) -> dict:
    commune = make_unit(
        "Xã Dào San",
        parent=province["ubnd"],
        kind=UnitKind.COMMUNE,
        is_border=True,
        valid_from=dt.date(2025, 7, 1),
    )
    district = make_unit(
        "Huyện Phong Thổ",
        parent=province["ubnd"],
        kind=UnitKind.DISTRICT,
        is_highland=True,
        valid_from=dt.date(1990, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    model_update(instance=district, fields=["successor"], data={"successor": commune}, actor=None)
    return {"commune": commune, "district": district}


def test_unit_profile_shows_dissolved_districts_successor(
    province: dict, users: dict, dissolved_district: dict, client_for: Any
) -> None:
    district, commune = dissolved_district["district"], dissolved_district["commune"]
    award_record_create(
        actor=None,
        award_type=AwardType.objects.get(code="TTLDTT"),
        recipient=district,
        year=2024,
        decision=decision_get_or_create(
            actor=None, number="1/QĐ", date=dt.date(2025, 1, 5), issuing_authority="UBND tỉnh Lai Châu"
        )[0],
    )
    page = client_for(users["specialist"]).get(reverse("organisation:unit_detail", args=[district.pk])).text
    assert "Đã giải thể/sáp nhập từ 01/07/2025" in page
    assert "kế thừa bởi" in page
    assert reverse("organisation:unit_detail", args=[commune.pk]) in page
    assert "Xã Dào San" in page
    assert "Vùng cao" in page
    assert "Tập thể lao động tiên tiến" in page
    successor_page = (
        client_for(users["specialist"]).get(reverse("organisation:unit_detail", args=[commune.pk])).text
    )
    assert "Tiếp nhận từ" in successor_page and "Huyện Phong Thổ" in successor_page


def test_unit_profile_breadcrumb_children_people_and_blocs(
    province: dict, users: dict, client_for: Any
) -> None:
    from thidua.organisation.models import Bloc, BlocMembership

    bloc = Bloc(code="K1", name="Khối văn hóa – xã hội")
    bloc.refresh_derived()
    bloc.save()
    BlocMembership.objects.create(bloc=bloc, unit=province["health"], year=2025, role="leader")
    response = client_for(users["specialist"]).get(
        reverse("organisation:unit_detail", args=[province["health"].pk])
    )
    profile = response.context["profile"]
    assert [c.unit for c in profile.ancestors] == [province["ubnd"]]
    assert [c.name for c in profile.children] == ["Khoa Nội"]
    assert profile.people_count == 2  # the department's own person and the clinic's
    assert f"{reverse('organisation:person_list')}?unit={province['health'].pk}" in response.text
    assert "Khối trưởng" in response.text and "Khối văn hóa – xã hội" in response.text


def test_unit_outside_scope_is_404(province: dict, users: dict, client_for: Any) -> None:
    client = client_for(users["health_officer"])
    assert client.get(reverse("organisation:unit_detail", args=[province["education"].pk])).status_code == 404
    assert client.get(reverse("organisation:unit_detail", args=[province["clinic"].pk])).status_code == 200
    # The parent above the officer's unit is named in the breadcrumb, but not linked.
    page = client.get(reverse("organisation:unit_detail", args=[province["health"].pk])).text
    assert "UBND tỉnh Lai Châu" in page
    assert reverse("organisation:unit_detail", args=[province["ubnd"].pk]) not in page


# --- Households and decisions ----------------------------------------------------------------


def test_household_detail_and_scope(province: dict, users: dict, client_for: Any) -> None:
    household = household_create(
        actor=None, code="H1", head_name="Lò Văn Sáng", unit=province["health"], village="Bản Mới"
    )
    make_award(household, "GDVH", 2024, number="3/QĐ-UBND")
    url = reverse("organisation:household_detail", args=[household.pk])
    page = client_for(users["health_officer"]).get(url).text
    assert "Lò Văn Sáng" in page and "Gia đình văn hóa" in page
    assert client_for(users["education_officer"]).get(url).status_code == 404


def test_decision_detail_lists_records_and_hides_other_scopes(
    province: dict, users: dict, client_for: Any
) -> None:
    health_award = make_award(province["health_person"], number="20/QĐ-UBND", bonus_amount=702000)
    decision = health_award.decision
    award_record_create(
        actor=None,
        award_type=AwardType.objects.get(code="LDTT"),
        recipient=province["education_person"],
        year=2024,
        decision=decision,
    )
    model_update(
        instance=decision,
        fields=["signer_name", "summary"],
        data={"signer_name": "Lê Văn Lương", "summary": "Tặng danh hiệu Lao động tiên tiến"},
        actor=None,
    )
    url = reverse("awards:decision_detail", args=[decision.pk])
    page = client_for(users["specialist"]).get(url).text
    assert "20/QĐ-UBND" in page and "15/01/2025" in page and "Lê Văn Lương" in page
    assert person_url(province["health_person"]) in page and person_url(province["education_person"]) in page
    officer = client_for(users["health_officer"]).get(url)
    assert officer.status_code == 200
    assert person_url(province["education_person"]) not in officer.text
    assert officer.context["detail"].hidden_count == 1
    other = make_award(province["education_person"], number="21/QĐ-UBND").decision
    assert (
        client_for(users["health_officer"])
        .get(reverse("awards:decision_detail", args=[other.pk]))
        .status_code
        == 404
    )


def test_decision_issued_inside_scope_is_visible_without_records(
    province: dict, users: dict, client_for: Any
) -> None:
    decision, _ = decision_get_or_create(
        actor=None,
        number="1/QĐ-SYT",
        date=dt.date(2025, 2, 1),
        issuing_authority="Sở Y tế",
        issuer_unit=province["health"],
    )
    url = reverse("awards:decision_detail", args=[decision.pk])
    assert client_for(users["health_officer"]).get(url).status_code == 200
    assert client_for(users["education_officer"]).get(url).status_code == 404


# --- Logged-out visitors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("awards:search", []),
        ("awards:decision_list", []),
        ("awards:decision_detail", [1]),
        ("awards:catalogue", []),
        ("organisation:person_list", []),
        ("organisation:person_detail", [1]),
        ("organisation:unit_list", []),
        ("organisation:unit_detail", [1]),
        ("organisation:household_list", []),
        ("organisation:household_detail", [1]),
        ("organisation:bloc_list", []),
        ("organisation:bloc_detail", [1]),
    ],
)
def test_every_page_requires_login(client: Any, db: None, name: str, args: list) -> None:
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(url, {"export": "xlsx"}).status_code == 302


def test_money_and_dates_filters() -> None:
    from thidua.core.templatetags.thidua_format import highlight, vnd, vndate

    assert vnd(2340000) == "2.340.000 đ"
    assert vnd(0) == "0 đ"
    assert vnd(None) == ""
    assert vndate(dt.date(2026, 1, 5)) == "05/01/2026"
    assert vndate(None) == ""
    assert highlight("Nguyễn Văn Đức", "duc") == "Nguyễn Văn <mark>Đức</mark>"
    assert highlight("<b>Đức</b>", "duc") == "&lt;b&gt;<mark>Đức</mark>&lt;/b&gt;"
    assert highlight("Nguyễn Văn Đức", "") == "Nguyễn Văn Đức"
