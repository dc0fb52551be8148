"""`thidua backup` and `thidua restore` (issue 13, "Backup and restore"): a round trip into a new, empty
installation gives back every table's rows, every uploaded file's bytes and the secret key; a corrupted
archive or a non-empty installation is refused with nothing written.

Each installation is a separate process with its own THIDUA_HOME (and, on PostgreSQL, its own scratch
database), as an operator would run the commands."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

BUILD = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from tests.factories import make_authority, make_award, make_person, make_unit, make_user
from thidua.accounts.models import Role
from thidua.organisation.models import UnitKind
ubnd = make_unit("UBND tỉnh Lai Châu", kind=UnitKind.PROVINCIAL_COMMITTEE)
make_authority(ubnd)
health = make_unit("Sở Y tế", parent=ubnd)
school = make_unit("Sở Giáo dục và Đào tạo", parent=ubnd)
people = [make_person(health, "Nguyễn Văn Đức", identity_number="012345678901"),
          make_person(school, "Trần Thị Hoa", gender="female")]
make_user("chuyenvien", Role.BOARD_SPECIALIST, ubnd)
for person in people:
    make_award(person, "LDTT", 2024)
default_storage.save("ho-so/2026/minh-chung.pdf", ContentFile(b"%PDF-1.4 minh chung \\x00\\xff"))
default_storage.save("phong-trao/bao-cao.xlsx", ContentFile(bytes(range(256)) * 40))
"""

DUMP = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
import django
django.setup()
from django.apps import apps
from django.conf import settings
tables = {}
for model in apps.get_models(include_auto_created=True):
    if model._meta.managed and not model._meta.proxy:
        rows = model._base_manager.order_by("pk").values_list()
        tables[model._meta.label] = json.loads(json.dumps(list(rows), default=str))
print(json.dumps({"tables": tables, "key": settings.SECRET_KEY}))
"""


def _env(home: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "THIDUA_SECRET_KEY")}
    env.update(
        {"THIDUA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "thidua.settings", "PYTHONPATH": str(ROOT)}
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _python(env: dict[str, str], script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _thidua(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "thidua.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _dump(env: dict[str, str]) -> dict[str, Any]:
    return json.loads(_python(env, DUMP))


@pytest.fixture
def databases() -> Iterator[tuple[str | None, str | None]]:
    """The source and target databases: none on SQLite (each home has its file), two scratch
    PostgreSQL databases otherwise, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield None, None
        return
    import psycopg

    params = connection.settings_dict
    base = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    names = [f"thidua_restore_{uuid.uuid4().hex[:8]}_{side}" for side in ("src", "dst")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backed_up(tmp_path: Path, databases: tuple[str | None, str | None]) -> dict[str, Any]:
    src_url, dst_url = databases
    source = _env(tmp_path / "cu", src_url)
    _python(source, BUILD)
    archive = tmp_path / "ra-ngoai" / "thidua.tar.gz"
    done = _thidua(source, "backup", "--output", str(archive))
    assert done.returncode == 0, done.stderr
    return {
        "source": source,
        "source_home": tmp_path / "cu",
        "target": _env(tmp_path / "moi", dst_url),
        "target_home": tmp_path / "moi",
        "archive": archive,
    }


@pytest.mark.django_db
def test_a_backup_restored_into_a_new_installation_gives_back_every_row_file_and_the_key(
    backed_up: dict[str, Any],
) -> None:
    archive: Path = backed_up["archive"]
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert names[0] == "manifest.json"
    assert manifest["db_vendor"] == connection.vendor and manifest["version"]
    assert set(manifest["members"]) == set(names[1:])
    assert {"media/ho-so/2026/minh-chung.pdf", "media/phong-trao/bao-cao.xlsx", "secret_key"} <= set(names)

    done = _thidua(backed_up["target"], "restore", str(archive))
    assert done.returncode == 0, done.stderr
    before, after = _dump(backed_up["source"]), _dump(backed_up["target"])
    # The data the builder wrote is there to compare: units, people, awards, audit rows.
    for label in ("organisation.Unit", "organisation.Person", "awards.AwardRecord", "core.AuditLog"):
        assert len(before["tables"][label]) >= 2, label
    assert set(after["tables"]) == set(before["tables"])
    for label, rows in before["tables"].items():
        assert after["tables"][label] == rows, label
    assert after["key"] == before["key"]
    source_files = _files(backed_up["source_home"] / "media")
    assert len(source_files) == 2
    assert _files(backed_up["target_home"] / "media") == source_files
    for path in (backed_up["target_home"] / "media").rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o600 if path.is_file() else 0o700), path
    audit_rows = len(before["tables"]["core.AuditLog"])
    assert f"Chuỗi nhật ký hợp lệ: {audit_rows} dòng" in done.stdout

    # The installation now holds data: a second restore is refused.
    again = _thidua(backed_up["target"], "restore", str(archive))
    assert again.returncode == 1
    assert "chỉ phục hồi vào bản cài đặt mới, trống" in again.stderr
    assert _dump(backed_up["target"]) == after


def _tampered(archive: Path, out: Path) -> Path:
    """The same archive with one byte of an uploaded file changed and the manifest left as it was."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "media/ho-so/2026/minh-chung.pdf":
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return out


@pytest.mark.django_db
def test_a_corrupted_archive_is_refused_before_anything_is_written(backed_up: dict[str, Any]) -> None:
    bad = _tampered(backed_up["archive"], backed_up["archive"].with_name("hong.tar.gz"))
    target_home: Path = backed_up["target_home"]
    done = _thidua(backed_up["target"], "restore", str(bad))
    assert done.returncode == 1
    assert "media/ho-so/2026/minh-chung.pdf" in done.stderr and "không khớp" in done.stderr
    # Nothing written: no table, no upload, and the new installation keeps its own key.
    assert not (target_home / "media").exists() or not _files(target_home / "media")
    new_key = (target_home / "secret_key").read_text()
    assert new_key and new_key != (backed_up["source_home"] / "secret_key").read_text()
    tables = _python(
        backed_up["target"],
        "import django; django.setup();"
        "from django.db import connection; print(len(connection.introspection.table_names()))",
    )
    assert tables.strip() == "0"
    assert not list(target_home.glob(".sao-luu-*"))
