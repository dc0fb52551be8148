from django.contrib import admin
from django.http import HttpRequest

from thidua.core.admin_audit import AuditedAdmin
from thidua.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(AuditedAdmin, admin.ModelAdmin):
    """Read-only: a batch changes only through the import services, which keep the audit trail."""

    list_display = (
        "file_name",
        "kind",
        "status",
        "row_count",
        "created_count",
        "unchanged_count",
        "uploaded_by",
        "created_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("file_name", "file_sha256")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
