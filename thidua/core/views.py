from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thidua.core import selectors


def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer or a monitor: the process answers. No database, no session, no template, so
    it is also the floor every page's cost is measured against (docs/benchmarks.md)."""
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
