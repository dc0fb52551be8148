"""`thidua backup [--output PATH]`: one archive with the database, the uploaded files and the secret key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from thidua.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu, tệp tải lên và khóa bí mật vào một tệp .tar.gz (quyền 0600)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="đường dẫn tệp sao lưu (mặc định THIDUA_HOME/sao-luu/)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path, manifest = backup_create(output=options["output"])
        except BackupError as problem:
            raise CommandError(str(problem), returncode=1) from None
        media = sum(1 for name in manifest["members"] if name.startswith("media/"))
        size = path.stat().st_size
        self.stdout.write(
            _(
                "Đã sao lưu vào %(path)s (%(size)s byte): cơ sở dữ liệu %(vendor)s, %(media)s tệp tải lên, khóa bí mật."  # noqa: E501
            )
            % {"path": path, "size": size, "vendor": manifest["db_vendor"], "media": media}
        )
