"""Excel import: a whole file is checked first, written only when the user confirms, and never twice."""

from __future__ import annotations

import dataclasses
import gc
import gzip
import hashlib
import json
import logging
import re
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.audit import audit_record
from thidua.imports import rowcache
from thidua.imports.analysis import (
    ANALYSERS,
    Analyser,
    Progress,
    Refused,
    RowError,
    analyse_rows,
    check_upload,
    read_file,
)
from thidua.imports.models import IN_PROGRESS, ImportBatch, ImportKind, ImportStatus, ImportStep
from thidua.imports.rowcache import SheetRows
from thidua.imports.templates_spec import SPECS

STORAGE_DIR = "imports"
# An uploaded file waiting for its check, named by a random id: only its batch ever reads or deletes it.
PENDING_DIR = f"{STORAGE_DIR}/pending"
# The whole error list of a rejected file with more errors than a batch keeps in itself.
ERRORS_DIR = f"{STORAGE_DIR}/errors"
# Row errors kept in the batch row itself; the page shows no more than this anyway.
INLINE_ERRORS = 1000
# How long the progress of a commit stays in the cache: far beyond any commit.
PROGRESS_TTL = 6 * 3600

logger = logging.getLogger(__name__)

__all__ = [
    "ImportRejected",
    "ImportStateError",
    "ImportValidation",
    "PreviewRow",
    "RowError",
    "UploadRefused",
    "can_manage_batch",
    "clean_file_name",
    "import_cancel",
    "import_commit",
    "import_confirm",
    "import_retry",
    "import_upload",
    "import_validate",
    "run_check",
    "run_commit",
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
    # Set when the errors are the first ones of a longer list kept elsewhere (a rejected batch).
    total_errors: int | None = None
    total_error_rows: int | None = None

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    @property
    def kind_label(self) -> str:
        return str(ImportKind(self.kind).label)

    @property
    def error_count(self) -> int:
        return len(self.errors) if self.total_errors is None else self.total_errors

    @property
    def error_row_count(self) -> int:
        if self.total_error_rows is not None:
            return self.total_error_rows
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


class UploadRefused(Exception):
    """The upload is refused at once (empty, too large, not a workbook); nothing was kept."""


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
    *,
    actor: Any,
    kind: str,
    file_name: str,
    data: bytes,
    cached: SheetRows | None = None,
    on_progress: Progress | None = None,
) -> tuple[Analyser, ImportValidation, SheetRows | None]:
    """Analyse the file, or the cells cached from these very bytes; returns the cells when read here."""
    if kind not in ANALYSERS:
        raise ValueError(f"unknown import kind {kind!r}")
    analyser = ANALYSERS[kind](actor=actor)
    analyser.on_progress = on_progress
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


def _locked_batch(
    actor: Any,
    batch: ImportBatch,
    *,
    refusal: str,
    allowed: tuple[str, ...] = (ImportStatus.VALIDATED,),
) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not can_manage_batch(actor, batch):
        raise PermissionDenied
    if batch.status not in allowed:
        raise ImportStateError(refusal.format(status=batch.get_status_display()))
    return batch


@transaction.atomic
def import_commit(*, actor: Any, batch: ImportBatch, on_progress: Progress | None = None) -> ImportBatch:
    """Write a validated batch, validating its stored file again since the registry may have changed.

    Raises ImportRejected (nothing written) if it no longer passes, ImportStateError if the batch is
    not waiting for confirmation, PermissionDenied if the actor neither uploaded it nor works
    province-wide. What is already recorded is counted as unchanged, never written twice. Run by the
    background task once the user confirmed (the batch is then "committing"), or directly.
    """
    batch = _locked_batch(
        actor,
        batch,
        refusal=_("Lần nhập này đang ở trạng thái «{status}», không thể ghi vào sổ."),
        allowed=(ImportStatus.VALIDATED, ImportStatus.COMMITTING),
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
            on_progress=on_progress,
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
    batch.progress_done = batch.progress_total = validation.row_count
    counted = [
        "row_count",
        "created_count",
        "unchanged_count",
        "moved_count",
        "progress_done",
        "progress_total",
    ]
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
        ImportBatch.objects.filter(
            file_sha256=batch.file_sha256, status__in=[ImportStatus.VALIDATED, ImportStatus.COMMITTING]
        )
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
    """Drop a batch waiting for confirmation, and its stored file unless another batch still needs it.

    A batch whose background task failed may be cancelled too.
    """
    batch = _locked_batch(
        actor,
        batch,
        refusal=_("Lần nhập này đang ở trạng thái «{status}», không thể hủy."),
        allowed=(ImportStatus.VALIDATED, ImportStatus.FAILED),
    )
    batch.status = ImportStatus.CANCELLED
    batch.save(update_fields=["status"])
    if batch.stored_file != _stored_name(batch.file_sha256):
        # The check never finished: the file is the batch's own upload, which nothing else reads.
        pending = batch.stored_file
        transaction.on_commit(lambda: default_storage.delete(pending))
        audit_record(actor=actor, action="import_cancel", target=batch, summary=batch.file_name)
        return batch
    still_needed = (
        ImportBatch.objects.filter(file_sha256=batch.file_sha256)
        .exclude(pk=batch.pk)
        .exclude(status__in=[ImportStatus.CANCELLED, ImportStatus.REJECTED])
        .exists()
    )
    if not still_needed:
        sha256 = batch.file_sha256
        # Only once the cancellation is durable: a rollback must not leave a batch without its file.
        transaction.on_commit(lambda: _delete_stored(sha256))
    _drop_rows_when_unneeded(batch)
    audit_record(actor=actor, action="import_cancel", target=batch, summary=batch.file_name)
    return batch


# --- In the background ---------------------------------------------------------------------------------
#
# Checking a file of 100,000 rows and writing it take tens of seconds: a web worker would be held all that
# time, and a few uploads at once would leave none for the other pages (issue 13). The upload is kept and
# queued; a task (thidua/imports/tasks.py, run by `thidua worker`) checks or writes it, and the batch page
# shows how far it is.


def _enqueue_check(batch: ImportBatch) -> None:
    from thidua.imports.tasks import check_import

    # Inside the caller's transaction: with the database queue, the task exists exactly when the batch does.
    check_import.enqueue(batch.pk)


def _enqueue_commit(batch: ImportBatch, actor: Any) -> None:
    from thidua.imports.tasks import commit_import

    commit_import.enqueue(batch.pk, actor.pk)


@transaction.atomic
def import_upload(*, actor: Any, kind: str, file_name: str, data: bytes) -> ImportBatch:
    """Keep an uploaded file and queue its check; returns at once with the batch, "checking".

    Raises UploadRefused, keeping nothing, for what the zip's directory already tells (empty, too large,
    not a workbook).
    """
    if kind not in ANALYSERS:
        raise ValueError(f"unknown import kind {kind!r}")
    try:
        check_upload(data)
    except Refused as refused:
        raise UploadRefused(str(refused)) from None
    name = clean_file_name(file_name)
    # In the default storage, as the kept files: the worker may run on another server than this request.
    pending = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    try:
        batch = ImportBatch.objects.create(
            kind=kind,
            file_name=name,
            file_sha256=hashlib.sha256(data).hexdigest(),
            stored_file=pending,
            status=ImportStatus.CHECKING,
            uploaded_by=actor,
            unit=getattr(actor, "unit", None),
        )
        audit_record(
            actor=actor,
            action="import_upload",
            target=batch,
            summary=f"{batch.get_kind_display()}: {name}",
            extra={"kind": kind, "file_sha256": batch.file_sha256, "bytes": len(data)},
        )
        _enqueue_check(batch)
    except BaseException:
        default_storage.delete(pending)
        raise
    return batch


@transaction.atomic
def import_confirm(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Queue the writing of a validated batch (import_commit, in the background); the batch is "committing".

    Raises ImportStateError if the batch is not waiting for confirmation, PermissionDenied as import_commit.
    """
    batch = _locked_batch(
        actor, batch, refusal=_("Lần nhập này đang ở trạng thái «{status}», không thể ghi vào sổ.")
    )
    _start(batch, ImportStatus.COMMITTING)
    cache.delete(progress_key(batch))
    audit_record(actor=actor, action="import_confirm", target=batch, summary=batch.file_name)
    _enqueue_commit(batch, actor)
    return batch


@transaction.atomic
def import_retry(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Run again the step whose task failed: the check of the upload, or the commit."""
    batch = _locked_batch(
        actor,
        batch,
        refusal=_("Lần nhập này đang ở trạng thái «{status}», không thể chạy lại."),
        allowed=(ImportStatus.FAILED,),
    )
    step = batch.failed_step
    audit_record(
        actor=actor, action="import_retry", target=batch, summary=batch.file_name, extra={"step": step}
    )
    if step == ImportStep.COMMIT:
        _start(batch, ImportStatus.COMMITTING)
        cache.delete(progress_key(batch))
        _enqueue_commit(batch, actor)
    else:
        _start(batch, ImportStatus.CHECKING)
        _enqueue_check(batch)
    return batch


def _start(batch: ImportBatch, status: str) -> None:
    batch.status = status
    batch.progress_done = batch.progress_total = 0
    batch.failed_step = batch.failure_message = batch.file_error = ""
    batch.errors = []
    batch.error_count = batch.error_row_count = 0
    batch.save(
        update_fields=[
            "status",
            "progress_done",
            "progress_total",
            "failed_step",
            "failure_message",
            "file_error",
            "errors",
            "error_count",
            "error_row_count",
        ]
    )


def progress_key(batch: ImportBatch) -> str:
    return f"imports:commit-progress:{batch.pk}:{batch.file_sha256}"


def commit_progress(batch: ImportBatch) -> dict[str, Any] | None:
    """How far the commit of a batch is, as its task last said: {"phase", "done", "total"}."""
    found = cache.get(progress_key(batch))
    return found if isinstance(found, dict) else None


def _check_reporter(batch_pk: int) -> Progress:
    # The check writes nothing else, so each report is committed at once and the page sees it.
    def report(phase: str, done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch_pk).update(progress_done=done, progress_total=total)

    return report


def _commit_reporter(batch: ImportBatch) -> Progress:
    # The commit is one transaction: what it wrote to the batch would show only at its end. The cache (a
    # folder on one machine, Redis for several) is shared by the worker and the web servers.
    key = progress_key(batch)

    def report(phase: str, done: int, total: int) -> None:
        cache.set(key, {"phase": phase, "done": done, "total": total}, PROGRESS_TTL)

    return report


def _errors_file_name(batch: ImportBatch) -> str:
    return f"{ERRORS_DIR}/{batch.pk}-{uuid.uuid4().hex}.json.gz"


def _keep_errors(batch: ImportBatch, errors: list[RowError]) -> dict[str, Any]:
    """The fields of a batch that keep a list of row errors: the first ones inline, all in a file if more."""
    fields: dict[str, Any] = {
        "errors": [dataclasses.asdict(e) for e in errors[:INLINE_ERRORS]],
        "error_count": len(errors),
        "error_row_count": len({e.row for e in errors}),
        "errors_file": "",
    }
    if len(errors) > INLINE_ERRORS:
        body = gzip.compress(json.dumps([dataclasses.astuple(e) for e in errors]).encode())
        fields["errors_file"] = default_storage.save(_errors_file_name(batch), ContentFile(body))
    return fields


def run_check(*, batch_id: int) -> None:
    """Check an uploaded file (the task check_import): the batch ends "validated" or "rejected".

    What a validated file needs for its commit is kept as import_validate keeps it; a rejected file is
    deleted and only the errors are kept. Raises on an unexpected failure (the task marks the batch failed).
    """
    batch = ImportBatch.objects.select_related("uploaded_by").filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.CHECKING:
        logger.info("Import batch %s is no longer being checked; nothing to do.", batch_id)
        return
    try:
        with default_storage.open(batch.stored_file, "rb") as handle:
            data = bytes(handle.read())
    except FileNotFoundError:
        raise ImportStateError(_("Không còn tệp đã tải lên; hãy tải tệp lên lại.")) from None
    with _collector_paused():
        _analyser, result, sheet = _analyse(
            actor=batch.uploaded_by,
            kind=batch.kind,
            file_name=batch.file_name,
            data=data,
            on_progress=_check_reporter(batch.pk),
        )
        if result.ok:
            assert sheet is not None
            _finish_validated(batch, result, sheet, data)
        else:
            _finish_rejected(batch, result)


def _finish_rejected(batch: ImportBatch, result: ImportValidation) -> None:
    fields = _keep_errors(batch, result.errors)
    done = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKING).update(
        status=ImportStatus.REJECTED,
        file_error=result.file_error,
        row_count=result.row_count,
        stored_file="",
        **fields,
    )
    if not done and fields["errors_file"]:
        default_storage.delete(fields["errors_file"])
    # A file with errors is not kept (the report is): its state is saved first, so no batch points at it.
    default_storage.delete(batch.stored_file)


def _finish_validated(batch: ImportBatch, result: ImportValidation, sheet: SheetRows, data: bytes) -> None:
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 != batch.file_sha256:
        raise ImportStateError(_("Tệp đã lưu bị thay đổi; hãy tải tệp lên lại."))
    written = _store(sha256, data)
    try:
        _store_rows(sha256, batch.kind, sheet)
        done = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKING).update(
            status=ImportStatus.VALIDATED,
            stored_file=_stored_name(sha256),
            row_count=result.row_count,
            # What the commit is expected to do; the commit sets what it did.
            created_count=result.new_count,
            unchanged_count=result.existing_count,
            moved_count=result.moved_count,
            progress_done=result.row_count,
            progress_total=result.row_count,
            preview=[dataclasses.asdict(p) for p in result.preview],
        )
        if not done:
            raise ImportStateError(f"import batch {batch.pk} left the checking state during its check")
    except BaseException:
        if written:
            _delete_stored(sha256)
            _rows_path(sha256).unlink(missing_ok=True)
        raise
    default_storage.delete(batch.stored_file)


def run_commit(*, batch_id: int, user_id: int) -> None:
    """Write a confirmed batch (the task commit_import) with import_commit.

    If the file no longer passes (the registry changed), the batch waits for confirmation again with the
    errors found. Raises on an unexpected failure (the task marks the batch failed).
    """
    from thidua.accounts.models import User

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != ImportStatus.COMMITTING:
        logger.info("Import batch %s is no longer being committed; nothing to do.", batch_id)
        return
    actor = User.objects.get(pk=user_id)
    try:
        import_commit(actor=actor, batch=batch, on_progress=_commit_reporter(batch))
    except ImportRejected as rejected:
        validation = rejected.validation
        ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.COMMITTING).update(
            status=ImportStatus.VALIDATED,
            file_error=validation.file_error,
            **_keep_errors(batch, validation.errors),
        )
    finally:
        cache.delete(progress_key(batch))


def import_failed(*, batch_id: int, step: str, message: str) -> None:
    """Record that the task working on a batch failed; what it did was rolled back or never kept."""
    ImportBatch.objects.filter(pk=batch_id, status__in=IN_PROGRESS).update(
        status=ImportStatus.FAILED, failed_step=step, failure_message=message
    )
