from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "thidua.appraisal"
    verbose_name = _("Thẩm định, phát hiện điển hình")

    def ready(self) -> None:
        checks.register(every_condition_is_described)


def every_condition_is_described(**kwargs: Any) -> list[checks.CheckMessage]:
    """The rulebook page describes every condition from its check; one without a description is an error
    when the project starts, not a raw code on the page."""
    from thidua.appraisal.rulebook import undescribed_conditions

    return [
        checks.Error(f"Điều kiện không có mô tả: {where}", id="appraisal.E001")
        for where in undescribed_conditions()
    ]
