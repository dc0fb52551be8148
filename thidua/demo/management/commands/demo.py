"""`thidua demo`: load the generated demo province (Lai Châu after the 2025 reform) once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.awards.models import AwardType
from thidua.demo import data as D
from thidua.demo.generator import vn_number
from thidua.demo.loader import DemoError, LoadResult, demo_load

COUNT_LABELS = {
    "units": "Đơn vị",
    "people": "Cá nhân",
    "households": "Hộ gia đình",
    "blocs": "Khối, cụm thi đua",
    "memberships": "Lượt thành viên khối",
    "decisions": "Quyết định khen thưởng",
    "awards": "Bản ghi khen thưởng",
    "ratings": "Kết quả xếp loại hằng năm",
    "initiatives": "Sáng kiến, đề tài",
    "disciplines": "Kỷ luật",
    "investigations": "Xem xét, xác minh",
    "users": "Tài khoản mẫu",
    "role_models": "Điển hình tiên tiến đã đề cử",
    "published_decisions": "Quyết định khen thưởng đã công bố",
}


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(out)


class Command(BaseCommand):
    help = (
        "Nạp tỉnh mẫu (Lai Châu sau sắp xếp 2025): đơn vị, cá nhân, hộ gia đình, khối thi đua và "
        "10 năm xếp loại, khen thưởng theo chuỗi danh hiệu của Luật. Dữ liệu sinh tất định từ hạt giống; "
        "chạy lại không thay đổi gì. Mọi tài khoản mẫu dùng mật khẩu thiduatinh2026 (chỉ để trình diễn)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=5000, help="số cá nhân (mặc định 5.000)")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (mặc định 2026)")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="không ghi bảng lịch sử thay đổi (nhanh hơn, chỉ nên dùng cho đo hiệu năng)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people = options["people"]
        if people < 50:
            raise CommandError("Số cá nhân (--people) phải từ 50 trở lên.")
        try:
            result = demo_load(
                people=people,
                seed=options["seed"],
                history=not options["no_history"],
                progress=lambda message: self.stdout.write(message),
            )
        except DemoError as error:
            raise CommandError(str(error)) from error
        if not result.created:
            self.stdout.write(
                f"Tỉnh mẫu đã được nạp trước đó ({vn_number(result.people)} cá nhân, "
                f"hạt giống {result.seed}); không thay đổi gì."
            )
        else:
            self.report(result)
        self.stdout.write("")
        self.stdout.write("Tài khoản mẫu (chỉ để trình diễn, đổi hoặc khóa trước khi dùng thật):")
        self.stdout.write(table(result.users, ("Tên đăng nhập", "Vai trò", "Đơn vị", "Mật khẩu")))
        self.stdout.write(
            "Chuyên viên thẩm định, thành viên Hội đồng, Chủ tịch và quản trị cần thêm mã xác thực hai lớp: "
            f"thêm khóa mẫu {D.DEMO_TOTP_SECRET} vào ứng dụng xác thực (chỉ để trình diễn)."
        )

    def report(self, result: LoadResult) -> None:
        self.stdout.write("")
        elapsed = f"{result.seconds:.1f}".replace(".", ",")
        self.stdout.write(f"Đã nạp tỉnh mẫu trong {elapsed} giây.")
        rows = [(COUNT_LABELS[k], vn_number(v)) for k, v in result.counts.items() if k in COUNT_LABELS]
        self.stdout.write(table(rows, ("Loại dữ liệu", "Số lượng")))
        self.stdout.write("")
        names = dict(AwardType.objects.values_list("code", "name"))
        awards = [(code, names.get(code, ""), vn_number(n)) for code, n in result.award_counts.items()]
        self.stdout.write(table(awards, ("Mã", "Danh hiệu, hình thức khen thưởng", "Số bản ghi")))
