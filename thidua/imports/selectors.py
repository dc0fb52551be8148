from __future__ import annotations

import gzip
import json

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from thidua.accounts.models import User
from thidua.accounts.scope import scope_q
from thidua.imports.analysis import RowError
from thidua.imports.models import ImportBatch, ImportStatus
from thidua.imports.services import ImportValidation, PreviewRow
from thidua.imports.templates_spec import SPECS
from thidua.organisation.models import Unit

# The unit sheet of a template is a convenience; a whole province fits well within this.
TEMPLATE_UNIT_LIMIT = 5000


def recent_batches(*, user: User, limit: int = 20) -> QuerySet[ImportBatch]:
    """The user's own recent imports; province-wide staff see everyone's, as they may confirm them."""
    # Without the kept errors and preview (up to a thousand rows each), which the list does not show.
    batches = (
        ImportBatch.objects.select_related("uploaded_by", "unit")
        .defer("errors", "preview")
        .order_by("-created_at")
    )
    if not user.is_province_wide:
        batches = batches.filter(uploaded_by=user)
    return batches[:limit]


def template_units(*, user: User) -> list[tuple[str, str]]:
    """Codes and names of the units the user may import for, listed in the downloaded template."""
    units = Unit.objects.filter(scope_q(user, None)).order_by("sort_key")
    return list(units.values_list("code", "name")[:TEMPLATE_UNIT_LIMIT])


def batch_errors(batch: ImportBatch) -> list[RowError]:
    """Every row error of a rejected batch, for the Excel list."""
    if batch.errors_file:
        with default_storage.open(batch.errors_file, "rb") as handle:
            rows = json.loads(gzip.decompress(handle.read()))
        return [RowError(row=row, column=column, message=message) for row, column, message in rows]
    return [RowError(**e) for e in batch.errors]


def validation_of(batch: ImportBatch) -> ImportValidation:
    """The result page's view of a checked batch, from what the check kept."""
    errors = [RowError(**e) for e in batch.errors]
    result = ImportValidation(
        kind=batch.kind,
        file_name=batch.file_name,
        headers=SPECS[batch.kind].headers,
        file_error=batch.file_error,
        errors=errors,
        row_count=batch.row_count,
        new_count=batch.created_count,
        existing_count=batch.unchanged_count,
        moved_count=batch.moved_count,
        preview=[PreviewRow(**p) for p in batch.preview],
        batch=batch if batch.status == ImportStatus.VALIDATED else None,
        total_errors=batch.error_count,
        total_error_rows=batch.error_row_count,
    )
    if batch.status == ImportStatus.VALIDATED:
        result.previous_commit = (
            ImportBatch.objects.filter(
                kind=batch.kind, file_sha256=batch.file_sha256, status=ImportStatus.COMMITTED
            )
            .order_by("committed_at")
            .first()
        )
    return result
