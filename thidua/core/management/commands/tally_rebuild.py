"""`thidua tally_rebuild [--check]`: recount the dashboard's registry totals from the award records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.core import tallies
from thidua.core.services import award_tallies_rebuild


class Command(BaseCommand):
    help = (
        "Đếm lại số lượt khen thưởng theo đơn vị, danh hiệu và năm (số liệu của trang Tổng quan) từ sổ "
        "khen thưởng. Thường không cần: mọi thao tác ghi khen thưởng đã cập nhật các số này; dùng sau khi "
        "sửa dữ liệu trực tiếp trong cơ sở dữ liệu. --check chỉ so sánh, không ghi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="chỉ so sánh với sổ; mã lỗi 1 nếu có khác biệt"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            drift = tallies.differences()
            for (unit, decision, award_type, year), kept, actual in drift[:20]:
                self.stdout.write(
                    f"đơn vị {unit}, quyết định {decision}, danh hiệu {award_type}, năm {year}: "
                    f"đang ghi {kept[0]} ({kept[1]} đã hủy bỏ), đếm được {actual[0]} ({actual[1]} đã hủy bỏ)"
                )
            if drift:
                raise CommandError(
                    f"{len(drift)} số liệu khác với sổ khen thưởng; chạy lại không có --check."
                )
            self.stdout.write("Số liệu trang Tổng quan khớp với sổ khen thưởng.")
            return
        differed, rows = award_tallies_rebuild(actor=None)
        self.stdout.write(
            f"Đã đếm lại: {rows} dòng số liệu; {differed} dòng đã khác với sổ trước khi đếm lại."
        )
