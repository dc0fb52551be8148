from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    autocomplete_fields = ("unit",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Thi đua, khen thưởng"), {"fields": ("full_name", "role", "unit")}),
    )
