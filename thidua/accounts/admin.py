from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "unit", "authority", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    autocomplete_fields = ("unit", "authority")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Thi đua, khen thưởng"),
            {
                "fields": ("full_name", "role", "unit", "authority"),
                "description": _(
                    "Chuyên viên thẩm định, thành viên Hội đồng và Chủ tịch giữ vai trò tại một cấp có thẩm "
                    "quyền; để trống thì lấy cấp gần nhất của đơn vị công tác."
                ),
            },
        ),
    )
