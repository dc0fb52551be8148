"""Middleware of the whole site: a database busy beyond its timeout answers 503, never 500."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

# Long enough for an import's commit to finish on SQLite (about 15 s for 100,000 rows: docs/benchmarks.md).
RETRY_AFTER_SECONDS = 30


def is_database_busy(exc: BaseException | None) -> bool:
    """SQLite's answer when the busy timeout ran out while another connection held the write lock."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def busy_message() -> str:
    return _("Hệ thống đang bận, vui lòng thử lại sau ít phút.")


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON in the API's shape under /api/, a page of its own elsewhere (rendered
    without the context processors, which would query the busy database again)."""
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"detail": busy_message(), "code": "busy"}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"message": busy_message()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_database_busy(exception) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a lock met outside a view (a session saved by its middleware) is a 503 too."""
    if is_database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return HttpResponse(loader.render_to_string("500.html"), status=500)
