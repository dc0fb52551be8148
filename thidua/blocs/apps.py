from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocsConfig(AppConfig):
    name = "thidua.blocs"
    verbose_name = _("Chấm điểm khối, cụm thi đua")
