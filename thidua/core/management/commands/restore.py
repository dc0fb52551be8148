"""`thidua restore PATH`: put a backup back on a new, empty installation, then check the audit chain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Phục hồi một tệp sao lưu vào bản cài đặt mới, trống (kiểm tra mã SHA-256 trước khi ghi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="tệp sao lưu .tar.gz do `thidua backup` tạo")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(path=options["path"])
        except BackupError as problem:
            raise CommandError(str(problem), returncode=1) from None
        manifest = report.manifest
        try:
            made = timezone.localtime(dt.datetime.fromisoformat(manifest["created_at"])).strftime(
                "%d/%m/%Y %H:%M"
            )
        except (KeyError, TypeError, ValueError):
            made = "?"
        self.stdout.write(
            _(
                "Đã phục hồi bản sao lưu lúc %(at)s (phiên bản %(version)s): cơ sở dữ liệu, %(files)s tệp, khóa bí mật."  # noqa: E501
            )
            % {
                "at": made,
                "version": manifest.get("version", ""),
                "files": report.files,
            }
        )
        for note in report.notes:
            self.stdout.write(note)
        if report.audit_broken is not None:
            row = report.audit_broken
            raise CommandError(
                _("Chuỗi nhật ký bị phá vỡ tại dòng id=%(id)s, thời điểm %(at)s.")
                % {"id": row.pk, "at": timezone.localtime(row.at).strftime("%d/%m/%Y %H:%M:%S")},
                returncode=1,
            )
        self.stdout.write(_("Chuỗi nhật ký hợp lệ: %(count)s dòng.") % {"count": report.audit_rows})
