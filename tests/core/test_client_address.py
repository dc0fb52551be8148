"""The client's address behind a reverse proxy, for the rate limiter and the login throttle, and its keyed
hash (issue 13, item 6)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django_ratelimit.core import is_ratelimited

from tests.factories import make_user
from thidua.accounts.models import Role
from thidua.core.client_address import address_hash, client_ip

PROXY = "10.0.0.5"


def _request(forwarded: str) -> Any:
    return RequestFactory().post("/lay-y-kien/1/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _limited(forwarded: str) -> bool:
    return is_ratelimited(
        _request(forwarded), group="test_proxy", key="ip", rate="2/h", method="POST", increment=True
    )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_behind_one_trusted_proxy_two_forwarded_addresses_are_limited_separately(settings: Any) -> None:
    settings.THIDUA_TRUSTED_PROXY_COUNT = 1
    assert [_limited("203.0.113.1") for _ in range(3)] == [False, False, True]
    assert [_limited("203.0.113.2") for _ in range(3)] == [False, False, True]
    # What the client wrote before the proxy's own entry is not believed: the last entry counts.
    assert client_ip(_request("198.51.100.9, 203.0.113.7")) == "203.0.113.7"


def test_without_a_trusted_proxy_the_header_is_ignored(settings: Any) -> None:
    settings.THIDUA_TRUSTED_PROXY_COUNT = 0
    assert _limited("203.0.113.1") is False
    assert _limited("203.0.113.2") is False
    # A different forged header each time does not get a client a new allowance.
    assert _limited("203.0.113.3") is True
    assert client_ip(_request("203.0.113.1")) == PROXY


def test_two_trusted_proxies_take_the_second_address_from_the_right(settings: Any) -> None:
    settings.THIDUA_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("1.2.3.4, 203.0.113.8, 10.0.0.9")) == "203.0.113.8"
    assert client_ip(_request("")) == PROXY


@pytest.mark.django_db
@pytest.mark.parametrize("trusted", [0, 1])
def test_the_login_throttle_follows_the_same_address(settings: Any, trusted: int) -> None:
    settings.THIDUA_TRUSTED_PROXY_COUNT = trusted
    make_user("canbo.proxy", Role.UNIT_OFFICER, password="mat-khau-thu-nghiem-1")
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(reverse("accounts:login"), {"username": "canbo.proxy", "password": "sai"})
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2")
    answer = owner.post(
        reverse("accounts:login"), {"username": "canbo.proxy", "password": "mat-khau-thu-nghiem-1"}
    )
    # Trusted, the owner at another address still gets in; untrusted, both are the proxy's address.
    assert answer.status_code == (302 if trusted else 429)


def test_the_address_hash_is_keyed(settings: Any) -> None:
    plain = hashlib.sha256(b"203.0.113.1").hexdigest()
    derived = address_hash("203.0.113.1")
    assert derived != plain and len(derived) == 64
    assert address_hash("203.0.113.1") == derived
    settings.SECRET_KEY = "another-installation-" + "x" * 40
    assert address_hash("203.0.113.1") != derived
    settings.THIDUA_ADDRESS_HASH_KEY = "own-key-1"
    first = address_hash("203.0.113.1")
    settings.THIDUA_ADDRESS_HASH_KEY = "own-key-2"
    assert address_hash("203.0.113.1") != first
    assert address_hash("") == ""
