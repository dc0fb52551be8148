"""What the product creates on disk is its own user's only (issue 13, item 7): the data folder 0700, the
SQLite file (and so its -wal and -shm files) 0600, the secret key 0600, uploads 0600 in folders 0700."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_installation_creates_its_folder_database_and_key_for_the_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "du-lieu"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "THIDUA_SECRET_KEY")}
    env.update({"THIDUA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "thidua.settings"})
    script = (
        "import os; os.umask(0o022); import django; django.setup();"
        "from django.db import connection; connection.cursor().execute('CREATE TABLE t (x)')"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)
    assert _mode(home) == 0o700
    assert _mode(home / "thidua.sqlite3") == 0o600
    assert _mode(home / "secret_key") == 0o600
    for journal in home.glob("thidua.sqlite3-*"):
        assert _mode(journal) == 0o600, journal


@pytest.mark.django_db
def test_an_upload_is_written_for_the_owner_only(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    old = os.umask(0o022)
    try:
        name = default_storage.save("ho-so/2026/minh-chung.pdf", ContentFile(b"%PDF-1.4 x"))
    finally:
        os.umask(old)
    path = Path(default_storage.path(name))
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
