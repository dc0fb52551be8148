"""`thidua serve` never lets a gunicorn worker inherit its parent's database connection, and PostgreSQL
connections persist by default (issue: with persistent connections, workers sharing one inherited socket
read each other's query results)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from thidua import gunicorn_conf

PYTHON = sys.executable

# Runs `thidua serve` up to the moment gunicorn would fork, and reports the connections still open then.
_PROBE = """
import json, sys
from gunicorn.app.wsgiapp import WSGIApplication
from thidua import cli, gunicorn_conf

def run(self):
    print("OPEN=" + json.dumps(gunicorn_conf.open_connections()))
    print("CONFIG=" + json.dumps(sys.argv))

WSGIApplication.run = run
cli.main(["serve", "--port", "1"])
"""


def _value(output: str, key: str) -> Any:
    line = next(line for line in output.splitlines() if line.startswith(key + "="))
    return json.loads(line.split("=", 1)[1])


def test_serve_hands_gunicorn_no_open_connection_and_its_fork_hooks(fresh_env: dict[str, str]) -> None:
    result = subprocess.run(
        [PYTHON, "-c", _PROBE], env=fresh_env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    # The migrations ran on a connection of this process; none may be open when the workers fork.
    assert _value(result.stdout, "OPEN") == []
    argv = _value(result.stdout, "CONFIG")
    assert argv[argv.index("--config") + 1] == "python:thidua.gunicorn_conf"


@pytest.mark.django_db
def test_a_worker_refuses_to_start_with_an_inherited_connection() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert gunicorn_conf.open_connections() == ["default"]
    with pytest.raises(gunicorn_conf.InheritedConnection):
        gunicorn_conf.post_fork(None, None)
    # Refusing must not close the socket: in a real child that would end the parent's session.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_the_arbiter_closes_its_connections_before_each_fork(fresh_env: dict[str, str]) -> None:
    probe = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'thidua.settings'; django.setup()\n"
        "from django.db import connection\n"
        "from thidua import gunicorn_conf\n"
        "connection.cursor().execute('SELECT 1')\n"
        "before = gunicorn_conf.open_connections()\n"
        "gunicorn_conf.pre_fork(None, None)\n"
        "gunicorn_conf.post_fork(None, None)\n"
        "print(before, gunicorn_conf.open_connections())\n"
    )
    result = subprocess.run([PYTHON, "-c", probe], env=fresh_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] []"


@pytest.mark.parametrize(
    ("url", "max_age"),
    [
        ("postgres://postgres@127.0.0.1:5432/thidua", 600),
        ("postgres://postgres@127.0.0.1:5432/thidua?conn_max_age=30", 30),
        ("postgres://postgres@127.0.0.1:5432/thidua?conn_max_age=0", 0),
    ],
)
def test_postgresql_connections_persist_by_default_with_health_checks(
    fresh_env: dict[str, str], url: str, max_age: int
) -> None:
    probe = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'thidua.settings'; django.setup()\n"
        "from django.conf import settings\n"
        "db = settings.DATABASES['default']\n"
        "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])\n"
    )
    env = dict(fresh_env, DATABASE_URL=url)
    result = subprocess.run([PYTHON, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(max_age), "True"]


def test_workers_default_to_the_cores_plus_one_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    from thidua import cli

    monkeypatch.delenv("THIDUA_WORKERS", raising=False)
    monkeypatch.setattr(cli.os, "cpu_count", lambda: 2)
    assert cli.default_workers() == 3
    monkeypatch.setattr(cli.os, "cpu_count", lambda: None)
    assert cli.default_workers() == 2
    monkeypatch.setenv("THIDUA_WORKERS", "6")
    assert cli.default_workers() == 6
    monkeypatch.setenv("THIDUA_WORKERS", "không")
    assert cli.default_workers() == 2


# Runs `thidua serve` with gunicorn replaced by a wait for the background worker serve started beside it.
_WORKER_PROBE = """
import json, subprocess, sys
from gunicorn.app.wsgiapp import WSGIApplication
from thidua import cli, gunicorn_conf

started = []
real_start = cli.start_worker

def start(**popen):
    started.append(gunicorn_conf.open_connections())
    process = real_start(stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started.append(process)
    return process

def run(self):
    # gunicorn would serve now; the worker must be up: it says so once it polls the queue.
    for line in started[1].stdout:
        if "Starting worker" in line:
            print("READY=true")
            break
    raise SystemExit(0)

cli.start_worker = start
WSGIApplication.run = run
try:
    cli.main(["serve", "--port", "1", *sys.argv[1:]])
except SystemExit:
    pass
print("OPEN=" + json.dumps(started[0] if started else None))
print("ENDED=" + json.dumps(started[1].returncode if started else None))
"""


def test_serve_runs_one_worker_beside_gunicorn_and_stops_it(fresh_env: dict[str, str]) -> None:
    result = subprocess.run(
        [PYTHON, "-c", _WORKER_PROBE], env=fresh_env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "READY=true" in result.stdout, result.stdout + result.stderr
    # Started after the migrations' connection was closed, and ended (by SIGTERM, gracefully) with serve.
    assert _value(result.stdout, "OPEN") == []
    assert _value(result.stdout, "ENDED") == 0


@pytest.mark.parametrize(("argv", "env"), [(["--no-worker"], {}), ([], {"THIDUA_RUN_WORKER": "false"})])
def test_several_servers_run_no_worker_beside_gunicorn(
    fresh_env: dict[str, str], argv: list[str], env: dict[str, str]
) -> None:
    probe = _WORKER_PROBE.replace("    for line in started[1].stdout:", "    for line in []:")
    result = subprocess.run(
        [PYTHON, "-c", probe, *argv], env={**fresh_env, **env}, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert _value(result.stdout, "OPEN") is None and _value(result.stdout, "ENDED") is None


@pytest.mark.parametrize(
    ("extra", "prepared"),
    [
        ({}, "True 5"),
        ({"THIDUA_PGBOUNCER": "true"}, "None None"),
        ({"THIDUA_PGBOUNCER": "true", "THIDUA_PG_PREPARED": "true"}, "True 5"),
        ({"THIDUA_PG_PREPARED": "false"}, "None None"),
    ],
)
def test_postgresql_prepares_repeated_queries_unless_behind_pgbouncer(
    fresh_env: dict[str, str], extra: dict[str, str], prepared: str
) -> None:
    probe = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'thidua.settings'; django.setup()\n"
        "from django.conf import settings\n"
        "options = settings.DATABASES['default'].get('OPTIONS', {})\n"
        "print(options.get('server_side_binding'), options.get('prepare_threshold'))\n"
    )
    env = dict(fresh_env, DATABASE_URL="postgres://postgres@127.0.0.1:5432/thidua", **extra)
    result = subprocess.run([PYTHON, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == prepared


@pytest.mark.django_db
def test_on_postgresql_a_query_repeated_on_a_connection_is_prepared_there() -> None:
    from django.db import connection

    from thidua.organisation.models import Unit

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no prepared statements to look at")
    for _ in range(6):
        list(Unit.objects.filter(name__startswith="Sở").values_list("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('"organisation_unit"' in s and "LIKE" in s for s in statements), statements
