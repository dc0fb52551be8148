from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from thidua.awards.models import (
    AwardRecord,
    AwardType,
    Decision,
    Discipline,
    Initiative,
    Investigation,
    YearlyRating,
)
from thidua.core import tallies
from thidua.core.admin_audit import AuditedAdmin


@admin.register(AwardType)
class AwardTypeAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "category", "level", "legal_basis", "is_active")
    list_filter = ("category", "level")
    search_fields = ("code", "name")


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("number", "date", "issuing_authority", "signer_name", "source")
    search_fields = ("search_text", "number")
    date_hierarchy = "date"


@admin.register(AwardRecord)
class AwardRecordAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("award_type", "year", "kind", "person", "unit", "household", "decision")
    list_filter = ("award_type", "kind", "source")
    autocomplete_fields = ("person", "unit", "household", "decision")
    raw_id_fields = ("initiatives",)

    # The dashboard's totals (core.AwardTally) follow what the admin changes, inside its transaction.
    def save_model(self, request: HttpRequest, obj: AwardRecord, form: Any, change: bool) -> None:
        if change:
            tallies.remove(AwardRecord.objects.filter(pk=obj.pk))
        super().save_model(request, obj, form, change)
        tallies.add(AwardRecord.objects.filter(pk=obj.pk))

    def delete_model(self, request: HttpRequest, obj: AwardRecord) -> None:
        tallies.remove(AwardRecord.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AwardRecord]) -> None:
        tallies.remove(queryset)
        super().delete_queryset(request, queryset)


@admin.register(YearlyRating)
class YearlyRatingAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("year", "rating", "person", "unit")
    autocomplete_fields = ("person", "unit")


@admin.register(Initiative)
class InitiativeAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "type", "year", "scope", "person", "unit")
    search_fields = ("title",)
    autocomplete_fields = ("person", "unit")


@admin.register(Discipline)
class DisciplineAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("person", "level", "start_date", "end_date")
    autocomplete_fields = ("person",)


@admin.register(Investigation)
class InvestigationAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("person", "reason", "since", "closed_on")
    autocomplete_fields = ("person",)
