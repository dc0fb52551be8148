from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.imports.helpers import award_row, generate_awards_workbook, generate_people_workbook, person_row
from thidua.awards.models import AwardRecord
from thidua.imports.models import ImportBatch, ImportKind, ImportStatus
from thidua.imports.templates_spec import AWARDS, PEOPLE
from thidua.organisation.models import Person

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def _upload(client: Client, kind: str, data: bytes, name: str = "du-lieu.xlsx", **extra: Any) -> Any:
    """Post a file and follow to its batch page; the check ran inline (tests' immediate task backend)."""
    return client.post(
        reverse("imports:index"), {"kind": kind, "file": SimpleUploadedFile(name, data), **extra}, follow=True
    )


def _batch_of(response: Any) -> ImportBatch:
    return ImportBatch.objects.get(pk=response.resolver_match.kwargs["pk"])


def test_upload_preview_confirm(province: Any, users: Any) -> None:
    client = _client(users["health_officer"])
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200
    content = page.content.decode()
    assert reverse("imports:template", args=["people"]) in content
    assert reverse("imports:template", args=["awards"]) in content
    assert "Tải mẫu" in content

    data = generate_people_workbook(
        [person_row(province["health"].code), person_row(province["clinic"].code, identity_number="")]
    )
    response = _upload(client, ImportKind.PEOPLE, data)

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("imports:batch", args=[_batch_of(response).pk]), 302)]
    assert response.context["validation"].ok
    text = response.content.decode()
    assert "Xác nhận ghi vào sổ" in text and "2 mới" in text
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.VALIDATED
    assert not Person.objects.filter(identity_number="001085000123").exists()

    confirmed = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)

    assert confirmed.redirect_chain[-1][0] == reverse("imports:batch", args=[batch.pk])
    assert "2 bản ghi mới" in confirmed.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.created_count == 2
    assert Person.objects.get(identity_number="001085000123").unit == province["health"]


def test_upload_with_errors_shows_the_error_table(province: Any, users: Any) -> None:
    client = _client(users["specialist"])
    data = generate_awards_workbook(
        [award_row(), award_row(award="KHONG_CO"), award_row(identity_number="12")]
    )
    response = _upload(client, ImportKind.AWARDS, data)

    assert response.status_code == 200
    errors = [(e.row, e.column) for e in response.context["shown_errors"]]
    assert errors == [(3, "Danh hiệu/hình thức"), (4, "Số CCCD")]
    text = response.content.decode()
    assert "Tệp có 2 lỗi ở 2 dòng" in text and "KHONG_CO" in text
    assert "Xác nhận ghi vào sổ" not in text
    # Only the report is kept: the batch says "rejected", the file itself is gone.
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REJECTED and batch.stored_file == ""
    assert not default_storage.listdir("imports")[1]
    assert AwardRecord.objects.count() == 0


def test_all_errors_can_be_downloaded_as_excel(province: Any, users: Any) -> None:
    client = _client(users["specialist"])
    data = generate_awards_workbook([award_row(award="KHONG_CO") for _ in range(3)])
    page = _upload(client, ImportKind.AWARDS, data)
    link = reverse("imports:errors", args=[_batch_of(page).pk])
    assert link in page.content.decode()

    response = client.get(link)

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Dòng", "Cột", "Lỗi")
    assert [r[:2] for r in rows[1:]] == [
        (2, "Danh hiệu/hình thức"),
        (3, "Danh hiệu/hình thức"),
        (4, "Danh hiệu/hình thức"),
    ]


def test_file_problem_is_shown_on_the_upload_page(users: Any) -> None:
    response = _upload(_client(users["specialist"]), ImportKind.PEOPLE, b"not excel", name="ds.xlsx")
    assert response.status_code == 400
    assert "Tệp không phải là tệp Excel (.xlsx)" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_reupload_of_an_imported_file_says_when(province: Any, users: Any) -> None:
    client = _client(users["specialist"])
    data = generate_awards_workbook([award_row()])
    first = _batch_of(_upload(client, ImportKind.AWARDS, data))
    client.post(reverse("imports:confirm", args=[first.pk]))
    first.refresh_from_db()

    again = _upload(client, ImportKind.AWARDS, data)

    text = again.content.decode()
    assert "đã được nhập vào sổ" in text
    assert first.committed_at is not None
    assert again.context["validation"].previous_commit == first
    client.post(reverse("imports:confirm", args=[_batch_of(again).pk]))
    assert AwardRecord.objects.count() == 1


@pytest.mark.parametrize(("kind", "spec"), [("people", PEOPLE), ("awards", AWARDS)])
def test_template_download_has_the_exact_headers(users: Any, kind: str, spec: Any) -> None:
    response = _client(users["health_officer"]).get(reverse("imports:template", args=[kind]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert spec.download_name in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    assert sheet.title == spec.title
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == spec.headers
    assert "Hướng dẫn" in workbook.sheetnames
    guide = [v for row in workbook["Hướng dẫn"].iter_rows(values_only=True) for v in row if v]
    assert all(h in guide for h in spec.headers)
    if kind == "awards":
        assert "LDTT" in guide and "Công trạng" in guide
    else:
        assert "Công chức" in guide
    units = [row[0] for row in workbook["Mã đơn vị"].iter_rows(min_row=2, values_only=True)]
    assert units, "the officer's units are listed"


def test_downloaded_template_filled_in_is_accepted(province: Any, users: Any) -> None:
    client = _client(users["specialist"])
    response = client.get(reverse("imports:template", args=["people"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    workbook.worksheets[0].append(list(person_row(province["health"].code).values()))
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = _upload(client, ImportKind.PEOPLE, buffer.getvalue())
    assert result.context["validation"].ok, result.context["validation"].errors


def test_unknown_template_kind_is_404(users: Any) -> None:
    assert _client(users["specialist"]).get(reverse("imports:template", args=["khac"])).status_code == 404


def test_council_member_may_not_import(province: Any, users: Any) -> None:
    client = _client(users["council"])
    data = generate_people_workbook([person_row(province["health"].code)])
    assert client.get(reverse("imports:index")).status_code == 403
    assert client.get(reverse("imports:template", args=["people"])).status_code == 403
    assert _upload(client, ImportKind.PEOPLE, data).status_code == 403
    assert ImportBatch.objects.count() == 0


def test_anonymous_user_is_sent_to_login(users: Any) -> None:
    response = Client().get(reverse("imports:index"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_other_unit_officer_cannot_confirm_or_cancel(province: Any, users: Any) -> None:
    data = generate_people_workbook([person_row(province["health"].code)])
    batch = _batch_of(_upload(_client(users["health_officer"]), ImportKind.PEOPLE, data))
    other = _client(users["education_officer"])

    # Out of the officer's reach: 404, as a record out of scope (it does not even say the batch exists).
    assert other.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404
    assert other.post(reverse("imports:cancel", args=[batch.pk])).status_code == 404
    assert other.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    assert other.get(reverse("imports:progress", args=[batch.pk])).status_code == 404
    assert other.get(reverse("imports:confirm", args=[batch.pk])).status_code == 405
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED
    assert batch not in other.get(reverse("imports:index")).context["batches"]


def test_cancel_from_the_list(province: Any, users: Any) -> None:
    client = _client(users["health_officer"])
    data = generate_people_workbook([person_row(province["health"].code)])
    batch = _batch_of(_upload(client, ImportKind.PEOPLE, data))
    assert batch in client.get(reverse("imports:index")).context["batches"]

    response = client.post(reverse("imports:cancel", args=[batch.pk]), follow=True)

    assert "Đã hủy" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    again = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "không thể ghi vào sổ" in again.content.decode()
    assert not Person.objects.filter(identity_number="001085000123").exists()


def test_long_error_lists_are_cut_and_offered_as_excel(
    province: Any, users: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("thidua.imports.views.ERROR_DISPLAY_LIMIT", 2)
    data = generate_awards_workbook([award_row(award="KHONG_CO") for _ in range(3)])
    response = _upload(_client(users["specialist"]), ImportKind.AWARDS, data)

    assert len(response.context["shown_errors"]) == 2
    text = response.content.decode()
    assert "Tệp có 3 lỗi" in text
    assert reverse("imports:errors", args=[_batch_of(response).pk]) in text
