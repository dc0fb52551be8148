from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from thidua.awards.models import AwardRecord
from thidua.core import tallies
from thidua.core.admin_audit import AuditedAdmin
from thidua.organisation.models import (
    Authority,
    Bloc,
    BlocMembership,
    Household,
    Person,
    PositionHistory,
    Unit,
)
from thidua.organisation.services import person_move, person_move_check


def _save_moving_awards(obj: Household, form: Any, change: bool, save: Callable[[], None]) -> None:
    """Save; when the household moves to another unit, its awards move in the dashboard's totals
    (core.AwardTally) too: uncounted from the old unit before the save, counted in the new after."""
    moved = change and "unit" in form.changed_data
    records = AwardRecord.objects.filter(household=obj.pk)
    if moved:
        tallies.remove(records)
    save()
    if moved:
        tallies.add(records)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind", "is_border", "is_highland", "is_especially_difficult")
    search_fields = ("code", "name", "search_text")
    autocomplete_fields = ("parent", "successor")


@admin.register(Authority)
class AuthorityAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "level", "abbreviation", "head_title", "unit", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "abbreviation", "unit__name")
    autocomplete_fields = ("unit",)


def _moves(person: Person, changed: list[str]) -> bool:
    return person.pk is not None and bool({"unit", "position"} & set(changed))


class PersonAdminForm(forms.ModelForm):
    moved_on = forms.DateField(
        label=_("Ngày chuyển đơn vị, chức vụ"),
        required=False,
        help_text=_(
            "Khi đổi đơn vị công tác hoặc chức vụ: ngày bắt đầu ở đơn vị, chức vụ mới; để trống là hôm nay. "
            "Quá trình công tác được ghi tiếp theo ngày này."
        ),
    )

    class Meta:
        model = Person
        fields = (
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "birth_date",
            "ethnicity",
            "identity_number",
            "unit",
            "position",
            "category",
            "is_active",
        )

    def moves(self) -> bool:
        return _moves(self.instance, self.changed_data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if self.moves() and data.get("unit") is not None:
            try:
                person_move_check(
                    person=self.instance,
                    unit=data["unit"],
                    start_date=data.get("moved_on"),
                    position=data.get("position", ""),
                )
            except ValidationError as problem:
                errors = problem.message_dict
                raise ValidationError(
                    {("moved_on" if key == "start_date" else key): value for key, value in errors.items()}
                ) from None
        return data


@admin.register(Person)
class PersonAdmin(AuditedAdmin, SimpleHistoryAdmin):
    form = PersonAdminForm
    list_display = ("full_name", "gender", "birth_date", "unit", "category")
    list_filter = ("gender", "category")
    search_fields = ("search_text", "identity_number")
    autocomplete_fields = ("unit",)

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        if not (change and _moves(obj, form.changed_data)):
            super().save_model(request, obj, form, change)
            return
        # The other fields are saved first with the unit and position as they were, so the move records
        # the position left and the one taken (quá trình công tác) and moves the awards' totals.
        unit, position = obj.unit, obj.position
        obj.unit_id, obj.position = Person.objects.values_list("unit_id", "position").get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        opened = person_move(
            actor=request.user,
            person=obj,
            unit=unit,
            start_date=form.cleaned_data.get("moved_on"),
            position=position,
        )
        obj.unit, obj.position = opened.person.unit, opened.person.position


@admin.register(PositionHistory)
class PositionHistoryAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("person", "unit", "position", "start_date", "end_date")
    autocomplete_fields = ("person", "unit")


@admin.register(Household)
class HouseholdAdmin(AuditedAdmin, SimpleHistoryAdmin):
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
class BlocAdmin(AuditedAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "kind")
    inlines = [BlocMembershipInline]
