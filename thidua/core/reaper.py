"""Background tasks left "running" by a worker that died mid-task (killed, out of memory, the machine
restarted): the task queue would show them running for ever, and so would the import's or export's page.

`thidua worker` calls `reap_abandoned_tasks` when it starts, before it takes a task. It looks only at tasks
claimed by a worker of this machine (the worker id is `<host>-<pid>`, thidua/core/management/commands/
worker.py) whose process is gone: a worker on another server, or one still alive here, is never touched.
The import or export is marked failed with a message that says so; an import's writing is one transaction,
so nothing of it was kept, and the officer can run it again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from thidua.core.audit import audit_record


class WorkerStopped(RuntimeError):
    """Recorded on the task: its worker stopped before the task finished."""


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        # The id of a dead worker that this process happens to reuse.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        # Another user's process: alive, and not ours to judge.
        return True
    return True


def _dead_local_worker(worker_ids: list[str], host: str, alive: Callable[[int], bool]) -> str | None:
    if not worker_ids:
        return None
    worker = worker_ids[-1]
    name, _sep, pid = worker.rpartition("-")
    # A worker id cut at 64 characters may have lost digits of its pid: left alone.
    if name != host or not pid.isdigit() or len(worker) >= 64:
        return None
    return None if alive(int(pid)) else worker


def _fail_owner(result: DBTaskResult) -> None:
    from thidua.exports.services import export_failed
    from thidua.exports.tasks import run_export_job
    from thidua.imports.models import ImportStep
    from thidua.imports.services import import_failed
    from thidua.imports.tasks import check_import, commit_import

    args: list[Any] = list(result.args_kwargs.get("args", []))
    if not args:
        return
    # The tasks' own paths, not copies of them: a renamed task is still recognised.
    if result.task_path == run_export_job.module_path:
        export_failed(
            job_id=args[0],
            message=_("Việc xuất tệp bị ngắt giữa chừng vì tiến trình chạy nền đã dừng; hãy xuất lại."),
        )
        return
    step = {
        check_import.module_path: ImportStep.CHECK,
        commit_import.module_path: ImportStep.COMMIT,
    }.get(result.task_path)
    if step is not None:
        import_failed(
            batch_id=args[0],
            step=step,
            message=_(
                "Tác vụ bị ngắt giữa chừng vì tiến trình chạy nền đã dừng; chưa có gì được ghi vào sổ. "
                "Hãy thử lại."
            ),
        )


def reap_abandoned_tasks(*, host: str, alive: Callable[[int], bool] = pid_alive) -> int:
    """Mark failed every task a dead worker of `host` left running, and the import or export it served.
    Answers how many."""
    reaped = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by("enqueued_at"):
        worker = _dead_local_worker(list(result.worker_ids or []), host, alive)
        if worker is None:
            continue
        with transaction.atomic():
            locked = DBTaskResult.objects.select_for_update().filter(
                pk=result.pk, status=TaskResultStatus.RUNNING
            )
            current = locked.first()
            if current is None:
                continue
            current.set_failed(WorkerStopped(f"worker {worker} stopped"))
            _fail_owner(current)
            audit_record(
                actor=None,
                action="task_abandoned",
                target=current,
                summary=current.task_path,
                extra={"worker": worker, "args": current.args_kwargs.get("args", [])},
            )
        reaped += 1
    return reaped
