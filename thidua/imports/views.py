from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.http import current_user, require_perm
from thidua.core.xlsx import XLSX_CONTENT_TYPE, xlsx_response
from thidua.imports import selectors, services
from thidua.imports.forms import UploadForm
from thidua.imports.models import IN_PROGRESS, ImportBatch, ImportKind, ImportStatus
from thidua.imports.templates_spec import SPECS, build_template

# More rows than this make the page unwieldy; the full list is offered as an Excel file instead.
ERROR_DISPLAY_LIMIT = 1000


IMPORT_PERM = "imports.import_data"


def _index_context(
    request: HttpRequest, *, failed: UploadForm | None = None, file_error: str = ""
) -> dict[str, Any]:
    failed_kind = failed.data.get("kind") if failed is not None else None
    cards = []
    for kind, label in ImportKind.choices:
        own = failed is not None and failed_kind == kind
        cards.append(
            {
                "kind": kind,
                "label": label,
                "form": failed if own else UploadForm(initial={"kind": kind}),
                "file_error": file_error if own else "",
                "columns": SPECS[kind].headers,
            }
        )
    if failed is not None and failed_kind not in SPECS:
        cards[0]["form"] = failed
        cards[0]["file_error"] = file_error
    return {
        "cards": cards,
        "batches": selectors.recent_batches(user=current_user(request)),
        "max_megabytes": settings.THIDUA_IMPORT_MAX_BYTES / (1024 * 1024),
        "max_rows": settings.THIDUA_IMPORT_MAX_ROWS,
    }


@login_required
def index(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, IMPORT_PERM)
    if request.method != "POST":
        return render(request, "imports/index.html", _index_context(request))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "imports/index.html", _index_context(request, failed=form), status=400)
    upload = form.cleaned_data["file"]
    # Never more than one byte past the limit, whatever was sent: enough to know it is too large.
    data = upload.read(settings.THIDUA_IMPORT_MAX_BYTES + 1)
    try:
        # The check itself runs in the background: this request only keeps the file and queues it.
        batch = services.import_upload(
            actor=user, kind=form.cleaned_data["kind"], file_name=upload.name or "", data=data
        )
    except services.UploadRefused as refused:
        context = _index_context(request, failed=form, file_error=str(refused))
        return render(request, "imports/index.html", context, status=400)
    return redirect("imports:batch", pk=batch.pk)


@login_required
def template(request: HttpRequest, kind: str) -> FileResponse:
    user = require_perm(request, IMPORT_PERM)
    if kind not in SPECS:
        raise Http404
    data = build_template(kind, units=selectors.template_units(user=user))
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=SPECS[kind].download_name,
        content_type=XLSX_CONTENT_TYPE,
    )


def _managed_batch(request: HttpRequest, pk: int, *, light: bool = False) -> ImportBatch:
    """A batch the user may see and act on; any other answers 404, as a record out of scope does.

    light: without the kept errors and preview, for the progress bar asked for every second.
    """
    user = require_perm(request, IMPORT_PERM)
    batches = ImportBatch.objects.select_related("uploaded_by")
    if light:
        batches = batches.defer("errors", "preview")
    batch = get_object_or_404(batches, pk=pk)
    if not services.can_manage_batch(user, batch):
        raise Http404
    return batch


def _committed_message(batch: ImportBatch) -> str:
    done = _(
        "Đã ghi vào sổ tệp «{name}»: {created} bản ghi mới, {unchanged} bản ghi đã có (không ghi trùng)."
    ).format(name=batch.file_name, created=batch.created_count, unchanged=batch.unchanged_count)
    if batch.moved_count:
        done += " " + _("{moved} cá nhân chuyển sang đơn vị mới.").format(moved=batch.moved_count)
    return done


def _progress(batch: ImportBatch) -> dict[str, Any]:
    """What the progress bar shows: rows checked (or records written) of how many, and the percentage."""
    phase, done, total = "read", batch.progress_done, batch.progress_total
    if batch.status == ImportStatus.COMMITTING:
        reported = services.commit_progress(batch) or {}
        phase, done, total = reported.get("phase", "read"), reported.get("done", 0), reported.get("total", 0)
    # No total yet: the file did not say how many rows it has, so the bar counts rows without a percentage.
    percent = min(100, done * 100 // total) if total else None
    if batch.status not in IN_PROGRESS:
        label, percent = _("Đã xong."), 100
    elif phase == "write":
        label = _("Đã ghi {done} / {total} bản ghi mới")
    elif total and done >= total:
        label = _("Đã đọc {done} / {total} dòng; đang đối chiếu với dữ liệu trong sổ")
    elif total:
        label = _("Đã kiểm tra {done} / {total} dòng")
    elif done:
        label = _("Đã kiểm tra {done} dòng")
    else:
        label = _("Đang mở tệp…")
    return {
        "percent": percent,
        "label": label.format(done=f"{done:,}".replace(",", "."), total=f"{total:,}".replace(",", ".")),
        "writing": phase == "write",
    }


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed_batch(request, pk)
    if found.status in (ImportStatus.REJECTED, ImportStatus.VALIDATED):
        validation = selectors.validation_of(found)
        return render(
            request,
            "imports/result.html",
            {
                "validation": validation,
                "rejected_batch": found
                if found.status == ImportStatus.VALIDATED and not validation.ok
                else None,
                "shown_errors": validation.errors[:ERROR_DISPLAY_LIMIT],
                "errors_truncated": validation.error_count > ERROR_DISPLAY_LIMIT,
                "error_limit": ERROR_DISPLAY_LIMIT,
                "errors_batch": found,
            },
        )
    return render(
        request,
        "imports/batch.html",
        {
            "batch": found,
            "progress": _progress(found),
            "in_progress": found.status in IN_PROGRESS,
            "committed_message": _committed_message(found) if found.status == ImportStatus.COMMITTED else "",
        },
    )


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, asked for every second by the batch page while a task works on the batch."""
    found = _managed_batch(request, pk, light=True)
    in_progress = found.status in IN_PROGRESS
    response = render(
        request,
        "imports/batch.html#progress",
        {"batch": found, "progress": _progress(found), "in_progress": in_progress},
    )
    if not in_progress and getattr(request, "htmx", False):
        # Done: the whole page again, which now shows the result (htmx stops asking).
        response["HX-Refresh"] = "true"
    return response


@login_required
def errors(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every row error of a checked file, as an Excel list (the page shows only the first ones)."""
    found = _managed_batch(request, pk)
    if not found.error_count:
        raise Http404
    return xlsx_response(
        filename="loi-nhap-du-lieu.xlsx",
        title=_("Lỗi"),
        headers=[_("Dòng"), _("Cột"), _("Lỗi")],
        rows=((e.row, e.column, e.message) for e in selectors.batch_errors(found)),
        widths=[8, 24, 90],
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed_batch(request, pk)
    try:
        services.import_confirm(actor=request.user, batch=found)
    except services.ImportStateError as problem:
        messages.error(request, str(problem))
    return redirect("imports:batch", pk=found.pk)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed_batch(request, pk)
    try:
        services.import_retry(actor=request.user, batch=found)
    except services.ImportStateError as problem:
        messages.error(request, str(problem))
    return redirect("imports:batch", pk=found.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed_batch(request, pk)
    try:
        services.import_cancel(actor=request.user, batch=found)
    except services.ImportStateError as problem:
        messages.error(request, str(problem))
    else:
        messages.info(
            request, _("Đã hủy lần nhập tệp «{name}»; không có gì được ghi.").format(name=found.file_name)
        )
    return redirect("imports:index")
