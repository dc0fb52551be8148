"""A NUL byte anywhere in a request is a 400 with a Vietnamese message, never a 500 (issue 13, finding 5).

PostgreSQL cannot store or compare a string holding NUL (psycopg raises ValueError before the query
leaves), so a search for "%00" was a 500 on six pages. The suite runs on SQLite and PostgreSQL (.ci/run).
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.urls import reverse

from thidua.accounts.tokens import token_create

pytestmark = pytest.mark.django_db

REFUSED = "Yêu cầu chứa ký tự không hợp lệ (ký tự NUL); hãy xóa ký tự đó rồi thử lại."
SEARCHES = [
    "organisation:person_list",
    "organisation:unit_list",
    "organisation:household_list",
    "organisation:bloc_list",
    "awards:search",
    "awards:decision_list",
    "awards:catalogue",
    "proposals:list",
]


@pytest.mark.parametrize("name", SEARCHES)
def test_a_search_with_a_nul_byte_is_refused(name: str, users: dict, client_for: Any) -> None:
    client = client_for(users["specialist"])
    assert client.get(reverse(name), {"q": "nguyen"}).status_code == 200
    response = client.get(reverse(name), {"q": "nguy\x00en"})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_nul_in_a_parameter_name_a_form_field_a_path_or_a_header_is_refused(
    users: dict, client_for: Any
) -> None:
    client = client_for(users["specialist"])
    people = reverse("organisation:person_list")
    assert client.get(people + "?q%00=x").status_code == 400
    assert client.get(people + "%00").status_code == 400
    assert client.get(people, headers={"User-Agent": "trình duyệt\x00"}).status_code == 400
    login = reverse("accounts:login")
    response = client.post(login, {"username": "chuyenvien\x00", "password": "x"})
    assert response.status_code == 400 and REFUSED in response.content.decode()


def test_a_cookie_with_a_nul_byte_is_ignored(users: dict, client: Any) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    # Not logged in: the login page, not a failure.
    response = client.get(reverse("organisation:person_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_api_refuses_nul_as_json(users: dict, client: Any) -> None:
    _token, raw = token_create(actor=None, user=users["specialist"], name="kiểm thử")
    headers = {"Authorization": f"Bearer {raw}"}
    query = client.get("/api/dossiers", {"q": "a\x00"}, headers=headers)
    assert query.status_code == 400
    assert query.json() == {"detail": REFUSED, "code": "nul_byte"}
    body = client.post(
        "/api/dossiers",
        json.dumps({"title": "Đề nghị\u0000"}),
        content_type="application/json",
        headers=headers,
    )
    assert body.status_code == 400
    assert body.json() == {"detail": REFUSED, "code": "nul_byte"}


def test_an_uploaded_file_named_with_a_nul_byte_is_read_without_it(users: dict, client_for: Any) -> None:
    # Django drops the non-printable characters of an uploaded file's name: the import page answers about
    # the content, as for any other name.
    upload = io.BytesIO(b"PK\x03\x04")
    upload.name = "nhan-su\x00.xlsx"
    response = client_for(users["specialist"]).post(
        reverse("imports:index"), {"kind": "people", "file": upload}
    )
    assert response.status_code == 400
    assert "Tệp không phải là tệp Excel" in response.content.decode()


def test_a_form_body_that_cannot_be_read_is_a_400(users: dict, client: Any) -> None:
    # Found by schemathesis: a multipart body without its boundary, read by this middleware first.
    _token, raw = token_create(actor=None, user=users["specialist"], name="kiểm thử")
    response = client.post(
        "/api/dossiers", b"x", content_type="multipart/form-data", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 400 and response.json()["code"] == "body_unreadable"
    page = client.post(reverse("accounts:login"), b"x", content_type="multipart/form-data")
    assert page.status_code == 400 and "Không đọc được nội dung yêu cầu" in page.content.decode()
