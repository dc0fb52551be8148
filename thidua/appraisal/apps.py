from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "thidua.appraisal"
    verbose_name = _("Thẩm định, phát hiện điển hình")

    def ready(self) -> None:
        checks.register(rulebooks_load)


def rulebooks_load(**kwargs: Any) -> list[checks.CheckMessage]:
    """The rulebooks of the configured province load when the project starts. The loader refuses a wrong
    data file and a condition its check cannot describe for the rulebook page; either stops the project
    here, with the loader's message, instead of failing on the first page that reads the rules."""
    from thidua.eligibility.rulebook import RulebookError, load_library

    try:
        load_library()
    except RulebookError as exc:
        return [checks.Error(str(exc), id="appraisal.E001")]
    return []
