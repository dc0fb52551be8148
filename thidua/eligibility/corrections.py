"""The rulebooks' own change log: readings of the law corrected after a review (`data/corrections.toml`).

A regime records the law; this log records how the rulebooks read it wrong before and what they read
now, so a specialist who saw another verdict last month finds why. Each entry names the regimes (or
the provincial layer) and the awards it touches; the loader refuses an unknown regime, award or source
tag, so the log cannot drift from the rulebooks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from thidua.eligibility.rulebook import DATA_DIR, Library, _Reader

_KEYS = {"id", "date", "regimes", "layers", "awards", "title"}
_KEYS |= {"before", "after", "effect", "basis", "sources"}


@dataclass(frozen=True, slots=True)
class Correction:
    id: str
    date: date
    regimes: tuple[str, ...]
    layers: tuple[str, ...]
    awards: tuple[str, ...]
    title: str
    before: str
    after: str
    effect: str
    basis: str
    sources: tuple[str, ...]


def read_corrections(library: Library, path: Path | None = None) -> tuple[Correction, ...]:
    path = path or DATA_DIR / "corrections.toml"
    r = _Reader(path)
    raw = r.load()
    r.keys(raw, "(gốc)", {"corrections"})
    entries = raw.get("corrections", [])
    if not isinstance(entries, list):
        raise r.fail("corrections", "cần một danh sách [[corrections]]")
    regimes = {reg.id for reg in library.regimes}
    # Every provincial layer the product ships can be named, not only the one loaded: the log is shared.
    layers = {p.stem.removeprefix("province-") for p in path.parent.glob("province-*.toml")}
    out: list[Correction] = []
    seen: set[str] = set()
    for index, item in enumerate(entries):
        where = f"corrections[{index}]"
        table = r.table(item, where)
        r.keys(table, where, _KEYS)
        ident = r.str_(table, "id", where) or ""
        if ident in seen:
            raise r.fail(f"{where}.id", f"mã `{ident}` bị trùng")
        seen.add(ident)
        regime_ids = r.strs(table, "regimes", where, tuple(sorted(regimes))) or ()
        layer_ids = r.strs(table, "layers", where, tuple(sorted(layers))) or ()
        if not regime_ids and not layer_ids:
            raise r.fail(
                where, "cần ít nhất một chế độ (`regimes`) hoặc một lớp quy định của tỉnh (`layers`)"
            )
        awards = r.strs(table, "awards", where, tuple(sorted(library.catalogue))) or ()
        sources = r.strs(table, "sources", where, tuple(sorted(library.sources))) or ()
        if not sources:
            raise r.fail(where, "cần ít nhất một nguồn (`sources`)")
        day = r.date_(table, "date", where)
        assert day is not None
        out.append(
            Correction(
                id=ident,
                date=day,
                regimes=regime_ids,
                layers=layer_ids,
                awards=awards,
                title=r.str_(table, "title", where) or "",
                before=r.str_(table, "before", where) or "",
                after=r.str_(table, "after", where) or "",
                effect=r.str_(table, "effect", where) or "",
                basis=r.str_(table, "basis", where) or "",
                sources=sources,
            )
        )
    return tuple(out)


@cache
def corrections_of(library: Library) -> tuple[Correction, ...]:
    """The log checked against a loaded library, read once per library (libraries are cached)."""
    return read_corrections(library)
