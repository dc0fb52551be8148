"""`thidua api_token USERNAME --name "..."`: create an API token and print it, the only time it is shown."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from thidua.accounts.models import User
from thidua.accounts.tokens import token_create


class Command(BaseCommand):
    help = (
        "Tạo khóa truy cập REST API cho một tài khoản và in khóa ra màn hình. Khóa chỉ hiện một lần: "
        "hệ thống chỉ lưu mã băm, nên hãy chép lại ngay. Khóa có quyền như chính tài khoản đó."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="tên đăng nhập của tài khoản dùng khóa")
        parser.add_argument(
            "--name", required=True, help="tên khóa, để nhận ra sau này (ví dụ: phần mềm quản lý văn bản)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{options['username']}”.")
        try:
            token, raw = token_create(actor=None, user=user, name=options["name"])
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise CommandError(" ".join(str(m) for m in messages)) from exc
        expires = timezone.localtime(token.expires_at).strftime("%d/%m/%Y") if token.expires_at else "—"
        self.stderr.write(
            f"Đã tạo khóa “{token.name}” cho {user.username}, hết hạn ngày {expires}. "
            "Khóa chỉ hiện một lần, hãy chép lại ngay:"
        )
        self.stdout.write(raw)
