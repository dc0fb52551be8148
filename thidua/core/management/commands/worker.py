"""`thidua worker`: runs the background tasks (imports) queued in the database, until stopped."""

from __future__ import annotations

import os
import socket
from argparse import ArgumentParser

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


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
