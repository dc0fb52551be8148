"""`thidua worker`: runs the background tasks (imports, large exports) queued in the database."""

from __future__ import annotations

import os
import socket
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from thidua.core.reaper import reap_abandoned_tasks


class Command(DatabaseWorkerCommand):
    help = (
        "Chạy các tác vụ nền (kiểm tra và ghi tệp nhập dữ liệu) đang chờ trong cơ sở dữ liệu, "
        "cho đến khi bị dừng. Cùng các tùy chọn với db_worker của django-tasks-db."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(
            # Never reloads on code changes, whatever DEBUG says: a reload would cut a running import short.
            reload=False,
            # A name that says where the worker runs, in the queue's table, unique across several servers.
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.THIDUA_WORKER_NICE > 0 and hasattr(os, "nice"):
            # Below the web workers in the CPU's queue: an officer's page is answered before the next rows of
            # a large import or export are written; on an idle machine the task runs as fast as before.
            os.nice(settings.THIDUA_WORKER_NICE)
        # Tasks a dead worker of this machine left "running" are marked failed before new ones are taken.
        reap_abandoned_tasks(host=socket.gethostname())
        super().handle(*args, **options)
