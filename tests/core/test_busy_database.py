"""A database that stays locked past the busy timeout is a 503 with a Vietnamese message and Retry-After,
never a 500 (issue 13, finding 4); SQLite runs in WAL mode with a busy timeout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import reverse

from thidua.accounts.tokens import token_create
from thidua.core.middleware import server_error
from thidua.movements import selectors

pytestmark = pytest.mark.django_db

BUSY = "Hệ thống đang bận, vui lòng thử lại sau ít phút."


def _locked(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("database is locked")


def _broken(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("no such table: movements_movement")


def test_a_page_answers_503_when_the_database_stays_locked(
    users: dict, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "movement_list", _locked)
    response = client_for(users["specialist"]).get(reverse("movements:list"))
    assert response.status_code == 503
    assert BUSY in response.content.decode()
    assert response["Retry-After"] == "30"


def test_the_api_answers_a_json_503(users: dict, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "movement_list", _locked)
    _token, raw = token_create(actor=None, user=users["specialist"], name="kiểm thử")
    response = client.get("/api/movements", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 503
    assert response.json() == {"detail": BUSY, "code": "busy"}
    assert response["Retry-After"] == "30"


def test_other_database_errors_are_not_disguised_as_busy(
    users: dict, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "movement_list", _broken)
    with pytest.raises(OperationalError, match="no such table"):
        client_for(users["specialist"]).get(reverse("movements:list"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_immediate_writes(tmp_path: Path) -> None:
    # The test database lives in memory, where WAL does not apply: open a file with the same settings.
    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "thidua.sqlite3")}
    wrapper = DatabaseWrapper(settings_dict, alias="wal_probe")
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_a_lock_met_outside_a_view_is_a_503_too(rf: Any) -> None:
    request = rf.get("/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        busy = server_error(request)
    assert busy.status_code == 503 and BUSY in busy.content.decode()
    try:
        raise ValueError("boom")
    except ValueError:
        failed = server_error(request)
    assert failed.status_code == 500 and "Lỗi hệ thống" in failed.content.decode()
