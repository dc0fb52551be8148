from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "thidua.core"
    verbose_name = _("Dùng chung")

    def ready(self) -> None:
        # django.contrib.admin comes first in INSTALLED_APPS, so every admin module is registered by now.
        from django.contrib import admin

        from thidua.core.admin_audit import audit_every_admin

        audit_every_admin(admin.site)
