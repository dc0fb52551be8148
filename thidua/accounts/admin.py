from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import User
from thidua.core.admin_audit import CHANGED, AuditedAdmin, admin_audit


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
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

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # The password page saves the user without save_model: its audit row is written here, with only
        # the fact of the change (never a hash).
        with transaction.atomic():
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=id).first()
            if user is not None and before is not None and user.password != before:
                admin_audit(
                    request=request,
                    obj=user,
                    action="password_change",
                    changes={"password": [CHANGED, CHANGED]},
                )
        return response
