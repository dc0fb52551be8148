from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "thidua.proposals"
    verbose_name = _("Hồ sơ đề nghị khen thưởng")
