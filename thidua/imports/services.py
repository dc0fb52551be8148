"""Excel import: a whole file is checked first, written only when the user confirms, and never twice."""

from __future__ import annotations

import gc
import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.audit import audit_record
from thidua.imports import rowcache
from thidua.imports.analysis import ANALYSERS, Analyser, Refused, RowError, analyse_rows, read_file
from thidua.imports.models import ImportBatch, ImportKind, ImportStatus
from thidua.imports.rowcache import SheetRows
from thidua.imports.templates_spec import SPECS

STORAGE_DIR = "imports"

logger = logging.getLogger(__name__)

__all__ = [
    "ImportRejected",
    "ImportStateError",
    "ImportValidation",
    "PreviewRow",
    "RowError",
    "can_manage_batch",
    "clean_file_name",
    "import_cancel",
    "import_commit",
    "import_validate",
]


@dataclass(frozen=True)
class PreviewRow:
    row: int
    values: list[str]
    is_new: bool
    is_moved: bool = False


@dataclass
class ImportValidation:
    kind: str
    file_name: str
    headers: list[str]
    file_error: str = ""
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0
    new_count: int = 0
    existing_count: int = 0
    # Rows that move a person already present to another unit.
    moved_count: int = 0
    preview: list[PreviewRow] = field(default_factory=list)
    batch: ImportBatch | None = None
    # The earlier commit of the very same file, if any: committing it again creates nothing.
    previous_commit: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    @property
    def kind_label(self) -> str:
        return str(ImportKind(self.kind).label)

    @property
    def error_row_count(self) -> int:
        return len({e.row for e in self.errors})


class ImportRejected(Exception):
    """The stored file no longer passes validation (the registry changed since); nothing was written."""

    def __init__(self, validation: ImportValidation) -> None:
        super().__init__(
            validation.file_error or _("Tệp có {count} lỗi.").format(count=len(validation.errors))
        )
        self.validation = validation


class ImportStateError(Exception):
    """The batch is not waiting for confirmation (already committed or cancelled), or its file is gone."""


_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def clean_file_name(name: str) -> str:
    """The name shown to users: its last path part, without control characters, at most 200 characters.

    It is only ever displayed; the stored copy is named by the file's sha256.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE_NAME_CHARS.sub("", base).strip() or "tep"
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = stem[: 199 - len(ext)] + dot + ext if dot and len(ext) <= 5 else base[:200]
    return base


def _stored_name(sha256: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a sha256 digest")
    return f"{STORAGE_DIR}/{sha256}.xlsx"


def _rows_path(sha256: str) -> Path:
    # The cells read from a file are a cache beside this server's media folder, never in the shared store: a
    # commit on another application server that finds none parses the kept file again.
    return (Path(settings.MEDIA_ROOT) / _stored_name(sha256)).with_suffix(".rows.jsonl.gz")


def _store(sha256: str, data: bytes) -> bool:
    """Keep the validated file for the commit; True if this call wrote it (the same file may be kept).

    The kept file is in the default storage (a folder, or the object store several servers share), so the
    commit may run on another server than the check.
    """
    name = _stored_name(sha256)
    if default_storage.exists(name):
        return False
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        # The same file checked at the same moment by another request: its copy is the kept one.
        default_storage.delete(saved)
        return False
    return True


def _read_stored(sha256: str) -> bytes:
    with default_storage.open(_stored_name(sha256), "rb") as handle:
        return bytes(handle.read())


def _delete_stored(sha256: str) -> None:
    default_storage.delete(_stored_name(sha256))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a file is analysed and written.

    The rows of a file become hundreds of thousands of objects that live until the end and form no
    cycles, yet each collection of the oldest generation walks them all again: for 100,000 rows,
    about a fifth of the time. Whatever does form a cycle is collected once the collector is back.
    The switch is per process: other threads, if any, only hold their garbage cycles a little longer.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyse(
    *, actor: Any, kind: str, file_name: str, data: bytes, cached: SheetRows | None = None
) -> tuple[Analyser, ImportValidation, SheetRows | None]:
    """Analyse the file, or the cells cached from these very bytes; returns the cells when read here."""
    if kind not in ANALYSERS:
        raise ValueError(f"unknown import kind {kind!r}")
    analyser = ANALYSERS[kind](actor=actor)
    result = ImportValidation(kind=kind, file_name=file_name, headers=SPECS[kind].headers)
    sheet = None
    try:
        if cached is None:
            sheet = read_file(analyser=analyser, file_name=file_name, data=data)
        else:
            analyse_rows(analyser=analyser, file_name=file_name, data=data, sheet=cached)
    except Refused as refused:
        result.file_error = str(refused)
        return analyser, result, None
    result.errors = sorted(analyser.errors, key=lambda e: e.row)
    result.row_count = analyser.row_count
    result.new_count = analyser.new_count
    result.existing_count = len(analyser.existing_rows)
    result.moved_count = len(analyser.moved_rows)
    unchanged = analyser.existing_rows | analyser.moved_rows
    result.preview = [
        PreviewRow(row=row, values=values, is_new=row not in unchanged, is_moved=row in analyser.moved_rows)
        for row, values in analyser.preview
    ]
    return analyser, result, sheet


def _store_rows(sha256: str, kind: str, sheet: SheetRows) -> None:
    """Keep the cells read from the file for the commit, which can do without them if this fails."""
    try:
        rowcache.dump(_rows_path(sha256), sha256=sha256, kind=kind, columns=SPECS[kind].keys, sheet=sheet)
    except (OSError, ValueError, TypeError) as problem:
        logger.warning("Import row cache for %s not written: %s", sha256, problem)


def _cached_rows(batch: ImportBatch) -> SheetRows | None:
    return rowcache.load_or_none(
        _rows_path(batch.file_sha256),
        sha256=batch.file_sha256,
        kind=batch.kind,
        columns=SPECS[batch.kind].keys,
    )


def import_validate(*, actor: Any, kind: str, file_name: str, data: bytes) -> ImportValidation:
    """Check a whole uploaded file; only a file without a single error is kept, as a validated batch.

    On any error nothing is stored, neither in the database nor on disk.
    """
    name = clean_file_name(file_name)
    with _collector_paused():
        _analyser, result, sheet = _analyse(actor=actor, kind=kind, file_name=name, data=data)
        if not result.ok:
            return result
        assert sheet is not None
        sha256 = hashlib.sha256(data).hexdigest()
        result.previous_commit = (
            ImportBatch.objects.filter(kind=kind, file_sha256=sha256, status=ImportStatus.COMMITTED)
            .order_by("committed_at")
            .first()
        )
        written = _store(sha256, data)
        try:
            # Rewritten even when another batch of the same file left one: then it is surely current.
            _store_rows(sha256, kind, sheet)
            result.batch = ImportBatch.objects.create(
                kind=kind,
                file_name=name,
                file_sha256=sha256,
                stored_file=_stored_name(sha256),
                row_count=result.row_count,
                status=ImportStatus.VALIDATED,
                uploaded_by=actor,
                unit=getattr(actor, "unit", None),
            )
        except BaseException:
            if written:
                # No other batch has this file, so none needs its cells either.
                _delete_stored(sha256)
                _rows_path(sha256).unlink(missing_ok=True)
            raise
    return result


def can_manage_batch(user: Any, batch: ImportBatch) -> bool:
    """Only the uploader, or someone working province-wide, may confirm or cancel a batch."""
    return bool(getattr(user, "is_authenticated", False)) and (
        batch.uploaded_by_id == user.pk or bool(user.is_province_wide)
    )


def _locked_batch(actor: Any, batch: ImportBatch, *, refusal: str) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not can_manage_batch(actor, batch):
        raise PermissionDenied
    if batch.status != ImportStatus.VALIDATED:
        raise ImportStateError(refusal.format(status=batch.get_status_display()))
    return batch


@transaction.atomic
def import_commit(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Write a validated batch, validating its stored file again since the registry may have changed.

    Raises ImportRejected (nothing written) if it no longer passes, ImportStateError if the batch is
    not waiting for confirmation, PermissionDenied if the actor neither uploaded it nor works
    province-wide. What is already recorded is counted as unchanged, never written twice.
    """
    batch = _locked_batch(
        actor, batch, refusal=_("Lần nhập này đang ở trạng thái «{status}», không thể ghi vào sổ.")
    )
    try:
        data = _read_stored(batch.file_sha256)
    except (FileNotFoundError, OSError):
        raise ImportStateError(_("Không còn tệp đã tải lên; hãy tải tệp lên lại.")) from None
    if hashlib.sha256(data).hexdigest() != batch.file_sha256:
        raise ImportStateError(_("Tệp đã lưu bị thay đổi; hãy tải tệp lên lại."))
    with _collector_paused():
        # The cells cached at validation spare parsing the workbook again; every check still runs on
        # them. Without a usable cache, the file itself is read.
        analyser, validation, _sheet = _analyse(
            actor=actor,
            kind=batch.kind,
            file_name=batch.file_name,
            data=data,
            cached=_cached_rows(batch),
        )
        if not validation.ok:
            raise ImportRejected(validation)
        counts = analyser.write(batch=batch)
    batch.status = ImportStatus.COMMITTED
    batch.row_count = validation.row_count
    batch.created_count = validation.new_count
    batch.unchanged_count = validation.existing_count
    batch.moved_count = validation.moved_count
    batch.committed_at = timezone.now()
    counted = ["row_count", "created_count", "unchanged_count", "moved_count"]
    batch.save(update_fields=["status", *counted, "committed_at"])
    audit_record(
        actor=actor,
        action="import_commit",
        target=batch,
        summary=f"{batch.get_kind_display()}: {batch.file_name}",
        extra={
            "kind": batch.kind,
            "file_sha256": batch.file_sha256,
            "rows": batch.row_count,
            "created": batch.created_count,
            "unchanged": batch.unchanged_count,
            "moved": batch.moved_count,
            **counts,
        },
    )
    _drop_rows_when_unneeded(batch)
    return batch


def _drop_rows_when_unneeded(batch: ImportBatch) -> None:
    """Remove the cached cells once no batch waits for confirmation of the same file."""
    waiting = (
        ImportBatch.objects.filter(file_sha256=batch.file_sha256, status=ImportStatus.VALIDATED)
        .exclude(pk=batch.pk)
        .exists()
    )
    if not waiting:
        path = _rows_path(batch.file_sha256)
        # Only once durable: after a rollback the batch still waits, and its cache still serves it.
        # Removed too early (the same file validated again meanwhile), it costs that batch's commit
        # one parse of the file, nothing more.
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


@transaction.atomic
def import_cancel(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Drop a batch waiting for confirmation, and its stored file unless another batch still needs it."""
    batch = _locked_batch(
        actor, batch, refusal=_("Lần nhập này đang ở trạng thái «{status}», không thể hủy.")
    )
    batch.status = ImportStatus.CANCELLED
    batch.save(update_fields=["status"])
    still_needed = (
        ImportBatch.objects.filter(file_sha256=batch.file_sha256)
        .exclude(pk=batch.pk)
        .exclude(status=ImportStatus.CANCELLED)
        .exists()
    )
    if not still_needed:
        sha256 = batch.file_sha256
        # Only once the cancellation is durable: a rollback must not leave a batch without its file.
        transaction.on_commit(lambda: _delete_stored(sha256))
    _drop_rows_when_unneeded(batch)
    audit_record(actor=actor, action="import_cancel", target=batch, summary=batch.file_name)
    return batch
