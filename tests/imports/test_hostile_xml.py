"""An uploaded .xlsx whose XML declares entities (an undefined one, or a "billion laughs" expansion bomb) is
refused with a Vietnamese message and a 400, never a 500, and nothing is expanded (issue 13, finding 5)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.imports.helpers import generate_people_workbook, person_row
from thidua.imports.models import ImportBatch, ImportKind, ImportStatus

pytestmark = pytest.mark.django_db

UNSAFE = (
    "Tệp Excel chứa khai báo XML không được phép (DTD, thực thể): hệ thống không đọc tệp này. "
    "Hãy mở tệp bằng Excel và lưu lại dạng «Excel Workbook (.xlsx)»."
)
BOMB_DTD = (
    '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)
UNDEFINED = "&khongco;"
NOT_EXCEL = "Tệp không phải là tệp Excel (.xlsx)."


def _rewrite(data: bytes, member: str, change: Any) -> bytes:
    """The same workbook with one of its XML parts changed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                content = change(content.decode()).encode()
            target.writestr(info, content)
    return out.getvalue()


def _with_dtd(xml: str, dtd: str, entity: str) -> str:
    xml = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(1) or "") + dtd, xml, count=1)
    replaced = xml.replace(">Minh<", f">{entity}<", 1)
    assert replaced != xml
    return replaced


def _files(province: dict[str, Any]) -> dict[str, bytes]:
    good = generate_people_workbook([person_row(province["health"].code)])
    sheet = "xl/worksheets/sheet1.xml"
    return {
        "bomb in the sheet": _rewrite(good, sheet, lambda x: _with_dtd(x, BOMB_DTD, "&lol9;")),
        "undefined entity in the sheet": _rewrite(good, sheet, lambda x: _with_dtd(x, "", UNDEFINED)),
        # Far down a sheet that declares its size, as Excel writes it: openpyxl reads no further than the
        # declaration when it opens the workbook, and meets the entity while the rows are read.
        "undefined entity in row 3001": _rewrite(
            generate_people_workbook(
                [person_row(province["health"].code, identity_number=f"0010850{i:05d}") for i in range(2999)]
                + [person_row(province["health"].code, middle_name="Z", identity_number="001085099999")]
            ),
            sheet,
            lambda x: x.replace("<sheetViews>", '<dimension ref="A1:K3001"/><sheetViews>', 1).replace(
                ">Z<", f">{UNDEFINED}<", 1
            ),
        ),
        "bomb in the workbook": _rewrite(
            good,
            "xl/workbook.xml",
            lambda x: re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(1) or "") + BOMB_DTD, x, count=1),
        ),
    }


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("bomb in the sheet", UNSAFE),
        ("bomb in the workbook", UNSAFE),
        # No DTD at all: malformed XML, which no Excel writes.
        ("undefined entity in the sheet", NOT_EXCEL),
        ("undefined entity in row 3001", NOT_EXCEL),
    ],
)
def test_hostile_xml_is_refused_with_a_vietnamese_message(
    case: str, message: str, province: Any, users: Any
) -> None:
    client = Client()
    client.force_login(users["specialist"], backend="django.contrib.auth.backends.ModelBackend")
    data = _files(province)[case]
    response = client.post(
        reverse("imports:index"),
        {"kind": ImportKind.PEOPLE, "file": SimpleUploadedFile("nhan-su.xlsx", data)},
        follow=True,
    )
    # Refused by the background check (inline in tests): only the report is kept, not the file.
    assert response.status_code == 200
    assert message in response.content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REJECTED and message in batch.file_error
    assert not default_storage.listdir("imports/pending")[1]


def test_openpyxl_reads_xml_through_defusedxml() -> None:
    # openpyxl switches to defusedxml when it is installed (a declared dependency of the product).
    assert openpyxl.DEFUSEDXML is True
