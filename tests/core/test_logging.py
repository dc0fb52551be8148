"""A refused request is logged as one line; a server error keeps its traceback."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from thidua.core.logging import OneLineClientErrors


@pytest.mark.django_db
def test_a_forbidden_page_is_logged_as_one_line(
    users: dict[str, Any], client_for: Callable[[Any], Client], caplog: Any
) -> None:
    caplog.set_level(logging.WARNING, logger="django.request")
    # Only the chairman issues decisions: the unit officer is refused the page.
    response = client_for(users["health_officer"]).get("/ho-so/quyet-dinh/")
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert response.status_code == 403
    assert refused, "the refusal is logged"
    assert all(r.exc_info is None for r in refused)
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback() -> None:
    try:
        raise RuntimeError("hỏng")
    except RuntimeError:
        info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "Internal Server Error", (), info)
    record.status_code = 500
    assert OneLineClientErrors().filter(record) and record.exc_info is info
    denied = logging.LogRecord(
        "django.request",
        logging.WARNING,
        "",
        0,
        "Forbidden",
        (),
        (PermissionDenied, PermissionDenied(), None),
    )
    denied.status_code = 403
    assert OneLineClientErrors().filter(denied) and denied.exc_info is None
