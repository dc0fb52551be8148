"""Checks on a dossier attachment: its type is read from its bytes, never from its name or the
browser's content type, and it must be a PDF, a Word or Excel document, or a PNG or JPEG image."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core.text import fold

T = TypeVar("T")

# A Word or Excel file is a zip; past this expansion it is a zip bomb, not a document.
MAX_UNCOMPRESSED_RATIO = 30

KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
}
# Names users give their files: the extension may say .jpeg or .JPG for the same content.
_NAME_EXTENSIONS = {
    "pdf": {".pdf"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
    "png": {".png"},
    "jpeg": {".jpg", ".jpeg"},
}


@dataclass(frozen=True)
class Sniffed:
    kind: str
    name: str
    size: int
    content_type: str
    extension: str
    safe_stem: str


def _refuse(message: str) -> ValidationError:
    return ValidationError(message)


def _max_bytes() -> int:
    return int(getattr(settings, "THIDUA_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def _kind_of(head: bytes, data: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            return None
        if unpacked > MAX_UNCOMPRESSED_RATIO * _max_bytes():
            raise _refuse(_("Tệp quá lớn khi giải nén, không nhận."))
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def _image_is_whole(data: bytes) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    # Pillow raises many kinds of errors on broken images; any of them means "not a readable image".
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def _pdf_is_whole(data: bytes) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return len(PdfReader(io.BytesIO(data)).pages) > 0
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return False


def safe_stem(name: str) -> str:
    stem = name.rsplit(".", 1)[0]
    folded = fold(unicodedata.normalize("NFC", stem))
    cleaned = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return cleaned[:60] or "tep"


def sniff_upload(upload: UploadedFile) -> Sniffed:
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise _refuse(_("Tên tệp không hợp lệ."))
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("Tệp rỗng: không có dữ liệu nào được tải lên."))
    limit = _max_bytes()
    if size > limit:
        raise _refuse(_("Tệp quá lớn: tối đa {size} MB mỗi tệp.").format(size=f"{limit / (1024 * 1024):.0f}"))
    upload.seek(0)
    data = upload.read()
    kind = _kind_of(data[:8], data)
    allowed = _("Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx) và ảnh PNG, JPEG.")
    if kind is None:
        raise _refuse(
            _("Nội dung tệp “{name}” không phải PDF, Word, Excel hay ảnh. {allowed}").format(
                name=name, allowed=allowed
            )
        )
    if kind == "pdf" and not _pdf_is_whole(data):
        raise _refuse(_("Tệp PDF “{name}” bị hỏng hoặc không đọc được.").format(name=name))
    if kind in ("png", "jpeg") and not _image_is_whole(data):
        raise _refuse(_("Ảnh “{name}” bị hỏng hoặc không đọc được.").format(name=name))
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in _NAME_EXTENSIONS[kind]:
        raise _refuse(
            _(
                "Tên tệp “{name}” có đuôi không khớp với nội dung (nội dung là tệp {kind}). "
                "Hãy đổi tên cho đúng."
            ).format(name=name, kind=kind.upper())
        )
    content_type, canonical = KINDS[kind]
    upload.seek(0)
    return Sniffed(kind, name, size, content_type, canonical, safe_stem(name))


def all_or_none(uploads: Sequence[UploadedFile], add: Callable[[UploadedFile], T]) -> list[T]:
    """Several files, all or none: `add` each in one transaction; a refused file names itself and keeps
    the others out too, so a unit never wonders which of its files went in."""
    from thidua.core.errors import require, validation_code

    require(bool(uploads), _("Cần chọn tệp để tải lên."))
    added = []
    with transaction.atomic():
        for upload in uploads:
            try:
                added.append(add(upload))
            except ValidationError as error:
                raise ValidationError(
                    _("Tệp {name}: {error} Chưa tệp nào được đính kèm.").format(
                        name=upload.name, error=" ".join(error.messages)
                    ),
                    code=validation_code(error),
                ) from error
    return added
