from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def fresh_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a new installation: its own home folder and SQLite file."""
    env = dict(os.environ)
    env["THIDUA_HOME"] = str(tmp_path)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env
