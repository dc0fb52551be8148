"""The rows of a validated file, kept beside it so the commit need not parse the .xlsx again.

Parsing a 100,000-row workbook with openpyxl takes about as long as writing its records, and the
bytes have not changed since validation (their sha256 is checked), so neither have the cells
read from them. Only those cells are kept, exactly as openpyxl gave
them: the commit runs every check on them again, against the database as it is then.

The file is gzip-compressed JSON lines: a header line naming the .xlsx by its sha256 and the
template columns, one line per non-blank row (`[row number, cell, ...]`), and a last line with an
HMAC-SHA256 (keyed by SECRET_KEY) of everything before it, so that rows written by anything other
than this module are never taken for the file's. JSON, not pickle: loading it runs no code.
Whatever does not check out is reported as None and the caller reads the .xlsx instead.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import os
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

logger = logging.getLogger(__name__)

FORMAT = "thidua-import-rows"
VERSION = 1
_MAC_SALT = "thidua.imports.rowcache"
# The JSON of a file's rows is about 5.5 times the .xlsx; a cell repeated through a shared string
# is written out in full at each row, so a file full of long repeated texts could grow far larger
# and would then need that much memory again to load. Such a file goes without a cache.
MAX_BODY_RATIO = 8

# A cell is a string, a number, a boolean, None, or one of these (tagged, as JSON has no dates).
_TAGS: dict[str, Any] = {
    "$dt": dt.datetime.fromisoformat,
    "$d": dt.date.fromisoformat,
    "$t": dt.time.fromisoformat,
    "$td": lambda parts: dt.timedelta(*parts),
}


@dataclass(frozen=True)
class SheetRows:
    """What a sheet holds as openpyxl reads it: the header cells and every non-blank row."""

    header: tuple[Any, ...]
    # (row number as Excel shows it, the cells padded or cut to the template's width)
    rows: list[tuple[int, tuple[Any, ...]]]


class CacheError(ValueError):
    """The cache cannot be trusted or read."""


def _encode(value: Any) -> Any:
    # datetime first: it is also a date.
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        # Its parts, not total_seconds(): a float loses microseconds over long durations.
        return {"$td": [value.days, value.seconds, value.microseconds]}
    raise TypeError(f"cell value of type {type(value).__name__}")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) != 1:
        raise CacheError("not a tagged value")
    ((tag, raw),) = obj.items()
    if tag not in _TAGS:
        raise CacheError(f"unknown tag {tag!r}")
    return _TAGS[tag](raw)


# One encoder for every row: json.dumps() with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_encode)


def _mac(body: bytes) -> str:
    return salted_hmac(_MAC_SALT, body, algorithm="sha256").hexdigest()


def _max_body() -> int:
    return MAX_BODY_RATIO * int(settings.THIDUA_IMPORT_MAX_BYTES)


def _identity(*, sha256: str, kind: str, columns: list[str], count: int) -> dict[str, Any]:
    """What the header line must say for the cache to be that of this file, read for this template."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "sha256": sha256,
        "kind": kind,
        "columns": columns,
        "rows": count,
    }


def dump(path: Path, *, sha256: str, kind: str, columns: list[str], sheet: SheetRows) -> None:
    """Write the cache of a file atomically (a reader never sees half of it)."""
    identity = _identity(sha256=sha256, kind=kind, columns=columns, count=len(sheet.rows))
    lines = [_ENCODER.encode({**identity, "header": list(sheet.header)})]
    lines += [_ENCODER.encode([row, *cells]) for row, cells in sheet.rows]
    body = ("\n".join(lines) + "\n").encode("utf-8")
    if len(body) > _max_body():
        raise CacheError("too large")
    trailer = _ENCODER.encode({"mac": _mac(body)}).encode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor, part_name = tempfile.mkstemp(dir=path.parent, suffix=".part")
    part = Path(part_name)
    try:
        # Level 1: the cache lives only until the commit; a higher level costs more time than it saves.
        with (
            open(descriptor, "wb") as handle,
            gzip.GzipFile(fileobj=handle, mode="wb", compresslevel=1, mtime=0) as packed,
        ):
            packed.write(body)
            packed.write(trailer)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _unpack(path: Path) -> bytes:
    # Bounded read: a file that unpacks without end is not one dump() wrote.
    limit = _max_body() + 1024
    with gzip.open(path, "rb") as packed:
        data = packed.read(limit + 1)
    if len(data) > limit:
        raise CacheError("too large")
    return data


def load(path: Path, *, sha256: str, kind: str, columns: list[str]) -> SheetRows:
    """The rows cached for the .xlsx with this sha256; CacheError (or OSError) if they cannot be used."""
    try:
        data = _unpack(path)
    except (EOFError, zlib.error, gzip.BadGzipFile) as problem:
        raise CacheError(f"not a gzip file: {problem}") from None
    body, newline, trailer = data.rpartition(b"\n")
    if not newline:
        raise CacheError("no trailer")
    body += newline
    try:
        mac = json.loads(trailer)["mac"]
    except (ValueError, TypeError, KeyError):
        raise CacheError("unreadable trailer") from None
    if not isinstance(mac, str) or not constant_time_compare(mac, _mac(body)):
        raise CacheError("the HMAC does not match: not written by this server, or altered")
    first, _newline, rest = body.partition(b"\n")
    try:
        head = json.loads(first)
        # One parse of all the rows (a raw newline only ever ends a line in JSON): a parse per line
        # costs twice as long.
        rows = json.loads(b"[" + rest[:-1].replace(b"\n", b",") + b"]", object_hook=_decode)
    except (ValueError, TypeError) as problem:
        raise CacheError(f"not JSON: {problem}") from None
    if not isinstance(head, dict) or not isinstance(head.get("header"), list):
        raise CacheError("no header line")
    expected = _identity(sha256=sha256, kind=kind, columns=columns, count=len(rows))
    mismatched = sorted(key for key, value in expected.items() if head.get(key) != value)
    if mismatched:
        raise CacheError(f"header differs from the batch: {', '.join(mismatched)}")
    try:
        header_cells = tuple(_decode(v) if isinstance(v, dict) else v for v in head["header"])
    except (ValueError, TypeError) as problem:
        raise CacheError(f"unreadable header cell: {problem}") from None
    width = len(columns) + 1
    previous = 1
    for row in rows:
        if not (isinstance(row, list) and len(row) == width and type(row[0]) is int and row[0] > previous):
            raise CacheError("malformed row")
        previous = row[0]
    return SheetRows(header=header_cells, rows=[(row[0], tuple(row[1:])) for row in rows])


def load_or_none(path: Path, *, sha256: str, kind: str, columns: list[str]) -> SheetRows | None:
    """As load(), but None when the cache is missing or unusable: the caller then reads the .xlsx."""
    try:
        return load(path, sha256=sha256, kind=kind, columns=columns)
    except FileNotFoundError:
        return None
    except (OSError, CacheError) as problem:
        logger.warning("Import row cache %s not used: %s", path.name, problem)
        return None
