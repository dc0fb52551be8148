"""`thidua audit verify`: check the audit log's hash chain (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.audit import audit_verify


class Command(BaseCommand):
    help = "Kiểm tra chuỗi mã băm của nhật ký thao tác (thidua audit verify)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="verify: kiểm tra chuỗi mã băm")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.broken is not None:
            row = report.broken
            at = timezone.localtime(row.at).strftime("%d/%m/%Y %H:%M:%S")
            why = (
                _("mã băm dòng trước không khớp (có dòng bị xóa, chèn hoặc sửa trước đó)")
                if report.reason == "prev_hash"
                else _("nội dung dòng không khớp mã băm (dòng đã bị sửa)")
            )
            raise CommandError(
                (
                    _("Chuỗi nhật ký bị phá vỡ tại dòng id=%(id)s, thời điểm %(at)s: %(why)s.")
                    + " "
                    + _("%(count)s dòng trước đó hợp lệ.")
                )
                % {"id": row.pk, "at": at, "why": why, "count": report.count},
                returncode=1,
            )
        self.stdout.write(_("Chuỗi nhật ký hợp lệ: %(count)s dòng.") % {"count": report.count})
