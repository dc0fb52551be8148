"""The cells kept beside a validated file, so the commit need not parse the workbook again."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import make_award
from tests.imports.helpers import award_row, generate_awards_workbook, generate_people_workbook, person_row
from thidua.awards.models import AwardRecord, AwardType, Decision
from thidua.imports import analysis, rowcache, services
from thidua.imports.analysis import AwardsAnalyser, analyse_rows, read_file
from thidua.imports.models import ImportBatch, ImportKind, ImportStatus
from thidua.imports.rowcache import CacheError, SheetRows
from thidua.imports.services import ImportRejected, import_cancel, import_commit, import_validate
from thidua.imports.templates_spec import AWARDS
from thidua.organisation.models import Person

SHA = "ab" * 32
COLUMNS = ["a", "b", "c"]


def _folder(settings: Any) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _cache_of(settings: Any, batch: ImportBatch) -> Path:
    return _folder(settings) / f"{batch.file_sha256}.rows.jsonl.gz"


@pytest.fixture
def workbook_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every parse of a workbook by openpyxl, the cost the cache is there to spare."""
    reads: list[str] = []
    real = analysis.load_workbook

    def spy(*args: Any, **kwargs: Any) -> Any:
        reads.append("load_workbook")
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "load_workbook", spy)
    return reads


def _validated(actor: Any, data: bytes, kind: str = ImportKind.AWARDS) -> ImportBatch:
    result = import_validate(actor=actor, kind=kind, file_name="du-lieu.xlsx", data=data)
    assert result.ok, result.file_error or result.errors
    assert result.batch is not None
    return result.batch


# --- The cache file on its own -----------------------------------------------------------------------


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    # Whatever an XML parser can hand over: no surrogates. Newlines and U+2028 must not break lines.
    st.text(alphabet=st.characters(exclude_categories=("Cs",))),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
)


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(cell_values, min_size=3, max_size=3), max_size=8),
    header=st.lists(cell_values, max_size=4),
)
def test_cells_come_back_exactly_as_openpyxl_gave_them(tmp_path_factory: Any, rows: Any, header: Any) -> None:
    path = tmp_path_factory.mktemp("cache") / "rows.jsonl.gz"
    sheet = SheetRows(header=tuple(header), rows=[(n, tuple(r)) for n, r in enumerate(rows, start=2)])

    rowcache.dump(path, sha256=SHA, kind="awards", columns=COLUMNS, sheet=sheet)
    back = rowcache.load(path, sha256=SHA, kind="awards", columns=COLUMNS)

    assert back == sheet
    # Equal is not enough: 1 == 1.0 == True, and a datetime is a date.
    assert [tuple(map(type, cells)) for _n, cells in back.rows] == [tuple(map(type, r)) for r in rows]
    assert tuple(map(type, back.header)) == tuple(map(type, header))


def _sheet() -> SheetRows:
    return SheetRows(
        header=("A", "B", "C"), rows=[(2, ("x", 1, dt.datetime(2024, 1, 10))), (4, ("y", None, 2.5))]
    )


@pytest.mark.parametrize(
    ("sha256", "kind", "columns", "field"),
    [
        ("cd" * 32, "awards", COLUMNS, "sha256"),  # the cache of another file
        (SHA, "people", COLUMNS, "kind"),
        (SHA, "awards", ["a", "b", "d"], "columns"),  # the template changed since
    ],
)
def test_a_cache_for_something_else_is_refused(
    tmp_path: Path, sha256: str, kind: str, columns: list[str], field: str
) -> None:
    path = tmp_path / "rows.jsonl.gz"
    rowcache.dump(path, sha256=SHA, kind="awards", columns=COLUMNS, sheet=_sheet())
    with pytest.raises(CacheError, match=field):
        rowcache.load(path, sha256=sha256, kind=kind, columns=columns)


def _rewrite(path: Path, change: Callable[[bytes], bytes]) -> None:
    path.write_bytes(gzip.compress(change(gzip.decompress(path.read_bytes()))))


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body.replace(b'"y"', b'"z"'),  # a cell altered
        lambda body: body.replace(b'[4,"y",null,2.5]\n', b""),  # a row dropped
        lambda body: body.replace(b"\n[2,", b'\n[3,"injected",0,0]\n[2,'),  # a row added
        lambda body: body.replace(SHA.encode(), b"cd" * 32),  # made to look like another file's
        lambda body: body.rpartition(b"\n")[0] + b"\n",  # no HMAC
    ],
)
def test_an_altered_cache_is_refused(tmp_path: Path, change: Callable[[bytes], bytes]) -> None:
    path = tmp_path / "rows.jsonl.gz"
    rowcache.dump(path, sha256=SHA, kind="awards", columns=COLUMNS, sheet=_sheet())
    _rewrite(path, change)
    with pytest.raises(CacheError):
        rowcache.load(path, sha256=SHA, kind="awards", columns=COLUMNS)


def test_a_cache_signed_with_another_key_is_refused(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "rows.jsonl.gz"
    settings.SECRET_KEY = "another server, or the key before it was rotated"
    rowcache.dump(path, sha256=SHA, kind="awards", columns=COLUMNS, sheet=_sheet())
    settings.SECRET_KEY = "the key of this server"
    with pytest.raises(CacheError, match="HMAC"):
        rowcache.load(path, sha256=SHA, kind="awards", columns=COLUMNS)


@pytest.mark.parametrize(
    "content",
    [b"", b"not gzip at all", gzip.compress(b"no trailer"), gzip.compress(b'{"x":1}\n{"mac":"00"}')],
)
def test_unreadable_or_missing_caches_are_reported_as_none(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "rows.jsonl.gz"
    assert rowcache.load_or_none(path, sha256=SHA, kind="awards", columns=COLUMNS) is None
    path.write_bytes(content)
    assert rowcache.load_or_none(path, sha256=SHA, kind="awards", columns=COLUMNS) is None
    assert "not used" in caplog.text


def test_a_truncated_cache_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl.gz"
    rowcache.dump(path, sha256=SHA, kind="awards", columns=COLUMNS, sheet=_sheet())
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(CacheError):
        rowcache.load(path, sha256=SHA, kind="awards", columns=COLUMNS)


def test_rows_too_large_to_load_again_are_not_cached(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "rows.jsonl.gz"
    settings.THIDUA_IMPORT_MAX_BYTES = 100
    sheet = SheetRows(header=("A",), rows=[(2, ("x" * 1000, None, None))])
    with pytest.raises(CacheError, match="too large"):
        rowcache.dump(path, sha256=SHA, kind="awards", columns=COLUMNS, sheet=sheet)
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_values_json_cannot_hold_are_not_cached(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl.gz"
    sheet = SheetRows(header=("A",), rows=[(2, (object(), None, None))])
    with pytest.raises(TypeError):
        rowcache.dump(path, sha256=SHA, kind="awards", columns=COLUMNS, sheet=sheet)
    assert list(tmp_path.iterdir()) == []


# --- The same analysis from the cache as from the file ------------------------------------------------


@pytest.mark.django_db
def test_cached_cells_give_the_same_analysis_as_the_file(province: Any, users: Any, tmp_path: Path) -> None:
    actor = users["specialist"]
    data = generate_awards_workbook(
        [
            award_row(),
            award_row(identity_number=12345678901, award="BK_TINH", decision_date=dt.datetime(2024, 1, 10)),
            award_row(year=2023.0, bonus_amount=1_500_000.0, reason="Dòng một\nDòng hai"),  # number cells
            award_row(year=True, decision_date=dt.date(2030, 1, 1)),  # a boolean, a future date
            award_row(award="KHONG_CO", identity_number="099999999999"),
            award_row(identity_number="", full_name="lo thi mai", unit_code=province["clinic"].code),
            award_row(),  # the same as row 2
            [None] * 16,  # blank: skipped, but the row numbers stay those Excel shows
            award_row(
                recipient_kind="Tập thể", identity_number="", full_name="", award="TTLDTT", unit_code="x"
            ),
        ]
    )
    from_file = AwardsAnalyser(actor=actor)
    sheet = read_file(analyser=from_file, file_name="du-lieu.xlsx", data=data)
    path = tmp_path / "rows.jsonl.gz"
    rowcache.dump(path, sha256=SHA, kind="awards", columns=AWARDS.keys, sheet=sheet)
    from_cache = AwardsAnalyser(actor=actor)

    analyse_rows(
        analyser=from_cache,
        file_name="du-lieu.xlsx",
        data=data,
        sheet=rowcache.load(path, sha256=SHA, kind="awards", columns=AWARDS.keys),
    )

    assert [n for n, _cells in sheet.rows] == [2, 3, 4, 5, 6, 7, 8, 10]
    assert len(from_file.errors) >= 5
    assert from_cache.errors == from_file.errors
    assert from_cache.preview == from_file.preview
    assert (from_cache.row_count, from_cache.existing_rows) == (from_file.row_count, from_file.existing_rows)
    assert from_cache.parsed == from_file.parsed
    assert from_cache.new == from_file.new


# --- Validation and commit ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_commit_uses_the_cached_cells_and_not_the_workbook(
    province: Any,
    users: Any,
    settings: Any,
    workbook_reads: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor = users["specialist"]
    batch = _validated(actor, generate_awards_workbook([award_row(), award_row(award="BK_TINH")]))
    assert workbook_reads == ["load_workbook"]
    assert _cache_of(settings, batch).exists()

    with django_capture_on_commit_callbacks(execute=True):
        committed = import_commit(actor=actor, batch=batch)

    assert workbook_reads == ["load_workbook"], "the commit parsed the workbook again"
    assert committed.created_count == 2
    records = AwardRecord.objects.filter(import_batch=batch, person=province["health_person"])
    assert sorted(records.values_list("award_type__code", "year", "bonus_amount")) == [
        ("BK_TINH", 2023, 1_500_000),
        ("LDTT", 2023, 1_500_000),
    ]
    assert {r.history.get().history_user for r in records} == {actor}
    # Its work done, the cache goes; the file stays, as before.
    assert not _cache_of(settings, batch).exists()
    assert (_folder(settings) / f"{batch.file_sha256}.xlsx").exists()


@pytest.mark.django_db
def test_commit_reads_the_file_when_the_cache_is_gone(
    province: Any, users: Any, settings: Any, workbook_reads: list[str]
) -> None:
    actor = users["specialist"]
    batch = _validated(actor, generate_awards_workbook([award_row(), award_row(award="BK_TINH")]))
    _cache_of(settings, batch).unlink()

    committed = import_commit(actor=actor, batch=batch)

    assert workbook_reads == ["load_workbook", "load_workbook"]
    assert committed.created_count == 2
    assert AwardRecord.objects.filter(import_batch=batch).count() == 2


@pytest.mark.django_db
def test_commit_reads_the_file_when_the_cache_could_not_be_written(
    province: Any, users: Any, settings: Any, workbook_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rowcache, "dump", disk_full)
    actor = users["specialist"]
    batch = _validated(actor, generate_awards_workbook([award_row()]))
    assert not _cache_of(settings, batch).exists()

    assert import_commit(actor=actor, batch=batch).created_count == 1
    assert len(workbook_reads) == 2


@pytest.mark.django_db
def test_the_cache_of_another_file_is_ignored_for_the_file_itself(
    province: Any, users: Any, settings: Any, workbook_reads: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    actor = users["specialist"]
    mine = _validated(actor, generate_awards_workbook([award_row(year=2021)]))
    other = _validated(actor, generate_awards_workbook([award_row(year=2022)]))
    # A cache that is genuine (its HMAC holds), but for another file.
    shutil.copyfile(_cache_of(settings, other), _cache_of(settings, mine))

    committed = import_commit(actor=actor, batch=mine)

    assert len(workbook_reads) == 3, "the file itself must be read"
    assert "sha256" in caplog.text
    assert committed.created_count == 1
    assert list(AwardRecord.objects.filter(import_batch=mine).values_list("year", flat=True)) == [2021]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forged_with_the_key", [False, True], ids=["altered-without-the-key", "written-with-the-key"]
)
def test_only_rows_signed_with_this_servers_key_are_trusted(
    province: Any,
    users: Any,
    settings: Any,
    workbook_reads: list[str],
    forged_with_the_key: bool,
) -> None:
    actor = users["specialist"]
    batch = _validated(actor, generate_awards_workbook([award_row(year=2021)]))
    path = _cache_of(settings, batch)
    if forged_with_the_key:
        # The trust boundary: what this server's key signed is taken as the file's cells.
        sheet = rowcache.load(path, sha256=batch.file_sha256, kind=batch.kind, columns=AWARDS.keys)
        rows = [(n, tuple(2022 if v == 2021 else v for v in cells)) for n, cells in sheet.rows]
        rowcache.dump(
            path,
            sha256=batch.file_sha256,
            kind=batch.kind,
            columns=AWARDS.keys,
            sheet=SheetRows(sheet.header, rows),
        )
        expected_year, expected_reads = 2022, 1
    else:
        _rewrite(path, lambda body: body.replace(b",2021,", b",2022,"))
        expected_year, expected_reads = 2021, 2

    import_commit(actor=actor, batch=batch)

    assert len(workbook_reads) == expected_reads
    assert list(AwardRecord.objects.filter(import_batch=batch).values_list("year", flat=True)) == [
        expected_year
    ]


def _rename_person(province: dict[str, Any]) -> None:
    person = province["health_person"]
    person.middle_name, person.given_name = "", "Đức Anh"
    person.refresh_derived()
    person.save()


def _move_person_out_of_scope(province: dict[str, Any]) -> None:
    Person.objects.filter(pk=province["health_person"].pk).update(unit=province["education"])


def _retire_award_code(province: dict[str, Any]) -> None:
    AwardType.objects.filter(code="LDTT").update(code="LDTT_CU", name="Lao động tiên tiến (cũ)")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_rename_person, (2, "Họ và tên")),  # the name no longer matches the CCCD
        (_move_person_out_of_scope, (2, "Số CCCD")),  # the person left the officer's units
        (_retire_award_code, (2, "Danh hiệu/hình thức")),  # the award list changed
    ],
    ids=["renamed", "out-of-scope", "award-code-gone"],
)
def test_commit_from_the_cache_still_checks_the_database_as_it_is_then(
    province: Any,
    users: Any,
    workbook_reads: list[str],
    change: Callable[[dict[str, Any]], None],
    expected: tuple[int, str],
) -> None:
    actor = users["health_officer"]
    batch = _validated(actor, generate_awards_workbook([award_row()]))
    change(province)
    before = (AwardRecord.objects.count(), Decision.objects.count())

    with pytest.raises(ImportRejected) as rejected:
        import_commit(actor=actor, batch=batch)

    assert workbook_reads == ["load_workbook"], "the cache was not used"
    assert [(e.row, e.column) for e in rejected.value.validation.errors] == [expected]
    assert (AwardRecord.objects.count(), Decision.objects.count()) == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED


@pytest.mark.django_db
def test_commit_from_the_cache_does_not_duplicate_what_was_recorded_meanwhile(
    province: Any, users: Any, workbook_reads: list[str]
) -> None:
    actor = users["specialist"]
    batch = _validated(actor, generate_awards_workbook([award_row(decision_date="15/01/2024")]))
    make_award(province["health_person"], "LDTT", 2023, number="15/QĐ-UBND")  # dated 15/01/2024
    before = AwardRecord.objects.count()

    committed = import_commit(actor=actor, batch=batch)

    assert workbook_reads == ["load_workbook"]
    assert (committed.created_count, committed.unchanged_count) == (0, 1)
    assert AwardRecord.objects.count() == before


@pytest.mark.django_db
def test_commit_from_the_cache_applies_the_file_limits_in_force(
    province: Any, users: Any, settings: Any
) -> None:
    actor = users["specialist"]
    data = generate_awards_workbook([award_row()])
    batch = _validated(actor, data)
    settings.THIDUA_IMPORT_MAX_BYTES = len(data) - 1

    with pytest.raises(ImportRejected) as rejected:
        import_commit(actor=actor, batch=batch)

    assert rejected.value.validation.file_error.startswith("Tệp quá lớn")


@pytest.mark.django_db
def test_the_cache_stays_while_another_batch_of_the_same_file_waits(
    province: Any,
    users: Any,
    settings: Any,
    workbook_reads: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    data = generate_people_workbook([person_row(province["health"].code)])
    first = _validated(users["specialist"], data, ImportKind.PEOPLE)
    second = _validated(users["admin"], data, ImportKind.PEOPLE)
    cache = _cache_of(settings, first)

    with django_capture_on_commit_callbacks(execute=True):
        import_commit(actor=users["specialist"], batch=first)
    assert cache.exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = import_commit(actor=users["admin"], batch=second)

    assert workbook_reads == ["load_workbook", "load_workbook"], "both commits used the cache"
    assert (again.created_count, again.unchanged_count) == (0, 1)
    assert not cache.exists()


@pytest.mark.django_db
def test_cancelling_removes_the_cache_with_the_file(
    province: Any, users: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    actor = users["specialist"]
    batch = _validated(
        actor, generate_people_workbook([person_row(province["health"].code)]), ImportKind.PEOPLE
    )
    assert _cache_of(settings, batch).exists()

    with django_capture_on_commit_callbacks(execute=True):
        import_cancel(actor=actor, batch=batch)

    assert list(_folder(settings).iterdir()) == []


@pytest.mark.django_db
def test_a_failed_commit_keeps_the_cache_for_the_next_attempt(
    province: Any, users: Any, settings: Any, workbook_reads: list[str]
) -> None:
    actor = users["health_officer"]
    batch = _validated(actor, generate_awards_workbook([award_row()]))
    _move_person_out_of_scope(province)
    with pytest.raises(ImportRejected):
        import_commit(actor=actor, batch=batch)
    assert _cache_of(settings, batch).exists()

    Person.objects.filter(pk=province["health_person"].pk).update(unit=province["health"])
    assert import_commit(actor=actor, batch=batch).created_count == 1
    assert workbook_reads == ["load_workbook"]


@pytest.mark.django_db
def test_validation_stores_no_cache_for_a_file_with_errors(province: Any, users: Any, settings: Any) -> None:
    result = import_validate(
        actor=users["specialist"],
        kind=ImportKind.AWARDS,
        file_name="du-lieu.xlsx",
        data=generate_awards_workbook([award_row(award="KHONG_CO")]),
    )
    assert result.errors and not _folder(settings).exists()


@pytest.mark.django_db
def test_services_name_the_cache_by_the_file_sha256(province: Any, users: Any, settings: Any) -> None:
    batch = _validated(users["specialist"], generate_awards_workbook([award_row()]))
    cache = _cache_of(settings, batch)
    assert services._rows_path(batch.file_sha256) == cache
    header = json.loads(gzip.decompress(cache.read_bytes()).split(b"\n", 1)[0])
    assert (header["format"], header["sha256"], header["kind"], header["rows"]) == (
        "thidua-import-rows",
        batch.file_sha256,
        "awards",
        1,
    )
