"""One-file backups of an installation and their restore onto an empty one (README, "Sao lưu và phục hồi").

An archive (.tar.gz) holds:
  manifest.json      the product version, the database vendor, and each member's SHA-256 and size
  database.sqlite3   SQLite: a consistent copy taken with sqlite3's online backup API (the server may run)
  database.pgdump    PostgreSQL: `pg_dump --format=custom` of the database named by DATABASE_URL
  secret_key         the installation's secret key (sessions, password-reset links, signed tokens)
  media/...          every uploaded file (MEDIA_ROOT)

The archive holds citizen IDs and the secret key: it is written 0600, and must be kept like the data.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

import thidua

MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
KEY_MEMBER = "secret_key"
MEDIA_PREFIX = "media/"
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Vietnamese."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _private_workdir() -> Iterator[Path]:
    """A folder for the archive's members beside the data (same disk, mode 0700), removed afterwards."""
    home = Path(settings.THIDUA_HOME)
    work = Path(tempfile.mkdtemp(prefix=".sao-luu-", dir=home))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _db() -> dict[str, Any]:
    return settings.DATABASES["default"]


def _pg_env() -> dict[str, str]:
    env = dict(os.environ)
    if password := _db().get("PASSWORD"):
        env["PGPASSWORD"] = str(password)
    return env


def _pg_args() -> list[str]:
    db = _db()
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return [*args, "--dbname", str(db["NAME"])]


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            _("Không tìm thấy lệnh %(cmd)s: cài gói PostgreSQL client cùng phiên bản với máy chủ.")
            % {"cmd": command[0]}
        ) from None
    if done.returncode != 0:
        raise BackupError(
            _("%(what)s không thành công: %(err)s") % {"what": what, "err": done.stderr.strip()}
        )


def _dump_database(work: Path) -> str:
    vendor = connection.vendor
    if vendor == "sqlite":
        target = work / SQLITE_MEMBER
        source = sqlite3.connect(str(_db()["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return SQLITE_MEMBER
    if vendor == "postgresql":
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(work / PG_MEMBER),
                *_pg_args(),
            ],
            _("Sao lưu cơ sở dữ liệu (pg_dump)"),
        )
        return PG_MEMBER
    raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(vendor)s.") % {"vendor": vendor})


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((MEDIA_PREFIX + path.relative_to(root).as_posix(), path))
    return found


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.THIDUA_HOME) / "sao-luu" / f"thidua-{stamp}.tar.gz"


def backup_create(*, output: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Write the archive; returns its path and manifest. The archive appears only once complete."""
    output = Path(output or default_output()).resolve()
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _private_workdir() as work:
        db_member = _dump_database(work)
        (work / KEY_MEMBER).write_text(settings.SECRET_KEY)
        members: list[tuple[str, Path]] = [
            (db_member, work / db_member),
            (KEY_MEMBER, work / KEY_MEMBER),
            *_media_files(),
        ]
        manifest = {
            "format": FORMAT,
            "product": "thidua",
            "version": thidua_version(),
            "db_vendor": connection.vendor,
            "created_at": timezone.now().isoformat(),
            "members": {
                name: {"sha256": _sha256(path), "size": path.stat().st_size} for name, path in members
            },
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial = output.with_name(output.name + ".dang-ghi")
        fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                archive.add(work / MANIFEST, arcname=MANIFEST)
                for name, path in members:
                    archive.add(path, arcname=name, recursive=False)
            os.chmod(partial, 0o600)
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return output, manifest


def thidua_version() -> str:
    try:
        from importlib.metadata import version

        return version("thidua")
    except Exception:
        return getattr(thidua, "__version__", "0")


# ---------------------------------------------------------------------------------------------------
# Restore


# Tables whose rows only a user or the product's use writes (migrations seed others, such as award types).
_DATA_TABLES = (
    "accounts_user",
    "core_auditlog",
    "organisation_unit",
    "organisation_person",
    "awards_decision",
    "awards_awardrecord",
)


def installation_data() -> list[str]:
    """What makes this installation not empty: tables with rows among _DATA_TABLES, and uploaded files."""
    found = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in _DATA_TABLES:
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    found.append(table)
    if _media_files():
        found.append("media")
    return found


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    files: int
    audit_rows: int
    audit_broken: Any = None
    notes: list[str] = field(default_factory=list)


def _read_archive(path: Path, work: Path) -> dict[str, Any]:
    """Unpack into `work` and check every member against the manifest; raises BackupError on any doubt."""
    if not path.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": path})
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            names = [m.name for m in archive.getmembers()]
            if any(not m.isfile() for m in archive.getmembers()):
                raise BackupError(_("Tệp sao lưu chứa mục không phải tệp thường: từ chối."))
            # The "data" filter refuses absolute paths, "..", links and device files.
            archive.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError) as problem:
        raise BackupError(
            _("Tệp sao lưu hỏng hoặc không đúng định dạng: %(err)s") % {"err": problem}
        ) from None
    try:
        manifest = json.loads((work / MANIFEST).read_text())
        listed: dict[str, dict[str, Any]] = manifest["members"]
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(_("Tệp sao lưu không có bản kê (manifest.json) hợp lệ.")) from None
    if manifest.get("product") != "thidua":
        raise BackupError(_("Đây không phải tệp sao lưu của Thi Đua."))
    present = set(names) - {MANIFEST}
    if present != set(listed) or len(names) != len(set(names)):
        raise BackupError(_("Danh sách tệp trong bản sao lưu không khớp bản kê: từ chối."))
    for name, expected in sorted(listed.items()):
        if _sha256(work / name) != expected.get("sha256"):
            raise BackupError(
                _("Mã kiểm tra SHA-256 của %(name)s không khớp bản kê: tệp sao lưu đã bị sửa hoặc hỏng.")
                % {"name": name}
            )
    return manifest


def _restore_database(manifest: dict[str, Any], work: Path) -> None:
    vendor = connection.vendor
    if vendor == "sqlite":
        target = str(_db()["NAME"])
        connections.close_all()
        source = sqlite3.connect(str(work / SQLITE_MEMBER))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    connections.close_all()
    # One transaction: a failure leaves the empty database as it was.
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            *_pg_args(),
            str(work / PG_MEMBER),
        ],
        _("Phục hồi cơ sở dữ liệu (pg_restore)"),
    )


def _write_private(source: Path, target: Path) -> None:
    # mkdir(parents=True) gives only the last folder the mode: every new folder on the way is 0700.
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as stream:
        shutil.copyfileobj(stream, out, _CHUNK)
    os.chmod(target, 0o600)


def backup_restore(*, path: Path) -> RestoreReport:
    """Put an archive back on an empty installation: nothing is written before every checksum is checked,
    and nothing at all on an installation that already holds data."""
    from thidua.core.audit import audit_verify

    path = Path(path)
    if used := installation_data():
        raise BackupError(
            _(
                "Cơ sở dữ liệu hoặc thư mục tệp tải lên đã có dữ liệu (%(what)s): chỉ phục hồi vào bản cài đặt "  # noqa: E501
                "mới, trống. Không ghi gì."
            )
            % {"what": ", ".join(used)}
        )
    with _private_workdir() as work:
        manifest = _read_archive(path, work)
        vendor = manifest.get("db_vendor")
        if vendor != connection.vendor:
            raise BackupError(
                _(
                    "Bản sao lưu là của cơ sở dữ liệu %(src)s, bản cài đặt này dùng %(dst)s: không phục hồi được."  # noqa: E501
                )
                % {"src": vendor, "dst": connection.vendor}
            )
        notes = []
        if manifest.get("version") != thidua_version():
            notes.append(
                _(
                    "Bản sao lưu từ phiên bản %(src)s, bản cài đặt là %(dst)s: chạy `thidua migrate` sau khi phục hồi."  # noqa: E501
                )
                % {"src": manifest.get("version"), "dst": thidua_version()}
            )
        _restore_database(manifest, work)
        media_root = Path(settings.MEDIA_ROOT)
        files = 0
        for name in manifest["members"]:
            if name.startswith(MEDIA_PREFIX):
                _write_private(work / name, media_root / name[len(MEDIA_PREFIX) :])
                files += 1
        key_file = Path(settings.THIDUA_HOME) / "secret_key"
        _write_private(work / KEY_MEMBER, key_file)
        if os.environ.get("THIDUA_SECRET_KEY"):
            notes.append(
                _("THIDUA_SECRET_KEY đang được đặt: khóa trong tệp %(file)s chỉ dùng khi bỏ biến này.")
                % {"file": key_file}
            )
    connections.close_all()
    chain = audit_verify()
    return RestoreReport(
        manifest=manifest, files=files, audit_rows=chain.count, audit_broken=chain.broken, notes=notes
    )
