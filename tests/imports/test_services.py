from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import FIXED_TODAY
from tests.factories import make_award, make_person
from tests.imports.helpers import (
    award_row,
    generate_awards_workbook,
    generate_people_workbook,
    person_row,
    raw_workbook,
)
from thidua.awards.models import AwardRecord, Decision, RecordSource
from thidua.core.models import AuditLog
from thidua.imports.models import ImportBatch, ImportKind, ImportStatus
from thidua.imports.services import (
    ImportRejected,
    ImportStateError,
    clean_file_name,
    import_cancel,
    import_commit,
    import_validate,
)
from thidua.imports.templates_spec import AWARDS, PEOPLE
from thidua.organisation.models import Person, PersonCategory
from thidua.organisation.services import household_create, person_create

pytestmark = pytest.mark.django_db


def _validate(actor: Any, kind: str, data: bytes, name: str = "du-lieu.xlsx") -> Any:
    return import_validate(actor=actor, kind=kind, file_name=name, data=data)


def _stored_files(settings: Any) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def _snapshot() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        AwardRecord.objects.count(),
        Decision.objects.count(),
        ImportBatch.objects.count(),
    )


# --- People ------------------------------------------------------------------------------------------


def test_people_file_validates_then_commit_creates_people(province: Any, users: Any, settings: Any) -> None:
    actor = users["specialist"]
    data = generate_people_workbook(
        [
            person_row(province["health"].code),
            person_row(
                province["clinic"].code.lower(),  # unit codes match regardless of case
                family_name="Lò",
                middle_name="Thị",
                given_name="Xuân",
                gender="nữ",
                birth_date=dt.datetime(1990, 3, 1),  # an Excel date cell
                ethnicity="Thái",
                identity_number="",
                category="vien chuc",  # labels match without accents
                position="",
            ),
        ]
    )
    before = Person.objects.count()

    result = _validate(actor, ImportKind.PEOPLE, data)

    assert result.ok, result.errors
    assert (result.row_count, result.new_count, result.existing_count) == (2, 2, 0)
    assert [p.row for p in result.preview] == [2, 3]
    batch = result.batch
    assert batch.status == ImportStatus.VALIDATED and batch.uploaded_by == actor and batch.unit == actor.unit
    folder = Path(settings.MEDIA_ROOT) / "imports"
    # The file, and the cells read from it, which spare the commit parsing the workbook again.
    assert _stored_files(settings) == [
        folder / f"{batch.file_sha256}.rows.jsonl.gz",
        folder / f"{batch.file_sha256}.xlsx",
    ]
    assert Person.objects.count() == before, "validation must not write people"

    committed = import_commit(actor=actor, batch=batch)

    assert committed.status == ImportStatus.COMMITTED
    assert (committed.created_count, committed.unchanged_count) == (2, 0)
    assert committed.committed_at is not None
    tuan = Person.objects.get(identity_number="001085000123")
    assert tuan.full_name == "Phạm Minh Tuấn"
    assert tuan.search_text == "pham minh tuan" and tuan.sort_key
    assert (tuan.gender, tuan.birth_date, tuan.unit, tuan.ethnicity) == (
        "male",
        dt.date(1985, 5, 12),
        province["health"],
        "Kinh",
    )
    assert (tuan.position, tuan.category) == ("Chuyên viên", PersonCategory.CIVIL_SERVANT)
    xuan = Person.objects.get(full_name="Lò Thị Xuân")
    assert (xuan.gender, xuan.birth_date, xuan.unit, xuan.identity_number) == (
        "female",
        dt.date(1990, 3, 1),
        province["clinic"],
        None,
    )
    assert (xuan.ethnicity, xuan.category) == ("Thái", PersonCategory.PUBLIC_EMPLOYEE)
    assert tuan.history.get().history_user == actor
    audit = AuditLog.objects.get(action="import_commit")
    assert audit.target_id == str(batch.pk) and audit.actor == actor
    assert audit.extra["created"] == 2 and audit.extra["unchanged"] == 0


def test_people_already_present_are_counted_not_duplicated(province: Any, users: Any) -> None:
    actor = users["specialist"]
    data = generate_people_workbook(
        [
            # By CCCD; accents and case of the name do not matter.
            person_row(
                province["health"].code,
                family_name="NGUYEN",
                middle_name="van",
                given_name="duc",
                identity_number="012345678901",
                birth_date="",
            ),
            # Without CCCD: by folded full name, birth date (none here) and unit.
            person_row(
                province["education"].code,
                family_name="Trần",
                middle_name="Thị",
                given_name="Hoa",
                gender="Nữ",
                identity_number="",
                birth_date="",
            ),
        ]
    )
    before = Person.objects.count()

    result = _validate(actor, ImportKind.PEOPLE, data)
    assert result.ok, result.errors
    assert (result.new_count, result.existing_count) == (0, 2)
    assert all(not p.is_new for p in result.preview)
    batch = import_commit(actor=actor, batch=result.batch)

    assert (batch.created_count, batch.unchanged_count) == (0, 2)
    assert Person.objects.count() == before


def test_people_file_with_bad_rows_reports_every_error_and_writes_nothing(
    province: Any, users: Any, settings: Any
) -> None:
    code = province["health"].code
    data = generate_people_workbook(
        [
            person_row(code, identity_number="12345"),  # row 2: bad CCCD
            person_row("KHONG-CO", identity_number="001085000124"),  # row 3: unknown unit
            person_row(code, birth_date="31/02/1980", identity_number="001085000125"),  # row 4: no such day
            person_row(code, gender="Khác", category="Nghệ sĩ", identity_number="001085000126"),  # row 5
            person_row(code, given_name="", identity_number="001085000127"),  # row 6: required
            person_row(code, identity_number="001085000128"),  # row 7: valid
            person_row(code, identity_number="001085000128"),  # row 8: same CCCD as row 7
            person_row(code, identity_number="012345678901"),  # row 9: CCCD of another name
        ]
    )
    before = _snapshot()

    result = _validate(users["specialist"], ImportKind.PEOPLE, data)

    assert not result.ok and result.batch is None
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (2, "Số CCCD"),
        (3, "Mã đơn vị"),
        (4, "Ngày sinh"),
        (5, "Giới tính"),
        (5, "Thành phần"),
        (6, "Tên"),
        (8, "Số CCCD"),
        (9, "Số CCCD"),
    }
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "12 chữ số" in messages[(2, "Số CCCD")]
    assert "KHONG-CO" in messages[(3, "Mã đơn vị")]
    assert "dòng 7" in messages[(8, "Số CCCD")]
    assert _snapshot() == before
    assert _stored_files(settings) == []


# --- File-level problems -----------------------------------------------------------------------------


def test_wrong_columns_are_named(users: Any) -> None:
    headers = PEOPLE.headers[:]
    headers.remove("Giới tính")
    headers.append("Ghi chú")
    result = _validate(users["specialist"], ImportKind.PEOPLE, raw_workbook([headers, ["x"] * len(headers)]))

    assert result.file_error and result.batch is None
    assert "«Giới tính»" in result.file_error and "«Ghi chú»" in result.file_error
    assert "Tải mẫu" in result.file_error


def test_headers_match_without_accents_or_case(province: Any, users: Any) -> None:
    headers = [h.upper() for h in PEOPLE.headers]
    headers[6] = "so cccd"
    row = list(person_row(province["health"].code).values())
    result = _validate(users["specialist"], ImportKind.PEOPLE, raw_workbook([headers, row]))
    assert result.ok, result.file_error or result.errors


def test_file_of_the_other_template_says_so(users: Any) -> None:
    data = generate_awards_workbook([award_row()])
    result = _validate(users["specialist"], ImportKind.PEOPLE, data)
    assert "mẫu «Khen thưởng đã có»" in result.file_error


@pytest.mark.parametrize(
    "content",
    [
        b"Ho,Ten\nNguyen,An\n",  # a CSV renamed
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # an old .xls renamed
        b"PK\x03\x04 not really a zip",
    ],
)
def test_content_that_is_not_excel_is_refused(users: Any, settings: Any, content: bytes) -> None:
    result = _validate(users["specialist"], ImportKind.PEOPLE, content, name="danh-sach.xlsx")
    assert result.file_error.startswith("Tệp không phải là tệp Excel (.xlsx)")
    assert ImportBatch.objects.count() == 0 and _stored_files(settings) == []


def test_excel_file_must_be_named_xlsx(province: Any, users: Any) -> None:
    data = generate_people_workbook([person_row(province["health"].code)])
    result = _validate(users["specialist"], ImportKind.PEOPLE, data, name="danh-sach.xls")
    assert "đuôi .xlsx" in result.file_error


def test_empty_upload_is_refused(users: Any) -> None:
    result = _validate(users["specialist"], ImportKind.PEOPLE, b"")
    assert result.file_error.startswith("Tệp rỗng")


def test_oversized_upload_is_refused_with_the_limit(province: Any, users: Any, settings: Any) -> None:
    settings.THIDUA_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    data = generate_people_workbook([person_row(province["health"].code)])
    padded = data + b"\0" * (settings.THIDUA_IMPORT_MAX_BYTES + 1 - len(data))
    result = _validate(users["specialist"], ImportKind.PEOPLE, padded)
    assert result.file_error.startswith("Tệp quá lớn") and "2 MB" in result.file_error
    assert ImportBatch.objects.count() == 0 and _stored_files(settings) == []


def test_header_only_file_has_no_data_rows(users: Any) -> None:
    result = _validate(users["specialist"], ImportKind.PEOPLE, generate_people_workbook([]))
    assert "không có dòng dữ liệu" in result.file_error


def test_blank_rows_are_skipped_and_row_numbers_stay_those_excel_shows(province: Any, users: Any) -> None:
    code = province["health"].code
    rows = [
        PEOPLE.headers,
        list(person_row(code).values()),
        [None] * 10,
        [],
        list(person_row(code, gender="?", identity_number="").values()),
    ]
    result = _validate(users["specialist"], ImportKind.PEOPLE, raw_workbook(rows))
    assert result.row_count == 2
    assert [(e.row, e.column) for e in result.errors] == [(5, "Giới tính")]


def test_file_name_is_sanitised() -> None:
    assert clean_file_name("..\\..\\C:/tmp/../danh sách\x00.xlsx") == "danh sách.xlsx"
    assert clean_file_name("") == "tep"


# --- Awards ------------------------------------------------------------------------------------------


def test_awards_file_with_bad_rows_reports_every_error_and_writes_nothing(
    province: Any, users: Any, settings: Any
) -> None:
    health = province["health"].code
    data = generate_awards_workbook(
        [
            award_row(award="KHONG_CO"),  # row 2: unknown award
            award_row(recipient_kind="Tập thể", identity_number="", full_name="", unit_code=health),  # row 3
            award_row(decision_date="10/01/2022"),  # row 4: decision before the achievement year
            award_row(year=1930),  # row 5: before 1945
            award_row(year=FIXED_TODAY.year + 1, decision_date=""),  # row 6: future year, missing date
            award_row(identity_number="099999999999"),  # row 7: nobody has this CCCD
            award_row(full_name="Nguyễn Văn Được"),  # row 8: name does not match the CCCD
            award_row(bonus_amount=-5),  # row 9
            award_row(recipient_kind="Hộ gia đình", award="GDVH", household_code="H-KHONG-CO"),  # row 10
            award_row(),  # row 11: valid
            award_row(),  # row 12: the same as row 11
        ]
    )
    before = _snapshot()

    result = _validate(users["specialist"], ImportKind.AWARDS, data)

    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (2, "Danh hiệu/hình thức"),
        (3, "Danh hiệu/hình thức"),
        (4, "Ngày quyết định"),
        (5, "Năm thành tích"),
        (6, "Năm thành tích"),
        (6, "Ngày quyết định"),
        (7, "Số CCCD"),
        (8, "Họ và tên"),
        (9, "Tiền thưởng"),
        (10, "Mã hộ"),
        (12, "Danh hiệu/hình thức"),
    }
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "không dành cho tập thể" in messages[(3, "Danh hiệu/hình thức")]
    assert "trước năm thành tích 2023" in messages[(4, "Ngày quyết định")]
    assert "dòng 11" in messages[(12, "Danh hiệu/hình thức")]
    assert result.batch is None
    assert _snapshot() == before
    assert _stored_files(settings) == []


def test_awards_import_writes_records_decisions_and_history(province: Any, users: Any) -> None:
    actor = users["specialist"]
    household = household_create(actor=None, code="HO-001", head_name="Lò Văn Páo", unit=province["health"])
    data = generate_awards_workbook(
        [
            award_row(),
            award_row(identity_number=12345678901, award="Bằng khen của Chủ tịch UBND tỉnh"),  # a number cell
            award_row(
                recipient_kind="Tập thể",
                identity_number="",
                full_name="",
                unit_code=province["clinic"].code,
                award="TTLDTT",
                commendation_kind="",
                bonus_amount=None,
            ),
            award_row(
                recipient_kind="Hộ gia đình",
                identity_number="",
                full_name="",
                household_code="HO-001",
                award="gia dinh van hoa",
                decision_number="20/QĐ-UBND",
                issuing_authority="UBND xã Mường So",
            ),
        ]
    )

    result = _validate(actor, ImportKind.AWARDS, data)
    assert result.ok, result.errors
    batch = import_commit(actor=actor, batch=result.batch)

    assert batch.created_count == 4
    records = AwardRecord.objects.filter(import_batch=batch)
    assert records.count() == 4
    assert {r.source for r in records} == {RecordSource.IMPORTED}
    person_awards = records.filter(person=province["health_person"]).order_by("award_type__code")
    assert [r.award_type.code for r in person_awards] == ["BK_TINH", "LDTT"]
    ldtt = person_awards.get(award_type__code="LDTT")
    assert (ldtt.year, ldtt.kind, ldtt.bonus_amount, ldtt.reason) == (
        2023,
        "cong_trang",
        1_500_000,
        "Hoàn thành xuất sắc nhiệm vụ",
    )
    assert records.get(unit=province["clinic"]).award_type.code == "TTLDTT"
    assert records.get(household=household).award_type.code == "GDVH"
    decision = ldtt.decision
    assert (decision.number, decision.date, decision.issuing_authority) == (
        "15/QĐ-UBND",
        dt.date(2024, 1, 10),
        "UBND tỉnh Lai Châu",
    )
    assert (decision.signer_name, decision.signer_title, decision.source) == (
        "Lê Văn Lương",
        "Chủ tịch",
        RecordSource.IMPORTED,
    )
    assert decision.search_text  # refresh_derived() ran
    assert Decision.objects.filter(source=RecordSource.IMPORTED).count() == 2
    for record in records:
        assert record.history.get().history_user == actor
    assert decision.history.get().history_user == actor
    assert AuditLog.objects.filter(action="import_commit").count() == 1
    assert not AuditLog.objects.filter(action="award_record_create").exists()


def test_reimporting_the_same_awards_file_creates_nothing(province: Any, users: Any) -> None:
    actor = users["specialist"]
    data = generate_awards_workbook(
        [
            award_row(),
            award_row(identity_number="", unit_code=province["education"].code, full_name="Trần Thị Hoa"),
        ]
    )
    first = import_commit(actor=actor, batch=_validate(actor, ImportKind.AWARDS, data).batch)
    assert first.created_count == 2
    counts = (AwardRecord.objects.count(), Decision.objects.count())

    again = _validate(actor, ImportKind.AWARDS, data)
    assert again.ok
    assert again.previous_commit == first
    assert (again.new_count, again.existing_count) == (0, 2)
    second = import_commit(actor=actor, batch=again.batch)

    assert (second.created_count, second.unchanged_count) == (0, 2)
    assert second.status == ImportStatus.COMMITTED
    assert (AwardRecord.objects.count(), Decision.objects.count()) == counts


def test_awards_recorded_by_hand_are_recognised(province: Any, users: Any) -> None:
    person = province["health_person"]
    make_award(person, "LDTT", 2023, number="15/QĐ-UBND")  # decision dated 15/01/2024 by UBND tỉnh Lai Châu
    data = generate_awards_workbook(
        [
            award_row(
                decision_number="15/QD-UBND",
                decision_date="15/01/2024",
                issuing_authority="UBND Tỉnh Lai Châu",
            )
        ]
    )
    result = _validate(users["specialist"], ImportKind.AWARDS, data)
    assert result.ok, result.errors
    assert (result.new_count, result.existing_count) == (0, 1)


def test_person_without_cccd_is_found_by_name_unit_and_birth_date(province: Any, users: Any) -> None:
    clinic = province["clinic"]
    make_person(clinic, "Lò Thị Mai", gender="female", birth_date=dt.date(1980, 1, 1))  # a namesake
    base = {"identity_number": "", "full_name": "lo thi mai", "unit_code": clinic.code}
    data = generate_awards_workbook(
        [
            award_row(**base),  # row 2: two people match
            award_row(**base, birth_date="01/01/1980"),  # row 3: the birth date decides
            award_row(**base, birth_date="02/02/1970"),  # row 4: nobody
        ]
    )
    result = _validate(users["specialist"], ImportKind.AWARDS, data)
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert set(messages) == {(2, "Họ và tên"), (4, "Họ và tên")}
    assert "Có 2 cá nhân" in messages[(2, "Họ và tên")]
    assert "Không tìm thấy" in messages[(4, "Họ và tên")]


def test_unit_officer_may_only_import_rows_of_own_units(province: Any, users: Any) -> None:
    officer = users["health_officer"]
    people = generate_people_workbook(
        [
            person_row(province["clinic"].code),  # a sub-unit: in scope
            person_row(province["education"].code, identity_number="001085000999"),
        ]
    )
    result = _validate(officer, ImportKind.PEOPLE, people)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Mã đơn vị")]
    assert "ngoài phạm vi" in result.errors[0].message

    awards = generate_awards_workbook(
        [
            award_row(),  # the health department's own person
            award_row(identity_number="", full_name="Trần Thị Hoa", unit_code=province["education"].code),
            award_row(
                recipient_kind="Tập thể",
                identity_number="",
                full_name="",
                award="TTLDTT",
                unit_code=province["ubnd"].code,
            ),
        ]
    )
    result = _validate(officer, ImportKind.AWARDS, awards)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Mã đơn vị"), (4, "Mã đơn vị")]
    assert ImportBatch.objects.count() == 0


def test_unit_officer_sees_out_of_scope_person_by_cccd_as_an_error(province: Any, users: Any) -> None:
    person_create(
        actor=None,
        family_name="Trần",
        given_name="Bình",
        gender="male",
        unit=province["education"],
        identity_number="002090000001",
    )
    data = generate_awards_workbook([award_row(identity_number="002090000001", full_name="Trần Bình")])
    result = _validate(users["health_officer"], ImportKind.AWARDS, data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Số CCCD")]


# --- Commit and cancel -------------------------------------------------------------------------------


def test_commit_validates_again_and_writes_nothing_if_data_changed(province: Any, users: Any) -> None:
    actor = users["specialist"]
    data = generate_people_workbook(
        [
            person_row(province["health"].code),
            person_row(province["health"].code, identity_number="001085000777"),
        ]
    )
    batch = _validate(actor, ImportKind.PEOPLE, data).batch
    # Meanwhile someone records the CCCD for a different person.
    person_create(
        actor=None,
        family_name="Hoàng",
        given_name="Nam",
        gender="male",
        unit=province["education"],
        identity_number="001085000777",
    )
    before = _snapshot()

    with pytest.raises(ImportRejected) as rejected:
        import_commit(actor=actor, batch=batch)

    assert [(e.row, e.column) for e in rejected.value.validation.errors] == [(3, "Số CCCD")]
    assert _snapshot() == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED


def test_only_the_uploader_or_province_staff_may_commit(province: Any, users: Any) -> None:
    data = generate_people_workbook([person_row(province["health"].code)])
    batch = _validate(users["health_officer"], ImportKind.PEOPLE, data).batch

    with pytest.raises(PermissionDenied):
        import_commit(actor=users["education_officer"], batch=batch)
    assert import_commit(actor=users["admin"], batch=batch).created_count == 1


def test_committed_or_cancelled_batches_cannot_be_committed(
    province: Any, users: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    actor = users["specialist"]
    data = generate_people_workbook([person_row(province["health"].code)])
    batch = _validate(actor, ImportKind.PEOPLE, data).batch
    assert len(_stored_files(settings)) == 2  # the file and its cached cells

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = import_cancel(actor=actor, batch=batch)

    assert cancelled.status == ImportStatus.CANCELLED
    assert _stored_files(settings) == []
    with pytest.raises(ImportStateError):
        import_commit(actor=actor, batch=batch)
    assert not Person.objects.filter(identity_number="001085000123").exists()

    committed = import_commit(actor=actor, batch=_validate(actor, ImportKind.PEOPLE, data).batch)
    with pytest.raises(ImportStateError):
        import_commit(actor=actor, batch=committed)
    with pytest.raises(ImportStateError):
        import_cancel(actor=actor, batch=committed)


def test_awards_headers_are_those_of_the_spec() -> None:
    # The header row is the file format: changing it breaks every file users already filled in.
    assert AWARDS.headers[:7] == [
        "Loại đối tượng",
        "Số CCCD",
        "Họ và tên",
        "Ngày sinh",
        "Mã đơn vị",
        "Mã hộ",
        "Danh hiệu/hình thức",
    ]
    first_people_headers = [
        "Họ",
        "Tên đệm",
        "Tên",
        "Giới tính",
        "Ngày sinh",
        "Dân tộc",
        "Số CCCD",
        "Mã đơn vị",
        "Chức vụ",
        "Thành phần",
    ]
    # "Từ ngày" came later, at the end, and files of the first template are still read.
    assert PEOPLE.headers == [*first_people_headers, "Từ ngày"]
    assert PEOPLE.older_headers == [first_people_headers]


def test_queries_do_not_grow_with_the_rows(
    province: Any, users: Any, django_assert_max_num_queries: Any
) -> None:
    # 200 rows, each its own decision: one query per row anywhere would blow these bounds.
    rows = [
        award_row(decision_number=f"{n}/QĐ-UBND", year=2000 + n % 20, decision_date="10/01/2024")
        for n in range(200)
    ]
    rows += [
        award_row(
            recipient_kind="Tập thể",
            identity_number="",
            full_name="",
            award="TTLDTT",
            unit_code=province["health"].code,
            decision_number=f"T{n}",
        )
        for n in range(50)
    ]
    data = generate_awards_workbook(rows)
    actor = users["specialist"]
    with django_assert_max_num_queries(15):
        result = _validate(actor, ImportKind.AWARDS, data)
    assert result.ok and result.new_count == 250, result.errors
    with django_assert_max_num_queries(40):
        batch = import_commit(actor=actor, batch=result.batch)
    assert AwardRecord.objects.filter(import_batch=batch).count() == 250


def test_a_row_shows_all_its_errors_at_once(province: Any, users: Any) -> None:
    people = generate_people_workbook([person_row("KHONG-CO", gender="?")])
    result = _validate(users["specialist"], ImportKind.PEOPLE, people)
    assert {(e.row, e.column) for e in result.errors} == {(2, "Giới tính"), (2, "Mã đơn vị")}

    awards = generate_awards_workbook(
        [
            award_row(award="KHONG_CO", identity_number="099999999999"),
            award_row(
                year="năm ngoái",
                recipient_kind="Tập thể",
                award="TTLDTT",
                identity_number="",
                unit_code="KHONG-CO",
            ),
        ]
    )
    result = _validate(users["specialist"], ImportKind.AWARDS, awards)
    assert {(e.row, e.column) for e in result.errors} == {
        (2, "Danh hiệu/hình thức"),
        (2, "Số CCCD"),
        (3, "Năm thành tích"),
        (3, "Mã đơn vị"),
    }
