"""The public pages' cache: whole pages for visitors without an account, keyed by the portal's version.

Every change the public may see (a role model published, featured, retired; a consent withdrawn; a
decision published or withdrawn) replaces the version token (`bump`) inside the transaction that makes
it, so the first request after the commit misses the cache and reads the database: a withdrawn consent
takes the profile off the portal at once, with no page of it left in the cache. The token is kept in the
database, not in the cache, so a cache that outlives the database (a file cache, a restored backup, a
new test database) can never serve pages of another state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from thidua.core.dataversion import token_of, token_replace
from thidua.portal.models import PortalVersion

# A safety net only: the version token already retires every page a change touches.
PAGE_SECONDS = 15 * 60
_KEY_PREFIX = "portal:page"


def current_version() -> str:
    return token_of(PortalVersion)


def bump() -> None:
    """Retire every cached public page (called inside the service's transaction)."""
    token_replace(PortalVersion)


def bump_after_commit() -> None:
    """For changes made by other apps' services (a movement reviewed, an award revoked): retire the pages
    once their transaction commits, without holding the version row's lock during it. One bump per
    transaction, however many rows it saves (an import of people)."""
    connection = transaction.get_connection()
    if any(entry[1] is _bump_committed for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump_committed)


def _bump_committed() -> None:
    bump()


def page_key(request: HttpRequest, version: str) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{_KEY_PREFIX}:{version}:{digest}"


def cached_page(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page from the cache for an anonymous GET, else rendered (and kept when it is a 200)."""
    if request.method != "GET" or request.user.is_authenticated:
        return render()
    key = page_key(request, current_version())
    hit = cache.get(key)
    if hit is not None:
        content, content_type = hit
        response = HttpResponse(content, content_type=content_type)
        response["X-Portal-Cache"] = "hit"
        return response
    response = render()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
    response["X-Portal-Cache"] = "miss"
    return response
