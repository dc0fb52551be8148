from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook


@pytest.fixture
def client_for(client: Client) -> Callable[[Any], Client]:
    """A test client logged in as the given user (force_login skips Axes, which needs a request)."""

    def login(user: Any) -> Client:
        client.force_login(user)
        return client

    return login


def read_xlsx(response: Any) -> list[list[Any]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]
