"""Gunicorn hooks of `thidua serve`: no worker may start holding a database connection of its parent.

A connection opened before the fork (the migrations, anything run in the arbiter) is one socket shared by
every worker: with persistent connections two workers then read each other's query results. The arbiter
closes all its connections before each fork, and a worker that still finds one open refuses to start
rather than serve another process's results.
"""

from __future__ import annotations

from typing import Any


class InheritedConnection(RuntimeError):
    pass


def open_connections() -> list[str]:
    """The aliases whose database connection is open in this process."""
    from django.db import connections

    return [conn.alias for conn in connections.all(initialized_only=True) if conn.connection is not None]


def pre_fork(server: Any, worker: Any) -> None:
    from django.db import connections

    connections.close_all()


def post_fork(server: Any, worker: Any) -> None:
    inherited = open_connections()
    if inherited:
        # Never close it here: closing a shared socket from the child ends the parent's session too.
        raise InheritedConnection(f"worker started with inherited database connections: {inherited}")
