from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.http import current_user, require_perm
from thidua.core.xlsx import XLSX_CONTENT_TYPE, xlsx_response
from thidua.imports import selectors, services
from thidua.imports.forms import UploadForm
from thidua.imports.models import ImportBatch, ImportKind
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
    validation = services.import_validate(
        actor=user, kind=form.cleaned_data["kind"], file_name=upload.name or "", data=data
    )
    if validation.file_error:
        context = _index_context(request, failed=form, file_error=validation.file_error)
        return render(request, "imports/index.html", context, status=400)
    if validation.errors and form.cleaned_data["errors_as_xlsx"]:
        return xlsx_response(
            filename="loi-nhap-du-lieu.xlsx",
            title=_("Lỗi"),
            headers=[_("Dòng"), _("Cột"), _("Lỗi")],
            rows=((e.row, e.column, e.message) for e in validation.errors),
            widths=[8, 24, 90],
        )
    return render(
        request,
        "imports/result.html",
        {
            "validation": validation,
            "shown_errors": validation.errors[:ERROR_DISPLAY_LIMIT],
            "errors_truncated": len(validation.errors) > ERROR_DISPLAY_LIMIT,
            "error_limit": ERROR_DISPLAY_LIMIT,
        },
    )


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


def _managed_batch(request: HttpRequest, pk: int) -> ImportBatch:
    user = require_perm(request, IMPORT_PERM)
    batch = get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=pk)
    if not services.can_manage_batch(user, batch):
        raise PermissionDenied
    return batch


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _managed_batch(request, pk)
    try:
        batch = services.import_commit(actor=request.user, batch=batch)
    except services.ImportRejected as rejected:
        validation = rejected.validation
        return render(
            request,
            "imports/result.html",
            {
                "validation": validation,
                "rejected_batch": batch,
                "shown_errors": validation.errors[:ERROR_DISPLAY_LIMIT],
                "errors_truncated": len(validation.errors) > ERROR_DISPLAY_LIMIT,
                "error_limit": ERROR_DISPLAY_LIMIT,
            },
            status=409,
        )
    except services.ImportStateError as problem:
        messages.error(request, str(problem))
        return redirect("imports:index")
    done = _(
        "Đã ghi vào sổ tệp «{name}»: {created} bản ghi mới, {unchanged} bản ghi đã có (không ghi trùng)."
    ).format(name=batch.file_name, created=batch.created_count, unchanged=batch.unchanged_count)
    if batch.moved_count:
        done += " " + _("{moved} cá nhân chuyển sang đơn vị mới.").format(moved=batch.moved_count)
    messages.success(request, done)
    return redirect("imports:index")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _managed_batch(request, pk)
    try:
        services.import_cancel(actor=request.user, batch=batch)
    except services.ImportStateError as problem:
        messages.error(request, str(problem))
    else:
        messages.info(
            request, _("Đã hủy lần nhập tệp «{name}»; không có gì được ghi.").format(name=batch.file_name)
        )
    return redirect("imports:index")
