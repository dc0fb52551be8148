"""The imports' background tasks, run by `thidua worker` (inside the request with the immediate backend)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from thidua.imports import services
from thidua.imports.models import ImportStep

logger = logging.getLogger(__name__)


def _failed(batch_id: int, step: str, problem: Exception) -> None:
    if isinstance(problem, services.ImportStateError):
        # A state the user can act on (the file is gone): its own message, no stack trace needed.
        logger.warning("Import batch %s: %s failed: %s", batch_id, step, problem)
        message = str(problem)
    else:
        logger.exception("Import batch %s: %s failed", batch_id, step)
        message = (
            _("Hệ thống gặp sự cố khi kiểm tra tệp; chưa có gì được ghi vào sổ.")
            if step == ImportStep.CHECK
            else _("Hệ thống gặp sự cố khi ghi vào sổ; chưa có gì được ghi.")
        )
        message += " " + _("Hãy thử lại; nếu vẫn không được, hãy báo quản trị hệ thống.")
    services.import_failed(batch_id=batch_id, step=step, message=message)


@task()
def check_import(batch_id: int) -> None:
    try:
        services.run_check(batch_id=batch_id)
    except Exception as problem:
        _failed(batch_id, ImportStep.CHECK, problem)
        # Raised again: the task itself is recorded as failed, with its traceback, in the queue.
        raise


@task()
def commit_import(batch_id: int, user_id: int) -> None:
    try:
        services.run_commit(batch_id=batch_id, user_id=user_id)
    except Exception as problem:
        _failed(batch_id, ImportStep.COMMIT, problem)
        raise
