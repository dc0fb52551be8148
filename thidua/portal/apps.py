from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "thidua.portal"
    verbose_name = _("Cổng thông tin điển hình tiên tiến")

    def ready(self) -> None:
        from thidua.portal import signals  # noqa: F401
