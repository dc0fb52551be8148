"""The code an authenticator app shows for the demo's published key (README, "Demo logins"), computed
with the standard library: the load test logs in the demo's specialist and chairman through the second
factor like a person would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

DEMO_TOTP_SECRET = "THIDUADEMOKHONGDUNGCHOTHUCTEABCD"
# The demo accounts whose role requires the second factor, among those the load test uses.
OTP_USERNAMES = frozenset({"chuyenvien", "chutich", "hoidong", "quantri"})


def totp(secret: str = DEMO_TOTP_SECRET, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 with SHA-1, as django-otp and every authenticator app compute it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"
