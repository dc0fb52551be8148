"""`thidua remind`: send the reminders of directive tasks that fall due (run it once a day, e.g. by cron
at 07:00; a second run sends nothing more)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from thidua.directives.services import send_reminders


class Command(BaseCommand):
    help = "Gửi nhắc hạn báo cáo nhiệm vụ của chỉ thị, kế hoạch (mỗi đơn vị, mỗi hạn một lần)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_reminders()
        self.stdout.write(f"Đã gửi {count} nhắc hạn.")
