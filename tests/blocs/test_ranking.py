"""The ranking rule (plain Python): totals within the caps, the tie-break keys in the sheet's order, equal
units sharing a rank, and the reason given for each adjacent pair."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.blocs import ranking
from thidua.blocs.ranking import DEFAULT_TIE_BREAK, KEYS, UnitFigures, figures, rank

D = Decimal


def _unit(
    uid: int, base: str, bonus: str = "0", penalty: str = "0", at_max: int = 0, votes: int = 0
) -> UnitFigures:
    return figures(
        unit_id=uid,
        name=f"Đơn vị {uid}",
        base=D(base),
        bonus=D(bonus),
        penalty=D(penalty),
        bonus_cap=D(3),
        penalty_cap=D(5),
        criteria_at_max=at_max,
        votes=votes,
    )


def test_the_issue_example_reads_as_officials_write_it() -> None:
    e = _unit(5, "88", penalty="0.5")
    f = _unit(6, "86", bonus="1.5")
    assert e.total == f.total == D("87.5")
    assert rank([f, e]).rows[1].reason == (
        "Đơn vị 5 xếp trên Đơn vị 6 vì tổng điểm trước điểm thưởng cao hơn (87,5 so với 86,0), "
        "khi tổng điểm bằng nhau (87,5)."
    )


def test_each_key_decides_in_turn() -> None:
    a = _unit(1, "86", bonus="2", penalty="1")
    b = _unit(2, "85.5", bonus="2", penalty="0.5")
    assert (a.total, a.total_before_bonus) == (b.total, b.total_before_bonus) == (D(87), D(85))
    assert rank([a, b]).rows[1].reason == (
        "Đơn vị 2 xếp trên Đơn vị 1 vì điểm trừ ít hơn (0,5 so với 1,0), khi tổng điểm bằng nhau (87,0)."
    )
    c, d = _unit(3, "80", at_max=4, votes=1), _unit(4, "80", at_max=5, votes=0)
    assert (
        rank([c, d])
        .rows[1]
        .reason.startswith("Đơn vị 4 xếp trên Đơn vị 3 vì số tiêu chí đạt điểm tối đa nhiều hơn (5 so với 4)")
    )
    # The sheet's own order: the vote first.
    assert (
        rank([c, d], ("votes", "criteria_at_max"))
        .rows[1]
        .reason.startswith(
            "Đơn vị 3 xếp trên Đơn vị 4 vì số phiếu bầu của hội nghị khối nhiều hơn (1 so với 0)"
        )
    )
    assert rank([a, b]).rows[0].reason == ""
    assert (
        rank([b, a]).rows[1].reason
        == "Đơn vị 2 xếp trên Đơn vị 1 vì điểm trừ ít hơn (0,5 so với 1,0), khi tổng điểm bằng nhau (87,0)."
    )


def test_caps_count_bonus_and_penalty_only_up_to_the_limit() -> None:
    u = _unit(1, "50", bonus="7", penalty="9")
    assert (u.bonus, u.penalty, u.total, u.total_before_bonus) == (D(3), D(5), D(48), D(45))


def test_units_equal_on_every_key_share_a_rank_and_it_is_said() -> None:
    result = rank([_unit(1, "80", at_max=3), _unit(2, "80", at_max=3), _unit(3, "79")])
    assert [r.rank for r in result.rows] == [1, 1, 3]
    assert result.rows[1].tied_with_above
    assert "đồng hạng" in result.rows[1].reason
    assert result.rows[2].reason.startswith(
        "Đơn vị 2 xếp trên Đơn vị 3 vì tổng điểm cao hơn (80,0 so với 79,0)"
    )


def test_numbers_use_the_vietnamese_decimal_comma() -> None:
    assert [ranking.number(D(x)) for x in ("87.5", "86", "87.25", "0")] == ["87,5", "86,0", "87,25", "0,0"]
    assert ranking.number(7, whole=True) == "7"


small = st.sampled_from(["0", "0.5", "1", "2"])
unit_figures = st.builds(
    lambda base, bonus, penalty, at_max, votes: (base, bonus, penalty, at_max, votes),
    st.sampled_from(["10", "10.5", "11", "12"]),
    small,
    small,
    st.integers(0, 2),
    st.integers(0, 2),
)


def _better(a: UnitFigures, b: UnitFigures, keys: tuple[str, ...]) -> str | None:
    """The first key on which `a` beats `b` strictly, else None (written apart from the module's own)."""
    for name in ("total", *keys):
        if name == "total":
            x, y, higher = a.total, b.total, True
        else:
            key = KEYS[name]
            x, y, higher = D(key.read(a)), D(key.read(b)), key.higher_is_better
        if x != y:
            return name if (x > y) == higher else None
    return None


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(unit_figures, min_size=2, max_size=7),
    keys=st.permutations(list(DEFAULT_TIE_BREAK)).flatmap(
        lambda perm: st.integers(0, len(perm)).map(lambda n: tuple(perm[:n]))
    ),
    shuffle=st.randoms(use_true_random=False),
)
def test_the_tie_break_in_every_order_of_ties(
    rows: list[tuple[str, ...]], keys: tuple[str, ...], shuffle: object
) -> None:
    units = [_unit(i + 1, b, bo, pe, am, vo) for i, (b, bo, pe, am, vo) in enumerate(rows)]  # type: ignore[arg-type]
    result = rank(units, keys)
    # Independent of the input order.
    other = list(units)
    shuffle.shuffle(other)  # type: ignore[attr-defined]
    again = rank(other, keys)
    assert [(r.rank, r.figures.unit_id) for r in again.rows] == [
        (r.rank, r.figures.unit_id) for r in result.rows
    ]
    # A unit's rank is one more than the number of units strictly better on (total, keys...).
    for row in result.rows:
        above = sum(1 for u in units if _better(u, row.figures, keys) is not None)
        assert row.rank == above + 1
    # Each adjacent pair: the one above is not beaten, and the reason names the first key that differs.
    for up, down in itertools.pairwise(result.rows):
        assert _better(down.figures, up.figures, keys) is None
        first = _better(up.figures, down.figures, keys)
        if first is None:
            assert down.rank == up.rank and "đồng hạng" in down.reason
        else:
            label = "tổng điểm" if first == "total" else KEYS[first].label
            assert down.reason.startswith(f"{up.figures.name} xếp trên {down.figures.name} vì {label} ")
            assert down.rank > up.rank
