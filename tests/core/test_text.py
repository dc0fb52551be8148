from __future__ import annotations

import random
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from thidua.core.text import fold, person_sort_key, sort_key

# The order ICU's vi collation gives (captured once from ICU vi_VN): a < ă < â, d < đ, u < ư.
ICU_VI_ORDER = [
    "An", "Ăn", "Âu", "Bùi", "Dũng", "Duy", "Dương", "Đặng", "Đỗ", "Đức", "Ê-đê", "Lê", "Nguyễn", "Trần",
]  # fmt: skip


def test_fold_strips_tones_marks_and_folds_d_bar() -> None:
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐỒNG CHÍ  Lò Thị   Ơn") == "dong chi lo thi on"
    assert fold("Ư Ơ Ă Â Ê Ô đ") == "u o a a e o d"


def test_fold_handles_decomposed_input() -> None:
    assert fold(unicodedata.normalize("NFD", "Đặng Thị Ngọc Ánh")) == "dang thi ngoc anh"


def test_sort_key_matches_icu_vietnamese_order() -> None:
    shuffled = ICU_VI_ORDER[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == ICU_VI_ORDER


def test_tones_decide_only_between_equal_letters() -> None:
    assert sorted(["Bụi", "Búi", "Bui", "Bũi", "Bùi", "Bủi"], key=sort_key) == [
        "Bui", "Bùi", "Bủi", "Bũi", "Búi", "Bụi",
    ]  # fmt: skip
    # Letters first: "Bùi" < "Buôn" although "ù" has a tone and "u" does not.
    assert sorted(["Buôn", "Bùi"], key=sort_key) == ["Bùi", "Buôn"]


def test_people_sort_by_given_then_family_then_middle() -> None:
    people = [
        ("Trần", "Văn", "Bình"),
        ("Nguyễn", "Thị", "An"),
        ("Lê", "Văn", "An"),
        ("Lê", "Anh", "An"),
        ("Đỗ", "", "Ánh"),
        ("Vàng", "A", "Dế"),
        ("Lò", "Thị", "Đào"),
    ]
    ordered = sorted(people, key=lambda p: person_sort_key(*p))
    assert ordered == [
        ("Lê", "Anh", "An"),
        ("Lê", "Văn", "An"),
        ("Nguyễn", "Thị", "An"),
        ("Đỗ", "", "Ánh"),
        ("Trần", "Văn", "Bình"),
        ("Vàng", "A", "Dế"),
        ("Lò", "Thị", "Đào"),
    ]


def test_sort_key_is_digits_only_so_any_database_collation_keeps_it() -> None:
    assert sort_key("Nguyễn Thị Ánh - Tổ 3").isdigit()


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậ ", max_size=30))
def test_fold_output_is_plain_ascii_letters(text: str) -> None:
    folded = fold(text)
    assert all(ch.isascii() for ch in folded)
    assert fold(folded) == folded


@given(st.lists(st.sampled_from(ICU_VI_ORDER), min_size=2, max_size=12))
def test_sort_key_orders_consistently_with_reference(names: list[str]) -> None:
    assert sorted(names, key=sort_key) == sorted(names, key=ICU_VI_ORDER.index)
