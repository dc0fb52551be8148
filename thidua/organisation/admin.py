from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from thidua.awards.models import AwardRecord
from thidua.core import tallies
from thidua.organisation.models import (
    Authority,
    Bloc,
    BlocMembership,
    Household,
    Person,
    PositionHistory,
    Unit,
)


def _save_moving_awards(obj: Person | Household, form: Any, change: bool, save: Callable[[], None]) -> None:
    """Save; when the person or household moves to another unit, its awards move in the dashboard's
    totals (core.AwardTally) too: uncounted from the old unit before the save, counted in the new after."""
    moved = change and "unit" in form.changed_data
    field = "person" if isinstance(obj, Person) else "household"
    records = AwardRecord.objects.filter(**{field: obj.pk})
    if moved:
        tallies.remove(records)
    save()
    if moved:
        tallies.add(records)


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind", "is_border", "is_highland", "is_especially_difficult")
    search_fields = ("code", "name", "search_text")
    autocomplete_fields = ("parent", "successor")


@admin.register(Authority)
class AuthorityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "abbreviation", "head_title", "unit", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "abbreviation", "unit__name")
    autocomplete_fields = ("unit",)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "gender", "birth_date", "unit", "category")
    list_filter = ("gender", "category")
    search_fields = ("search_text", "identity_number")
    autocomplete_fields = ("unit",)

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        _save_moving_awards(
            obj, form, change, lambda: super(PersonAdmin, self).save_model(request, obj, form, change)
        )


@admin.register(PositionHistory)
class PositionHistoryAdmin(SimpleHistoryAdmin):
    list_display = ("person", "unit", "position", "start_date", "end_date")
    autocomplete_fields = ("person", "unit")


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ("code", "head_name", "unit", "village")
    search_fields = ("search_text", "code")
    autocomplete_fields = ("unit",)

    def save_model(self, request: HttpRequest, obj: Household, form: Any, change: bool) -> None:
        _save_moving_awards(
            obj, form, change, lambda: super(HouseholdAdmin, self).save_model(request, obj, form, change)
        )


class BlocMembershipInline(admin.TabularInline):
    model = BlocMembership
    autocomplete_fields = ("unit",)
    extra = 0


@admin.register(Bloc)
class BlocAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind")
    inlines = [BlocMembershipInline]
