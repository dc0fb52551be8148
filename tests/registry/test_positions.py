"""Positions kept in step with a person's unit: opened with the person, closed and opened by a move."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import make_award, make_person
from thidua.core.models import AuditLog, AwardTally
from thidua.organisation.admin import PersonAdminForm
from thidua.organisation.models import Person, PositionHistory
from thidua.organisation.services import person_move


def rows(person: Person) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
    return [
        (p.unit.name, p.position, p.start_date, p.end_date)
        for p in PositionHistory.objects.filter(person=person).select_related("unit").order_by("id")
    ]


def test_a_new_person_holds_an_open_position_from_the_date_given_or_an_unknown_one(province: dict) -> None:
    dated = make_person(
        province["health"], "Lò Văn Pọm", position="Chuyên viên", start_date=dt.date(2021, 8, 2)
    )
    undated = province["clinic_person"]
    assert rows(dated) == [("Sở Y tế", "Chuyên viên", dt.date(2021, 8, 2), None)]
    assert rows(undated) == [("Khoa Nội", "", None, None)]


def test_a_move_closes_the_old_position_opens_the_new_and_moves_the_totals(
    province: dict, users: dict
) -> None:
    person = make_person(
        province["clinic"], "Lò Thị Ín", position="Điều dưỡng", start_date=dt.date(2019, 1, 1)
    )
    make_award(person, "LDTT", 2023)
    actor = users["specialist"]

    opened = person_move(
        actor=actor,
        person=person,
        unit=province["education"],
        start_date=dt.date(2024, 7, 1),
        position="Chuyên viên",
    )

    assert rows(person) == [
        ("Khoa Nội", "Điều dưỡng", dt.date(2019, 1, 1), dt.date(2024, 6, 30)),
        ("Sở Giáo dục và Đào tạo", "Chuyên viên", dt.date(2024, 7, 1), None),
    ]
    person.refresh_from_db()
    assert (person.unit, person.position) == (province["education"], "Chuyên viên")
    assert opened.person == person
    assert opened.history.get().history_user == actor
    assert person.history.first().history_user == actor
    closed = PositionHistory.objects.get(person=person, end_date__isnull=False)
    assert closed.history.first().history_user == actor and closed.history.count() == 2
    audit = AuditLog.objects.get(action="person_move")
    assert audit.actor == actor and audit.target_id == str(person.pk)
    assert audit.extra["from_unit"] == province["clinic"].pk and audit.extra["start_date"] == "2024-07-01"
    tally = dict(AwardTally.objects.filter(records__gt=0).values_list("unit_id", "records"))
    assert tally == {province["education"].pk: 1}


def test_moving_someone_whose_position_was_never_recorded_records_it_first(province: dict) -> None:
    person = province["health_person"]
    PositionHistory.objects.filter(person=person).delete()

    person_move(actor=None, person=person, unit=province["clinic"], start_date=dt.date(2025, 3, 1))

    assert rows(person) == [
        ("Sở Y tế", "", None, dt.date(2025, 2, 28)),
        ("Khoa Nội", "", dt.date(2025, 3, 1), None),
    ]


def test_a_move_before_what_is_recorded_or_to_nowhere_new_is_refused(province: dict) -> None:
    person = make_person(province["health"], "Lò Văn Dủn", start_date=dt.date(2022, 5, 1))
    before = rows(person)
    with pytest.raises(ValidationError, match="01/05/2022"):
        person_move(actor=None, person=person, unit=province["clinic"], start_date=dt.date(2022, 5, 1))
    with pytest.raises(ValidationError, match="tương lai"):
        person_move(actor=None, person=person, unit=province["clinic"], start_date=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="không có gì thay đổi"):
        person_move(actor=None, person=person, unit=province["health"])
    assert rows(person) == before
    assert not AuditLog.objects.filter(action="person_move").exists()


def test_a_promotion_in_the_same_unit_is_a_new_position(province: dict) -> None:
    person = make_person(
        province["health"], "Lò Văn Xay", position="Chuyên viên", start_date=dt.date(2020, 1, 1)
    )
    person_move(
        actor=None,
        person=person,
        unit=province["health"],
        start_date=dt.date(2024, 1, 1),
        position="Phó Giám đốc",
    )
    assert [r[1:] for r in rows(person)] == [
        ("Chuyên viên", dt.date(2020, 1, 1), dt.date(2023, 12, 31)),
        ("Phó Giám đốc", dt.date(2024, 1, 1), None),
    ]


def _admin_form(person: Person, **changes: Any) -> PersonAdminForm:
    # Read afresh, as each admin request does: a form changes the instance it is given.
    person = Person.objects.get(pk=person.pk)
    data = {
        "family_name": person.family_name,
        "middle_name": person.middle_name,
        "given_name": person.given_name,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "identity_number": person.identity_number or "",
        "unit": person.unit_id,
        "position": person.position,
        "category": person.category,
        "is_active": "on",
        **changes,
    }
    return PersonAdminForm(data=data, instance=person)


def test_the_admin_moves_through_the_service_and_shows_a_date_it_cannot_use(
    province: dict, users: dict
) -> None:
    person = make_person(province["health"], "Lò Thị Pàng", gender="female", start_date=dt.date(2023, 4, 1))
    refused = _admin_form(person, unit=province["clinic"].pk, moved_on="01/02/2023")
    assert not refused.is_valid()
    assert "01/04/2023" in refused.errors["moved_on"][0]

    form = _admin_form(person, unit=province["clinic"].pk, moved_on="01/09/2025", given_name="Pàng")
    assert form.is_valid(), form.errors
    request = RequestFactory().post("/")
    request.user = users["admin"]
    obj = form.save(commit=False)
    admin.site._registry[Person].save_model(request, obj, form, True)

    person.refresh_from_db()
    assert person.unit == province["clinic"]
    assert rows(person) == [
        ("Sở Y tế", "", dt.date(2023, 4, 1), dt.date(2025, 8, 31)),
        ("Khoa Nội", "", dt.date(2025, 9, 1), None),
    ]
    assert AuditLog.objects.get(action="person_move").actor == users["admin"]
    # A change of other fields only saves them, with no move.
    other = _admin_form(person, ethnicity="Thái")
    assert other.is_valid(), other.errors
    admin.site._registry[Person].save_model(request, other.save(commit=False), other, True)
    assert len(rows(person)) == 2 and Person.objects.get(pk=person.pk).ethnicity == "Thái"


def test_the_profile_shows_the_positions_unknown_start_last(
    province: dict, users: dict, client_for: Any
) -> None:
    person = province["health_person"]
    person_move(
        actor=None, person=person, unit=province["clinic"], start_date=dt.date(2025, 3, 1), position="Bác sĩ"
    )
    page = client_for(users["specialist"]).get(reverse("organisation:person_detail", args=[person.pk])).text
    section = page[page.index("Quá trình công tác") :]
    assert section.index("01/03/2025") < section.index("28/02/2025")
    assert "Bác sĩ" in section and "Khoa Nội" in section
    # The position held before the registry kept positions: its start is not known.
    assert "không rõ" in section
