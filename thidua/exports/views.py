"""The background exports' pages: a job's progress, its file, and the user's own recent files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from thidua.core.http import current_user
from thidua.core.xlsx import XLSX_CONTENT_TYPE, xlsx_response
from thidua.exports import selectors, services
from thidua.exports.models import ExportJob, ExportStatus
from thidua.exports.registry import ExportSpec


def export_or_queue(request: HttpRequest, user: Any, kind: str, spec: ExportSpec) -> HttpResponseBase:
    """A small list downloads at once; a large one goes to a background task so the web worker stays free."""
    if spec.total <= settings.THIDUA_EXPORT_INLINE_ROWS:
        return xlsx_response(
            filename=spec.filename, title=spec.title, headers=spec.headers, rows=spec.rows, widths=spec.widths
        )
    params = {key: request.GET.getlist(key) for key in request.GET if key != "export"}
    job = services.export_job_create(actor=user, kind=kind, params=params, rows_total=spec.total)
    return redirect("exports:job", job.pk)


def _own(request: HttpRequest, pk: int) -> ExportJob:
    job = selectors.own_job(user=current_user(request), job_id=pk)
    if job is None:
        raise Http404
    return job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exports/list.html", {"jobs": selectors.own_jobs(user=current_user(request))})


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "exports/job.html", {"job": _own(request, pk), "keep_days": settings.THIDUA_EXPORT_KEEP_DAYS}
    )


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, asked for every second by the job page while the task runs."""
    found = _own(request, pk)
    response = render(request, "exports/job.html#progress", {"job": found})
    if not found.in_progress and getattr(request, "htmx", False):
        # Finished: the whole page again, with the download link or the failure (htmx stops asking).
        response["HX-Refresh"] = "true"
    return response


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = _own(request, pk)
    if found.status != ExportStatus.DONE or not found.file:
        raise Http404
    return FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.filename, content_type=XLSX_CONTENT_TYPE
    )
