"""Reading an import file and sorting every row into "error", "already present" or "new".

Validation and commit share this analysis. A file of 100,000 rows must go through in seconds, so
nothing here runs a query per row or calls the per-record services (which would also write an
audit row per record): rows are parsed first, then everything they name is looked up in a few
set-based queries, and the new rows are written with bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import warnings
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from thidua.accounts.scope import unit_in_scope
from thidua.awards.models import (
    AwardRecord,
    AwardType,
    CommendationKind,
    Decision,
    RecipientKind,
    RecordSource,
)
from thidua.core import tallies
from thidua.core.text import fold
from thidua.imports.models import ImportBatch, ImportKind
from thidua.imports.parsing import (
    CellError,
    is_blank,
    parse_amount,
    parse_date,
    parse_identity_number,
    parse_year,
    text,
)
from thidua.imports.rowcache import SheetRows
from thidua.imports.templates_spec import SPECS, TemplateSpec, header_key
from thidua.organisation.models import Gender, Household, Person, PersonCategory, PositionHistory, Unit
from thidua.organisation.services import person_move

T = TypeVar("T")
StrOrPromise = str | Promise

PREVIEW_ROWS = 10
# Below SQLite's 999 bound parameters per statement.
QUERY_CHUNK = 900
# Bounds the model instances held at once while writing.
WRITE_CHUNK = 5000
# Rows between two progress reports: a report is a query, never one per row.
PROGRESS_EVERY = 1000

# What an analyser reports as it goes: (phase, done, total), phase "read" for rows read and checked, "write"
# for records written.
Progress = Callable[[str, int, int], None]


# Messages of the per-row lookups, translated only when a row fails (100,000 rows must stay fast).
_BAD_GENDER = gettext_lazy("Giới tính «{value}» không hợp lệ: ghi Nam hoặc Nữ.")
_BAD_CATEGORY = gettext_lazy(
    "Thành phần «{value}» không có trong danh mục (xem trang tính «Hướng dẫn» của mẫu)."
)
_BAD_RECIPIENT_KIND = gettext_lazy(
    "Loại đối tượng «{value}» không hợp lệ: ghi Cá nhân, Tập thể hoặc Hộ gia đình."
)
_BAD_AWARD = gettext_lazy(
    "Không có danh hiệu, hình thức «{value}» trong danh mục (xem trang tính «Hướng dẫn» của mẫu)."
)
# The one answer to a CCCD held by someone outside the uploader's scope, whatever name the row gives
# (issue 13: different answers confirmed a name–CCCD pair anywhere in the province).
_NUMBER_NOT_YOURS = gettext_lazy(
    "Không thể nhập người này: số CCCD không thuộc phạm vi đơn vị của bạn hoặc đã được dùng. "
    "Nếu người này chuyển đến từ đơn vị khác, hãy đề nghị cấp quản lý chung cập nhật."
)
_NO_PERSON_WITH_NUMBER = gettext_lazy(
    "Không có cá nhân có số CCCD này trong phạm vi quản lý của bạn; hãy nhập danh sách cá nhân trước."
)
_BAD_COMMENDATION_KIND = gettext_lazy(
    "Loại hình khen thưởng «{value}» không có trong danh mục (xem trang tính «Hướng dẫn» của mẫu)."
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class Refused(Exception):
    """The file as a whole cannot be used; the message says why."""


# --- The file as a whole -----------------------------------------------------------------------------


def _size_text(limit: int) -> str:
    megabytes = limit / (1024 * 1024)
    figure = f"{megabytes:.0f}" if megabytes >= 10 else f"{megabytes:.2g}"
    return figure.replace(".", ",")


_NOT_EXCEL = gettext_lazy(
    "Tệp không phải là tệp Excel (.xlsx). Hãy mở tệp bằng Excel và lưu lại dạng «Excel Workbook (.xlsx)»."
)


_UNSAFE_XML = gettext_lazy(
    "Tệp Excel chứa khai báo XML không được phép (DTD, thực thể): hệ thống không đọc tệp này. "
    "Hãy mở tệp bằng Excel và lưu lại dạng «Excel Workbook (.xlsx)»."
)
# Excel never writes a DTD: a part declaring one is an attack (entity expansion, "billion laughs") or a
# forgery. Searched in the bytes, before any parser sees them, whichever parser openpyxl would use.
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_SCAN_CHUNK = 1024 * 1024


def _too_large_unpacked() -> Refused:
    return Refused(
        _("Tệp Excel quá lớn khi giải nén (tối đa {size} MB); hãy chia thành nhiều tệp nhỏ hơn.").format(
            size=_size_text(settings.THIDUA_IMPORT_MAX_UNPACKED_BYTES)
        )
    )


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Read every part as it unpacks, counting the bytes really produced (a zip can declare sizes smaller
    than its parts) and refusing past the limit, or at a DTD or entity declaration."""
    overlap = max(len(m) for m in _DTD_MARKERS) - 1
    budget = settings.THIDUA_IMPORT_MAX_UNPACKED_BYTES
    for info in archive.infolist():
        tail = b""
        with archive.open(info) as part:
            while chunk := part.read(min(_SCAN_CHUNK, budget + 1)):
                budget -= len(chunk)
                if budget < 0:
                    raise _too_large_unpacked()
                window = tail + chunk
                if any(marker in window for marker in _DTD_MARKERS):
                    raise Refused(str(_UNSAFE_XML))
                tail = window[-overlap:]


def check_upload(data: bytes) -> None:
    """The checks that read no more than the zip's directory: the upload page answers them at once.

    Raises Refused. Everything else (the parts' content, the sheets) is left to the background check.
    """
    if not data:
        raise Refused(_("Tệp rỗng: không có dữ liệu nào được tải lên."))
    limit = settings.THIDUA_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise Refused(
            _("Tệp quá lớn: tối đa {size} MB. Hãy chia thành nhiều tệp nhỏ hơn.").format(
                size=_size_text(limit)
            )
        )
    if not data.startswith(b"PK\x03\x04"):
        raise Refused(str(_NOT_EXCEL))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            has_workbook = "xl/workbook.xml" in archive.namelist()
            if not has_workbook:
                raise Refused(str(_NOT_EXCEL))
            # What the zip declares refuses early; what it really unpacks to is counted below.
            if unpacked > settings.THIDUA_IMPORT_MAX_UNPACKED_BYTES:
                raise _too_large_unpacked()
    except (zipfile.BadZipFile, NotImplementedError, EOFError, zlib.error):
        raise Refused(str(_NOT_EXCEL)) from None


def _check_bytes(data: bytes) -> None:
    """The checks on the file as a whole that need no parsing of its sheets, in the order users see them."""
    check_upload(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_parts(archive)
    # A damaged member (bad CRC, unknown compression) is no readable workbook either.
    except (zipfile.BadZipFile, NotImplementedError, EOFError, zlib.error):
        raise Refused(str(_NOT_EXCEL)) from None


def _open_workbook(data: bytes) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it skips (styles, extensions); they do not matter here.
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # The file is untrusted input: whatever openpyxl trips over, it is not a workbook we can read.
    except Exception:
        raise Refused(str(_NOT_EXCEL)) from None


def _check_name(file_name: str) -> None:
    if not file_name.lower().endswith(".xlsx"):
        raise Refused(_("Tên tệp phải có đuôi .xlsx."))


def _pick_sheet(workbook: Any, spec: TemplateSpec) -> Any:
    wanted = header_key(spec.title)
    for sheet in workbook.worksheets:
        if header_key(sheet.title) == wanted:
            return sheet
    return workbook.worksheets[0]


def _check_header(spec: TemplateSpec, header: Sequence[Any] | None) -> None:
    actual = [text(v) for v in (header or ())]
    while actual and not actual[-1]:
        actual.pop()
    actual_keys = [header_key(v) for v in actual]
    expected_keys = [header_key(h) for h in spec.headers]
    if actual_keys == expected_keys:
        return
    if any(actual_keys == [header_key(h) for h in older] for older in spec.older_headers):
        return
    for other in SPECS.values():
        if other.kind != spec.kind and actual_keys == [header_key(h) for h in other.headers]:
            raise Refused(
                _(
                    "Tệp này theo mẫu «{other}», không phải mẫu «{wanted}»; hãy tải lên ở mục «{other}»."
                ).format(other=other.title, wanted=spec.title)
            )
    missing = [h for h, k in zip(spec.headers, expected_keys, strict=True) if k not in actual_keys]
    unexpected = [a for a, k in zip(actual, actual_keys, strict=True) if k and k not in expected_keys]
    parts = [
        _("Tệp không đúng mẫu «{title}» (dòng 1 phải là dòng tiêu đề của mẫu).").format(title=spec.title)
    ]
    if missing:
        parts.append(_("Thiếu cột: {columns}.").format(columns=", ".join(f"«{h}»" for h in missing)))
    if unexpected:
        parts.append(
            _("Cột không có trong mẫu: {columns}.").format(columns=", ".join(f"«{h}»" for h in unexpected))
        )
    if not missing and not unexpected:
        parts.append(_("Các cột không theo đúng thứ tự của mẫu, hoặc có cột trống xen giữa."))
    parts.append(_("Hãy bấm «Tải mẫu» để lấy mẫu đúng rồi chép dữ liệu vào."))
    raise Refused(" ".join(parts))


def _readable(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows of a sheet, parsed as they are asked for: a part that cannot be parsed (malformed XML, an
    entity defusedxml forbids) refuses the file instead of failing the request."""
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        # The file is untrusted input, as in _open_workbook(): whatever the parser trips over.
        except Exception:
            raise Refused(str(_NOT_EXCEL)) from None
        yield values


def read_file(*, analyser: Analyser, file_name: str, data: bytes) -> SheetRows:
    """Every check on the file as a whole, in an order users can act on; then every row, then lookups.

    Raises Refused for a problem with the file as a whole; row problems are left in analyser.errors.
    Returns the cells as read, which analyse_rows() can analyse again without parsing the workbook.
    """
    _check_bytes(data)
    workbook = _open_workbook(data)
    try:
        _check_name(file_name)
        sheet = _pick_sheet(workbook, analyser.spec)
        # Only an estimate for the progress bar: the declared size may be wrong either way, or missing
        # (0: the bar then counts rows without a percentage).
        declared = max((getattr(sheet, "max_row", None) or 1) - 1, 0)
        expected = min(declared, settings.THIDUA_IMPORT_MAX_ROWS)
        # The size a file declares for its sheet can be wrong (too small cuts rows off, too large
        # adds a million blank ones): read what is really there.
        sheet.reset_dimensions()
        rows = _readable(sheet.iter_rows(values_only=True))
        first: Any = next(rows, None)
        header = tuple(first) if first is not None else ()
        _check_header(analyser.spec, header)
        width = len(analyser.spec.columns)
        padding = (None,) * width
        kept: list[tuple[int, tuple[Any, ...]]] = []
        for row_number, values in enumerate(rows, start=2):
            cells = tuple(values[:width])
            if all(is_blank(v) for v in cells):
                continue
            cells += padding[len(cells) :]
            kept.append((row_number, cells))
            if len(kept) > settings.THIDUA_IMPORT_MAX_ROWS:
                # Stop reading: the rest of the file would only cost time and memory.
                raise _too_many_rows()
            analyser.feed(row_number, cells)
            if analyser.on_progress is not None and len(kept) % PROGRESS_EVERY == 0:
                analyser.on_progress("read", len(kept), max(expected, len(kept)) if expected else 0)
        _check_has_rows(analyser)
    finally:
        workbook.close()
    analyser.report("read", len(kept), len(kept))
    analyser.resolve()
    return SheetRows(header=header, rows=kept)


def analyse_rows(*, analyser: Analyser, file_name: str, data: bytes, sheet: SheetRows) -> None:
    """What read_file() does, on cells read_file() returned earlier for these very bytes.

    Every check runs again except opening the workbook, which would give the same cells: the checks
    on the bytes (the limits may have changed), the name, the header, every cell, every lookup.
    """
    _check_bytes(data)
    _check_name(file_name)
    _check_header(analyser.spec, sheet.header)
    if len(sheet.rows) > settings.THIDUA_IMPORT_MAX_ROWS:
        raise _too_many_rows()
    total = len(sheet.rows)
    for done, (row_number, cells) in enumerate(sheet.rows, start=1):
        analyser.feed(row_number, cells)
        if analyser.on_progress is not None and done % PROGRESS_EVERY == 0:
            analyser.on_progress("read", done, total)
    _check_has_rows(analyser)
    analyser.report("read", total, total)
    analyser.resolve()


def _too_many_rows() -> Refused:
    limit = f"{settings.THIDUA_IMPORT_MAX_ROWS:,}".replace(",", ".")
    return Refused(
        _(
            "Tệp có hơn {limit} dòng dữ liệu; hãy chia thành nhiều tệp, mỗi tệp không quá {limit} dòng."
        ).format(limit=limit)
    )


def _check_has_rows(analyser: Analyser) -> None:
    if analyser.row_count == 0:
        raise Refused(_("Tệp không có dòng dữ liệu nào (chỉ có dòng tiêu đề)."))


# --- Shared by both kinds ----------------------------------------------------------------------------


def _chunks(values: Iterable[T], size: int = QUERY_CHUNK) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


@functools.lru_cache(maxsize=65536)
def _fold(value: str) -> str:
    return fold(value)


class _Choices:
    """Labels matched without accents or case: the codes, the Vietnamese labels and the displayed ones."""

    def __init__(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        self._by_key: dict[str, Any] = {}
        for label, value in pairs:
            self._by_key.setdefault(fold(str(label)), value)

    @classmethod
    def of(cls, choices: Any) -> _Choices:
        pairs: list[tuple[Any, Any]] = [(value, value) for value in choices.values]
        with translation.override("vi"):
            pairs += [(str(label), value) for value, label in choices.choices]
        pairs += [(str(label), value) for value, label in choices.choices]
        return cls(pairs)

    def get(self, raw: str) -> Any:
        return self._by_key.get(_fold(raw))


def _bulk_create(
    objs: Iterable[Any],
    model: Any,
    *,
    actor: Any,
    batch: ImportBatch,
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Insert in chunks, each with its history rows naming the importing user and the batch."""
    when = timezone.now()
    reason = _("Nhập từ tệp «{name}» (lần nhập số {pk})").format(name=batch.file_name, pk=batch.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    count = 0
    for chunk in _chunks(objs, WRITE_CHUNK):
        bulk_create_with_history(
            chunk,
            model,
            batch_size=WRITE_CHUNK,
            default_user=user,
            default_change_reason=reason,
            default_date=when,
        )
        if chunk[0].pk is None:
            # The awards are linked to new decisions by id: a database that does not return ids cannot do it.
            raise RuntimeError("bulk_create did not return primary keys")
        count += len(chunk)
        if on_chunk is not None:
            on_chunk(len(chunk))
    return count


class Analyser:
    spec: TemplateSpec

    def __init__(self, *, actor: Any) -> None:
        self.actor = actor
        self.today = timezone.localdate()
        self.errors: list[RowError] = []
        self.row_count = 0
        self.preview: list[tuple[int, list[str]]] = []
        self.existing_rows: set[int] = set()
        # Rows that change a record already present (a person moved to another unit).
        self.moved_rows: set[int] = set()
        self._headers = {c.key: c.header for c in self.spec.columns}
        self._keys = tuple(self.spec.keys)
        # Only the columns with a rule of their own: the others are left to parse_row().
        self._column_rules = tuple(
            (c.key, c.required, c.max_length) for c in self.spec.columns if c.required or c.max_length
        )
        self._parse_date = functools.partial(parse_date, today=self.today)
        self._parse_year = functools.partial(parse_year, today=self.today)
        self._units: dict[str, Unit] | None = None
        self._row = 0
        self._row_failed: set[str] = set()
        self._cells: dict[str, Any] = {}
        # Set by the background task that runs the analysis, to show how far it is.
        self.on_progress: Progress | None = None
        self._written = 0

    @property
    def new_count(self) -> int:
        raise NotImplementedError

    def parse_row(self) -> None:
        """Parse self._cells into a typed row kept for resolve(), unless a cell failed."""
        raise NotImplementedError

    def resolve(self) -> None:
        """Look up what the parsed rows name; record the rows already present and the new ones."""
        raise NotImplementedError

    def write(self, *, batch: ImportBatch) -> dict[str, int]:
        raise NotImplementedError

    def report(self, phase: str, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(phase, done, total)

    def wrote(self, count: int) -> None:
        """Count written records of the main model against the new rows, for the progress bar."""
        self._written += count
        self.report("write", self._written, self.new_count)

    def feed(self, row: int, values: Sequence[Any]) -> None:
        self.row_count += 1
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append((row, [text(v) for v in values]))
        self._row, self._row_failed = row, set()
        cells = self._cells = dict(zip(self._keys, values, strict=True))
        for key, required, max_length in self._column_rules:
            value = cells[key]
            if required and is_blank(value):
                self.fail(key, _("Không được để trống."))
            elif max_length and len(text(value)) > max_length:
                self.fail(key, _("Dài quá {limit} ký tự.").format(limit=max_length))
        self.parse_row()

    # Row helpers

    def error(self, row: int, key: str, message: str) -> None:
        self.errors.append(RowError(row=row, column=self._headers[key], message=message))

    def fail(self, key: str, message: str) -> None:
        self.error(self._row, key, message)
        self._row_failed.add(key)

    def text(self, key: str) -> str:
        return text(self._cells[key])

    def cell(self, key: str, parser: Callable[[Any], T]) -> T | None:
        """The parsed cell, or None when it is blank or fails (the failure is recorded)."""
        value = self._cells[key]
        if is_blank(value):
            return None
        try:
            return parser(value)
        except CellError as problem:
            self.fail(key, str(problem))
            return None

    def choice(self, key: str, choices: _Choices, default: Any, message: StrOrPromise) -> Any:
        raw = self.text(key)
        if not raw:
            return default
        found = choices.get(raw)
        if found is None:
            self.fail(key, str(message).format(value=raw))
        return found

    def date(self, key: str) -> dt.date | None:
        return self.cell(key, self._parse_date)

    # Lookups

    def units(self) -> dict[str, Unit]:
        # A province has a few thousand units: one query, matched by code regardless of case.
        if self._units is None:
            self._units = {u.code.casefold(): u for u in Unit.objects.only("id", "code", "name", "path")}
        return self._units

    def unit_error(self, row: int, key: str, code: str, unit: Unit | None) -> bool:
        """Record why a unit cannot be used (unknown, or outside the actor's scope); True if it cannot."""
        if unit is None:
            self.error(row, key, _("Không có đơn vị mã «{code}» trong hệ thống.").format(code=code.upper()))
            return True
        if not unit_in_scope(self.actor, unit):
            self.error(
                row,
                key,
                _("Đơn vị «{name}» (mã {code}) ngoài phạm vi quản lý của bạn.").format(
                    name=unit.name, code=unit.code
                ),
            )
            return True
        return False


# --- People ------------------------------------------------------------------------------------------


# The per-row records are named tuples: as immutable as frozen dataclasses, and built in less than
# half the time, which counts twice over (validation and commit) for 100,000 rows.
class _PersonRow(NamedTuple):
    row: int
    family_name: str
    middle_name: str
    given_name: str
    gender: str
    birth_date: dt.date | None
    ethnicity: str
    identity_number: str
    unit_code: str
    position: str
    category: str
    name_key: str
    start_date: dt.date | None


class _Move(NamedTuple):
    row: _PersonRow
    person_id: int
    unit: Unit


class PeopleAnalyser(Analyser):
    spec = SPECS[ImportKind.PEOPLE]

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.genders = _Choices.of(Gender)
        self.categories = _Choices.of(PersonCategory)
        self.parsed: list[_PersonRow] = []
        self.unit_only: list[tuple[int, str]] = []
        self.new: list[tuple[_PersonRow, Unit]] = []
        self.moves: list[_Move] = []
        self._unit_ids: dict[int, Unit] = {}

    @property
    def new_count(self) -> int:
        return len(self.new)

    def parse_row(self) -> None:
        gender = self.choice("gender", self.genders, "", _BAD_GENDER)
        category = self.choice(
            "category",
            self.categories,
            PersonCategory.OTHER.value,
            _BAD_CATEGORY,
        )
        birth_date = self.date("birth_date")
        start_date = self.date("start_date")
        identity_number = self.cell("identity_number", parse_identity_number) or ""
        unit_code = self.text("unit_code").casefold()
        if self._row_failed:
            # The unit is still looked up, so the row shows all its errors at once.
            if unit_code and "unit_code" not in self._row_failed:
                self.unit_only.append((self._row, unit_code))
            return
        names = [self.text(k) for k in ("family_name", "middle_name", "given_name")]
        self.parsed.append(
            _PersonRow(
                row=self._row,
                family_name=names[0],
                middle_name=names[1],
                given_name=names[2],
                gender=gender,
                birth_date=birth_date,
                ethnicity=self.text("ethnicity") or "Kinh",
                identity_number=identity_number,
                unit_code=unit_code,
                position=self.text("position"),
                category=category,
                # As Person.refresh_derived() computes search_text, so the two compare equal.
                name_key=fold(" ".join(n for n in names if n)),
                start_date=start_date,
            )
        )

    def _recorded_until(self, person_ids: set[int]) -> dict[int, dt.date]:
        """The last date each person's positions record (a start or an end): a move must come after it."""
        until: dict[int, dt.date] = {}
        for chunk in _chunks(person_ids):
            for person_id, start, end in (
                PositionHistory.objects.filter(person_id__in=chunk)
                .values("person_id")
                .annotate(start=Max("start_date"), end=Max("end_date"))
                .values_list("person_id", "start", "end")
                .order_by()
            ):
                dates = [d for d in (start, end) if d is not None]
                if dates:
                    until[person_id] = max(dates)
        return until

    def _move(self, r: _PersonRow, unit: Unit, found: tuple[int, int], until: dict[int, dt.date]) -> None:
        """Record the move of a person already present to the row's unit, or why it cannot be made."""
        person_id, unit_id = found
        current = self._unit_ids[unit_id]
        start = r.start_date or self.today
        last = until.get(person_id)
        if last is not None and start <= last:
            self.error(
                r.row,
                "start_date",
                _(
                    "Cá nhân chuyển từ «{name}»: quá trình công tác đã ghi đến ngày {date}, "
                    "«Từ ngày» phải sau ngày đó."
                ).format(name=current.name, date=last.strftime("%d/%m/%Y")),
            )
            return
        self.moved_rows.add(r.row)
        self.moves.append(_Move(row=r, person_id=person_id, unit=unit))

    def resolve(self) -> None:
        units = self.units()
        self._unit_ids = {u.pk: u for u in units.values()}
        # Only the people in the uploader's scope are looked at; a number someone outside it holds is only
        # known to be taken (one CCCD, one person), and gets the same answer whatever the name or unit.
        by_number: dict[str, str] = {}
        homes: dict[str, tuple[int, int]] = {}
        taken: set[str] = set()
        for chunk in _chunks({r.identity_number for r in self.parsed if r.identity_number}):
            for number, name_key, pk, unit_id in Person.objects.filter(identity_number__in=chunk).values_list(
                "identity_number", "search_text", "pk", "unit_id"
            ):
                if unit_in_scope(self.actor, self._unit_ids[unit_id]):
                    by_number[str(number)] = name_key
                    homes[str(number)] = (pk, unit_id)
                else:
                    taken.add(str(number))
        moving = {
            homes[r.identity_number][0]
            for r in self.parsed
            if r.identity_number in homes
            and r.unit_code in units
            and units[r.unit_code].pk != homes[r.identity_number][1]
        }
        until = self._recorded_until(moving)
        by_name: set[tuple[str, dt.date | None, int]] = set()
        for chunk in _chunks({r.name_key for r in self.parsed if not r.identity_number}):
            by_name.update(
                Person.objects.filter(search_text__in=chunk).values_list(
                    "search_text", "birth_date", "unit_id"
                )
            )

        for row, code in self.unit_only:
            self.unit_error(row, "unit_code", code, units.get(code))
        seen_number: dict[str, int] = {}
        seen_name: dict[tuple[str, dt.date | None, int], int] = {}
        for r in self.parsed:
            unit = units.get(r.unit_code)
            if self.unit_error(r.row, "unit_code", r.unit_code, unit):
                continue
            assert unit is not None
            person_key = (r.name_key, r.birth_date, unit.pk)
            if r.identity_number:
                if r.identity_number in seen_number:
                    self.error(
                        r.row,
                        "identity_number",
                        _("Trùng số CCCD với dòng {row}.").format(row=seen_number[r.identity_number]),
                    )
                    continue
                seen_number[r.identity_number] = r.row
                seen_name.setdefault(person_key, r.row)
                if r.identity_number in taken:
                    self.error(r.row, "identity_number", str(_NUMBER_NOT_YOURS))
                    continue
                if r.identity_number in by_number:
                    if by_number[r.identity_number] != r.name_key:
                        self.error(
                            r.row, "identity_number", _("Số CCCD này đã có trong hệ thống với họ tên khác.")
                        )
                    elif homes[r.identity_number][1] != unit.pk:
                        self._move(r, unit, homes[r.identity_number], until)
                    else:
                        self.existing_rows.add(r.row)
                    continue
            else:
                if person_key in seen_name:
                    self.error(
                        r.row,
                        "family_name",
                        _("Trùng với dòng {row} (cùng họ tên, ngày sinh và đơn vị).").format(
                            row=seen_name[person_key]
                        ),
                    )
                    continue
                seen_name[person_key] = r.row
                if person_key in by_name:
                    self.existing_rows.add(r.row)
                    continue
            self.new.append((r, unit))

    def write(self, *, batch: ImportBatch) -> dict[str, int]:
        created = 0
        # Each person with the position the row gives, from "Từ ngày" (unknown when blank): the membership
        # of each year the collective titles count (appraisal.candidates).
        for chunk in _chunks(self.new, WRITE_CHUNK):
            people = []
            for r, unit in chunk:
                person = Person(
                    family_name=r.family_name,
                    middle_name=r.middle_name,
                    given_name=r.given_name,
                    gender=r.gender,
                    birth_date=r.birth_date,
                    ethnicity=r.ethnicity,
                    identity_number=r.identity_number or None,
                    unit=unit,
                    position=r.position,
                    category=r.category,
                )
                person.refresh_derived()
                people.append(person)
            created += _bulk_create(people, Person, actor=self.actor, batch=batch, on_chunk=self.wrote)
            positions = (
                PositionHistory(person=person, unit=unit, position=r.position, start_date=r.start_date)
                for person, (r, unit) in zip(people, chunk, strict=True)
            )
            _bulk_create(positions, PositionHistory, actor=self.actor, batch=batch)
        # A move changes a record already present, its positions and the dashboard's totals: one at a time
        # through the service (an audit row each), as moves are few beside the new people of a file.
        people_by_id = Person.objects.in_bulk([m.person_id for m in self.moves])
        for move in self.moves:
            person_move(
                actor=self.actor,
                person=people_by_id[move.person_id],
                unit=move.unit,
                start_date=move.row.start_date or self.today,
                position=move.row.position,
            )
        return {"people_created": created, "people_moved": len(self.moves)}


# --- Awards ------------------------------------------------------------------------------------------

DecisionKey = tuple[str, dt.date, str]


def _decision_key(number: str, date: dt.date, authority: str) -> DecisionKey:
    # "12/QĐ-UBND" typed as "12/QD-UBND", or "UBND tỉnh" as "UBND Tỉnh", is still the same decision.
    return (_fold(number), date, _fold(authority))


class _Recipient(NamedTuple):
    """What a row says about who is awarded; looked up even when the award cells of the row fail."""

    row: int
    kind: str
    identity_number: str
    full_name: str
    name_key: str
    birth_date: dt.date | None
    unit_code: str
    household_code: str


_RECIPIENT_KEYS = frozenset(
    {"recipient_kind", "identity_number", "full_name", "birth_date", "unit_code", "household_code"}
)


class _AwardRow(NamedTuple):
    recipient: _Recipient
    award_type: AwardType
    year: int
    commendation_kind: str
    decision_number: str
    decision_date: dt.date
    issuing_authority: str
    signer_name: str
    signer_title: str
    reason: str
    bonus_amount: int | None
    decision_key: DecisionKey

    @property
    def row(self) -> int:
        return self.recipient.row


class _NewAward(NamedTuple):
    row: _AwardRow
    recipient_id: int


_RECIPIENT_FIELD = {
    RecipientKind.INDIVIDUAL: "person_id",
    RecipientKind.COLLECTIVE: "unit_id",
    RecipientKind.HOUSEHOLD: "household_id",
}


class AwardsAnalyser(Analyser):
    spec = SPECS[ImportKind.AWARDS]

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.recipient_kinds = _Choices.of(RecipientKind)
        self.commendation_kinds = _Choices.of(CommendationKind)
        award_types = list(AwardType.objects.all())
        # Codes first, so a code wins over a name that folds the same.
        self.award_types = _Choices([(a.code, a) for a in award_types] + [(a.name, a) for a in award_types])
        self.kind_labels = {str(value): label for value, label in RecipientKind.choices}
        self.parsed: list[_AwardRow] = []
        # Every row's recipient, including rows whose award cells failed.
        self.recipients: list[_Recipient] = []
        self.new: list[_NewAward] = []
        self.decisions: dict[DecisionKey, int] = {}
        self.by_number: dict[str, tuple[int, str, int]] = {}
        self.by_name: dict[tuple[str, int], list[tuple[int, dt.date | None]]] = defaultdict(list)
        self.households: dict[str, tuple[int, int]] = {}

    @property
    def new_count(self) -> int:
        return len(self.new)

    def parse_row(self) -> None:
        recipient_kind = self.choice(
            "recipient_kind",
            self.recipient_kinds,
            "",
            _BAD_RECIPIENT_KIND,
        )
        award_type: AwardType | None = self.choice(
            "award",
            self.award_types,
            None,
            _BAD_AWARD,
        )
        commendation_kind = self.choice(
            "commendation_kind",
            self.commendation_kinds,
            CommendationKind.MERIT.value,
            _BAD_COMMENDATION_KIND,
        )
        identity_number = self.cell("identity_number", parse_identity_number) or ""
        birth_date = self.date("birth_date")
        year = self.cell("year", self._parse_year)
        decision_date = self.date("decision_date")
        bonus_amount = self.cell("bonus_amount", parse_amount)
        full_name = self.text("full_name")
        unit_code = self.text("unit_code").casefold()
        household_code = self.text("household_code")

        if recipient_kind == RecipientKind.INDIVIDUAL:
            if not full_name:
                self.fail("full_name", _("Với cá nhân phải ghi họ và tên."))
            if is_blank(self._cells["identity_number"]) and not unit_code:
                self.fail(
                    "unit_code",
                    _("Cá nhân không có số CCCD thì phải ghi mã đơn vị công tác để tìm đúng người."),
                )
        elif recipient_kind == RecipientKind.COLLECTIVE and not unit_code:
            self.fail("unit_code", _("Với tập thể phải ghi mã đơn vị."))
        elif recipient_kind == RecipientKind.HOUSEHOLD and not household_code:
            self.fail("household_code", _("Với hộ gia đình phải ghi mã hộ."))
        if award_type is not None and recipient_kind and recipient_kind not in award_type.recipients:
            self.fail(
                "award",
                _("«{award}» không dành cho {kind}.").format(
                    award=award_type.name, kind=str(self.kind_labels[recipient_kind]).lower()
                ),
            )
        if decision_date is not None and year is not None and decision_date.year < year:
            self.fail(
                "decision_date",
                _("Ngày quyết định {date} trước năm thành tích {year}.").format(
                    date=decision_date.strftime("%d/%m/%Y"), year=year
                ),
            )
        recipient = None
        if recipient_kind and not self._row_failed & _RECIPIENT_KEYS:
            recipient = _Recipient(
                row=self._row,
                kind=recipient_kind,
                identity_number=identity_number,
                full_name=full_name,
                name_key=fold(full_name),
                birth_date=birth_date,
                unit_code=unit_code,
                household_code=household_code,
            )
            self.recipients.append(recipient)
        if self._row_failed:
            return
        assert recipient is not None and award_type is not None and year is not None
        assert decision_date is not None
        number, authority = self.text("decision_number"), self.text("issuing_authority")
        reason = self._cells["reason"]
        self.parsed.append(
            _AwardRow(
                recipient=recipient,
                award_type=award_type,
                year=year,
                commendation_kind=commendation_kind,
                decision_number=number,
                decision_date=decision_date,
                issuing_authority=authority,
                signer_name=self.text("signer_name"),
                signer_title=self.text("signer_title"),
                # The achievement text keeps its line breaks; only the ends are trimmed.
                reason="" if is_blank(reason) else str(reason).strip(),
                bonus_amount=bonus_amount,
                decision_key=_decision_key(number, decision_date, authority),
            )
        )

    def _load(self) -> set[tuple[int, str, int, int, int]]:
        """Everything the rows name, in a few queries; returns the keys of the awards already recorded."""
        individuals = [r for r in self.recipients if r.kind == RecipientKind.INDIVIDUAL]
        units_by_id = {u.pk: u for u in self.units().values()}
        for chunk in _chunks({r.identity_number for r in individuals if r.identity_number}):
            for pk, number, name_key, unit_id in Person.objects.filter(identity_number__in=chunk).values_list(
                "pk", "identity_number", "search_text", "unit_id"
            ):
                # Someone outside the uploader's scope is as unknown as nobody (issue 13's CCCD oracle).
                if unit_in_scope(self.actor, units_by_id[unit_id]):
                    self.by_number[str(number)] = (pk, name_key, unit_id)
        for chunk in _chunks({r.name_key for r in individuals if not r.identity_number}):
            for pk, name_key, unit_id, birth_date in Person.objects.filter(search_text__in=chunk).values_list(
                "pk", "search_text", "unit_id", "birth_date"
            ):
                self.by_name[(name_key, unit_id)].append((pk, birth_date))
        codes = {r.household_code for r in self.recipients if r.kind == RecipientKind.HOUSEHOLD}
        for chunk in _chunks(codes):
            for pk, code, unit_id in Household.objects.filter(code__in=chunk).values_list(
                "pk", "code", "unit_id"
            ):
                self.households[code] = (pk, unit_id)

        wanted = {r.decision_key for r in self.parsed}
        for dates in _chunks({r.decision_date for r in self.parsed}):
            for pk, number, date, authority in Decision.objects.filter(date__in=dates).values_list(
                "pk", "number", "date", "issuing_authority"
            ):
                key = _decision_key(number, date, authority)
                if key in wanted:
                    self.decisions.setdefault(key, pk)
        existing: set[tuple[int, str, int, int, int]] = set()
        for ids in _chunks(set(self.decisions.values())):
            for (
                award_type_id,
                person_id,
                unit_id,
                household_id,
                year,
                decision_id,
            ) in AwardRecord.objects.filter(decision_id__in=ids).values_list(
                "award_type_id", "person_id", "unit_id", "household_id", "year", "decision_id"
            ):
                if person_id:
                    existing.add((award_type_id, RecipientKind.INDIVIDUAL, person_id, year, decision_id))
                elif unit_id:
                    existing.add((award_type_id, RecipientKind.COLLECTIVE, unit_id, year, decision_id))
                elif household_id:
                    existing.add((award_type_id, RecipientKind.HOUSEHOLD, household_id, year, decision_id))
        return existing

    def _recipient(self, r: _Recipient, units_by_id: dict[int, Unit]) -> int | None:
        """The id of the row's recipient, or None after recording why it cannot be found or used."""
        unit = self.units().get(r.unit_code) if r.unit_code else None
        if r.unit_code and unit is None:
            self.unit_error(r.row, "unit_code", r.unit_code, None)
            return None
        if r.kind == RecipientKind.COLLECTIVE:
            if self.unit_error(r.row, "unit_code", r.unit_code, unit):
                return None
            assert unit is not None
            return unit.pk
        if r.kind == RecipientKind.HOUSEHOLD:
            household = self.households.get(r.household_code)
            if household is None:
                self.error(
                    r.row,
                    "household_code",
                    _("Không có hộ mã «{code}» trong hệ thống.").format(code=r.household_code),
                )
                return None
            home = units_by_id[household[1]]
            return None if self.unit_error(r.row, "household_code", home.code, home) else household[0]
        if r.identity_number:
            found = self.by_number.get(r.identity_number)
            if found is None:
                self.error(r.row, "identity_number", str(_NO_PERSON_WITH_NUMBER))
                return None
            if found[1] != r.name_key:
                self.error(
                    r.row,
                    "full_name",
                    _("Họ và tên «{name}» không khớp với cá nhân có số CCCD này trong hệ thống.").format(
                        name=r.full_name
                    ),
                )
                return None
            return found[0]
        if self.unit_error(r.row, "unit_code", r.unit_code, unit):
            return None
        assert unit is not None
        candidates = self.by_name.get((r.name_key, unit.pk), [])
        if r.birth_date is not None:
            candidates = [c for c in candidates if c[1] == r.birth_date]
        if len(candidates) == 1:
            return candidates[0][0]
        if not candidates:
            born = (
                _(" có ngày sinh {date}").format(date=r.birth_date.strftime("%d/%m/%Y"))
                if r.birth_date
                else ""
            )
            message = _("Không tìm thấy cá nhân «{name}» tại đơn vị «{unit}»{born}.")
        else:
            born = "" if r.birth_date else _(" hoặc ngày sinh")
            message = _("Có {count} cá nhân «{name}» tại đơn vị «{unit}»; hãy ghi số CCCD{born} để xác định.")
        self.error(
            r.row,
            "full_name",
            message.format(count=len(candidates), name=r.full_name, unit=unit.name, born=born),
        )
        return None

    def resolve(self) -> None:
        existing = self._load()
        units_by_id = {u.pk: u for u in self.units().values()}
        recipient_ids = {ref.row: self._recipient(ref, units_by_id) for ref in self.recipients}
        seen: dict[tuple[Any, ...], int] = {}
        for r in self.parsed:
            recipient_id = recipient_ids[r.row]
            if recipient_id is None:
                continue
            key = (r.award_type.pk, r.recipient.kind, recipient_id, r.year, r.decision_key)
            if key in seen:
                self.error(
                    r.row,
                    "award",
                    _("Trùng với dòng {row} (cùng đối tượng, danh hiệu, năm và quyết định).").format(
                        row=seen[key]
                    ),
                )
                continue
            seen[key] = r.row
            decision_id = self.decisions.get(r.decision_key)
            if (r.award_type.pk, r.recipient.kind, recipient_id, r.year, decision_id) in existing:
                self.existing_rows.add(r.row)
            else:
                self.new.append(_NewAward(row=r, recipient_id=recipient_id))

    def write(self, *, batch: ImportBatch) -> dict[str, int]:
        # A decision is written once, with what the first row naming it says about its signer.
        firsts: dict[DecisionKey, _AwardRow] = {}
        for item in self.new:
            if item.row.decision_key not in self.decisions:
                firsts.setdefault(item.row.decision_key, item.row)
        decisions = []
        for r in firsts.values():
            decision = Decision(
                number=r.decision_number,
                date=r.decision_date,
                issuing_authority=r.issuing_authority,
                signer_name=r.signer_name,
                signer_title=r.signer_title,
                source=RecordSource.IMPORTED,
            )
            decision.refresh_derived()
            decisions.append(decision)
        _bulk_create(decisions, Decision, actor=self.actor, batch=batch)
        for key, decision in zip(firsts, decisions, strict=True):
            self.decisions[key] = decision.pk

        # The batch by id and the recipient field by plain string: Django re-checks a related
        # instance on every record it inserts, and an enum lookup per row adds up over 100,000 rows.
        recipient_field = {str(kind): name for kind, name in _RECIPIENT_FIELD.items()}
        decision_ids = self.decisions

        def records() -> Iterator[AwardRecord]:
            for item in self.new:
                r = item.row
                yield AwardRecord(
                    award_type_id=r.award_type.pk,
                    year=r.year,
                    kind=r.commendation_kind,
                    decision_id=decision_ids[r.decision_key],
                    reason=r.reason,
                    bonus_amount=r.bonus_amount,
                    source=RecordSource.IMPORTED,
                    import_batch_id=batch.pk,
                    **{recipient_field[r.recipient.kind]: item.recipient_id},
                )

        created = _bulk_create(records(), AwardRecord, actor=self.actor, batch=batch, on_chunk=self.wrote)
        tallies.add(AwardRecord.objects.filter(import_batch_id=batch.pk))
        return {"decisions_created": len(decisions), "awards_created": created}


ANALYSERS: dict[str, type[Analyser]] = {ImportKind.PEOPLE: PeopleAnalyser, ImportKind.AWARDS: AwardsAnalyser}
