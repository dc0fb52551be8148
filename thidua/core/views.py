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
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html", selectors.public_overview())


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.dashboard_overview(user=request.user)  # type: ignore[arg-type]
    return render(request, "core/dashboard.html", context)
