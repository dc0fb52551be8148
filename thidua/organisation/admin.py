from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thidua.organisation.models import Bloc, BlocMembership, Household, Person, PositionHistory, Unit


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind", "is_border", "is_highland", "is_especially_difficult")
    search_fields = ("code", "name", "search_text")
    autocomplete_fields = ("parent", "successor")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "gender", "birth_date", "unit", "category")
    list_filter = ("gender", "category")
    search_fields = ("search_text", "identity_number")
    autocomplete_fields = ("unit",)


@admin.register(PositionHistory)
class PositionHistoryAdmin(SimpleHistoryAdmin):
    list_display = ("person", "unit", "position", "start_date", "end_date")
    autocomplete_fields = ("person", "unit")


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ("code", "head_name", "unit", "village")
    search_fields = ("search_text", "code")
    autocomplete_fields = ("unit",)


class BlocMembershipInline(admin.TabularInline):
    model = BlocMembership
    autocomplete_fields = ("unit",)
    extra = 0


@admin.register(Bloc)
class BlocAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind")
    inlines = [BlocMembershipInline]
