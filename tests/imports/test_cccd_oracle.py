"""An import never tells a unit officer whether a CCCD outside the unit's scope is someone's, or whose.

The probe of issue 13 uploaded another unit's person's CCCD with the right name and with a wrong one:
the answers differed, so a name–CCCD pair anywhere in the province could be confirmed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_person
from tests.imports.helpers import award_row, generate_awards_workbook, generate_people_workbook, person_row
from thidua.imports.models import ImportBatch, ImportKind
from thidua.imports.services import import_validate
from thidua.organisation.models import Person, PositionHistory

pytestmark = pytest.mark.django_db

ELSEWHERE = "002090000001"  # Trần Văn Bình's, of the department of education
NOBODY = "002090000002"  # nobody's


def _answer(actor: Any, kind: str, data: bytes) -> tuple[list[tuple[int, str, str]], int, int, int]:
    """What the uploader learns: the errors, the counts, and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        result = import_validate(actor=actor, kind=kind, file_name="du-lieu.xlsx", data=data)
    errors = [(e.row, e.column, e.message) for e in result.errors]
    return errors, result.existing_count, result.new_count, len(queries)


@pytest.fixture
def binh(province: Any) -> Person:
    return make_person(
        province["education"],
        "Trần Văn Bình",
        identity_number=ELSEWHERE,
        birth_date=dt.date(1990, 4, 2),
        start_date=dt.date(2015, 1, 1),
    )


def _people_file(unit_code: str, number: str, name: tuple[str, str, str]) -> bytes:
    family, middle, given = name
    row = person_row(
        unit_code, identity_number=number, family_name=family, middle_name=middle, given_name=given
    )
    return generate_people_workbook([row])


def test_people_import_answers_the_same_whatever_name_goes_with_an_out_of_scope_cccd(
    province: Any, users: Any, binh: Person
) -> None:
    officer = users["health_officer"]
    health, clinic = province["health"].code, province["clinic"].code
    right, wrong = ("Trần", "Văn", "Bình"), ("Phạm", "Minh", "Tuấn")
    # The right name at the person's own unit code is refused before the CCCD is looked at (the unit is
    # not the officer's), so the officer's own units are the ones that matter.
    answers = [
        _answer(officer, ImportKind.PEOPLE, _people_file(code, ELSEWHERE, name))
        for code in (health, clinic)
        for name in (right, wrong)
    ]
    expected = [
        (
            2,
            "Số CCCD",
            "Không thể nhập người này: số CCCD không thuộc phạm vi đơn vị của bạn hoặc đã được dùng. "
            "Nếu người này chuyển đến từ đơn vị khác, hãy đề nghị cấp quản lý chung cập nhật.",
        )
    ]
    assert [a[:3] for a in answers] == [(expected, 0, 0)] * 4
    # The same queries whichever the name: nothing more is read about a person out of scope.
    assert len({a[3] for a in answers}) == 1
    # Nothing names where the person works.
    assert province["education"].name not in answers[0][0][0][2]
    assert ImportBatch.objects.count() == 0
    assert Person.objects.get(identity_number=ELSEWHERE).unit == province["education"]
    assert PositionHistory.objects.filter(person=binh).count() == 1


def test_a_cccd_nobody_has_is_a_new_person_and_one_in_scope_is_still_recognised(
    province: Any, users: Any, binh: Person
) -> None:
    officer = users["health_officer"]
    health = province["health"].code
    fresh = _answer(officer, ImportKind.PEOPLE, _people_file(health, NOBODY, ("Phạm", "Minh", "Tuấn")))
    assert fresh[:3] == ([], 0, 1)
    # Nguyễn Văn Đức (012345678901) works in the health department: the officer's own.
    own = _answer(officer, ImportKind.PEOPLE, _people_file(health, "012345678901", ("Nguyễn", "Văn", "Đức")))
    assert own[:3] == ([], 1, 0)
    other_name = _answer(officer, ImportKind.PEOPLE, _people_file(health, "012345678901", ("Lê", "", "Na")))
    assert [(row, column) for row, column, _message in other_name[0]] == [(2, "Số CCCD")]
    assert "họ tên khác" in other_name[0][0][2]


def test_awards_import_answers_the_same_for_an_out_of_scope_cccd_and_one_nobody_has(
    province: Any, users: Any, binh: Person
) -> None:
    officer = users["health_officer"]
    answers = [
        _answer(
            officer, ImportKind.AWARDS, generate_awards_workbook([award_row(identity_number=n, full_name=f)])
        )
        for n, f in ((ELSEWHERE, "Trần Văn Bình"), (ELSEWHERE, "Phạm Minh Tuấn"), (NOBODY, "Trần Văn Bình"))
    ]
    expected = [
        (
            2,
            "Số CCCD",
            "Không có cá nhân có số CCCD này trong phạm vi quản lý của bạn; "
            "hãy nhập danh sách cá nhân trước.",
        )
    ]
    assert [a[:3] for a in answers] == [(expected, 0, 0)] * 3
    assert len({a[3] for a in answers}) == 1
    # The province's specialist sees the whole province: the same file is recognised.
    specialist = _answer(
        users["specialist"],
        ImportKind.AWARDS,
        generate_awards_workbook([award_row(identity_number=ELSEWHERE, full_name="Trần Văn Bình")]),
    )
    assert specialist[:3] == ([], 0, 1)
