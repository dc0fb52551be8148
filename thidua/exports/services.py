"""Writes of the background exports: queue a job, run it (in the worker), record its failure."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.files import File
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


def run_export(*, job_id: int) -> ExportJob:
    """The worker's part: the owner's list, rebuilt from the job's filters, written to the default storage."""
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
