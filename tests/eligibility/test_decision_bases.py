"""The legal bases a decision cites, as rulebook data: each one whole, from the regime in force on the
decision date, plus the province's own regulation; the model layer cites none. And the year under review.

The expected citations are written out here by hand from the sources (Hà Nội QĐ 71/2025/QĐ-UBND, the
consolidated Law on local government, Phú Yên QĐ 31/2020/QĐ-UBND, NĐ 152/2025 Điều 59), not computed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from thidua.eligibility.rulebook import DATA_DIR, RulebookError, load_library

LG_72 = "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025"
LG_65 = "Luật Tổ chức chính quyền địa phương số 65/2025/QH15 ngày 19 tháng 02 năm 2025"
LG_77 = "Luật Tổ chức chính quyền địa phương số 77/2015/QH13 ngày 19 tháng 6 năm 2015"
LG_47 = (
    "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương "
    "số 47/2019/QH14 ngày 22 tháng 11 năm 2019"
)
LAW_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022"
LAW_2003 = "Luật Thi đua, khen thưởng số 15/2003/QH11 ngày 26 tháng 11 năm 2003"
LAW_2005 = (
    "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng số 47/2005/QH11 ngày 14 tháng 6 năm 2005"
)
LAW_2013 = (
    "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng số 39/2013/QH13 "
    "ngày 16 tháng 11 năm 2013"
)
ND_152 = (
    "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân quyền "
    "trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành một số điều của Luật Thi "
    "đua, khen thưởng"
)
ND_98 = (
    "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số "
    "điều của Luật Thi đua, khen thưởng"
)
ND_91 = (
    "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành một số "
    "điều của Luật Thi đua, khen thưởng"
)
LAI_CHAU_2018 = "Quyết định số 06/2018/QĐ-UBND ngày 21 tháng 02 năm 2018 của Ủy ban nhân dân tỉnh Lai Châu"

NATIONAL = {
    # vn-2025: the two-level government law, the 2022 Law, NĐ 152.
    dt.date(2026, 12, 6): [LG_72, LAW_2022, ND_152],
    dt.date(2025, 7, 1): [LG_72, LAW_2022, ND_152],
    # vn-2024, after the third local-government law came into force (16/6/2025).
    dt.date(2025, 6, 20): [LG_72, LAW_2022, ND_98],
    # vn-2024, under the law of 19/02/2025 (in force 01/3/2025).
    dt.date(2025, 4, 1): [LG_65, LAW_2022, ND_98],
    dt.date(2025, 3, 1): [LG_65, LAW_2022, ND_98],
    # vn-2024, still under the 2015 law and its 2019 amendment.
    dt.date(2025, 2, 28): [LG_77, LG_47, LAW_2022, ND_98],
    dt.date(2024, 5, 1): [LG_77, LG_47, LAW_2022, ND_98],
    # vn-2013 with NĐ 91/2017.
    dt.date(2021, 1, 1): [LG_77, LG_47, LAW_2003, LAW_2005, LAW_2013, ND_91],
    dt.date(2019, 5, 1): [LG_77, LAW_2003, LAW_2005, LAW_2013, ND_91],
}


@pytest.mark.parametrize(("day", "expected"), list(NATIONAL.items()), ids=str)
def test_the_model_layer_cites_the_national_texts_of_the_day_and_no_provincial_one(
    day: dt.date, expected: list[str]
) -> None:
    library = load_library("mau-bac-ninh")
    assert library.province is not None and library.province.model
    assert [b.text for b in library.decision_bases(day)] == expected


@pytest.mark.parametrize(
    ("day", "extra"),
    [
        (dt.date(2026, 12, 6), []),
        (dt.date(2024, 1, 1), []),
        (dt.date(2023, 12, 31), [LAI_CHAU_2018]),
        (dt.date(2021, 1, 1), [LAI_CHAU_2018]),
        (dt.date(2018, 2, 21), [LAI_CHAU_2018]),
        # Before it was issued it is never cited.
        (dt.date(2018, 2, 20), []),
    ],
    ids=str,
)
def test_lai_chau_cites_its_own_regulation_only_while_it_applied(day: dt.date, extra: list[str]) -> None:
    library = load_library("lai-chau")
    national = [b.text for b in load_library("none").decision_bases(day)]
    assert [b.text for b in library.decision_bases(day)] == national + extra


def test_lai_chau_carries_its_name_and_takes_the_model_rules_labelled_as_a_model() -> None:
    model = load_library("mau-bac-ninh").province
    lai_chau = load_library("lai-chau").province
    assert model is not None and lai_chau is not None
    assert (lai_chau.official_name, lai_chau.model) == ("Lai Châu", True)
    assert model.official_name == ""
    assert lai_chau.overrides.keys() == model.overrides.keys()
    assert lai_chau.deadlines == model.deadlines and lai_chau.year_end == model.year_end
    assert lai_chau.regimes == model.regimes
    # Nothing a Lai Châu paper could cite names another province.
    for basis in load_library("lai-chau").regimes[0].bases + lai_chau.regulations:
        assert "Bắc Ninh" not in basis.text


def test_unconfirmed_citations_say_so() -> None:
    library = load_library("lai-chau")
    unconfirmed = {b.key for r in library.regimes for b in r.bases if not b.citation.confirmed}
    assert unconfirmed == {
        "to_chuc_hdnd_ubnd_2003",
        "nghi_dinh_42_2010",
        "nghi_dinh_65_2014",
        "nghi_dinh_129_2025",
    }
    assert library.province is not None
    (regulation,) = library.province.regulations
    assert not regulation.citation.confirmed and regulation.citation.note


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (dt.date(2026, 12, 6), 2026),
        (dt.date(2026, 11, 1), 2026),
        (dt.date(2026, 10, 31), 2025),
        (dt.date(2026, 3, 15), 2025),
        (dt.date(2027, 1, 5), 2026),
    ],
    ids=str,
)
def test_the_year_under_review_turns_when_the_year_end_season_opens(today: dt.date, year: int) -> None:
    assert load_library("mau-bac-ninh").review_year(today) == year
    assert load_library("lai-chau").review_year(today) == year


def test_without_a_provincial_layer_the_year_under_review_is_last_year() -> None:
    assert load_library("none").review_year(dt.date(2026, 12, 6)) == 2025


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for path in DATA_DIR.glob("*.toml"):
        (data / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return data


def test_a_basis_of_an_unknown_kind_is_refused_with_its_key(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    regime = data / "regime-vn-2025.toml"
    text = regime.read_text(encoding="utf-8").replace('kind = "Nghị định"', 'kind = "Công văn"')
    regime.write_text(text, encoding="utf-8")
    with pytest.raises(RulebookError, match=r"regime-vn-2025.toml, mục `bases\[2\].kind`"):
        load_library("none", data_dir=data)


def test_a_province_taking_the_model_rules_may_not_also_write_rules(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    layer = data / "province-lai-chau.toml"
    layer.write_text(layer.read_text(encoding="utf-8") + '\n[year_end]\nmonth = 10\nday = 1\nbasis = "x"\n')
    with pytest.raises(RulebookError, match="rules_from"):
        load_library("lai-chau", data_dir=data)


def test_each_level_cites_its_own_bases() -> None:
    """A department's decision cites the Law on emulation and its decree, not the Law on local government
    (which a People's Committee cites); a commune's also cites Nghị định 129/2025, whose Điều 59 gives its
    Chairman the power, from 01/7/2025."""
    from datetime import date

    from thidua.eligibility.rulebook import load_library

    library = load_library()
    day = date(2026, 12, 7)

    def keys(level: str) -> list[str]:
        return [b.key for b in library.decision_bases(day, level)]

    assert keys("department") == ["thi_dua_khen_thuong_2022", "nghi_dinh_152_2025"]
    assert keys("province") == ["to_chuc_cqdp_72_2025", "thi_dua_khen_thuong_2022", "nghi_dinh_152_2025"]
    assert keys("commune") == [*keys("province"), "nghi_dinh_129_2025"]
    assert "nghi_dinh_129_2025" not in [b.key for b in library.decision_bases(date(2025, 6, 30), "commune")]
