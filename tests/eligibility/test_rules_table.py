"""One row per rule: the article in the test id, the data, the verdict, and the deciding conditions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.eligibility.helpers import ask, check_document, conditions


def years(first: int, last: int, value: Any) -> dict[str, Any]:
    return {str(y): value for y in range(first, last + 1)}


def titles(code: str, *ys: int, kind: str | None = None) -> list[dict[str, Any]]:
    return [{"award": code, "year": y, **({"kind": kind} if kind else {})} for y in ys]


NEW = "2026-01-20"  # vn-2025
MID = "2025-01-15"  # vn-2024
OLD = "2022-12-15"  # vn-2013

STAFF_2025 = {"ratings": {"2025": "HTTNV"}}

# Bằng khen of the Prime Minister and Huân chương Lao động hạng Ba keep open routes a person judges
# (Luật 2022 Điều 73 khoản 1 điểm a, c, d and khoản 2; Điều 44 khoản 1): when point b or e fails on the
# data, the verdict is "needs review", never "ineligible" (issue: ineligible only when every route is closed).
ROWS: list[tuple[str, dict[str, Any], str, int, str, str, str, dict[str, Any]]] = [
    # (id with article, candidate, award, year, as_of, kind, verdict, {condition code: met})
    (
        "Luật 2022 Điều 24 khoản 1 điểm a – LĐTT: hoàn thành tốt nhiệm vụ",
        STAFF_2025,
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"rating_httnv": True, "tinh_than_thi_dua": None},
    ),
    (
        "Luật 2022 Điều 24 khoản 1 điểm a – LĐTT: chỉ hoàn thành nhiệm vụ",
        {"ratings": {"2025": "HTNV"}},
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"rating_httnv": False, "not_rated": False},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 4 khoản 1 điểm b – LĐTT người lao động không xếp loại: cần người đánh giá",
        {},
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"not_rated": True, "lao_dong_hieu_qua": None},
    ),
    (
        "Luật 2022 Điều 24 – CSTT: quân nhân hoàn thành tốt nhiệm vụ",
        {"armed_forces": True, **STAFF_2025},
        "CSTT",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"armed_forces": True},
    ),
    (
        "Luật 2022 Điều 24 – CSTT: không thuộc lực lượng vũ trang",
        {"armed_forces": False, **STAFF_2025},
        "CSTT",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"armed_forces": False},
    ),
    (
        "Luật 2022 Điều 24 – CSTT: thiếu dữ liệu lực lượng vũ trang",
        STAFF_2025,
        "CSTT",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"armed_forces": None},
    ),
    (
        "Luật 2022 Điều 23 khoản 2 – CSTĐCS: LĐTT và hoàn thành xuất sắc, không cần sáng kiến",
        {"ratings": {"2024": "HTXSNV"}, "awards": titles("LDTT", 2024)},
        "CSTDCS",
        2024,
        MID,
        "cong_trang",
        "eligible",
        {"meets_ldtt": True, "rating_htxsnv": True},
    ),
    (
        "Luật 2022 Điều 23 khoản 2 – CSTĐCS: hoàn thành tốt và có sáng kiến cơ sở",
        {"ratings": {"2025": "HTTNV"}, "initiatives": [{"id": "s", "year": 2025, "scope": "co_so"}]},
        "CSTDCS",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"meets_ldtt": True, "initiative_co_so": True},
    ),
    (
        "Luật 2022 Điều 23 khoản 1 – CSTĐCS: chưa đạt tiêu chuẩn LĐTT",
        {"ratings": {"2025": "HTNV"}, "initiatives": [{"id": "s", "year": 2025, "scope": "tinh"}]},
        "CSTDCS",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"meets_ldtt": False},
    ),
    (
        "CV 5007/BNV-TĐKT mục III.5.c – CSTĐCS: sáng kiến đã dùng cho Bằng khen không dùng lại",
        {
            "ratings": {"2025": "HTTNV"},
            "initiatives": [{"id": "s", "year": 2025, "scope": "co_so"}],
            "awards": [{"award": "BK_TINH", "year": 2025, "initiatives_used": ["s"]}],
        },
        "CSTDCS",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"initiative_co_so": False, "rating_htxsnv": False},
    ),
    (
        "NĐ 91/2017 Điều 9 khoản 3 điểm b – CSTĐCS chế độ cũ: có sáng kiến",
        {
            "ratings": {"2022": "HTTNV"},
            "awards": titles("LDTT", 2022),
            "initiatives": [{"id": "s", "year": 2022, "scope": "co_so", "type": "de_tai"}],
        },
        "CSTDCS",
        2022,
        OLD,
        "cong_trang",
        "eligible",
        {"initiative_co_so": True},
    ),
    (
        "Luật 2022 Điều 22 – CSTĐ tỉnh: 03 lần liên tục CSTĐCS và sáng kiến phạm vi tỉnh",
        {
            "awards": titles("CSTDCS", 2023, 2024, 2025),
            "initiatives": [{"id": "t", "year": 2024, "scope": "tinh"}],
        },
        "CSTD_TINH",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"streak_cstdcs": True, "initiative_tinh": True},
    ),
    (
        "Luật 2022 Điều 22 – CSTĐ tỉnh: chuỗi CSTĐCS bị gián đoạn",
        {
            "awards": titles("CSTDCS", 2022, 2023, 2025),
            "initiatives": [{"id": "t", "year": 2024, "scope": "tinh"}],
        },
        "CSTD_TINH",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"streak_cstdcs": False},
    ),
    (
        "Luật 2022 Điều 22 – CSTĐ tỉnh: sáng kiến chỉ có phạm vi cơ sở",
        {
            "awards": titles("CSTDCS", 2023, 2024, 2025),
            "initiatives": [{"id": "t", "year": 2024, "scope": "co_so"}],
        },
        "CSTD_TINH",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"initiative_tinh": False},
    ),
    (
        "Luật 2022 Điều 21 – CSTĐ toàn quốc: sáng kiến đã dùng cho CSTĐ tỉnh",
        {
            "awards": [
                {"award": "CSTD_TINH", "year": 2022},
                {"award": "CSTD_TINH", "year": 2025, "initiatives_used": ["q"]},
            ],
            "initiatives": [{"id": "q", "year": 2025, "scope": "toan_quoc"}],
        },
        "CSTD_TQ",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"streak_cstd_tinh": True, "initiative_toan_quoc": False},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 4 khoản 2 điểm b – TTLĐTT: đúng 70% LĐTT",
        {
            "kind": "collective",
            "ratings": {"2025": "HTTNV"},
            "member_stats": {"2025": {"total": 20, "ldtt": 14, "disciplined_canh_cao_or_above": 0}},
        },
        "TTLDTT",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"ldtt_ratio": True, "no_canh_cao": True},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 4 khoản 2 điểm b – TTLĐTT: có cá nhân bị cảnh cáo",
        {
            "kind": "collective",
            "ratings": {"2025": "HTTNV"},
            "member_stats": {"2025": {"total": 20, "ldtt": 18, "disciplined_canh_cao_or_above": 1}},
        },
        "TTLDTT",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"no_canh_cao": False},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 4 khoản 2 điểm b – TTLĐTT: thiếu số liệu thành viên",
        {"kind": "collective", "ratings": {"2025": "HTTNV"}},
        "TTLDTT",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"ldtt_ratio": None},
    ),
    (
        "Luật 2003 sửa đổi 2013 Điều 28 – TTLĐTT chế độ cũ: đúng 50% chưa đủ (phải trên 50%)",
        {
            "kind": "collective",
            "ratings": {"2022": "HTTNV"},
            "member_stats": {"2022": {"total": 20, "ldtt": 10, "disciplined_canh_cao_or_above": 0}},
        },
        "TTLDTT",
        2022,
        OLD,
        "cong_trang",
        "ineligible",
        {"ldtt_ratio": False},
    ),
    (
        "Luật 2003 sửa đổi 2013 Điều 28 – TTLĐTT chế độ cũ: trên 50% LĐTT",
        {
            "kind": "collective",
            "ratings": {"2022": "HTTNV"},
            "member_stats": {"2022": {"total": 20, "ldtt": 11, "disciplined_canh_cao_or_above": 0}},
        },
        "TTLDTT",
        2022,
        OLD,
        "cong_trang",
        "eligible",
        {"ldtt_ratio": True},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 3 khoản 2 điểm b – TTLĐXS: không có CSTĐCS",
        {
            "kind": "collective",
            "ratings": {"2025": "HTXSNV"},
            "member_stats": {"2025": {"total": 10, "ldtt": 9, "cstdcs": 0, "completed_tasks": 10}},
        },
        "TTLDXS",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"has_cstdcs": False},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 3 khoản 2 điểm b – TTLĐXS: chưa 100% hoàn thành nhiệm vụ",
        {
            "kind": "collective",
            "ratings": {"2025": "HTXSNV"},
            "member_stats": {"2025": {"total": 10, "ldtt": 9, "cstdcs": 1, "completed_tasks": 9}},
        },
        "TTLDXS",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"completed_ratio": False},
    ),
    (
        # "Tập thể dẫn đầu phong trào thi đua của cụm, khối" is not the rotating khối trưởng: being khối
        # trưởng proves nothing, being a plain member rules nothing out; a person decides until the bloc's
        # published ranking is data.
        "QĐ 86/2025 Bắc Ninh Điều 3 khoản 1 – Cờ thi đua tỉnh: khối trưởng luân phiên chưa phải dẫn đầu",
        {"kind": "collective", "bloc_roles": {"2025": "leader"}},
        "CO_TINH",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"dan_dau_cum_khoi": None, "vuot_chi_tieu": None},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 3 khoản 1 – Cờ thi đua tỉnh: thành viên khối vẫn có thể dẫn đầu",
        {"kind": "collective", "bloc_roles": {"2025": "member"}},
        "CO_TINH",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"dan_dau_cum_khoi": None},
    ),
    (
        "Luật 2022 Điều 25 tiêu chuẩn thứ nhất – Cờ thi đua Chính phủ: chọn trong các tập thể dẫn đầu",
        {"kind": "collective", "awards": titles("CO_TINH", 2025)},
        "CO_CP",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"dan_dau_cum_khoi": None},
    ),
    (
        "Luật 2022 Điều 25 tiêu chuẩn thứ hai – Cờ thi đua Chính phủ: cụm, khối Trung ương cần người xét",
        {"kind": "collective", "bloc_roles": {"2025": "member"}},
        "CO_CP",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"dan_dau_cum_khoi": None, "dan_dau_khoi_trung_uong": None},
    ),
    (
        "Luật 2022 Điều 25 tiêu chuẩn thứ ba – Cờ thi đua Chính phủ theo chuyên đề: cần người đánh giá",
        {"kind": "collective"},
        "CO_CP",
        2025,
        NEW,
        "chuyen_de",
        "needs_review",
        {"dan_dau_phong_trao": None},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 4 khoản 3 – Giấy khen: thành tích do người có thẩm quyền đánh giá",
        STAFF_2025,
        "GK",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"rating_httnv": True, "binh_xet_phong_trao": None},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 4 khoản 3 điểm a – Giấy khen: chưa hoàn thành tốt nhiệm vụ",
        {"ratings": {"2025": "HTNV"}},
        "GK",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"rating_httnv": False},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 4 khoản 3 điểm c – Giấy khen hộ gia đình: cần người đánh giá",
        {"kind": "household"},
        "GK",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"dong_gop_ho": None},
    ),
    (
        "Luật 2022 Điều 74 khoản 1 điểm d – Bằng khen tỉnh: 02 lần liên tục CSTĐCS",
        {"awards": titles("CSTDCS", 2024, 2025)},
        "BK_TINH",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"streak_cstdcs": True, "guong_mau_chap_hanh": None},
    ),
    (
        "Luật 2022 Điều 74 khoản 1 điểm d – Bằng khen tỉnh: 02 năm xuất sắc và 02 sáng kiến chưa dùng",
        {
            "ratings": years(2024, 2025, "HTXSNV"),
            "initiatives": [
                {"id": "a", "year": 2024, "scope": "co_so"},
                {"id": "b", "year": 2025, "scope": "tinh"},
            ],
        },
        "BK_TINH",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"run_htxsnv": True, "initiatives_co_so": True},
    ),
    (
        "Luật 2022 Điều 74 khoản 1 điểm d; CV 5007 – Bằng khen tỉnh: sáng kiến đã dùng cho CSTĐCS"
        ", còn tuyến cần đánh giá",
        {
            "ratings": years(2024, 2025, "HTXSNV"),
            "awards": [{"award": "CSTDCS", "year": 2025, "initiatives_used": ["a", "b"]}],
            "initiatives": [
                {"id": "a", "year": 2024, "scope": "co_so"},
                {"id": "b", "year": 2025, "scope": "co_so"},
            ],
        },
        "BK_TINH",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"initiatives_co_so": False, "nhieu_thanh_tich": None},
    ),
    (
        "QĐ 86/2025 Bắc Ninh Điều 3 khoản 3 điểm c – Bằng khen tỉnh cho tập thể: 02 năm xuất sắc hoặc TTLĐXS",
        {"kind": "collective", "ratings": {"2025": "HTXSNV"}, "awards": titles("TTLDXS", 2024)},
        "BK_TINH",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"run_htxsnv_or_ttldxs": True},
    ),
    (
        "Luật 2022 Điều 74 khoản 1 điểm b – Bằng khen tỉnh đột xuất: cần người đánh giá",
        {},
        "BK_TINH",
        2025,
        NEW,
        "dot_xuat",
        "needs_review",
        {"thanh_tich_dot_xuat": None},
    ),
    (
        "Luật 2022 Điều 73 khoản 1 điểm b – Bằng khen Thủ tướng: chỉ 02 lần CSTĐCS trong 05 năm",
        {
            "ratings": years(2021, 2025, "HTTNV"),
            "awards": titles("BK_TINH", 2019) + titles("CSTDCS", 2022, 2024),
        },
        "BK_TTG",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"prior_bk_tinh": True, "run_httnv": True, "count_cstdcs": False},
    ),
    (
        # The period starts after the Bằng khen: 2023–2025 is three years, and holds one CSTĐ cơ sở.
        "Luật 2022 Điều 73 khoản 1 điểm b – Bằng khen Thủ tướng: từ sau Bằng khen tỉnh 2022 mới 03 năm",
        {
            "ratings": years(2021, 2025, "HTTNV"),
            "awards": titles("BK_TINH", 2022) + titles("CSTDCS", 2021, 2022, 2024),
        },
        "BK_TTG",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"prior_bk_tinh": True, "run_httnv": False, "count_cstdcs": False},
    ),
    (
        # Bộ Nội vụ's answers count the whole unbroken run since the Bằng khen ("từ 05 năm trở lên"): ten
        # years, 2016–2025, whose three CSTĐ cơ sở all fall before the last five. The old reading ("the
        # last five years") found none.
        "Luật 2022 Điều 73 khoản 1 điểm b – Bằng khen Thủ tướng: cả thời gian liên tục từ sau Bằng khen tỉnh",
        {
            "ratings": years(2016, 2025, "HTTNV"),
            "awards": titles("BK_TINH", 2015) + titles("CSTDCS", 2016, 2017, 2019),
        },
        "BK_TTG",
        2025,
        MID,
        "cong_trang",
        "eligible",
        {"prior_bk_tinh": True, "run_httnv": True, "count_cstdcs": True},
    ),
    (
        # A year rated only HTNV breaks the run: the period restarts after it (2020–2025), and the CSTĐ
        # cơ sở of 2016 and 2017 fall outside.
        "Luật 2022 Điều 73 khoản 1 điểm b – Bằng khen Thủ tướng: thời gian tính lại sau năm gián đoạn",
        {
            "ratings": {**years(2016, 2025, "HTTNV"), "2019": "HTNV"},
            "awards": titles("BK_TINH", 2015) + titles("CSTDCS", 2016, 2017, 2021),
        },
        "BK_TTG",
        2025,
        MID,
        "cong_trang",
        "needs_review",
        {"prior_bk_tinh": True, "run_httnv": True, "count_cstdcs": False},
    ),
    (
        # NĐ 152/2025 Điều 33.7: the next Bằng khen of the Prime Minister counts from after the previous one
        # (2021): 2022–2025 is four years, though the run since the Bằng khen tỉnh of 2015 is ten.
        "NĐ 152/2025 Điều 33 khoản 7 – Bằng khen Thủ tướng lần sau: không tính lại thời gian đã tính",
        {
            "ratings": years(2016, 2025, "HTTNV"),
            "awards": titles("BK_TINH", 2015) + titles("BK_TTG", 2021) + titles("CSTDCS", 2022, 2023, 2024),
        },
        "BK_TTG",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"prior_bk_tinh": True, "run_httnv": False, "count_cstdcs": True},
    ),
    (
        # Before 01/7/2025 (Nghị định 98/2023) the rule is not applied: the same history is eligible.
        "NĐ 152/2025 Điều 33 khoản 7 – trước 01/7/2025 chưa áp dụng: lần sau được tính cả thời gian",
        {
            "ratings": years(2016, 2025, "HTTNV"),
            "awards": titles("BK_TINH", 2015) + titles("BK_TTG", 2021) + titles("CSTDCS", 2022, 2023, 2024),
        },
        "BK_TTG",
        2025,
        MID,
        "cong_trang",
        "eligible",
        {"prior_bk_tinh": True, "run_httnv": True, "count_cstdcs": True},
    ),
    (
        # The Ministry's 2025 answer: a Bằng khen tỉnh for 2023–2024 (two CSTĐ cơ sở) leaves only 2025 for
        # the next one, so "02 lần liên tục" is not met again with 2024–2025.
        "NĐ 152/2025 Điều 33 khoản 7 – Bằng khen tỉnh lần sau: năm đã tính cho lần trước không tính lại",
        {
            "ratings": years(2022, 2025, "HTXSNV"),
            "awards": titles("BK_TINH", 2024) + titles("CSTDCS", 2023, 2024, 2025),
        },
        "BK_TINH",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"next_period": True, "streak_cstdcs": False},
    ),
    (
        "NĐ 152/2025 Điều 33 khoản 7 – Bằng khen tỉnh: trước 01/7/2025 chưa áp dụng quy tắc tính tiếp",
        {
            "ratings": years(2022, 2025, "HTXSNV"),
            "awards": titles("BK_TINH", 2023) + titles("CSTDCS", 2022, 2023, 2024),
        },
        "BK_TINH",
        2024,
        MID,
        "cong_trang",
        "eligible",
        {"streak_cstdcs": True},
    ),
    (
        # Nghị định 86/2023: the framework of the family, village and commune titles; a person judges it,
        # and the verdict names that route instead of "no rule".
        "Luật 2022 Điều 20 khoản 2, NĐ 86/2023 – Gia đình văn hóa: người xét đối chiếu tiêu chuẩn",
        {"kind": "household"},
        "GDVH",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"tieu_chuan_nd_86": None},
    ),
    (
        "Luật 2022 Điều 20, NĐ 86/2023 – Thôn, tổ dân phố văn hóa: người xét đối chiếu tiêu chuẩn",
        {"kind": "collective"},
        "THON_VH",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"tieu_chuan_nd_86": None},
    ),
    (
        # Điều 44.1.e: the period since the Bằng khen of the Prime Minister, its HTXSNV year anywhere in it.
        "Luật 2022 Điều 44 khoản 1 điểm e – Huân chương Lao động hạng Ba: năm xuất sắc ở đầu thời gian",
        {
            "ratings": {**years(2016, 2025, "HTTNV"), "2016": "HTXSNV"},
            "awards": titles("BK_TTG", 2015) + titles("CSTDCS", 2016, 2018, 2019),
        },
        "HCLD3",
        2025,
        MID,
        "cong_trang",
        "eligible",
        {"prior_bk_ttg": True, "run_httnv": True, "count_htxsnv": True, "count_cstdcs": True},
    ),
    (
        "Luật 2022 Điều 73 khoản 1 điểm b – Bằng khen Thủ tướng: một năm chỉ hoàn thành nhiệm vụ",
        {
            "ratings": {**years(2021, 2025, "HTTNV"), "2023": "HTNV"},
            "awards": titles("BK_TINH", 2020) + titles("CSTDCS", 2021, 2022, 2024),
        },
        "BK_TTG",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"run_httnv": False},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 3 – Bằng khen tỉnh đột xuất không làm căn cứ khen công trạng cao hơn",
        {
            "ratings": years(2021, 2025, "HTTNV"),
            "awards": titles("BK_TINH", 2020, kind="dot_xuat") + titles("CSTDCS", 2021, 2022, 2024),
        },
        "BK_TTG",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"prior_bk_tinh": False},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 3 – năm có cả Bằng khen công trạng và đột xuất vẫn được tính",
        {
            "ratings": years(2021, 2025, "HTTNV"),
            "awards": titles("BK_TINH", 2020, kind="dot_xuat")
            + titles("BK_TINH", 2020)
            + titles("CSTDCS", 2021, 2022, 2024),
        },
        "BK_TTG",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"prior_bk_tinh": True},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 3 – chuỗi CSTĐCS không tính kết quả khen thưởng chuyên đề",
        {"awards": titles("CSTDCS", 2024, kind="chuyen_de") + titles("CSTDCS", 2025)},
        "BK_TINH",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"streak_cstdcs": False},
    ),
    (
        "NĐ 91/2017 Điều 38 khoản 1 điểm c – Bằng khen Thủ tướng chế độ cũ: 05 năm xuất sắc, 05 sáng kiến",
        {
            "ratings": years(2018, 2022, "HTXSNV"),
            "awards": titles("BK_TINH", 2017),
            "initiatives": [{"id": f"s{y}", "year": y, "scope": "co_so"} for y in range(2018, 2023)],
        },
        "BK_TTG",
        2022,
        OLD,
        "cong_trang",
        "eligible",
        {"run_htxsnv": True, "initiatives_co_so": True},
    ),
    (
        "NĐ 91/2017 Điều 38 khoản 1 điểm c – Bằng khen Thủ tướng chế độ cũ: 04 sáng kiến chưa đủ",
        {
            "ratings": years(2018, 2022, "HTXSNV"),
            "awards": titles("BK_TINH", 2017) + titles("CSTDCS", 2018, 2019, 2020),
            "initiatives": [{"id": f"s{y}", "year": y, "scope": "co_so"} for y in range(2019, 2023)],
        },
        "BK_TTG",
        2022,
        OLD,
        "cong_trang",
        # The old regime's alternative points are not modelled (vn-2013 keeps only what was read).
        "ineligible",
        {"initiatives_co_so": False},
    ),
    (
        "Luật 2022 Điều 44 khoản 1 điểm e – Huân chương Lao động hạng Ba",
        {
            "ratings": {**years(2021, 2025, "HTTNV"), "2024": "HTXSNV"},
            "awards": titles("BK_TTG", 2020) + titles("CSTDCS", 2021, 2023, 2024),
        },
        "HCLD3",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"prior_bk_ttg": True, "count_htxsnv": True, "count_cstdcs": True},
    ),
    (
        "Luật 2022 Điều 44 khoản 1 điểm e – Huân chương Lao động hạng Ba: không có năm hoàn thành xuất sắc",
        {
            "ratings": years(2021, 2025, "HTTNV"),
            "awards": titles("BK_TTG", 2020) + titles("CSTDCS", 2021, 2023, 2024),
        },
        "HCLD3",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"count_htxsnv": False},
    ),
    (
        "Luật 2022 Điều 44 khoản 1 điểm g – Huân chương Lao động hạng Ba cống hiến: chưa có quy tắc,"
        " cần xem xét",
        {},
        "HCLD3",
        2025,
        NEW,
        "cong_hien",
        "needs_review",
        {"rule_not_modelled": None},
    ),
    (
        "Luật 2022 Điều 44 – Huân chương Lao động hạng Nhì: chưa có tiêu chuẩn đối chiếu",
        {},
        "HCLD2",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"rule_not_modelled": None},
    ),
    (
        "Luật 2022 Điều 63 – Anh hùng Lao động: chỉ người có thẩm quyền đánh giá",
        {"ratings": years(2015, 2025, "HTXSNV")},
        "AHLD",
        2025,
        NEW,
        "cong_trang",
        "needs_review",
        {"thanh_tich_dac_biet": None},
    ),
    (
        "Luật 2022 Điều 19 – LĐTT không tặng cho tập thể",
        {"kind": "collective", "ratings": {"2025": "HTXSNV"}},
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"recipient_kind": False},
    ),
    (
        "Luật 2022 Điều 8 – danh hiệu LĐTT không xét theo loại hình đột xuất",
        STAFF_2025,
        "LDTT",
        2025,
        NEW,
        "dot_xuat",
        "ineligible",
        {"kind_served": False},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 4 – đang xác minh đơn thư: chưa khen thưởng",
        {**STAFF_2025, "pending": [{"reason": "Đang xác minh đơn tố cáo", "since": "2026-01-02"}]},
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"not_frozen": False, "rating_httnv": True},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 4 – việc xác minh bắt đầu sau ngày thẩm định: không ảnh hưởng",
        {**STAFF_2025, "pending": [{"reason": "Đang xác minh", "since": "2026-02-01"}]},
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"not_frozen": True},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 4 – việc xác minh đã kết thúc trước ngày thẩm định",
        {**STAFF_2025, "pending": [{"reason": "Đã xác minh", "since": "2025-06-01", "until": "2025-09-01"}]},
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"not_frozen": True},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 4 – thành tích tính từ khi chấp hành xong kỷ luật",
        {
            "discipline": [{"from": "2023-03-01", "to": "2024-03-01", "level": "khien_trach"}],
            "awards": titles("CSTDCS", 2023, 2024, 2025),
            "initiatives": [{"id": "t", "year": 2025, "scope": "tinh"}],
        },
        "CSTD_TINH",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"discipline": True, "streak_cstdcs": False},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 4 – năm sau khi hết kỷ luật được xét",
        {"discipline": [{"from": "2023-03-01", "to": "2024-03-01"}], "ratings": {"2025": "HTTNV"}},
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "eligible",
        {"discipline": True},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 4 – năm chấp hành kỷ luật không được tính",
        {"discipline": [{"from": "2024-03-01", "to": "2025-03-01"}], "ratings": {"2025": "HTTNV"}},
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"discipline": False},
    ),
    (
        "NĐ 152/2025 Điều 4 khoản 4 – đang thi hành kỷ luật",
        {"discipline": [{"from": "2025-10-01", "level": "canh_cao"}], "ratings": {"2025": "HTXSNV"}},
        "LDTT",
        2025,
        NEW,
        "cong_trang",
        "ineligible",
        {"discipline": False},
    ),
    (
        "Chế độ cũ (Luật 2003 sửa đổi 2013) – Giấy khen: chưa có tiêu chuẩn đối chiếu, cần xem xét",
        STAFF_2025,
        "GK",
        2022,
        OLD,
        "cong_trang",
        "needs_review",
        {"rule_not_modelled": None},
    ),
]


@pytest.mark.parametrize(
    ("candidate", "award", "year", "as_of", "kind", "verdict", "expected"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_rule(
    candidate: dict[str, Any],
    award: str,
    year: int,
    as_of: str,
    kind: str,
    verdict: str,
    expected: dict[str, Any],
) -> None:
    result = ask(candidate, award, year, as_of, kind)
    texts = [f"{c['code']}={c['met']}: {c['text']}" for c in result["conditions"]]
    assert result["verdict"] == verdict, texts
    found = conditions(result)
    for code, met in expected.items():
        assert code in found, (code, texts)
        assert found[code] is met, (code, texts)
    for condition in result["conditions"]:
        assert condition["text"].strip() and condition["basis"].strip()
        # Vietnamese text: a specialist pastes it into an appraisal report.
        assert any(ch in condition["text"] for ch in "ăâđêôơưàáạảãèéẹẻẽìíịỉĩòóọỏõùúụủũỳýỵỷỹ"), condition[
            "text"
        ]


def test_every_row_names_an_article() -> None:
    for row in ROWS:
        assert "Điều" in row[0] or "CV 5007" in row[0] or "Chế độ cũ" in row[0], row[0]


def test_eligible_lists_only_met_mechanical_conditions() -> None:
    """Contract: eligible means every condition checkable from the data is met."""
    for row in ROWS:
        result = ask(*row[1:6])
        if result["verdict"] == "eligible":
            assert all(c["met"] is True for c in result["conditions"] if c["mechanical"]), row[0]
            assert result["route"]


def test_old_quota_over_a_batch_nd_91_2017_dieu_9_khoan_3() -> None:
    """NĐ 91/2017 Điều 9 khoản 3: CSTĐ cơ sở at most 15% of the unit's LĐTT."""

    def person(n: int, unit: str) -> dict[str, Any]:
        return {
            "id": f"{unit}-{n}",
            "unit": unit,
            "ratings": {"2022": "HTXSNV"},
            "awards": [{"award": "LDTT", "year": 2022}],
            "initiatives": [{"id": "s", "year": 2022, "scope": "co_so"}],
        }

    small = [person(n, "A") for n in range(10)]
    large = [person(n, "B") for n in range(20)]
    document = {
        "as_of": OLD,
        "candidates": small + large,
        "questions": [
            {"candidate": c["id"], "award": "CSTDCS", "year": 2022} for c in (small[:2] + large[:3])
        ],
    }
    output = check_document(document)
    verdicts = {r["candidate"]: r["verdict"] for r in output["results"]}
    # Unit A: 2 of 10 is over 15%; the unit must choose. Unit B: 3 of 20 is exactly 15%.
    assert verdicts == {
        "A-0": "needs_review",
        "A-1": "needs_review",
        "B-0": "eligible",
        "B-1": "eligible",
        "B-2": "eligible",
    }
    checks = {c["unit"]: c for c in output["batch_checks"]}
    assert checks["A"]["met"] is False and checks["A"]["limit"] == 1
    assert checks["B"]["met"] is True and checks["B"]["basis"] == "Nghị định 91/2017/NĐ-CP, Điều 9 khoản 3"


def test_no_quota_after_2024_luat_2022_dieu_23() -> None:
    """The 2022 Law dropped the cap: the same batch in 2025 has no quota check."""
    people = [
        {
            "id": f"A-{n}",
            "unit": "A",
            "ratings": {"2025": "HTXSNV"},
            "awards": [{"award": "LDTT", "year": 2025}],
        }
        for n in range(5)
    ]
    document = {
        "as_of": NEW,
        "candidates": people,
        "questions": [{"candidate": p["id"], "award": "CSTDCS", "year": 2025} for p in people],
    }
    output = check_document(document)
    assert output["batch_checks"] == []
    assert {r["verdict"] for r in output["results"]} == {"eligible"}


def test_questions_missing_evaluates_every_award_of_the_kind() -> None:
    document = {"as_of": NEW, "candidates": [{"id": "a"}, {"id": "b", "kind": "household"}]}
    results = check_document(document)["results"]
    assert {r["year"] for r in results} == {2025}
    by_candidate: dict[str, list[str]] = {}
    for r in results:
        by_candidate.setdefault(r["candidate"], []).append(r["award"])
    assert by_candidate["b"] == ["GDVH", "GK", "BK_TINH", "BK_TTG"]
    assert "LDTT" in by_candidate["a"] and "TTLDTT" not in by_candidate["a"]
