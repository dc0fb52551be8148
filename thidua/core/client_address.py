"""The client's address, for the login throttle (Axes) and the rate limiter, and its keyed hash for storage.

X-Forwarded-For is written by whoever sends the request: only the entries appended by proxies the operator
runs can be believed. With THIDUA_TRUSTED_PROXY_COUNT = n > 0, the client is the n-th address from the
right of the header (each trusted proxy appends the address it received from); with 0, the header is
ignored and REMOTE_ADDR is the client.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "THIDUA_TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    # Fewer entries than trusted proxies: the left-most is all the proxies were told.
    return forwarded[-count] if len(forwarded) >= count else forwarded[0]


def address_hash(address: str) -> str:
    """A keyed hash of an address: equal addresses compare equal, but without the key no one can run
    the 2^32 IPv4 addresses through SHA-256 to read them back from a copy of the database."""
    if not address:
        return ""
    key = getattr(settings, "THIDUA_ADDRESS_HASH_KEY", "")
    if key:
        return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()
    return salted_hmac("thidua.client_address", address, algorithm="sha256").hexdigest()
