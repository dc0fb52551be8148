from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoLoad(models.Model):
    """Marks that the demo province was loaded, with its parameters, so a second load changes nothing."""

    seed = models.PositiveIntegerField(_("hạt giống"))
    people = models.PositiveIntegerField(_("số cá nhân"))
    # The plan's fingerprint and row counts tell later runs (and the benchmark) exactly what is loaded.
    digest = models.CharField(_("dấu vân tay dữ liệu"), max_length=64, blank=True)
    counts = models.JSONField(_("số bản ghi"), default=dict, blank=True)
    loaded_at = models.DateTimeField(_("nạp lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần nạp tỉnh mẫu")
        verbose_name_plural = _("các lần nạp tỉnh mẫu")

    def __str__(self) -> str:
        return f"{self.people} / {self.seed}"
