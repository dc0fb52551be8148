"""The people import fills quá trình công tác: new people's first position, and moves of people present."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import FIXED_TODAY
from tests.factories import make_person
from tests.imports.helpers import generate_people_workbook, person_row, raw_workbook
from thidua.core.models import AuditLog
from thidua.imports.models import ImportKind
from thidua.imports.services import import_commit, import_validate
from thidua.imports.templates_spec import PEOPLE
from thidua.organisation.models import Person, PositionHistory

pytestmark = pytest.mark.django_db


def _validate(actor: Any, data: bytes) -> Any:
    return import_validate(actor=actor, kind=ImportKind.PEOPLE, file_name="nhan-su.xlsx", data=data)


def positions(person: Person) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
    return [
        (p.unit.code, p.position, p.start_date, p.end_date)
        for p in PositionHistory.objects.filter(person=person).select_related("unit").order_by("id")
    ]


def test_new_people_start_at_their_unit_from_the_date_given_or_an_unknown_one(
    province: Any, users: Any
) -> None:
    actor = users["specialist"]
    health, clinic = province["health"], province["clinic"]
    data = generate_people_workbook(
        [
            person_row(health.code, start_date="01/09/2018"),
            person_row(clinic.code, identity_number="001190000456", given_name="Hùng", position=""),
        ]
    )
    batch = import_commit(actor=actor, batch=_validate(actor, data).batch)

    dated = Person.objects.get(identity_number="001085000123")
    undated = Person.objects.get(identity_number="001190000456")
    assert positions(dated) == [(health.code, "Chuyên viên", dt.date(2018, 9, 1), None)]
    assert positions(undated) == [(clinic.code, "", None, None)]
    record = PositionHistory.history.get(person_id=dated.pk)  # type: ignore[attr-defined]
    assert record.history_user == actor and str(batch.pk) in record.history_change_reason


def test_a_file_of_the_template_before_the_start_date_column_is_still_read(province: Any, users: Any) -> None:
    actor = users["specialist"]
    older = PEOPLE.older_headers[0]
    row = person_row(province["health"].code)
    result = _validate(actor, raw_workbook([older, [row[key] for key in PEOPLE.keys[: len(older)]]]))
    assert result.ok, (result.file_error, result.errors)
    import_commit(actor=actor, batch=result.batch)
    person = Person.objects.get(identity_number="001085000123")
    assert positions(person) == [(province["health"].code, "Chuyên viên", None, None)]


def test_a_person_present_in_another_unit_is_moved_from_the_date_given(province: Any, users: Any) -> None:
    actor = users["specialist"]
    person = province["health_person"]  # CCCD 012345678901, at the department since an unknown date
    row = person_row(
        province["clinic"].code,
        family_name="Nguyễn",
        middle_name="Văn",
        given_name="Đức",
        identity_number="012345678901",
        position="Trưởng khoa",
        start_date="01/07/2025",
    )
    result = _validate(actor, generate_people_workbook([row]))

    assert result.ok, result.errors
    assert (result.new_count, result.existing_count, result.moved_count) == (0, 0, 1)
    assert [(p.is_new, p.is_moved) for p in result.preview] == [(False, True)]
    assert Person.objects.get(pk=person.pk).unit == province["health"], "validation must not move anyone"

    batch = import_commit(actor=actor, batch=result.batch)

    assert (batch.created_count, batch.unchanged_count, batch.moved_count) == (0, 0, 1)
    assert positions(person) == [
        (province["health"].code, "", None, dt.date(2025, 6, 30)),
        (province["clinic"].code, "Trưởng khoa", dt.date(2025, 7, 1), None),
    ]
    moved = Person.objects.get(pk=person.pk)
    assert (moved.unit, moved.position) == (province["clinic"], "Trưởng khoa")
    assert AuditLog.objects.get(action="person_move").actor == actor
    assert AuditLog.objects.get(action="import_commit").extra["people_moved"] == 1

    # The same file again: the person is where it says, so nothing more happens.
    again = _validate(actor, generate_people_workbook([row]))
    assert (again.new_count, again.existing_count, again.moved_count) == (0, 1, 0)


def test_a_move_without_a_date_dates_from_the_import(province: Any, users: Any) -> None:
    actor = users["specialist"]
    person = make_person(
        province["health"], "Lò Văn Dũng", identity_number="012090000777", start_date=dt.date(2016, 3, 1)
    )
    row = person_row(
        province["education"].code,
        family_name="Lò",
        middle_name="Văn",
        given_name="Dũng",
        identity_number="012090000777",
    )
    import_commit(actor=actor, batch=_validate(actor, generate_people_workbook([row])).batch)
    assert positions(person) == [
        (province["health"].code, "", dt.date(2016, 3, 1), FIXED_TODAY - dt.timedelta(days=1)),
        (province["education"].code, "Chuyên viên", FIXED_TODAY, None),
    ]


def test_a_move_is_refused_before_what_is_recorded_or_out_of_the_importers_scope(
    province: Any, users: Any
) -> None:
    make_person(
        province["education"], "Lò Văn Dũng", identity_number="012090000777", start_date=dt.date(2024, 2, 1)
    )
    make_person(
        province["health"], "Lò Văn Tấn", identity_number="012090000888", start_date=dt.date(2020, 1, 1)
    )
    early = person_row(
        province["health"].code,
        family_name="Lò",
        middle_name="Văn",
        given_name="Dũng",
        identity_number="012090000777",
        start_date="01/01/2024",
    )
    result = _validate(users["specialist"], generate_people_workbook([early]))
    assert [(e.column, "01/02/2024" in e.message) for e in result.errors] == [("Từ ngày", True)]

    # The health officer may take someone into the clinic, inside the department, but not out of the
    # department of education, which is not theirs; the refusal does not say where the person works.
    early["start_date"] = "01/03/2024"
    inside = person_row(
        province["clinic"].code,
        family_name="Lò",
        middle_name="Văn",
        given_name="Tấn",
        identity_number="012090000888",
        start_date="01/03/2024",
    )
    result = _validate(users["health_officer"], generate_people_workbook([early, inside]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Số CCCD")]
    assert "không thuộc phạm vi đơn vị của bạn" in result.errors[0].message
    assert province["education"].name not in result.errors[0].message
    assert not PositionHistory.objects.filter(end_date__isnull=False).exists()
