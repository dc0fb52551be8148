"""An import refuses a file with more data rows, or more bytes once unpacked, than the limits allow; the
unpacked bytes are those actually read, not the sizes the zip declares (issue 13, finding 3)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.imports.helpers import generate_people_workbook, person_row
from thidua.imports.models import ImportBatch, ImportKind
from thidua.imports.services import ImportRejected, import_commit, import_validate

pytestmark = pytest.mark.django_db


def _rows(province: dict[str, Any], count: int) -> bytes:
    return generate_people_workbook(
        [person_row(province["health"].code, identity_number=f"0010850{i:05d}") for i in range(count)]
    )


def _validate(users: dict[str, Any], data: bytes) -> Any:
    return import_validate(
        actor=users["specialist"], kind=ImportKind.PEOPLE, file_name="nhan-su.xlsx", data=data
    )


def _unpacked(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(len(archive.read(info)) for info in archive.infolist())


def test_more_data_rows_than_the_limit_are_refused(province: Any, users: Any) -> None:
    with override_settings(THIDUA_IMPORT_MAX_ROWS=3):
        assert _validate(users, _rows(province, 3)).ok
        refused = _validate(users, _rows(province, 4))
    assert (
        refused.file_error == "Tệp có hơn 3 dòng dữ liệu; hãy chia thành nhiều tệp, mỗi tệp không quá 3 dòng."
    )
    assert refused.row_count == 0 and ImportBatch.objects.count() == 1


def test_the_row_limit_holds_at_the_commit_too(province: Any, users: Any) -> None:
    batch = _validate(users, _rows(province, 4)).batch
    with override_settings(THIDUA_IMPORT_MAX_ROWS=3), pytest.raises(ImportRejected) as refused:
        import_commit(actor=users["specialist"], batch=batch)
    assert "hơn 3 dòng" in refused.value.validation.file_error


def test_more_unpacked_bytes_than_the_limit_are_refused(province: Any, users: Any) -> None:
    data = _rows(province, 50)
    size = _unpacked(data)
    with override_settings(THIDUA_IMPORT_MAX_UNPACKED_BYTES=size):
        assert _validate(users, data).ok
    with override_settings(THIDUA_IMPORT_MAX_UNPACKED_BYTES=size - 1):
        refused = _validate(users, data)
    assert refused.file_error.startswith("Tệp Excel quá lớn khi giải nén")


def test_sizes_declared_too_small_are_not_trusted(province: Any, users: Any) -> None:
    """A zip whose directory declares its sheet a few bytes long: either it is caught reading the part, or
    refused as no readable workbook; never read past the limit."""
    data = bytearray(_rows(province, 50))
    size = _unpacked(bytes(data))
    # Rewrite the declared uncompressed size of every entry in the central directory to 1 byte.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 24 : at + 28] = (1).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    with override_settings(THIDUA_IMPORT_MAX_UNPACKED_BYTES=size - 1):
        refused = _validate(users, bytes(data))
    assert refused.file_error
    assert ImportBatch.objects.count() == 0


def test_the_import_page_states_both_limits(users: Any, client_for: Any) -> None:
    page = client_for(users["specialist"]).get(reverse("imports:index")).content.decode()
    assert "tối đa 20 MB và 100.000 dòng dữ liệu" in page
