from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thidua.core import selectors
from thidua.core.http import paginate, parse_choice, parse_date, require_perm


def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer or a monitor: the process answers. No database, no session, no template, so
    it is also the floor every page's cost is measured against (docs/benchmarks.md)."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def bare_signed_in(request: HttpRequest) -> HttpResponse:
    """A page that does nothing of its own behind the login: what every staff page pays before its own
    work (the session, the account, the second factor, the idle timeout). The load test measures staff
    pages against it, public pages against `healthz`; served only when THIDUA_BENCH_VIEWS is on."""
    if not settings.THIDUA_BENCH_VIEWS:
        raise Http404
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    """The public portal's home for visitors; signed-in staff go on to their dashboard, as they did before
    the portal (the brand link of every staff page leads here)."""
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    from thidua.portal.views import home as portal_home

    return portal_home(request)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.dashboard_overview(user=request.user)  # type: ignore[arg-type]
    return render(request, "core/dashboard.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require_perm(request, "core.view_audit")
    types = selectors.audit_target_types()
    filters: dict[str, Any] = {
        "actor": request.GET.get("actor", "").strip()[:150],
        "target_type": parse_choice(request.GET.get("target_type"), types),
        "target_id": request.GET.get("target_id", "").strip()[:64],
        "date_from": parse_date(request.GET.get("date_from")),
        "date_to": parse_date(request.GET.get("date_to")),
        "text": request.GET.get("text", "").strip()[:200],
    }
    page = paginate(request, selectors.audit_search(**filters))
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "types": types, "filtered": any(filters.values()), **filters},
    )
