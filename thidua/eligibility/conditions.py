"""The building blocks of the rules: generic checks, parameterised by the rulebook data.

A rulebook condition names a `check` (one of CHECKS) and its parameters. Everything about one kind of
check is one `CheckKind`, registered next to its code: the parameters it takes, how it is evaluated and
explained, and what it asks in words for the rulebook page. `compile_check` turns a condition into a
`CompiledCheck`: a function of one evaluation context returning a `Cond`. Checks read only the
candidate's precomputed `History` (sets of years per award, rank per year), so they stay cheap: the
benchmark evaluates every title and form for 50,000 people. The Vietnamese text of a result is built
only when it is read (`Cond.text`), from the arguments the check recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from thidua.eligibility import labels
from thidua.eligibility.model import (
    BLOC_ROLES,
    INITIATIVE_TYPES,
    MEMBER_STAT_FIELDS,
    MOVEMENT_KINDS,
    RATING_RANK,
    RATINGS,
    SCOPE_RANK,
    SCOPES,
    Candidate,
    MovementFacts,
)

if TYPE_CHECKING:
    from thidua.eligibility.rulebook import Citation, ConditionSpec

_NO_YEARS: frozenset[int] = frozenset()


class History:
    """Lookups over one candidate's history, built once and shared by every question about them.

    `min_year` drops every achievement before it: after discipline, achievements count from the end
    of the discipline period (ND 152/2025 Điều 4 khoản 4).
    """

    __slots__ = (
        "_merit",
        "all_years",
        "candidate",
        "initiatives",
        "kind_years",
        "min_year",
        "ratings",
        "uses",
    )

    def __init__(self, candidate: Candidate, min_year: int | None = None) -> None:
        self.candidate = candidate
        self.min_year = min_year
        floor = min_year if min_year is not None else -1
        all_years: dict[str, set[int]] = {}
        kind_years: dict[str, dict[str, set[int]]] = {}
        uses: dict[str, list[tuple[str, int]]] = {}
        for record in candidate.awards:
            year = record.year
            if year < floor:
                continue
            code = record.award
            years = all_years.get(code)
            if years is None:
                all_years[code] = {year}
            else:
                years.add(year)
            if record.kind != "cong_trang":
                kind_years.setdefault(code, {}).setdefault(record.kind, set()).add(year)
            for initiative_id in record.initiatives_used:
                uses.setdefault(initiative_id, []).append((code, year))
        self.all_years = all_years
        # Only awards with a record of a non-default kind need a second look (see merit_view).
        self.kind_years = kind_years
        self.uses = uses
        rank = RATING_RANK
        self.ratings = {y: rank[r] for y, r in candidate.ratings.items() if y >= floor}
        self.initiatives = tuple(
            (i.id, i.year, SCOPE_RANK[i.scope], i.type) for i in candidate.initiatives if i.year >= floor
        )
        self._merit: dict[frozenset[str], dict[str, set[int]]] = {}

    def merit_view(self, excluded: frozenset[str]) -> Mapping[str, set[int]]:
        """Years per award, leaving out years whose only records are of an excluded kind."""
        if not self.kind_years and "cong_trang" not in excluded:
            return self.all_years
        view = self._merit.get(excluded)
        if view is None and "cong_trang" in excluded:
            # The shortcut below only looks at records of other kinds; a rulebook may exclude công
            # trạng records too (the loader allows any kind), so count record by record.
            view = _counted_years(self.candidate, self.min_year, excluded)
            self._merit[excluded] = view
        if view is None:
            view = dict(self.all_years)
            for code, by_kind in self.kind_years.items():
                dropped = set().union(*(ys for k, ys in by_kind.items() if k in excluded))
                if not dropped:
                    continue
                kept_elsewhere = {
                    r.year
                    for r in self.candidate.awards
                    if r.award == code and r.kind not in excluded and r.year in dropped
                }
                view[code] = view[code] - (dropped - kept_elsewhere)
            self._merit[excluded] = view
        return view


def _counted_years(
    candidate: Candidate, min_year: int | None, excluded: frozenset[str]
) -> dict[str, set[int]]:
    """Years per award of the records that count: from `min_year` on, and of a kind not excluded."""
    floor = min_year if min_year is not None else -1
    counted: dict[str, set[int]] = {}
    for record in candidate.awards:
        year = record.year
        if year < floor or record.kind in excluded:
            continue
        years = counted.get(record.award)
        if years is None:
            counted[record.award] = {year}
        else:
            years.add(year)
    return counted


class Facts:
    """What the verdict-only path (`Evaluator.verdicts`) reads about one candidate: built once per
    candidate, question year and kind, and shared by every award asked; nothing is built per award or
    per condition.

    It holds what `History` and `EvalContext` hold together, but only what a verdict needs: the years
    that count per award (from `min_year` on: ND 152/2025 Điều 4 khoản 4; not of an excluded kind:
    Điều 4 khoản 3), the ratings as the candidate's own codes (each check compares them with the set of
    codes good enough, so no rank table is built), and the initiatives' uses only when an initiative
    check reaches one.
    """

    __slots__ = ("_uses", "awards", "candidate", "floor", "movement", "periods", "ratings", "year")

    def __init__(
        self,
        candidate: Candidate,
        year: int,
        min_year: int | None,
        excluded: frozenset[str],
        movement: MovementFacts | None = None,
    ) -> None:
        self.candidate = candidate
        self.year = year
        # The movement the question names (it belongs to the question, not to the candidate).
        self.movement = movement
        self.floor = floor = min_year if min_year is not None else -1
        self.awards: Mapping[str, set[int]] = _counted_years(candidate, min_year, excluded)
        self.ratings: Mapping[int, str] = (
            candidate.ratings
            if min_year is None
            else {y: r for y, r in candidate.ratings.items() if y >= floor}
        )
        self._uses: dict[str, list[tuple[str, int]]] | None = None
        # The first year of each period since an earlier award asked so far (see _PeriodSpec): the
        # period checks of one award, and of the next ones, often read the same period.
        self.periods: dict[Any, int] = {}

    @property
    def uses(self) -> dict[str, list[tuple[str, int]]]:
        """Initiative id -> the (award, year) records that used it, from `min_year` on (as History)."""
        uses = self._uses
        if uses is None:
            uses = {}
            floor = self.floor
            for record in self.candidate.awards:
                if record.initiatives_used and record.year >= floor:
                    for initiative_id in record.initiatives_used:
                        uses.setdefault(initiative_id, []).append((record.award, record.year))
            self._uses = uses
        return uses


# The verdict-only form of a check: met (True), failed (False) or unknown (None) for the award asked,
# equal to `fn(...).met` of the same check (a property test compares them).
FastTest = Callable[[Facts, str], "bool | None"]


class Worded(NamedTuple):
    """A result's text in three parts: what was found, the requirement it was measured against, and what
    follows. The full text (`Cond.text`) is the three joined; a one-line reason (`Cond.found_text`, the
    discovery list) leaves the requirement out."""

    found: str
    requirement: str
    rest: str = ""


# A renderer: the text of a result from its outcome and the arguments its check recorded; a plain string
# when the text has no requirement to leave out.
Render = Callable[[bool | None, Any], "str | Worded"]


class EvalContext:
    """One question being evaluated: who, for which award and year, and which award years count."""

    __slots__ = ("award", "awards", "excluded", "history", "movement", "year")

    def __init__(
        self,
        history: History,
        award: str,
        year: int,
        awards: Mapping[str, set[int]],
        excluded: frozenset[str],
        movement: MovementFacts | None = None,
    ) -> None:
        self.history = history
        self.award = award
        self.year = year
        self.awards = awards
        self.excluded = excluded
        self.movement = movement


class Deferred:
    """The question a condition was decided for, kept in place of the details its text shows.

    The engine's explained path decides each rulebook condition with its verdict-only form (`test`, equal
    to the explained form's outcome: a property test compares them) and records this instead of the years
    found, missing or left out; the explained form (`fn`) works them out, over a `History` built then,
    only when the text is read. One is shared by the conditions of every award asked of one candidate for
    one year, floor and set of excluded kinds.
    """

    __slots__ = ("_history", "candidate", "excluded", "min_year", "movement", "year")

    def __init__(
        self,
        candidate: Candidate,
        year: int,
        min_year: int | None,
        excluded: frozenset[str],
        movement: MovementFacts | None = None,
    ) -> None:
        self.candidate = candidate
        self.year = year
        self.min_year = min_year
        self.excluded = excluded
        self.movement = movement
        self._history: History | None = None

    def context(self, award: str) -> EvalContext:
        history = self._history
        if history is None:
            history = self._history = History(self.candidate, self.min_year)
        excluded = self.excluded
        awards = history.merit_view(excluded) if excluded else history.all_years
        return EvalContext(history, award, self.year, awards, excluded, self.movement)


class CompiledCheck:
    """A rulebook condition ready to run; `render` turns a result's arguments into Vietnamese text."""

    __slots__ = ("award", "citation", "code", "constant", "fn", "mechanical", "render", "route", "test")

    def __init__(
        self,
        code: str,
        mechanical: bool,
        citation: Citation,
        route: str | None,
        fn: Callable[[EvalContext], Cond] | None,
        render: Render,
    ) -> None:
        self.code = code
        self.mechanical = mechanical
        self.citation = citation
        self.route = route
        self.fn: Callable[[EvalContext], Cond] = fn or (lambda ev: Cond(self, None, None))
        self.render = render
        # Set by compile_check for a mechanical rulebook condition; the engine's own conditions
        # (gates, freeze, discipline, quota) are decided by the engine itself on the fast path.
        self.test: FastTest | None = None
        # Set by compile_check: the result of a judgment condition, the same for everyone; and the award
        # whose plan holds the check, which a deferred text is worked out for.
        self.constant: Cond | None = None
        self.award: str | None = None


class Cond:
    """The result of one condition: met is True, False, or None (unknown, or left to a person).

    `args` are what its text is rendered from; on the engine's explained path they are worked out when
    first read (see `Deferred`)."""

    __slots__ = ("_args", "check", "code", "met")

    def __init__(self, check: CompiledCheck, met: bool | None, args: Any) -> None:
        self.check = check
        # Copied, not looked up through the check: every reader of an explanation reads it.
        self.code = check.code
        self.met = met
        self._args = args

    @property
    def args(self) -> Any:
        args = self._args
        if type(args) is Deferred:
            args = self._args = _worked_out(self.check, self.met, args)
        return args

    @property
    def mechanical(self) -> bool:
        return self.check.mechanical

    @property
    def text(self) -> str:
        said = self.check.render(self.met, self.args)
        return said if isinstance(said, str) else said.found + said.requirement + said.rest

    @property
    def found_text(self) -> str:
        """The text without the requirement repeated after what was found: for one-line reasons."""
        said = self.check.render(self.met, self.args)
        return said if isinstance(said, str) else said.found + said.rest

    def as_dict(self) -> dict[str, Any]:
        citation = self.check.citation
        out: dict[str, Any] = {
            "code": self.check.code,
            "met": self.met,
            "mechanical": self.check.mechanical,
            "text": self.text,
            "basis": citation.basis,
            "confirmed": citation.confirmed,
            "sources": list(citation.sources),
        }
        if citation.note:
            out["note"] = citation.note
        if self.check.route is not None:
            out["route"] = self.check.route
        return out


def _worked_out(check: CompiledCheck, met: bool | None, deferred: Deferred) -> Any:
    """The arguments of a deferred condition's text, from its explained form; its outcome must be the one
    recorded, or the text would contradict the verdict shown beside it."""
    if check.award is None:
        raise RuntimeError(f"Điều kiện {check.code}: không rõ danh hiệu, hình thức để dựng lời giải thích")
    cond = check.fn(deferred.context(check.award))
    if cond.met is not met:
        raise RuntimeError(
            f"Điều kiện {check.code}: hai cách tính cho kết quả khác nhau ({met} và {cond.met}), "
            f"ứng viên {deferred.candidate.id}, năm {deferred.year}"
        )
    return cond.args


# Parameter schemas: name -> (type, required, allowed values or None). The rulebook loader validates
# every condition against its check's schema, so a typo in a data file is an error at load time, not a
# wrong verdict.
ParamSchema = Mapping[str, tuple[type | tuple[type, ...], bool, Sequence[str] | None]]

AWARD_CODE = "__award_code__"  # marker: the value must be an award code of the catalogue


@dataclass(frozen=True, slots=True)
class Names:
    """What the checks need besides their parameters: award names, and the regime's principles
    (their citations are added where a principle shapes a check's result)."""

    names: Mapping[str, str]
    categories: Mapping[str, str]
    principles: Mapping[str, Citation] = field(default_factory=dict)

    def of(self, code: str) -> str:
        """'danh hiệu Chiến sĩ thi đua cơ sở' for a title; the form's own name for a form."""
        name = self.names.get(code, code)
        return f"danh hiệu {name}" if self.categories.get(code) == "title" else name

    def any_of(self, codes: Sequence[str]) -> str:
        return " hoặc ".join(self.of(c) for c in codes)

    def excluded_note(self, excluded: Sequence[int]) -> str:
        """Why some years were not counted (Nghị định 152/2025/NĐ-CP, Điều 4 khoản 3 in vn-2025)."""
        if not excluded:
            return ""
        principle = self.principles.get("merit_only")
        where = f" ({principle.basis})" if principle else ""
        return (
            f" (không tính năm {labels.years_text(excluded)}: kết quả khen thưởng đột xuất, chuyên đề"
            f" không dùng làm căn cứ đề nghị khen thưởng công trạng{where})"
        )


def joined(first: Citation, second: Citation) -> Citation:
    """Two citations for one condition: both articles, both sources; confirmed only if both are."""
    from thidua.eligibility.rulebook import Citation as _Citation

    note = " ".join(n for c in (first, second) if not c.confirmed and (n := c.note))
    return _Citation(
        f"{first.basis}; {second.basis}",
        tuple(dict.fromkeys((*first.sources, *second.sources))),
        first.confirmed and second.confirmed,
        note or None,
    )


# ---------------------------------------------------------------------------------------------------
# The kinds of check. Each is one `CheckKind`, registered in CHECKS right after its code below.

# (spec, names, the compiled check being built) -> (explained form or None for a constant result,
# renderer, verdict-only form or None when the engine decides it itself).
Compile = Callable[["ConditionSpec", Names, CompiledCheck], tuple[Any, Any, Any]]
# (spec, names) -> what the condition asks, in Vietnamese, for the rulebook page.
Describe = Callable[["ConditionSpec", Names], str]


class CheckKindError(ValueError):
    """A kind of check defined incompletely, or a condition naming no known kind: raised when this module
    is imported or a rulebook loaded, so the rulebook page never shows a raw code in place of a rule."""


@dataclass(frozen=True, slots=True)
class CheckKind:
    """Everything about one kind of check: the parameters a rulebook condition gives it (validated when
    the rulebook is loaded), how it is evaluated and explained (`compile`), and what it asks in words,
    without any candidate, for the rulebook page (`describe`). Adding or rewording a check is an edit
    of its own block of this module."""

    name: str
    schema: ParamSchema
    compile: Compile
    describe: Describe

    def __post_init__(self) -> None:
        if not callable(self.compile):
            raise CheckKindError(f"Phép kiểm tra `{self.name}` không có cách tính (compile)")
        if not callable(self.describe):
            raise CheckKindError(f"Phép kiểm tra `{self.name}` không có mô tả cho trang quy tắc (describe)")


CHECKS: dict[str, CheckKind] = {}


def register(kind: CheckKind, registry: dict[str, CheckKind] | None = None) -> CheckKind:
    """Add a kind of check to CHECKS (or to `registry`); a second kind of the same name is an error."""
    into = CHECKS if registry is None else registry
    if kind.name in into:
        raise CheckKindError(f"Phép kiểm tra `{kind.name}` đã được khai báo")
    into[kind.name] = kind
    return kind


def describe(spec: ConditionSpec, names: Names) -> str:
    """What a rulebook condition asks, in Vietnamese, from its check and parameters (the engine's
    results are rendered with the candidate's years; a rulebook reader needs the rule itself)."""
    kind = CHECKS.get(spec.check)
    if kind is None:
        raise CheckKindError(f"Không có phép kiểm tra `{spec.check}` (điều kiện {spec.code})")
    return kind.describe(spec, names)


def _window(years: int) -> str:
    return "trong năm xét" if years == 1 else f"trong {labels.count2(years)} năm tính đến năm xét"


def _ratings_at_least(rank: int) -> frozenset[str]:
    """The rating codes of at least that rank: the fast checks compare the candidate's own codes."""
    return frozenset(code for code, r in RATING_RANK.items() if r >= rank)


def _span(year: int, window: int) -> tuple[int, int]:
    return year - window + 1, year


def _excluded_years(ev: EvalContext, code: str, years: Sequence[int] | set[int]) -> list[int]:
    if ev.awards is ev.history.all_years:
        return []
    counted = ev.awards.get(code, _NO_YEARS)
    every = ev.history.all_years.get(code, _NO_YEARS)
    return sorted(y for y in years if y in every and y not in counted)


# A run of good years is looked for this far back at most: further than any career.
_LONGEST_RUN = 60


def _period(
    year: int,
    good: Callable[[int], bool],
    since_years: Iterable[int],
    same_years: Iterable[int] | None,
) -> tuple[int | None, int | None, int | None, int]:
    """The period since an earlier award that reaches `year`: (opened_by, run_start, after_same, start).

    `run_start` is the first year of the unbroken run of good years ending at `year` (None if `year`
    itself is not good); `opened_by` the earliest award of `since` before `year` (None if none);
    `after_same` the latest earlier award of the same form when the next-period rule applies (Nghị định
    152/2025/NĐ-CP, Điều 33 khoản 7: years counted for it are not counted again). The period is
    [start, year], empty when `start > year`.
    """
    opened = min((y for y in since_years if y < year), default=None)
    after_same = max((y for y in same_years if y < year), default=None) if same_years is not None else None
    run_start = None
    if good(year):
        run_start = year
        while run_start > year - _LONGEST_RUN and good(run_start - 1):
            run_start -= 1
    if opened is None or run_start is None:
        return opened, run_start, after_same, year + 1
    start = max(run_start, opened + 1, (after_same + 1) if after_same is not None else run_start)
    return opened, run_start, after_same, start


class _PeriodSpec:
    """What the three period checks share: the awards that open the period, the rating of its years,
    whether the next-period rule applies, the period read from either path, and the sentence that
    introduces it."""

    def __init__(self, spec: ConditionSpec, names: Names) -> None:
        p = spec.params
        self.since: tuple[str, ...] = tuple(p["since"])
        self.floor = RATING_RANK[p["min_rating"]]
        self.good_codes = _ratings_at_least(self.floor)
        self.same_form = "next_period" in names.principles
        self.wanted = labels.rating_at_least(p["min_rating"])
        self.names = names
        # Periods of the same awards and rating are the same period, whatever the check reading it.
        self.key = (self.since, self.floor)

    def of_context(self, ev: EvalContext) -> tuple[int | None, int | None, int | None, int]:
        ratings, awards, floor = ev.history.ratings, ev.awards, self.floor
        return _period(
            ev.year,
            lambda y: ratings.get(y, -1) >= floor,
            (y for code in self.since for y in awards.get(code, _NO_YEARS)),
            awards.get(ev.award, _NO_YEARS) if self.same_form else None,
        )

    def start_of_facts(self, f: Facts, award: str) -> int:
        """The first year of the period (as `_period`, read from the verdict-only index), once per index."""
        key = (self.key, award) if self.same_form else self.key
        start = f.periods.get(key)
        if start is None:
            start = f.periods[key] = self._start_of_facts(f, award)
        return start

    def _start_of_facts(self, f: Facts, award: str) -> int:
        year = f.year
        awards = f.awards
        opened = None
        for code in self.since:
            for y in awards.get(code, _NO_YEARS):
                if y < year and (opened is None or y < opened):
                    opened = y
        ratings, good = f.ratings, self.good_codes
        if opened is None or ratings.get(year) not in good:
            return year + 1
        run_start = year
        low = year - _LONGEST_RUN
        while run_start > low and ratings.get(run_start - 1) in good:
            run_start -= 1
        start = max(run_start, opened + 1)
        if self.same_form:
            after_same = max((y for y in awards.get(award, _NO_YEARS) if y < year), default=None)
            if after_same is not None and after_same >= start:
                start = after_same + 1
        return start

    @staticmethod
    def phrase(spec: ConditionSpec, names: Names) -> str:
        """The period in words, for the rulebook page."""
        p = spec.params
        rating = labels.rating_at_least(p["min_rating"])
        return f"thời gian liên tục được đánh giá {rating}, từ sau {names.any_of(p['since'])} đến năm xét"

    def intro(self, args: Any) -> str:
        opened, run_start, after_same, start, year, award = args
        names = self.names
        if opened is None:
            return f"Chưa có {names.any_of(self.since)} trước năm {year}, nên chưa có thời gian tính"
        if run_start is None:
            return (
                f"Năm {year} chưa được đánh giá {self.wanted}, nên không có thời gian liên tục "
                f"đến thời điểm đề nghị"
            )
        text = f"Từ sau {names.any_of(self.since)} năm {opened}"
        if after_same is not None and after_same + 1 == start:
            text += f" và {names.of(award)} năm {after_same} (thời gian đã tính không tính lại)"
        return text


# ---------------------------------------------------------------------------------------------------
# The checks. Each is its factory (the condition spec -> (fn, render, test)), its description for the
# rulebook page, and the `CheckKind` that registers both with the parameters it takes.


def _yearly_run(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    min_code: str = p["min_rating"]
    floor = RATING_RANK[min_code]
    n: int = p.get("years", 1)
    or_awards: tuple[str, ...] = tuple(p.get("or_awards", ()))
    unknown_if_missing = p.get("missing", "fail") == "unknown"
    wanted = labels.rating_at_least(min_code)
    alt = f" hoặc đạt {names.any_of(or_awards)}" if or_awards else ""
    good = _ratings_at_least(floor)

    if n == 1 and not or_awards:

        def fn(ev: EvalContext) -> Cond:
            rank = ev.history.ratings.get(ev.year)
            if rank is None:
                return Cond(check, None if unknown_if_missing else False, (ev.year, None))
            return Cond(check, rank >= floor, (ev.year, rank))

        def render(met: bool | None, args: Any) -> str | Worded:
            year, rank = args
            if rank is None:
                tail = ": cần bổ sung để xem xét" if met is None else ""
                return Worded(
                    f"Không có kết quả đánh giá, xếp loại năm {year}", f" (yêu cầu: {wanted})", tail
                )
            got = labels.RATING_LABELS[RATINGS[3 - rank]]
            if met:
                return Worded(f"Năm {year} được đánh giá {got}", f" (yêu cầu: {wanted})")
            return Worded(f"Năm {year} chỉ được đánh giá {got}", f", chưa đạt mức {wanted}")

        if unknown_if_missing:

            def test(f: Facts, award: str) -> bool | None:
                rating = f.ratings.get(f.year)
                return None if rating is None else rating in good

        else:

            def test(f: Facts, award: str) -> bool | None:
                return f.ratings.get(f.year) in good

        return fn, render, test

    def fn_run(ev: EvalContext) -> Cond:
        ratings = ev.history.ratings
        awards = ev.awards
        first = ev.year - n + 1
        missing: list[int] = []
        for y in range(first, ev.year + 1):
            if ratings.get(y, -1) >= floor:
                continue
            if or_awards and any(y in awards.get(a, _NO_YEARS) for a in or_awards):
                continue
            missing.append(y)
        if not missing:
            return Cond(check, True, (first, ev.year, missing))
        unknown = unknown_if_missing and all(y not in ratings for y in missing)
        return Cond(check, None if unknown else False, (first, ev.year, missing))

    def render_run(met: bool | None, args: Any) -> str:
        first, last, missing = args
        span = labels.span_text(first, last)
        if met:
            return f"{labels.count2(n)} năm liên tục ({span}) {wanted}{alt}"
        return (
            f"Chưa đủ {labels.count2(n)} năm liên tục ({span}) {wanted}{alt}: "
            f"thiếu năm {labels.years_text(missing)}"
        )

    def test_run(f: Facts, award: str) -> bool | None:
        ratings = f.ratings
        awards = f.awards
        year = f.year
        missing = False
        for y in range(year - n + 1, year + 1):
            rating = ratings.get(y)
            if rating in good:
                continue
            if or_awards and any(y in awards.get(a, _NO_YEARS) for a in or_awards):
                continue
            # A missing year fails the run, unless the data says "unknown" for years without a rating:
            # then only a year rated too low fails it.
            if not unknown_if_missing or rating is not None:
                return False
            missing = True
        return None if missing else True

    return fn_run, render_run, test_run


def _describe_yearly_run(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    wanted = labels.rating_at_least(p["min_rating"])
    years = p.get("years", 1)
    or_awards = p.get("or_awards", [])
    alt = f" hoặc đạt {names.any_of(or_awards)}" if or_awards else ""
    if years == 1:
        text = f"Năm xét được đánh giá {wanted}{alt}"
    else:
        text = f"{labels.count2(years)} năm liên tục, tính đến năm xét, được đánh giá {wanted}{alt}"
    if p.get("missing") == "unknown":
        text += " (năm không có kết quả đánh giá thì cần bổ sung, không coi là chưa đạt)"
    return text


register(
    CheckKind(
        "yearly_run",
        {
            "min_rating": (str, True, RATINGS),
            "years": (int, False, None),
            "or_awards": (list, False, (AWARD_CODE,)),
            "missing": (str, False, ("fail", "unknown")),
        },
        _yearly_run,
        _describe_yearly_run,
    )
)


def _rating_count(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    min_code: str = p["min_rating"]
    floor = RATING_RANK[min_code]
    at_least: int = p["at_least"]
    window: int = p["window"]
    wanted = labels.RATING_LABELS[min_code] if min_code == "HTXSNV" else labels.rating_at_least(min_code)
    good = _ratings_at_least(floor)

    def fn(ev: EvalContext) -> Cond:
        first, last = _span(ev.year, window)
        ratings = ev.history.ratings
        years = [y for y in range(first, last + 1) if ratings.get(y, -1) >= floor]
        return Cond(check, len(years) >= at_least, (first, last, years))

    def test(f: Facts, award: str) -> bool | None:
        ratings = f.ratings
        year = f.year
        count = 0
        for y in range(year - window + 1, year + 1):
            if ratings.get(y) in good:
                count += 1
        return count >= at_least

    def render(met: bool | None, args: Any) -> str | Worded:
        first, last, years = args
        span = labels.span_text(first, last)
        have = (
            f"{labels.count2(len(years))} năm ({labels.years_text(years)})" if years else "không có năm nào"
        )
        found = f"Trong {span} có {have} {wanted}"
        if met:
            return Worded(found, f" (yêu cầu: ít nhất {labels.count2(at_least)} năm)")
        return Worded(found, f"; yêu cầu ít nhất {labels.count2(at_least)} năm")

    return fn, render, test


def _describe_rating_count(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    rating = labels.rating_at_least(p["min_rating"])
    return f"Có ít nhất {labels.count2(p['at_least'])} năm được đánh giá {rating} {_window(p['window'])}"


register(
    CheckKind(
        "rating_count",
        {
            "min_rating": (str, True, RATINGS),
            "at_least": (int, True, None),
            "window": (int, True, None),
        },
        _rating_count,
        _describe_rating_count,
    )
)


def _meets_title(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    codes: tuple[str, ...] = tuple(p["awards"])
    or_rating: str | None = p.get("or_rating")
    floor = RATING_RANK[or_rating] if or_rating else 99
    title = names.any_of(codes)
    good = _ratings_at_least(floor)

    def fn(ev: EvalContext) -> Cond:
        year = ev.year
        awards = ev.awards
        for code in codes:
            if year in awards.get(code, _NO_YEARS):
                return Cond(check, True, (year, code, None))
        rank = ev.history.ratings.get(year)
        if rank is not None and rank >= floor:
            return Cond(check, True, (year, None, rank))
        return Cond(check, False, (year, None, rank))

    def test(f: Facts, award: str) -> bool | None:
        year = f.year
        awards = f.awards
        for code in codes:
            if year in awards.get(code, _NO_YEARS):
                return True
        return f.ratings.get(year) in good

    def render(met: bool | None, args: Any) -> str:
        year, code, rank = args
        if code is not None:
            return f"Năm {year} đạt {names.of(code)}"
        got = labels.RATING_LABELS[RATINGS[3 - rank]] if rank is not None else None
        if met:
            return f"Năm {year} được đánh giá {got}, đạt tiêu chuẩn {title}"
        rating_part = f"đánh giá năm {year}: {got}" if got else f"không có kết quả đánh giá năm {year}"
        return f"Chưa đạt tiêu chuẩn {title} năm {year} (không có danh hiệu; {rating_part})"

    return fn, render, test


def _describe_meets_title(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    text = f"Năm xét đạt {names.any_of(p['awards'])}"
    if p.get("or_rating"):
        text += f" hoặc được đánh giá {labels.rating_at_least(p['or_rating'])} (đạt tiêu chuẩn)"
    return text


register(
    CheckKind(
        "meets_title",
        {
            "awards": (list, True, (AWARD_CODE,)),
            "or_rating": (str, False, RATINGS),
        },
        _meets_title,
        _describe_meets_title,
    )
)


def _streak(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    code: str = p["award"]
    count: int = p["count"]
    period: int = p.get("period", 1)
    what = names.of(code)
    offsets = tuple(i * period for i in range(count - 1, -1, -1))

    def fn(ev: EvalContext) -> Cond:
        year = ev.year
        wanted = [year - offset for offset in offsets]
        years = ev.awards.get(code, _NO_YEARS)
        have = [y for y in wanted if y in years]
        excluded = _excluded_years(ev, code, wanted)
        return Cond(check, len(have) == count, (wanted, have, excluded))

    def test(f: Facts, award: str) -> bool | None:
        year = f.year
        years = f.awards.get(code, _NO_YEARS)
        for offset in offsets:
            if year - offset not in years:
                return False
        return len(offsets) == count

    def render(met: bool | None, args: Any) -> str:
        wanted, have, excluded = args
        if met:
            return f"Có {labels.count2(count)} lần liên tục đạt {what} ({labels.years_text(have)})"
        missing = [y for y in wanted if y not in have]
        return (
            f"Chưa đủ {labels.count2(count)} lần liên tục đạt {what} "
            f"(có: {labels.years_text(have)}; thiếu: {labels.years_text(missing)})"
            + names.excluded_note(excluded)
        )

    return fn, render, test


def _describe_streak(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    period = p.get("period", 1)
    text = f"{labels.count2(p['count'])} lần liên tục đạt {names.of(p['award'])}, lần gần nhất là năm xét"
    if period > 1:
        text += f" (mỗi lần tính {labels.count2(period)} năm)"
    return text


register(
    CheckKind(
        "streak",
        {
            "award": (str, True, (AWARD_CODE,)),
            "count": (int, True, None),
            "period": (int, False, None),
        },
        _streak,
        _describe_streak,
    )
)


def _award_count(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    code: str = p["award"]
    at_least: int = p["at_least"]
    window: int = p["window"]
    what = names.of(code)

    def fn(ev: EvalContext) -> Cond:
        first, last = _span(ev.year, window)
        years = ev.awards.get(code, _NO_YEARS)
        have = [y for y in range(first, last + 1) if y in years]
        excluded = _excluded_years(ev, code, range(first, last + 1)) if ev.excluded else []
        return Cond(check, len(have) >= at_least, (first, last, have, excluded))

    def test(f: Facts, award: str) -> bool | None:
        year = f.year
        years = f.awards.get(code, _NO_YEARS)
        have = 0
        for y in range(year - window + 1, year + 1):
            if y in years:
                have += 1
        return have >= at_least

    def render(met: bool | None, args: Any) -> str | Worded:
        first, last, have, excluded = args
        span = labels.span_text(first, last)
        got = f"{labels.count2(len(have))} lần ({labels.years_text(have)})" if have else "không lần nào"
        if met:
            return Worded(f"Trong {span} có {got} đạt {what}", f" (yêu cầu: {labels.count2(at_least)} lần)")
        return Worded(
            f"Trong {span} chỉ có {got} đạt {what}",
            f"; yêu cầu {labels.count2(at_least)} lần",
            names.excluded_note(excluded),
        )

    return fn, render, test


def _describe_award_count(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    return f"Có ít nhất {labels.count2(p['at_least'])} lần đạt {names.of(p['award'])} {_window(p['window'])}"


register(
    CheckKind(
        "award_count",
        {
            "award": (str, True, (AWARD_CODE,)),
            "at_least": (int, True, None),
            "window": (int, True, None),
        },
        _award_count,
        _describe_award_count,
    )
)


def _prior_award(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    code: str = p["award"]
    window: int = p["before_window"]
    what = names.of(code)

    def fn(ev: EvalContext) -> Cond:
        first, last = _span(ev.year, window)
        years = ev.awards.get(code, _NO_YEARS)
        before = [y for y in years if y < first]
        if before:
            return Cond(check, True, (first, last, max(before), [], []))
        inside = sorted(y for y in years if y >= first)
        every = ev.history.all_years.get(code, _NO_YEARS)
        excluded = sorted(y for y in every if y < first and y not in years)
        return Cond(check, False, (first, last, None, inside, excluded))

    def test(f: Facts, award: str) -> bool | None:
        first = f.year - window + 1
        # A loop rather than any(...): no generator built for every question asked.
        for y in f.awards.get(code, _NO_YEARS):  # noqa: SIM110
            if y < first:
                return True
        return False

    def render(met: bool | None, args: Any) -> str:
        first, last, year, inside, excluded = args
        span = labels.span_text(first, last) if window > 1 else f"năm xét {last}"
        where = "giai đoạn " if window > 1 else ""
        if met:
            return f"Đã được tặng {what} năm {year}, trước {where}{span}"
        text = f"Chưa có {what} trước {where}{span}"
        if inside:
            text += f" (có năm {labels.years_text(inside)}, nằm trong giai đoạn đang xét)"
        return text + names.excluded_note(excluded)

    return fn, render, test


def _describe_prior_award(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    if p["before_window"] == 1:
        return f"Đã được tặng {names.of(p['award'])} trước năm xét"
    years = labels.count2(p["before_window"])
    return f"Đã được tặng {names.of(p['award'])} trước giai đoạn {years} năm đang xét"


register(
    CheckKind(
        "prior_award",
        {
            "award": (str, True, (AWARD_CODE,)),
            "before_window": (int, True, None),
        },
        _prior_award,
        _describe_prior_award,
    )
)


def _period_run(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    period = _PeriodSpec(spec, names)
    n: int = spec.params["years"]
    wanted = period.wanted

    def fn(ev: EvalContext) -> Cond:
        opened, run_start, after_same, start = period.of_context(ev)
        length = max(0, ev.year - start + 1)
        return Cond(check, length >= n, (opened, run_start, after_same, start, ev.year, ev.award))

    def test(f: Facts, award: str) -> bool | None:
        return f.year - period.start_of_facts(f, award) + 1 >= n

    def render(met: bool | None, args: Any) -> str | Worded:
        opened, run_start, _after_same, start, year, _award = args
        head = period.intro(args)
        if opened is None or run_start is None:
            return head
        length = max(0, year - start + 1)
        span = labels.span_text(start, year) if length else ""
        if met:
            need = labels.count2(n)
            return Worded(
                f"{head}: {labels.count2(length)} năm liên tục ({span}) {wanted}",
                f" (yêu cầu: từ {need} năm)",
            )
        got = f"chỉ có {labels.count2(length)} năm liên tục ({span})" if length else "chưa có năm nào"
        return Worded(f"{head}: {got} {wanted}", f"; yêu cầu từ {labels.count2(n)} năm trở lên")

    return fn, render, test


def _describe_period_run(spec: ConditionSpec, names: Names) -> str:
    return f"Có {_PeriodSpec.phrase(spec, names)} dài từ {labels.count2(spec.params['years'])} năm trở lên"


register(
    CheckKind(
        "period_run",
        {
            "since": (list, True, (AWARD_CODE,)),
            "min_rating": (str, True, RATINGS),
            "years": (int, True, None),
        },
        _period_run,
        _describe_period_run,
    )
)


def _period_count(
    spec: ConditionSpec, names: Names, check: CompiledCheck, counted: str
) -> tuple[Any, Any, Any]:
    """`period_award_count` (counted = "award") and `period_rating_count` (counted = "rating")."""
    period = _PeriodSpec(spec, names)
    p = spec.params
    at_least: int = p["at_least"]
    target: str = p["award"] if counted == "award" else p["rating"]
    target_rank = RATING_RANK[target] if counted == "rating" else 0
    target_codes = _ratings_at_least(target_rank) if counted == "rating" else frozenset()
    if counted == "award":
        what = f"đạt {names.of(target)}"
    else:
        rating = labels.RATING_LABELS[target] if target == "HTXSNV" else labels.rating_at_least(target)
        what = f"được đánh giá {rating}"

    def fn(ev: EvalContext) -> Cond:
        opened, run_start, after_same, start = period.of_context(ev)
        span = range(start, ev.year + 1)
        if counted == "award":
            years = ev.awards.get(target, _NO_YEARS)
            have = [y for y in span if y in years]
        else:
            ratings = ev.history.ratings
            have = [y for y in span if ratings.get(y, -1) >= target_rank]
        return Cond(
            check, len(have) >= at_least, (opened, run_start, after_same, start, ev.year, ev.award, have)
        )

    def test_awards(f: Facts, award: str) -> bool | None:
        if at_least <= 0:
            return True
        start, year = period.start_of_facts(f, award), f.year
        have = 0
        for y in f.awards.get(target, _NO_YEARS):
            if start <= y <= year:
                have += 1
                if have >= at_least:
                    return True
        return False

    def test_ratings(f: Facts, award: str) -> bool | None:
        if at_least <= 0:
            return True
        ratings = f.ratings
        have = 0
        for y in range(period.start_of_facts(f, award), f.year + 1):
            if ratings.get(y) in target_codes:
                have += 1
                if have >= at_least:
                    return True
        return False

    def render(met: bool | None, args: Any) -> str | Worded:
        opened, run_start, after_same, start, year, award, have = args
        head = period.intro((opened, run_start, after_same, start, year, award))
        if opened is None or run_start is None:
            return f"{head} để đếm số lần {what}"
        span = labels.span_text(start, year) if start <= year else ""
        got = f"{labels.count2(len(have))} lần ({labels.years_text(have)})" if have else "không lần nào"
        where = f"trong thời gian đó ({span})" if span else "trong thời gian đó"
        if met:
            return Worded(f"{head}, {where} có {got} {what}", f" (yêu cầu: {labels.count2(at_least)} lần)")
        return Worded(f"{head}, {where} có {got} {what}", f"; yêu cầu {labels.count2(at_least)} lần")

    return fn, render, test_awards if counted == "award" else test_ratings


def _period_award_count(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    return _period_count(spec, names, check, "award")


def _period_rating_count(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    return _period_count(spec, names, check, "rating")


def _describe_period_count(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    if spec.check == "period_award_count":
        what = f"đạt {names.of(p['award'])}"
    else:
        rating = p["rating"]
        wanted = labels.RATING_LABELS[rating] if rating == "HTXSNV" else labels.rating_at_least(rating)
        what = f"được đánh giá {wanted}"
    return f"Trong {_PeriodSpec.phrase(spec, names)}, có ít nhất {labels.count2(p['at_least'])} lần {what}"


register(
    CheckKind(
        "period_award_count",
        {
            "since": (list, True, (AWARD_CODE,)),
            "min_rating": (str, True, RATINGS),
            "award": (str, True, (AWARD_CODE,)),
            "at_least": (int, True, None),
        },
        _period_award_count,
        _describe_period_count,
    )
)
register(
    CheckKind(
        "period_rating_count",
        {
            "since": (list, True, (AWARD_CODE,)),
            "min_rating": (str, True, RATINGS),
            "rating": (str, True, RATINGS),
            "at_least": (int, True, None),
        },
        _period_rating_count,
        _describe_period_count,
    )
)


def _initiatives(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    min_scope: str = p["min_scope"]
    floor = SCOPE_RANK[min_scope]
    count: int = p["count"]
    window: int = p["window"]
    types = frozenset(p.get("types", INITIATIVE_TYPES))
    same_type: bool = p.get("same_type", False)
    scope = labels.SCOPE_LABELS[min_scope]
    scope_text = f"phạm vi {scope}" if min_scope == "toan_quoc" else f"phạm vi {scope} trở lên"
    kinds_text = " hoặc ".join(labels.INITIATIVE_TYPE_LABELS[t] for t in INITIATIVE_TYPES if t in types)

    def fn(ev: EvalContext) -> Cond:
        h = ev.history
        if not h.initiatives:
            first, last = _span(ev.year, window)
            return Cond(check, False, (first, last, [], []))
        first, last = _span(ev.year, window)
        own = (ev.award, ev.year)
        free: list[tuple[str, str]] = []
        used: list[tuple[str, str, int]] = []
        for iid, year, rank, kind in h.initiatives:
            if not (first <= year <= last) or rank < floor or kind not in types:
                continue
            uses = h.uses.get(iid)
            other = [u for u in uses if u != own] if uses else None
            if other:
                used.append((iid, other[0][0], other[0][1]))
            else:
                free.append((iid, kind))
        best = max((sum(1 for _, k in free if k == t) for t in types), default=0) if same_type else len(free)
        return Cond(check, best >= count, (first, last, free, used))

    scopes = frozenset(s for s, rank in SCOPE_RANK.items() if rank >= floor)

    def test(f: Facts, award: str) -> bool | None:
        initiatives = f.candidate.initiatives
        if count <= 0:
            # As `fn`: without any initiative counted from `min_year` on, the condition is not met.
            return any(i.year >= f.floor for i in initiatives)
        year = f.year
        low = year - window + 1
        if low < f.floor:
            low = f.floor
        free = 0
        per_type: dict[str, int] | None = {} if same_type else None
        for initiative in initiatives:
            y = initiative.year
            if y < low or y > year or initiative.scope not in scopes or initiative.type not in types:
                continue
            uses = f.uses.get(initiative.id)
            if uses and any(u[0] != award or u[1] != year for u in uses):
                continue  # used by another award: one initiative, one use
            if per_type is not None:
                free = per_type[initiative.type] = per_type.get(initiative.type, 0) + 1
            else:
                free += 1
            if free >= count:
                return True
        return False

    def render(met: bool | None, args: Any) -> str:
        first, last, free, used = args
        span = labels.span_text(first, last)
        ids = ", ".join(i for i, _ in free) if free else "không có"
        if met:
            return f"Có {kinds_text} {scope_text}, chưa dùng để xét khen thưởng khác, trong {span}: {ids}"
        text = (
            f"Chưa đủ {labels.count2(count)} {kinds_text} {scope_text}"
            + (" cùng loại" if same_type and count > 1 else "")
            + f", chưa dùng để xét khen thưởng khác, trong {span} (có: {ids})"
        )
        if used:
            listed = "; ".join(f"{i} đã dùng cho {names.of(a)} năm {y}" for i, a, y in used)
            text += f"; mỗi sáng kiến chỉ được dùng một lần: {listed}"
        return text

    return fn, render, test


def _describe_initiatives(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    types = p.get("types", list(labels.INITIATIVE_TYPE_LABELS))
    kinds = " hoặc ".join(
        labels.INITIATIVE_TYPE_LABELS[t] for t in labels.INITIATIVE_TYPE_LABELS if t in types
    )
    scope = labels.SCOPE_LABELS[p["min_scope"]]
    scope_text = f"phạm vi {scope}" if p["min_scope"] == "toan_quoc" else f"phạm vi {scope} trở lên"
    same = " cùng loại" if p.get("same_type") and p["count"] > 1 else ""
    return (
        f"Có {labels.count2(p['count'])} {kinds}{same} được công nhận {scope_text} {_window(p['window'])}, "
        "chưa dùng để xét khen thưởng khác"
    )


register(
    CheckKind(
        "initiatives",
        {
            "min_scope": (str, True, SCOPES),
            "count": (int, True, None),
            "window": (int, True, None),
            "types": (list, False, INITIATIVE_TYPES),
            "same_type": (bool, False, None),
        },
        _initiatives,
        _describe_initiatives,
    )
)


def _member_ratio(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    field: str = p["field"]
    bound = Fraction(str(p["min"]))
    strict: bool = p.get("strict", False)
    what = labels.MEMBER_STAT_LABELS[field]
    need = f"{'trên' if strict else 'ít nhất'} {labels.percent(float(bound))}"

    def fn(ev: EvalContext) -> Cond:
        stats = ev.history.candidate.member_stats.get(ev.year)
        value = getattr(stats, field) if stats is not None else None
        total = stats.total if stats is not None else None
        if value is None or not total:
            return Cond(check, None, (ev.year, value, total))
        ratio = Fraction(value, total)
        return Cond(check, ratio > bound if strict else ratio >= bound, (ev.year, value, total))

    def test(f: Facts, award: str) -> bool | None:
        stats = f.candidate.member_stats.get(f.year)
        if stats is None:
            return None
        value = getattr(stats, field)
        total = stats.total
        if value is None or not total:
            return None
        ratio = Fraction(value, total)
        return ratio > bound if strict else ratio >= bound

    def render(met: bool | None, args: Any) -> str | Worded:
        year, value, total = args
        if value is None or not total:
            return Worded(
                f"Không có số liệu năm {year} về {what} trên tổng số cá nhân",
                f" (yêu cầu: {need})",
                ": cần bổ sung",
            )
        share = labels.percent(value / total)
        if met:
            return Worded(f"Năm {year} có {value}/{total} {what} ({share}", f"; yêu cầu: {need}", ")")
        return Worded(f"Năm {year} chỉ có {value}/{total} {what} ({share})", f", chưa đạt mức {need}")

    return fn, render, test


def _describe_member_ratio(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    need = "trên" if p.get("strict") else "ít nhất"
    what = labels.MEMBER_STAT_LABELS[p["field"]]
    return f"Năm xét, tỷ lệ {what} trên tổng số cá nhân {need} {labels.percent(float(p['min']))}"


register(
    CheckKind(
        "member_ratio",
        {
            "field": (str, True, MEMBER_STAT_FIELDS),
            "min": ((int, float), True, None),
            "strict": (bool, False, None),
        },
        _member_ratio,
        _describe_member_ratio,
    )
)


def _member_count(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    field: str = p["field"]
    low: int | None = p.get("min")
    high: int | None = p.get("max")
    what = labels.MEMBER_STAT_LABELS[field]
    parts = []
    if low is not None:
        parts.append(f"ít nhất {labels.count2(low)}")
    if high is not None:
        parts.append("không có" if high == 0 else f"không quá {labels.count2(high)}")
    need = ", ".join(parts)

    def fn(ev: EvalContext) -> Cond:
        stats = ev.history.candidate.member_stats.get(ev.year)
        value = getattr(stats, field) if stats is not None else None
        if value is None:
            return Cond(check, None, (ev.year, None))
        ok = (low is None or value >= low) and (high is None or value <= high)
        return Cond(check, ok, (ev.year, value))

    def test(f: Facts, award: str) -> bool | None:
        stats = f.candidate.member_stats.get(f.year)
        value = getattr(stats, field) if stats is not None else None
        if value is None:
            return None
        return (low is None or value >= low) and (high is None or value <= high)

    def render(met: bool | None, args: Any) -> str | Worded:
        year, value = args
        if value is None:
            return Worded(f"Không có số liệu năm {year} về số {what}", f" (yêu cầu: {need})", ": cần bổ sung")
        if high == 0 and low is None:
            if met:
                return f"Năm {year} không có {what}"
            return Worded(f"Năm {year} có {value} {what}", " (yêu cầu: không có)")
        return Worded(f"Năm {year} có {value} {what}", f" (yêu cầu: {need})")

    return fn, render, test


def _describe_member_count(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    what = labels.MEMBER_STAT_LABELS[p["field"]]
    low, high = p.get("min"), p.get("max")
    if high == 0 and low is None:
        return f"Năm xét không có {what}"
    parts = []
    if low is not None:
        parts.append(f"ít nhất {labels.count2(low)}")
    if high is not None:
        parts.append(f"không quá {labels.count2(high)}")
    return f"Năm xét có {', '.join(parts)} {what}"


register(
    CheckKind(
        "member_count",
        {
            "field": (str, True, MEMBER_STAT_FIELDS),
            "min": (int, False, None),
            "max": (int, False, None),
        },
        _member_count,
        _describe_member_count,
    )
)


def _bloc_role(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    role: str = p["role"]
    or_awards: tuple[str, ...] = tuple(p.get("or_awards", ()))
    role_text = labels.BLOC_ROLE_LABELS[role]
    alt = f" hoặc đã đạt {names.any_of(or_awards)}" if or_awards else ""

    def fn(ev: EvalContext) -> Cond:
        year = ev.year
        for code in or_awards:
            if year in ev.awards.get(code, _NO_YEARS):
                return Cond(check, True, (year, None, code))
        actual = ev.history.candidate.bloc_roles.get(year)
        if actual is None:
            return Cond(check, None, (year, None, None))
        return Cond(check, actual == role, (year, actual, None))

    def test(f: Facts, award: str) -> bool | None:
        year = f.year
        for code in or_awards:
            if year in f.awards.get(code, _NO_YEARS):
                return True
        actual = f.candidate.bloc_roles.get(year)
        return None if actual is None else actual == role

    def render(met: bool | None, args: Any) -> str | Worded:
        year, actual, code = args
        if code is not None:
            return f"Năm {year} đạt {names.of(code)} (tập thể dẫn đầu cụm, khối thi đua)"
        if actual is None:
            return Worded(
                f"Không có dữ liệu về vai trò trong cụm, khối thi đua năm {year}",
                f" (yêu cầu: {role_text}{alt})",
                ": cần bổ sung",
            )
        if met:
            return f"Năm {year} là {role_text} của cụm, khối thi đua"
        got = labels.BLOC_ROLE_LABELS[actual]
        return Worded(f"Năm {year} là {got} của cụm, khối thi đua", f", không phải {role_text}{alt}")

    return fn, render, test


def _describe_bloc_role(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    or_awards = p.get("or_awards", [])
    alt = f" hoặc đã đạt {names.any_of(or_awards)}" if or_awards else ""
    return f"Năm xét là {labels.BLOC_ROLE_LABELS[p['role']]} của cụm, khối thi đua{alt}"


register(
    CheckKind(
        "bloc_role",
        {
            "role": (str, True, BLOC_ROLES),
            "or_awards": (list, False, (AWARD_CODE,)),
        },
        _bloc_role,
        _describe_bloc_role,
    )
)


# "Tập thể dẫn đầu phong trào thi đua của cụm, khối" (Luật 2022 Điều 26 khoản 1): the collective the
# bloc's scoring and vote put first, which its published ranking records; not the rotating khối trưởng
# (`bloc_role`). Without a published ranking for the year a person decides, as before.
_BLOC_LEADER = "tập thể dẫn đầu phong trào thi đua của cụm, khối thi đua (xếp thứ nhất, không đồng hạng)"


def _bloc_ranking(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    def fn(ev: EvalContext) -> Cond:
        year = ev.year
        return Cond(check, ev.history.candidate.bloc_led.get(year), year)

    def test(f: Facts, award: str) -> bool | None:
        return f.candidate.bloc_led.get(f.year)

    def render(met: bool | None, year: Any) -> str | Worded:
        if met is None:
            return Worded(
                f"Cụm, khối thi đua chưa công bố kết quả xếp hạng năm {year}",
                f" (yêu cầu: {_BLOC_LEADER}; không phải vai trò khối trưởng luân phiên)",
                ": người xét căn cứ kết quả chấm điểm, bình xét của cụm, khối",
            )
        if met:
            return (
                f"Năm {year} xếp thứ nhất, không đồng hạng, trong kết quả xếp hạng đã công bố của cụm, khối"
            )
        return Worded(
            f"Năm {year} không xếp thứ nhất một mình trong kết quả xếp hạng đã công bố của cụm, khối",
            f", không phải {_BLOC_LEADER}",
        )

    return fn, render, test


def _describe_bloc_ranking(spec: ConditionSpec, names: Names) -> str:
    return (
        f"Năm xét là {_BLOC_LEADER} theo kết quả xếp hạng đã công bố (không phải vai trò khối trưởng luân "
        "phiên); chưa công bố thì người xét quyết định"
    )


register(CheckKind("bloc_ranking", {}, _bloc_ranking, _describe_bloc_ranking))


def _armed_forces(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    def fn(ev: EvalContext) -> Cond:
        return Cond(check, ev.history.candidate.armed_forces, None)

    def test(f: Facts, award: str) -> bool | None:
        return f.candidate.armed_forces

    def render(met: bool | None, args: Any) -> str:
        if met is None:
            return (
                "Không có dữ liệu về việc cá nhân thuộc Quân đội nhân dân, Công an nhân dân, "
                "dân quân hay không: cần bổ sung"
            )
        if met:
            return "Là quân nhân, công an hoặc dân quân thuộc đối tượng của danh hiệu"
        return "Không thuộc Quân đội nhân dân, Công an nhân dân, dân quân thường trực, dân quân tự vệ cơ động"

    return fn, render, test


def _describe_armed_forces(spec: ConditionSpec, names: Names) -> str:
    return "Là quân nhân, công an, dân quân thường trực hoặc dân quân tự vệ cơ động"


register(CheckKind("armed_forces", {}, _armed_forces, _describe_armed_forces))


def movement_years(start: date, end: date) -> int:
    """How many whole years a movement lasts, both days included: the largest N with
    end >= start + N years - 1 day (01/01/2026-31/12/2028 is 3 years; 01/01/2026-30/12/2028 is 2). A
    start on 29/02 counts its anniversaries from 01/03 in the years without one."""
    years = max(0, end.year - start.year + 1)
    while years > 0 and end < _anniversary(start, years) - timedelta(days=1):
        years -= 1
    return years


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29/02 in a year without it
        return date(start.year + years, 3, 1)


def _movement_requirement(kind: str, min_years: int | None) -> str:
    text = f"phong trào thi đua {labels.MOVEMENT_KIND_LABELS[kind]}"
    if min_years:
        text += f" có thời gian từ {labels.count2(min_years)} năm trở lên"
    return text


def _movement_met(movement: MovementFacts | None, kind: str, min_years: int | None) -> bool | None:
    if movement is None:
        return None
    if movement.kind != kind:
        return False
    return not min_years or movement_years(movement.start, movement.end) >= min_years


def _movement(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    p = spec.params
    kind: str = p["kind"]
    min_years: int | None = p.get("min_years")
    requirement = _movement_requirement(kind, min_years)

    def fn(ev: EvalContext) -> Cond:
        movement = ev.movement
        return Cond(check, _movement_met(movement, kind, min_years), movement)

    def test(f: Facts, award: str) -> bool | None:
        return _movement_met(f.movement, kind, min_years)

    def render(met: bool | None, args: Any) -> str | Worded:
        movement: MovementFacts | None = args
        if movement is None:
            return Worded(
                "Hồ sơ chưa gắn với phong trào thi đua nào của hệ thống",
                f" (yêu cầu: {requirement})",
                ": cần chọn phong trào",
            )
        name = f"Phong trào “{movement.title}”" if movement.title else "Phong trào được chọn"
        span = f"từ {labels.vn_date(movement.start)} đến {labels.vn_date(movement.end)}"
        years = movement_years(movement.start, movement.end)
        lasts = f"{labels.count2(years)} năm" if years else "chưa đủ 01 năm"
        found = f"{name} là phong trào {labels.MOVEMENT_KIND_LABELS[movement.kind]}, {span} ({lasts})"
        if met:
            return found
        return Worded(found, f", không phải {requirement}")

    return fn, render, test


def _describe_movement(spec: ConditionSpec, names: Names) -> str:
    p = spec.params
    text = _movement_requirement(p["kind"], p.get("min_years"))
    return (
        f"Hồ sơ gắn với {text} (tính từ ngày bắt đầu đến ngày kết thúc phong trào, kể cả hai ngày đó)"
        if p.get("min_years")
        else f"Hồ sơ gắn với {text}"
    )


register(
    CheckKind(
        "movement",
        {"kind": (str, True, MOVEMENT_KINDS), "min_years": (int, False, None)},
        _movement,
        _describe_movement,
    )
)


def _no_rating(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    def fn(ev: EvalContext) -> Cond:
        rank = ev.history.ratings.get(ev.year)
        return Cond(check, rank is None, (ev.year, rank))

    def test(f: Facts, award: str) -> bool | None:
        return f.ratings.get(f.year) is None

    def render(met: bool | None, args: Any) -> str:
        year, rank = args
        if met:
            return f"Không có kết quả đánh giá, xếp loại năm {year}: xét theo tiêu chuẩn của người lao động"
        got = labels.RATING_LABELS[RATINGS[3 - rank]]
        return f"Có kết quả đánh giá năm {year} ({got}): xét theo tiêu chuẩn của cán bộ, công chức, viên chức"

    return fn, render, test


def _describe_no_rating(spec: ConditionSpec, names: Names) -> str:
    return "Không thuộc diện đánh giá, xếp loại trong năm xét (công nhân, nông dân, người lao động)"


register(CheckKind("no_rating", {}, _no_rating, _describe_no_rating))


def _judgment(spec: ConditionSpec, names: Names, check: CompiledCheck) -> tuple[Any, Any, Any]:
    text = spec.text or spec.code

    def render(met: bool | None, args: Any) -> str:
        return text

    return None, render, None


def _describe_judgment(spec: ConditionSpec, names: Names) -> str:
    return spec.text or spec.code


register(CheckKind("judgment", {}, _judgment, _describe_judgment))


def compile_check(
    spec: ConditionSpec, names: Names, route: str | None, award: str | None = None
) -> CompiledCheck:
    """A condition ready to run; `award` is the award of the plan that holds it (the engine's explained
    path works out its texts for that award when they are read)."""
    citation = spec.citation
    one_use = names.principles.get("one_initiative_one_use")
    if spec.check == "initiatives" and one_use is not None:
        # "Unused" is the rule of one initiative, one use: cite it beside the award's article.
        citation = joined(citation, one_use)
    check = CompiledCheck(
        spec.code, spec.check != "judgment", citation, route, None, lambda met, args: spec.code
    )
    kind = CHECKS.get(spec.check)
    if kind is None:
        raise CheckKindError(f"Không có phép kiểm tra `{spec.check}` (điều kiện {spec.code})")
    fn, render, test = kind.compile(spec, names, check)
    if fn is None:
        # A judgment condition has the same result for everyone: built once, shared.
        constant = check.constant = Cond(check, None, None)
        fn = lambda ev: constant  # noqa: E731
    check.award = award
    check.fn = fn
    check.render = render
    check.test = test
    return check


def fixed_check(
    code: str, citation: Citation, render: Callable[[bool | None, Any], str], mechanical: bool = True
) -> CompiledCheck:
    """A condition computed by the engine itself (recipient, kind, freeze, discipline, quota)."""
    return CompiledCheck(code, mechanical, citation, None, None, render)
