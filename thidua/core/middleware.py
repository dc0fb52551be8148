"""Middleware of the whole site: a database busy beyond its timeout answers 503, and a request holding a
NUL byte 400, never 500."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
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


NUL = "\x00"
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def nul_message() -> str:
    return _("Yêu cầu chứa ký tự không hợp lệ (ký tự NUL); hãy xóa ký tự đó rồi thử lại.")


def _lists_hold_nul(data: Any) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in data.lists())


class _Unreadable(Exception):
    """The form body cannot be parsed (a multipart body without its boundary, cut short)."""


def _holds_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info:
        return True
    for key, value in request.META.items():
        # A cookie is dropped instead (below): refusing would lock the browser out until it is cleared.
        if key.startswith("HTTP_") and key != "HTTP_COOKIE" and isinstance(value, str) and NUL in value:
            return True
    if _lists_hold_nul(request.GET):
        return True
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in _FORM_TYPES:
        try:
            form = request.POST
        except MultiPartParserError:
            raise _Unreadable from None
        if _lists_hold_nul(form):
            return True
    if content_type == "application/json":
        # JSON writes NUL as the escape \u0000 (a raw one is invalid JSON, refused anyway).
        body = request.body
        if b"\x00" in body or b"\\u0000" in body:
            return True
    return False


def _bad_request(request: HttpRequest, message: str, code: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": message, "code": code}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(loader.render_to_string("400.html", {"message": message}), status=400)


class NulByteMiddleware:
    """PostgreSQL cannot store or compare text holding NUL (psycopg raises before the query is sent), and
    no one types it: refuse the request with 400 before anything reads the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if _holds_nul(request):
                return _bad_request(request, nul_message(), "nul_byte")
        except _Unreadable:
            # Read here first, the body must be refused here too, as the API refuses one it cannot read.
            message = _("Không đọc được nội dung yêu cầu: cần JSON hợp lệ (hoặc multipart khi gửi tệp).")
            return _bad_request(request, message, "body_unreadable")
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            request.COOKIES = {k: v for k, v in request.COOKIES.items() if NUL not in k and NUL not in v}
        return self.get_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a lock met outside a view (a session saved by its middleware) is a 503 too."""
    if is_database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return HttpResponse(loader.render_to_string("500.html"), status=500)
