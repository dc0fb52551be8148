from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def client_for(client: Client) -> Callable[[Any], Client]:
    """A test client logged in as the given user (force_login skips Axes, which needs a request)."""

    def login(user: Any) -> Client:
        client.force_login(user)
        return client

    return login
