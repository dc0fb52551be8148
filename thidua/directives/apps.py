from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "thidua.directives"
    verbose_name = _("Theo dõi chỉ thị, kế hoạch, kiểm tra")
