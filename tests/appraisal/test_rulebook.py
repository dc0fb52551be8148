"""The rulebook page: the rules in force on a date, described for a specialist, and regime comparison."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from thidua.appraisal import comparison as comparison_reads
from thidua.appraisal import rulebook
from thidua.eligibility.conditions import Names
from thidua.eligibility.engine import default_evaluator

URL = reverse("appraisal:rulebook")


@pytest.mark.parametrize(
    ("day", "regime"),
    [
        ("2023-12-31", "vn-2013"),
        ("2024-01-01", "vn-2024"),
        ("30/06/2025", "vn-2024"),
        ("01/07/2025", "vn-2025"),
    ],
)
def test_the_regime_in_force_on_a_date(users: dict, client_for: Any, day: str, regime: str) -> None:
    response = client_for(users["health_officer"]).get(URL, {"date": day})
    assert response.status_code == 200
    assert response.context["book"].regime.id == regime
    assert f">{regime}</span>" in response.text


def test_rules_are_readable_with_citation_dates_and_confidence(users: dict, client_for: Any) -> None:
    response = client_for(users["specialist"]).get(URL, {"date": "2025-01-01"})
    page = response.text
    book = response.context["book"]
    assert book.regime.valid_from.isoformat() == "2024-01-01"
    assert "30/06/2025" in page  # the regime's last day
    assert "Luật Thi đua, khen thưởng 2022, Điều 23" in page
    # The rule text, generated from the data.
    assert "03 lần liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở" in page
    # Confidence: the freeze principle before 1/7/2025 is an assumption, with its note.
    assert "chưa xác nhận" in page and "Nghị định 152/2025/NĐ-CP, Điều 4 khoản 4" in page
    # The provincial layer's text is in force only from 15/12/2025: on 01/01/2025 the page says so.
    assert book.province is None and book.province_later is not None
    assert "có hiệu lực từ 15/12/2025, nên chưa áp dụng vào ngày này" in page
    # The bonus with the base salary in force.
    assert "2.340.000 đ" in page and "Nghị định 73/2024/NĐ-CP" in page
    cstdcs = next(a for a in book.awards if a.code == "CSTDCS")
    assert [(b.coefficient, b.amount) for b in cstdcs.bonuses] == [(1, 2340000)]


def test_old_regime_shows_the_quota_and_no_bonus_table(users: dict, client_for: Any) -> None:
    response = client_for(users["specialist"]).get(URL, {"date": "2020-05-01"})
    assert "15%" in response.text
    assert response.context["book"].bonus is None
    assert "chưa có bảng hệ số tiền thưởng" in response.text


def test_a_bad_date_falls_back_to_today_with_a_message(users: dict, client_for: Any) -> None:
    response = client_for(users["specialist"]).get(URL, {"date": "31/02/2025"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.text


def test_comparison_lists_what_changed(users: dict, client_for: Any) -> None:
    response = client_for(users["specialist"]).get(
        URL, {"view": "compare", "from": "vn-2024", "to": "vn-2025"}
    )
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert (comparison.old.id, comparison.new.id) == ("vn-2024", "vn-2025")
    assert comparison.count >= 1
    page = response.text
    # NĐ 152/2025 added the rule that sudden and thematic results are no basis for merit awards.
    assert "Nghị định 152/2025/NĐ-CP, Điều 4 khoản 3" in page
    assert "Bổ sung" in page


def test_comparison_of_the_old_and_new_law_shows_changed_parameters(users: dict, client_for: Any) -> None:
    comparison = comparison_reads.compare_regimes(old_id="vn-2013", new_id="vn-2024")
    titles = [g.title for g in comparison.groups]
    assert "Chiến sĩ thi đua cơ sở" in titles
    assert any(c.action == "removed" and "15%" in c.before for g in comparison.groups for c in g.changes)


def test_comparison_defaults_and_unknown_ids(users: dict, client_for: Any) -> None:
    client = client_for(users["specialist"])
    default = client.get(URL, {"view": "compare"}).context["comparison"]
    assert default.new.id == rulebook.regimes()[-1].id
    assert not default.invalid
    unknown = client.get(URL, {"view": "compare", "from": "vn-1999", "to": "vn-2025"})
    assert unknown.status_code == 200 and unknown.context["comparison"].invalid
    same = client.get(URL, {"view": "compare", "from": "vn-2025", "to": "vn-2025"})
    assert "Hãy chọn hai chế độ khác nhau" in same.text


def test_describe_condition_renders_each_check() -> None:
    library = default_evaluator().library
    names = Names(
        {c: e.name for c, e in library.catalogue.items()},
        {c: e.category for c, e in library.catalogue.items()},
    )
    rules = library.rules_for(library.regimes[-1].valid_from)
    texts = [
        rulebook.describe_condition(condition, names)
        for award in rules.awards.values()
        for condition in (*award.conditions, *(c for r in award.routes for c in r.conditions))
    ]
    assert texts and all(texts)
    # No raw codes leak into the description of a mechanical check.
    assert not any(t.startswith(("streak_", "rating_", "initiative", "meets_")) for t in texts)
    assert "Năm xét được đánh giá hoàn thành xuất sắc nhiệm vụ" in texts


def test_the_rulebook_page_says_who_decides_what(client_for: Any, users: dict[str, Any]) -> None:
    """Luật 2022 Điều 80, and Nghị định 129/2025 Điều 59 from 01/7/2025: each level's awards on the page."""
    client = client_for(users["specialist"])
    before = client.get(URL, {"date": "2025-06-30"}).content.decode()
    after = client.get(URL, {"date": "2025-07-01"}).content.decode()
    assert "Thẩm quyền quyết định" in before and "Điều 80 khoản 2" in before
    assert "UBND huyện (trước 01/7/2025)" in before and "UBND huyện (trước 01/7/2025)" not in after
    assert "Nghị định 129/2025/NĐ-CP, Điều 59" in after


def test_a_check_without_a_description_is_an_error_not_a_raw_code() -> None:
    """describe_condition used to fall back to the condition's code silently; a condition naming no kind
    of check raises (the loader refuses such a condition, and a kind without a description, earlier)."""
    from thidua.eligibility.rulebook import Citation, ConditionSpec

    library = default_evaluator().library
    names = Names({c: e.name for c, e in library.catalogue.items()}, {})
    with pytest.raises(ValueError, match="invented_check"):
        rulebook.describe_condition(ConditionSpec("x", "invented_check", {}, Citation("Điều thử")), names)


def test_rulebooks_that_do_not_load_stop_the_project(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """System check appraisal.E001: the loader's error (here a provincial layer that is not TOML) is
    reported when the project starts; the shipped rulebooks pass it."""
    from thidua.appraisal.apps import rulebooks_load

    assert rulebooks_load() == []
    broken = tmp_path / "province-hong.toml"
    broken.write_text('id = "hong"\n[[overrides\n', encoding="utf-8")
    monkeypatch.setenv("THIDUA_PROVINCE_RULES", str(broken))
    errors = rulebooks_load()
    assert [e.id for e in errors] == ["appraisal.E001"]
    assert "province-hong.toml" in errors[0].msg and "TOML" in errors[0].msg


def test_every_principle_has_a_label(client_for: Any, users: dict[str, Any]) -> None:
    """A principle of any regime reads as a sentence on the rulebook page, never as its key."""
    library = default_evaluator().library
    keys = {key for regime in library.regimes for key in regime.principles}
    assert keys <= set(rulebook.PRINCIPLE_LABELS)
    page = client_for(users["specialist"]).get(URL, {"date": "2025-12-15"}).content.decode()
    assert "next_period" not in page and "tính thành tích từ sau lần trước" in page


def test_comparison_lists_the_corrected_readings_of_both_regimes(users: dict, client_for: Any) -> None:
    client = client_for(users["specialist"])
    newer = client.get(URL, {"view": "compare", "from": "vn-2024", "to": "vn-2025"})
    ids = [item.correction.id for item in newer.context["comparison"].corrections]
    # The next-period rule is a reading of vn-2025 only; it shows when vn-2025 is one side.
    assert "next_period" in ids and "period_since_award" in ids
    page = newer.text
    assert "Cách đọc văn bản đã được hiệu chỉnh" in page
    assert 'id="hieu-chinh-period_since_award"' in page
    assert "Nghị định 152/2025/NĐ-CP, Điều 33 khoản 7" in page
    assert "Bằng khen của Thủ tướng Chính phủ" in page  # awards by their names, not codes
    older = client.get(URL, {"view": "compare", "from": "vn-2013", "to": "vn-2024"})
    old_ids = [item.correction.id for item in older.context["comparison"].corrections]
    assert "principles_nd98" in old_ids and "next_period" not in old_ids
