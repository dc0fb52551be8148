"""`thidua prune_exports`: delete the files of background exports older than THIDUA_EXPORT_KEEP_DAYS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from thidua.exports.services import export_files_prune


class Command(BaseCommand):
    help = (
        "Xóa tệp của các lần xuất Excel ở chế độ nền đã quá THIDUA_EXPORT_KEEP_DAYS ngày (bản ghi vẫn giữ). "
        "Máy chạy tác vụ nền cũng làm việc này trước mỗi lần xuất."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        pruned = export_files_prune()
        self.stdout.write(f"Đã xóa {pruned} tệp xuất quá {settings.THIDUA_EXPORT_KEEP_DAYS} ngày.")
