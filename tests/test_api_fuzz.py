"""Schemathesis against the API's own OpenAPI description: no request it generates, well-formed or not, gets a
5xx (issue 13, finding 5). Bounded to a few examples per operation so the suite stays fast."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from thidua.accounts.tokens import token_create
from thidua.wsgi import application


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # Schemathesis calls the WSGI application itself, which closes the database connection at the end of
    # each request (on PostgreSQL, the test's transaction with it); Django's test client does this too.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(users: dict[str, Any]) -> dict[str, str]:
    # The province's specialist: the widest scope of the roles that use the API.
    _token, raw = token_create(actor=None, user=users["specialist"], name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


# Read at collection: django-ninja builds the description from the code, without the database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_request_is_a_server_error(case: Any, bearer: dict[str, str]) -> None:
    response = case.call(headers=bearer)
    assert response.status_code < 500, (
        case.method,
        case.formatted_path,
        response.status_code,
        response.text[:500],
    )
