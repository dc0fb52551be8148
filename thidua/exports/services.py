"""Writes of the background exports: queue a job, run it (in the worker), record its failure."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from thidua.core.audit import audit_record
from thidua.core.xlsx import write_xlsx
from thidua.exports import registry
from thidua.exports.models import ExportJob, ExportStatus

PROGRESS_EVERY = 1000


@transaction.atomic
def export_job_create(*, actor: Any, kind: str, params: dict[str, Any], rows_total: int | None) -> ExportJob:
    from thidua.exports.tasks import run_export_job

    if kind not in registry.BUILDERS:
        raise ValueError(kind)
    waiting = (
        ExportJob.objects.filter(owner=actor, kind=kind, params=params, status=ExportStatus.QUEUED)
        .order_by("-pk")
        .first()
    )
    if waiting is not None:
        # The same list asked for again before the worker has begun the first request's job: that job reads
        # the data after this request too, so its file is what a second one would hold. A double click, or
        # an officer asking again while the queue is long, adds no work to the worker. A running job is not
        # joined: it may have read rows before this request.
        return waiting
    job = ExportJob.objects.create(owner=actor, kind=kind, params=params, rows_total=rows_total)
    audit_record(actor=actor, action="export_queue", target=job, summary=kind, extra={"params": params})
    # Inside the transaction: with the database queue, the task exists exactly when the job does.
    run_export_job.enqueue(job.pk)
    return job


def _counted(job_id: int, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job_id).update(rows_done=done)
    ExportJob.objects.filter(pk=job_id).update(rows_done=done)


def export_files_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the files of exports finished more than THIDUA_EXPORT_KEEP_DAYS ago; the jobs stay, marked
    expired. Answers how many files were deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.THIDUA_EXPORT_KEEP_DAYS)
    pruned = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, finished_at__lt=cutoff).order_by("pk"):
        with transaction.atomic():
            # The row first, then the file: a crash between them leaves a file nobody can download, which
            # the next prune cannot see, rather than a job offering a file that is gone.
            name = job.file.name
            ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).update(
                status=ExportStatus.EXPIRED, file=""
            )
            audit_record(
                actor=None, action="export_expire", target=job, summary=job.filename, extra={"file": name}
            )
            if name:
                transaction.on_commit(functools.partial(default_storage.delete, name))
        pruned += 1
    return pruned


def run_export(*, job_id: int) -> ExportJob:
    """The worker's part: the owner's list, rebuilt from the job's filters, written to the default storage."""
    export_files_prune()
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    ExportJob.objects.filter(pk=job_id).update(status=ExportStatus.RUNNING)
    params = QueryDict(mutable=True)
    for key, values in job.params.items():
        params.setlist(key, values)
    spec = registry.builder(job.kind)(job.owner, params)
    ExportJob.objects.filter(pk=job_id).update(rows_total=spec.total, title=spec.title)
    with tempfile.TemporaryFile() as spool:
        write_xlsx(
            spool,
            title=spec.title,
            headers=spec.headers,
            rows=_counted(job_id, spec.rows),
            widths=spec.widths,
        )
        spool.seek(0)
        job.refresh_from_db()
        job.file.save(f"{job.pk}-{spec.filename}", File(spool), save=False)
    job.filename = spec.filename
    job.status = ExportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "filename", "status", "finished_at"])
    return job


def export_failed(*, job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.FAILED, message=message, finished_at=timezone.now()
    )
