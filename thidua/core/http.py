"""Request helpers shared by the pages of every app: the acting user, permission, GET parsing, paging."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import User

PAGE_SIZE = 50


def current_user(request: HttpRequest) -> User:
    # login_required has run, so the user is a real account, not AnonymousUser.
    return cast(User, request.user)


def require_perm(request: HttpRequest, perm: str) -> User:
    user = current_user(request)
    if not user.has_perm(perm):
        raise PermissionDenied
    return user


def parse_int(value: str | None) -> int | None:
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if number > 0 else None


def parse_choice(value: str | None, choices: Any) -> str:
    value = (value or "").strip()
    return value if value in {c[0] for c in choices} else ""


def parse_flag(value: str | None) -> bool:
    return (value or "") in ("1", "on", "true")


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


def paginate(request: HttpRequest, rows: Any, *, count: Callable[[], int] | None = None) -> Page:
    """`count` counts the same rows more cheaply than `rows.count()` (without an aggregate annotation)."""
    paginator = Paginator(rows, PAGE_SIZE)
    if count is not None:
        paginator.count = count()  # a cached_property: the instance's value takes its place
    return paginator.get_page(request.GET.get("page"))


def export_filename(stem: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"


def parse_date(value: str | None) -> dt.date | None:
    """A date typed as 2025-07-01 or 01/07/2025; None for anything else."""
    text = (value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def attempt(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Run one service; show its refusal as a message on the page instead of an error page."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
        return False
    if success:
        messages.success(request, success)
    return True


def stored_file_response(stored: Any) -> FileResponse:
    """A stored upload (a dossier's attachment, a movement's document, a report's evidence…) downloaded
    under the name it was uploaded with and the content type its upload check found; the caller has found
    it through the user's scope."""
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
