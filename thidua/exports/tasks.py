"""The exports' background task, run by `thidua worker` (inside the request with the immediate backend)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from thidua.exports import services

logger = logging.getLogger(__name__)


@task()
def run_export_job(job_id: int) -> None:
    try:
        services.run_export(job_id=job_id)
    except Exception:
        logger.exception("Export job %s failed", job_id)
        services.export_failed(
            job_id=job_id,
            message=_("Hệ thống gặp sự cố khi xuất tệp Excel; hãy thử lại hoặc báo quản trị hệ thống."),
        )
        # Raised again: the task itself is recorded as failed, with its traceback, in the queue.
        raise
