"""Vietnamese words for the stable codes, and the number and date formats of appraisal reports."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

RATING_LABELS = {
    "HTXSNV": "hoàn thành xuất sắc nhiệm vụ",
    "HTTNV": "hoàn thành tốt nhiệm vụ",
    "HTNV": "hoàn thành nhiệm vụ",
    "KHTNV": "không hoàn thành nhiệm vụ",
}

SCOPE_LABELS = {
    "co_so": "cơ sở",
    "tinh": "Bộ, ban, ngành, tỉnh",
    "toan_quoc": "toàn quốc",
}

KIND_LABELS = {
    "cong_trang": "công trạng",
    "chuyen_de": "thi đua theo chuyên đề",
    "dot_xuat": "đột xuất",
    "cong_hien": "quá trình cống hiến",
    "nien_han": "theo niên hạn",
    "doi_ngoai": "đối ngoại",
    "khang_chien": "kháng chiến",
}

RECIPIENT_LABELS = {
    "individual": "cá nhân",
    "collective": "tập thể",
    "household": "hộ gia đình",
}

DISCIPLINE_LABELS = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
    "khai_tru": "khai trừ",
}

INITIATIVE_TYPE_LABELS = {"sang_kien": "sáng kiến", "de_tai": "đề tài khoa học"}

MOVEMENT_KIND_LABELS = {"thematic": "theo chuyên đề", "regular": "thường xuyên"}

BLOC_ROLE_LABELS = {"leader": "khối trưởng (dẫn đầu)", "deputy": "khối phó", "member": "thành viên"}

MEMBER_STAT_LABELS = {
    "total": "tổng số cá nhân",
    "ldtt": "cá nhân đạt danh hiệu “Lao động tiên tiến”",
    "cstdcs": "cá nhân đạt danh hiệu “Chiến sĩ thi đua cơ sở”",
    "completed_tasks": "cá nhân hoàn thành nhiệm vụ",
    "disciplined_canh_cao_or_above": "cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
}


def rating_at_least(code: str) -> str:
    """'hoàn thành tốt nhiệm vụ trở lên'; the top rating needs no 'trở lên'."""
    label = RATING_LABELS[code]
    return label if code == "HTXSNV" else f"{label} trở lên"


def count2(n: int) -> str:
    """Counts in legal texts are written with two digits: '03 lần', '05 năm'."""
    return f"{n:02d}"


def vn_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def years_text(years: Iterable[int]) -> str:
    items = sorted(years)
    return ", ".join(str(y) for y in items) if items else "không có"


def span_text(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def percent(value: float) -> str:
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def long_date(value: date) -> str:
    """'ngày 05 tháng 01 năm 2026': Decree 30/2020/NĐ-CP (Phụ lục I) writes a day below 10 and the months 1
    and 2 with a leading zero, so that nothing can be written in front of them later."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"
