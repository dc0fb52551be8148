"""The eligibility engine: does a candidate meet the standard of an award under the rules of a date?

`Evaluator.evaluate` answers one question; `check` answers a whole document of the command-line
contract, then runs the checks that only make sense over a batch (the old CSTĐ cơ sở quota).

Verdicts (the contract): `eligible` when every condition that can be checked from the data is met on
at least one route (conditions needing a person are listed with mechanical = false); `ineligible` when
a required condition fails on every route the law gives for the kind; `needs_review` when only routes
decided by a person remain open, or the data is not enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from fractions import Fraction
from typing import Any, cast

from thidua.eligibility import labels
from thidua.eligibility.conditions import (
    CompiledCheck,
    Cond,
    Deferred,
    Facts,
    FastTest,
    Names,
    compile_check,
    fixed_check,
)
from thidua.eligibility.model import (
    Candidate,
    CheckRequest,
    Discipline,
    MovementFacts,
    Pending,
    Question,
)
from thidua.eligibility.rulebook import AwardSpec, Citation, Library, RouteSpec, Rules, load_library

ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
NEEDS_REVIEW = "needs_review"

# Route outcomes, in the `routes` summary of a result.
ROUTE_MET = "met"
ROUTE_FAILED = "failed"
ROUTE_UNKNOWN = "unknown"
ROUTE_JUDGMENT = "judgment"

_EMPTY_EXCLUDED: frozenset[str] = frozenset()

# A verdict without its explanation: (verdict, id of the route met when eligible, else None).
Verdict = tuple[str, "str | None"]
_INELIGIBLE: Verdict = (INELIGIBLE, None)
_NEEDS_REVIEW: Verdict = (NEEDS_REVIEW, None)


class Result:
    """The answer to one question, with every condition that explains it.

    The plan answered with holds the award, the kind, the regime and the routes; the candidate's standing
    holds the candidate, the year and the date. A result keeps both instead of copies (the benchmark
    builds 600,000 results).

    The verdict and the route are decided when the result is built; the explanation is not: the
    conditions (and each route's status) are built on first reading, from the plan, the standing and
    the outcome of each mechanical check, which are kept. A caller that reads only the verdict (lists,
    counts) pays for no condition; one that reads them gets the same objects as if built at once.
    `verdict`, `route` and `conditions` stay writable (the batch checks of `quota_checks` change them).
    """

    __slots__ = ("_conditions", "_deferred", "_outcomes", "_plan", "_standing", "route", "verdict")

    def __init__(
        self,
        standing: _Standing,
        plan: Plan,
        verdict: str,
        route: str | None,
        outcomes: tuple[bool | None, ...] | None = None,
        deferred: Deferred | None = None,
    ) -> None:
        self._standing = standing
        self._plan = plan
        self.verdict = verdict
        self.route = route
        # The outcome of each mechanical check of the plan, in the order of its program; none when a
        # gate decided.
        self._outcomes = outcomes
        # The reading the outcomes were decided on, which their texts are worked out from.
        self._deferred = deferred
        # Built on first reading (`conditions`).
        self._conditions: list[Cond] | None = None

    @property
    def conditions(self) -> list[Cond]:
        """Every condition that explains the verdict, in order (built once, on first reading: the list
        is the result's own, so a batch check may append to it)."""
        conditions = self._conditions
        if conditions is None:
            conditions = self._conditions = _conditions_of(
                self._plan, self._standing, self._outcomes, self._deferred
            )
        return conditions

    @conditions.setter
    def conditions(self, conditions: list[Cond]) -> None:
        self._conditions = conditions

    @property
    def candidate(self) -> str:
        return self._standing.candidate.id

    @property
    def recipient(self) -> str:
        """The candidate's kind: ids are unique per kind only (a person and a unit may share one)."""
        return self._standing.candidate.kind

    @property
    def year(self) -> int:
        return self._standing.year

    @property
    def as_of(self) -> date:
        return self._standing.as_of

    @property
    def award(self) -> str:
        return self._plan.code

    @property
    def kind(self) -> str:
        return self._plan.kind

    @property
    def regime(self) -> str:
        return self._plan.regime_id

    @property
    def province(self) -> str | None:
        return self._plan.province

    @property
    def routes(self) -> list[tuple[RouteSpec, str]]:
        """Every route of the plan with its status (met, failed, unknown, judgment); none when a gate
        decided."""
        plan, outcomes = self._plan, self._outcomes
        if outcomes is None:
            return []
        statuses = (plan.decisions.get(outcomes) or plan.decide(outcomes))[2]
        return list(zip(plan.route_specs, statuses, strict=False))

    @property
    def confirmed(self) -> bool:
        return all(c.check.citation.confirmed for c in self.conditions)

    def as_dict(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "award": self.award,
            "year": self.year,
            "kind": self.kind,
            "as_of": self.as_of.isoformat(),
            "regime": self.regime,
            "verdict": self.verdict,
            "conditions": [c.as_dict() for c in self.conditions],
            "route": self.route,
            "routes": [
                {"id": r.id, "title": r.title, "status": status, "judgment": r.judgment, "layer": r.layer}
                for r, status in self.routes
            ],
            "province": self.province,
            "confirmed": self.confirmed,
        }


class Plan:
    """One award for one kind of recipient and one kind of commendation, compiled for one regime.

    Everything that does not depend on the candidate is decided here once: the gate, which conditions
    are mechanical, the constant conditions (judgment, "not frozen"), and the program the explained path
    runs (`steps`: every condition in order, each the shared result of a judgment or a check to run).
    """

    __slots__ = (
        "award",
        "checks",
        "code",
        "common",
        "common_count",
        "common_mechanical",
        "common_mechanical_index",
        "common_tests",
        "decisions",
        "excluded",
        "gate",
        "gate_failed",
        "gate_open",
        "gate_verdict",
        "kind",
        "mechanical",
        "next_period",
        "program",
        "province",
        "regime_id",
        "route_specs",
        "route_tests",
        "routes",
        "rules",
        "template",
    )

    def __init__(
        self,
        rules: Rules,
        checks: _RegimeChecks,
        award: AwardSpec,
        gate: CompiledCheck | None,
        common: tuple[CompiledCheck, ...],
        routes: tuple[tuple[RouteSpec, tuple[CompiledCheck, ...]], ...],
        excluded: frozenset[str],
        kind: str,
    ) -> None:
        self.rules = rules
        self.checks = checks
        self.award = award
        self.code = award.code
        self.kind = kind
        self.regime_id = rules.regime.id
        self.province = rules.province.id if rules.province else None
        # A gate is a condition that decides alone: wrong recipient, wrong kind, or no rules known.
        self.gate = gate
        self.common = common
        self.common_mechanical_index = tuple(i for i, c in enumerate(common) if c.mechanical)
        self.common_mechanical = bool(self.common_mechanical_index)
        # Per route: its checks, the positions of its mechanical checks, and whether a met route is
        # still left to a person (judgment route, or nothing mechanical to check at all).
        self.routes = tuple(
            (
                route,
                route_checks,
                tuple(i for i, c in enumerate(route_checks) if c.mechanical),
                route.judgment or not (self.common_mechanical or any(c.mechanical for c in route_checks)),
            )
            for route, route_checks in routes
        )
        self.route_specs = tuple(route for route, _checks in routes)
        self.excluded = excluded
        # The next proposal of the same form counts only the years after the previous one (Nghị định
        # 152/2025/NĐ-CP, Điều 33 khoản 7), for công trạng.
        self.next_period = kind == "cong_trang" and award.code in checks.next_period_awards
        # The verdict-only form (Evaluator.verdicts). A gate decides alone: a wrong recipient or kind
        # is ineligible; an award without rules needs a person, unless freeze or discipline blocks
        # (checked before any plan). Otherwise only the mechanical checks matter: a judgment
        # condition is never met nor failed, so it cannot move a verdict.
        self.gate_verdict: Verdict | None = None
        self.gate_failed: Cond | None = None
        self.gate_open: Cond | None = None
        if gate is not None:
            self.gate_verdict = _NEEDS_REVIEW if gate.code == "rule_not_modelled" else _INELIGIBLE
            # A gate's result is the same for everyone: a wrong recipient or kind fails, an award
            # without rules is left open.
            if self.gate_verdict is _INELIGIBLE:
                self.gate_failed = Cond(gate, False, None)
            else:
                self.gate_open = Cond(gate, None, None)
        self.common_tests = tuple(_test_of(c) for c in common if c.mechanical)
        self.route_tests = tuple(
            (route.id, left_to_person, tuple(_test_of(c) for c in route_checks if c.mechanical))
            for route, route_checks, _mechanical, left_to_person in self.routes
        )
        # The explained path's program: every condition in order, common ones first, then each route's.
        # A judgment's shared result sits in its place in `template`; each mechanical check comes with
        # its place and the verdict-only form that decides it (the details of its text are worked out
        # when read: conditions.Deferred).
        everything = (*common, *(c for _route, route_checks in routes for c in route_checks))
        self.template: tuple[Cond | None, ...] = tuple(
            None if c.mechanical else _constant_of(c) for c in everything
        )
        self.mechanical: tuple[tuple[int, CompiledCheck, FastTest], ...] = tuple(
            (i, c, _test_of(c)) for i, c in enumerate(everything) if c.mechanical
        )
        self.common_count = len(common)
        # The verdict for each combination of outcomes, worked out once (a plan has a few mechanical
        # checks, so a few dozen combinations at most).
        self.decisions: dict[tuple[bool | None, ...], Decision] = {}
        # What the explained path reads of the plan for every question, in one tuple: the mechanical
        # checks' verdict-only forms in the order of the program (their outcomes decide the verdict;
        # the conditions are built from them when read: `_conditions_of`).
        self.program = (
            self.gate_failed,
            self.gate_open,
            self.next_period,
            excluded,
            self.code,
            _runner(tuple(test for _position, _check, test in self.mechanical)),
            self.decisions,
        )

    def decide(self, outcomes: tuple[bool | None, ...]) -> Decision:
        """The verdict when freeze and discipline do not block, the route met (its index, or -1), each
        route's status, and the positions of that route's conditions among the steps.

        A failed common condition closes every route; a route fails at a failed check and is unknown
        with an unknown one; the first route met decides (eligible) unless a common condition is
        unknown; ineligible only when every route is closed; otherwise a person decides."""
        decision = self.decisions.get(outcomes)
        if decision is not None:
            return decision
        common = outcomes[: len(self.common_mechanical_index)]
        common_failed = False in common
        common_unknown = None in common
        statuses: list[str] = []
        chosen = -1
        all_failed = True
        first = self.common_count
        position = len(common)
        span = (0, 0)
        for _route, route_checks, mechanical, left_to_person in self.routes:
            own = outcomes[position : position + len(mechanical)]
            if False in own:
                status = ROUTE_FAILED
            elif None in own:
                status = ROUTE_UNKNOWN
            else:
                status = ROUTE_JUDGMENT if left_to_person else ROUTE_MET
            if status != ROUTE_FAILED:
                all_failed = False
                if status == ROUTE_MET and chosen < 0:
                    chosen = len(statuses)
                    span = (first, first + len(route_checks))
            statuses.append(status)
            position += len(mechanical)
            first += len(route_checks)
        if common_failed:
            verdict = INELIGIBLE
        elif chosen >= 0 and not common_unknown:
            verdict = ELIGIBLE
        elif all_failed:
            verdict = INELIGIBLE
        else:
            verdict = NEEDS_REVIEW
        route = self.route_specs[chosen].id if verdict == ELIGIBLE else None
        decision = self.decisions[outcomes] = (
            verdict,
            route,
            tuple(statuses),
            (self.common_count, *span),
        )
        return decision


# (verdict unless blocked; the route met when eligible, else None; status of each route; positions of
# the conditions shown when eligible: the common ones up to the first, and the route met's from-to)
Decision = tuple[str, str | None, tuple[str, ...], tuple[int, int, int]]


def _constant_of(check: CompiledCheck) -> Cond:
    if check.constant is None:
        raise ValueError(f"điều kiện {check.code} không phải điều kiện do người xem xét")
    return check.constant


def _test_of(check: CompiledCheck) -> FastTest:
    if check.test is None:
        raise ValueError(f"điều kiện {check.code} không có dạng kiểm tra nhanh")
    return check.test


_Suite = tuple[frozenset[str], tuple[Plan, ...]]


class _RegimeChecks:
    """The engine's own conditions for one regime: freeze and discipline, with their citations."""

    def __init__(self, rules: Rules) -> None:
        regime = rules.regime
        fallback = Citation(f"{regime.title} (điều khoản chưa được đối chiếu)", (), False)
        freeze = rules.principle("freeze")
        reset = rules.principle("discipline_reset")
        self.freeze = fixed_check("not_frozen", freeze.citation if freeze else fallback, _render_freeze)
        self.not_frozen = Cond(self.freeze, True, None)
        self.discipline = fixed_check("discipline", reset.citation if reset else fallback, _render_discipline)
        # The next proposal of the same form counts only the years after the previous one (Nghị định
        # 152/2025/NĐ-CP, Điều 33 khoản 7): for these awards every check reads the history from then on.
        # The periods since an earlier award (Bằng khen of the Prime Minister...) apply it themselves.
        following = rules.principle("next_period")
        self.next_period_awards: frozenset[str] = (
            frozenset(following.params.get("for_awards", ())) if following else frozenset()
        )
        self.next_period = fixed_check(
            "next_period", following.citation if following else fallback, _render_next_period
        )
        recipients = rules.principle("recipients")
        kinds = rules.principle("kinds")
        self.recipient_citation = recipients.citation if recipients else fallback
        self.kind_citation = kinds.citation if kinds else fallback


def _render_next_period(met: bool | None, args: Any) -> str:
    name, previous = args
    return (
        f"Đã được tặng {name} năm {previous}: thời gian tính thành tích cho lần đề nghị này bắt đầu từ năm "
        f"{previous + 1}, những năm đã tính cho lần trước không tính lại"
    )


def _previous_awards(candidate: Candidate, year: int) -> dict[str, int]:
    """The year of the latest công trạng award of each form before `year`: where the next proposal of the
    same form starts counting (Nghị định 152/2025/NĐ-CP, Điều 33 khoản 7)."""
    previous: dict[str, int] = {}
    for record in candidate.awards:
        if record.kind == "cong_trang" and previous.get(record.award, -1) < record.year < year:
            previous[record.award] = record.year
    return previous


def _render_freeze(met: bool | None, args: Any) -> str:
    if met:
        return (
            "Dữ liệu không ghi nhận việc đang xem xét kỷ luật, điều tra, thanh tra, kiểm tra "
            "hay xác minh đơn thư"
        )
    pending: Pending = args
    since = f" (từ {labels.vn_date(pending.since)})" if pending.since else ""
    return (
        f"Đang trong thời gian xem xét, xác minh: {pending.reason}{since}; "
        "chưa khen thưởng hoặc đề nghị cấp trên khen thưởng"
    )


def _render_discipline(met: bool | None, args: Any) -> str:
    record, count_start, year, ongoing = args
    level = f" ({labels.DISCIPLINE_LABELS.get(record.level, record.level)})" if record.level else ""
    start = labels.vn_date(record.start)
    if ongoing:
        end = f" đến {labels.vn_date(record.end)}" if record.end else ""
        return f"Đang trong thời gian thi hành kỷ luật{level} từ {start}{end}: thành tích chưa được tính"
    text = (
        f"Kỷ luật{level} từ {start} đến {labels.vn_date(record.end)}: "
        f"thành tích được tính từ năm {count_start}, sau khi chấp hành xong kỷ luật"
    )
    if not met:
        text += f"; năm {year} chưa được tính"
    return text


def discipline_state(candidate: Candidate, as_of: date) -> tuple[Discipline, int | None, bool] | None:
    """The discipline that matters on `as_of`: (record, first year that counts, still running)."""
    latest: tuple[Discipline, int | None, bool] | None = None
    for record in candidate.discipline:
        if record.start > as_of:
            continue
        if record.end is None or record.end > as_of:
            return (record, None, True)
        end = record.end
        # A year counts only when it starts after the discipline ended.
        first = end.year if (end.month, end.day) == (1, 1) else end.year + 1
        if latest is None or (latest[1] or 0) < first:
            latest = (record, first, False)
    return latest


def _frozen_by(candidate: Candidate, as_of: date) -> Pending | None:
    for pending in candidate.pending:
        if (pending.since is None or pending.since <= as_of) and (
            pending.until is None or pending.until > as_of
        ):
            return pending
    return None


class Evaluator:
    """Compiles plans once per (regime, award, recipient, kind) and evaluates questions with them."""

    def __init__(self, library: Library | None = None) -> None:
        self.library = library or load_library()
        catalogue = self.library.catalogue
        self.names = Names(
            {c: e.name for c, e in catalogue.items()}, {c: e.category for c, e in catalogue.items()}
        )
        self._names_by_regime: dict[str, Names] = {}
        self._plans: dict[tuple[str, str, str, str], Plan] = {}
        self._rules_by_date: dict[date, Rules] = {}
        self._regime_checks: dict[str, _RegimeChecks] = {}
        self._by_question: dict[tuple[date, str, str, str], Plan] = {}
        # (date, recipient kind, commendation kind, awards asked) -> (excluded kinds, plans)
        self._suites: dict[tuple[date, str, str, tuple[str, ...]], _Suite] = {}

    # -- compiling ---------------------------------------------------------------------------------

    def rules_on(self, day: date) -> Rules:
        rules = self._rules_by_date.get(day)
        if rules is None:
            rules = self.library.rules_for(day)
            self._rules_by_date[day] = rules
        return rules

    def _checks(self, rules: Rules) -> _RegimeChecks:
        checks = self._regime_checks.get(rules.key)
        if checks is None:
            checks = _RegimeChecks(rules)
            self._regime_checks[rules.key] = checks
        return checks

    def plan(self, rules: Rules, award: str, recipient: str, kind: str) -> Plan:
        key = (rules.key, award, recipient, kind)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._compile(rules, award, recipient, kind)
            self._plans[key] = plan
        return plan

    def _names(self, rules: Rules) -> Names:
        names = self._names_by_regime.get(rules.regime.id)
        if names is None:
            principles = {key: p.citation for key, p in rules.regime.principles.items()}
            names = Names(self.names.names, self.names.categories, principles)
            self._names_by_regime[rules.regime.id] = names
        return names

    def _compile(self, rules: Rules, code: str, recipient: str, kind: str) -> Plan:
        spec = rules.awards[code]
        names = self._names(rules)
        checks = self._checks(rules)
        excluded = _excluded_kinds(rules, kind)
        if recipient not in spec.recipients:
            allowed = ", ".join(labels.RECIPIENT_LABELS[r] for r in spec.recipients)
            text = (
                f"{spec.name} không xét tặng cho {labels.RECIPIENT_LABELS[recipient]} (đối tượng: {allowed})"
            )
            gate = fixed_check("recipient_kind", checks.recipient_citation, _says(text))
            return Plan(rules, checks, spec, gate, (), (), excluded, kind)
        if kind not in spec.kinds:
            served = ", ".join(labels.KIND_LABELS[k] for k in spec.kinds)
            text = (
                f"{spec.name} không xét theo loại hình khen thưởng {labels.KIND_LABELS[kind]} "
                f"(theo quy tắc hiện có: {served})"
            )
            gate = fixed_check("kind_served", checks.kind_citation, _says(text))
            return Plan(rules, checks, spec, gate, (), (), excluded, kind)
        routes = tuple(
            (
                route,
                tuple(
                    compile_check(c, names, route.id, code)
                    for c in route.conditions
                    if _for(c.recipients, recipient)
                ),
            )
            for route in spec.routes
            if _for(route.recipients, recipient) and (route.kinds is None or kind in route.kinds)
        )
        if not spec.modelled or not routes:
            note = spec.citation.note or "Chưa có tiêu chuẩn đã được đối chiếu."
            who = labels.RECIPIENT_LABELS[recipient]
            text = (
                f"Chưa có quy tắc cho {spec.name} ({who}, khen thưởng {labels.KIND_LABELS[kind]}) "
                f"theo {rules.regime.title}: {note} Cần chuyên viên xem xét"
            )
            citation = Citation(spec.citation.basis, spec.citation.sources, False, spec.citation.note)
            gate = fixed_check("rule_not_modelled", citation, _says(text), mechanical=False)
            return Plan(rules, checks, spec, gate, (), (), excluded, kind)
        common = tuple(
            compile_check(c, names, None, code) for c in spec.conditions if _for(c.recipients, recipient)
        )
        return Plan(rules, checks, spec, None, common, routes, excluded, kind)

    # -- evaluating --------------------------------------------------------------------------------

    def evaluate(
        self,
        candidate: Candidate,
        award: str,
        year: int,
        as_of: date,
        kind: str = "cong_trang",
        histories: dict[Any, Any] | None = None,
        movement: MovementFacts | None = None,
    ) -> Result:
        """One question, explained: the verdict and every condition behind it, each with its outcome;
        the texts are rendered when read.

        `histories` is a cache handed from one question about a candidate to the next (what they read of
        the candidate is built once); a cache handed to another candidate is rebuilt, never misread.
        `movement` is the movement the question names (a chuyên đề dossier's): it belongs to the question,
        so it is part of the cache's key (two questions naming different movements never share a reading).
        """
        key = (as_of, award, candidate.kind, kind)
        plan = self._by_question.get(key)
        if plan is None:
            plan = self.plan(self.rules_on(as_of), award, candidate.kind, kind)
            self._by_question[key] = plan
        if histories is None:
            return _answer(plan, _Standing(candidate, year, as_of, plan.checks, movement))
        standing_key = (_STANDING, year, as_of, movement)
        standing = histories.get(standing_key)
        # The identity check makes a caller's mistake (one cache for two candidates) cost a rebuild, not
        # a wrong verdict.
        if standing is None or standing.candidate is not candidate:
            standing = histories[standing_key] = _Standing(candidate, year, as_of, plan.checks, movement)
        return _answer(plan, standing)

    def explain(
        self,
        candidate: Candidate,
        awards: Sequence[str],
        year: int,
        as_of: date,
        kind: str = "cong_trang",
        movement: MovementFacts | None = None,
    ) -> list[Result]:
        """Every award asked of one candidate, explained: equal to `evaluate` for each award in turn, but
        the plans are looked up once per list of awards and what the questions share is read once. For
        pages that show the conditions of every award (the eligibility panel)."""
        plans = self._suite(as_of, candidate.kind, kind, awards)[1]
        if not plans:
            return []
        return _explain(plans, _Standing(candidate, year, as_of, plans[0].checks, movement))

    def verdicts(
        self,
        candidate: Candidate,
        awards: Sequence[str],
        year: int,
        as_of: date,
        kind: str = "cong_trang",
        movement: MovementFacts | None = None,
    ) -> list[Verdict]:
        """The verdict of each award for one candidate, without building any explanation.

        Equal to `evaluate(...).verdict` and `.route` for each award (a property test compares them),
        but one pass over the candidate's history serves every award, and a route stops at its first
        failed check. For lists and counts; a page that shows the conditions asks `evaluate`.
        """
        excluded, plans = self._suite(as_of, candidate.kind, kind, awards)

        # Freeze and discipline belong to the person, not to the award: when they block, every award
        # is ineligible, gates included (ND 152/2025 Điều 4 khoản 4; as `evaluate`).
        if candidate.pending and _frozen_by(candidate, as_of) is not None:
            return [_INELIGIBLE] * len(plans)
        min_year: int | None = None
        if candidate.discipline:
            state = discipline_state(candidate, as_of)
            if state is not None:
                _record, first, ongoing = state
                if ongoing or first is None or year < first:
                    return [_INELIGIBLE] * len(plans)
                min_year = first

        facts = Facts(candidate, year, min_year, excluded, movement)
        previous_awards: dict[str, int] | None = None
        out: list[Verdict] = []
        for plan in plans:
            if plan.gate_verdict is not None:
                out.append(plan.gate_verdict)
                continue
            own = facts
            if plan.next_period:
                if previous_awards is None:
                    previous_awards = _previous_awards(candidate, year)
                previous = previous_awards.get(plan.code)
                if previous is not None:
                    floor = previous + 1 if min_year is None else max(min_year, previous + 1)
                    own = Facts(candidate, year, floor, excluded, movement)
            out.append(_verdict(plan, own))
        return out

    def _suite(self, as_of: date, recipient: str, kind: str, awards: Sequence[str]) -> _Suite:
        key = (as_of, recipient, kind, tuple(awards))
        suite = self._suites.get(key)
        if suite is None:
            rules = self.rules_on(as_of)
            plans = tuple(self.plan(rules, code, recipient, kind) for code in key[3])
            suite = self._suites[key] = (_excluded_kinds(rules, kind), plans)
        return suite

    def evaluate_candidate(self, candidate: Candidate, questions: Iterable[Question]) -> list[Result]:
        """Every question about one candidate, sharing the candidate's precomputed history."""
        histories: dict[Any, Any] = {}
        return [
            self.evaluate(candidate, q.award, q.year, q.as_of, q.kind, histories, q.movement)
            for q in questions
        ]


# The key of a candidate's `_Standing` in a cache of `evaluate` (with the year, the date and the movement).
_STANDING = "standing"


class _Standing:
    """What the explained questions about one candidate for one year, asked on one date, share: freeze
    and discipline (they belong to the person, not to the award: ND 152/2025 Điều 4 khoản 4), the
    previous award of each form (the next-period rule), and the indexes read for each floor year and set
    of excluded kinds. Its readings carry the movement the questions name: a standing serves one movement
    (or none), never two."""

    __slots__ = (
        "_previous",
        "_readings",
        "as_of",
        "blocked",
        "candidate",
        "excluded",
        "min_year",
        "movement",
        "prefix",
        "reading",
        "year",
    )

    def __init__(
        self,
        candidate: Candidate,
        year: int,
        as_of: date,
        checks: _RegimeChecks,
        movement: MovementFacts | None = None,
    ) -> None:
        self.candidate = candidate
        self.year = year
        self.as_of = as_of
        self.movement = movement
        blocked = False
        min_year: int | None = None
        if candidate.pending and (pending := _frozen_by(candidate, as_of)) is not None:
            prefix = [Cond(checks.freeze, False, pending)]
            blocked = True
        else:
            prefix = [checks.not_frozen]
        if candidate.discipline:
            state = discipline_state(candidate, as_of)
            if state is not None:
                record, first, ongoing = state
                met = not ongoing and first is not None and year >= first
                prefix.append(Cond(checks.discipline, met, (record, first, year, ongoing)))
                blocked = blocked or not met
                min_year = first if not ongoing else year + 1
        # The engine's own conditions on the person, first in every result (shared: never changed).
        self.prefix = prefix
        self.blocked = blocked
        self.min_year = min_year
        self._previous: dict[str, int] | None = None
        self._readings: dict[tuple[int | None, frozenset[str]], tuple[Facts, Deferred]] = {}
        # The reading of the last question from the person's own floor, and its excluded kinds: the
        # awards asked in a row nearly always share both.
        self.excluded: frozenset[str] | None = None
        self.reading: tuple[Facts, Deferred] | None = None

    def previous(self, award: str) -> int | None:
        """The year of the previous công trạng award of that form before the year, if any."""
        previous = self._previous
        if previous is None:
            previous = self._previous = _previous_awards(self.candidate, self.year)
        return previous.get(award)

    def read(self, min_year: int | None, excluded: frozenset[str]) -> tuple[Facts, Deferred]:
        key = (min_year, excluded)
        reading = self._readings.get(key)
        if reading is None:
            candidate, year, movement = self.candidate, self.year, self.movement
            reading = self._readings[key] = (
                Facts(candidate, year, min_year, excluded, movement),
                Deferred(candidate, year, min_year, excluded, movement),
            )
        if min_year == self.min_year:
            self.excluded, self.reading = excluded, reading
        return reading


def _runner(tests: tuple[FastTest, ...]) -> Callable[[Facts, str], tuple[bool | None, ...]]:
    """One call deciding every mechanical check of a plan, in order: the outcomes' tuple built without a
    loop for the few checks a plan has (the explained path's hottest line: 600,000 questions in the
    benchmark)."""
    if not tests:
        return lambda facts, code: ()
    if len(tests) == 1:
        (a,) = tests
        return lambda facts, code: (a(facts, code),)
    if len(tests) == 2:
        a, b = tests
        return lambda facts, code: (a(facts, code), b(facts, code))
    if len(tests) == 3:
        a, b, c = tests
        return lambda facts, code: (a(facts, code), b(facts, code), c(facts, code))
    if len(tests) == 4:
        a, b, c, d = tests
        return lambda facts, code: (a(facts, code), b(facts, code), c(facts, code), d(facts, code))
    return lambda facts, code: tuple([test(facts, code) for test in tests])


def _explain(plans: Sequence[Plan], standing: _Standing) -> list[Result]:
    """Questions about one candidate, explained (see `Evaluator.evaluate`), one per plan."""
    return [_answer(plan, standing) for plan in plans]


def _answer(plan: Plan, standing: _Standing) -> Result:
    """One question about a candidate, explained (see `Evaluator.evaluate`).

    Every mechanical check of the plan is decided, in every route, so that a specialist sees each one
    that fails; the rule that turns their outcomes into the verdict is the plan's (`Plan.decide`). The
    outcomes are kept in the result, and its conditions built from them when read (`_conditions_of`).
    What the plan holds for every question is read from one tuple (600,000 questions in the benchmark).
    """
    gate_failed, gate_open, next_period, excluded, code, run, decisions = plan.program
    if gate_failed is not None:
        return Result(standing, plan, INELIGIBLE, None)
    if gate_open is not None:
        return Result(standing, plan, INELIGIBLE if standing.blocked else NEEDS_REVIEW, None)
    if next_period and (previous := standing.previous(code)) is not None:
        floor = previous + 1 if standing.min_year is None else max(standing.min_year, previous + 1)
        facts, deferred = standing.read(floor, excluded)
    elif excluded is standing.excluded and standing.reading is not None:
        facts, deferred = standing.reading
    else:
        facts, deferred = standing.read(standing.min_year, excluded)
    outcomes = run(facts, code)
    if standing.blocked:
        return Result(standing, plan, INELIGIBLE, None, outcomes, deferred)
    decision = decisions.get(outcomes) or plan.decide(outcomes)
    return Result(standing, plan, decision[0], decision[1], outcomes, deferred)


def _conditions_of(
    plan: Plan, standing: _Standing, outcomes: tuple[bool | None, ...] | None, deferred: Deferred | None
) -> list[Cond]:
    """The conditions explaining a result, built from the outcomes its verdict was decided on: the
    engine's own on the person first (freeze, discipline, the next period), then a gate alone, or the
    common conditions and the route met when eligible, or every condition of every route.

    The same objects, texts and order as if built with the verdict: judgments share the plan's
    results, each mechanical check is a Cond with its outcome and the reading it was decided on."""
    if plan.gate_failed is not None:
        return [plan.gate_failed]
    prefix = standing.prefix
    if plan.next_period and (previous := standing.previous(plan.code)) is not None:
        prefix = [*prefix, Cond(plan.checks.next_period, True, (plan.award.name, previous))]
    if plan.gate_open is not None:
        return [*prefix, plan.gate_open]
    if outcomes is None:
        raise ValueError(f"kết quả {plan.code} không có kết quả của các điều kiện")
    filled = list(plan.template)
    for (position, check, _test), outcome in zip(plan.mechanical, outcomes, strict=True):
        filled[position] = Cond(check, outcome, deferred)
    conds = cast(list[Cond], filled)
    _verdict, route, _statuses, (common, first, end) = plan.decisions.get(outcomes) or plan.decide(outcomes)
    if route is not None and not standing.blocked:
        # The common conditions and the route met; the other routes do not explain the verdict.
        return [*prefix, *conds[:common], *conds[first:end]]
    conds[0:0] = prefix
    return conds


def _verdict(plan: Plan, facts: Facts) -> Verdict:
    """One award's verdict from its mechanical checks, stopping as soon as the verdict is known.

    The same rule as `evaluate`: a failed common condition closes every route; a route fails at its
    first failed check; the first route met decides (eligible) unless a common condition is unknown;
    ineligible only when every route is closed; otherwise a person decides (needs review).
    """
    award = plan.award.code
    common_unknown = False
    for test in plan.common_tests:
        met = test(facts, award)
        if met is False:
            return _INELIGIBLE
        if met is None:
            common_unknown = True
    open_route = False
    for route_id, left_to_person, tests in plan.route_tests:
        if left_to_person and open_route:
            continue  # it can only keep the verdict open, and it already is
        all_met = True
        for test in tests:
            met = test(facts, award)
            if met is False:
                break
            if met is None:
                all_met = False
        else:
            if all_met and not left_to_person and not common_unknown:
                return (ELIGIBLE, route_id)
            if common_unknown:
                return _NEEDS_REVIEW  # an open route, but never eligible with a common unknown
            open_route = True
    return _NEEDS_REVIEW if open_route else _INELIGIBLE


def _excluded_kinds(rules: Rules, kind: str) -> frozenset[str]:
    """Kinds of records left out of the prerequisites of a question of `kind` (merit_only principle)."""
    merit = rules.principle("merit_only")
    if merit is not None and kind in merit.params["for_kinds"]:
        excluded: frozenset[str] = merit.params["excluded_kinds"]
        return excluded
    return _EMPTY_EXCLUDED


def _for(recipients: tuple[str, ...] | None, recipient: str) -> bool:
    return recipients is None or recipient in recipients


# ---------------------------------------------------------------------------------------------------
# A whole `check` document


def default_questions(candidates: Iterable[Candidate], as_of: date, library: Library) -> list[Question]:
    """Without questions: every award the candidate's kind can receive, for the year before `as_of`."""
    year = as_of.year - 1
    return [
        Question(candidate.id, code, year, as_of)
        for candidate in candidates
        for code, entry in library.catalogue.items()
        if candidate.kind in entry.recipients
    ]


def check(request: CheckRequest, evaluator: Evaluator | None = None) -> dict[str, Any]:
    """Answer a parsed `check` document: one result per question, in order, plus the batch checks."""
    evaluator = evaluator or default_evaluator()
    by_id = {c.id: c for c in request.candidates}
    histories: dict[str, dict[Any, Any]] = {}
    results: list[Result] = []
    for question in request.questions:
        candidate = by_id[question.candidate]
        results.append(
            evaluator.evaluate(
                candidate,
                question.award,
                question.year,
                question.as_of,
                question.kind,
                histories=histories.setdefault(candidate.id, {}),
                movement=question.movement,
            )
        )
    batch = quota_checks(results, request.candidates, evaluator)
    province = evaluator.library.province
    return {
        "results": [r.as_dict() for r in results],
        "batch_checks": batch,
        "province": province.id if province else None,
    }


def quota_checks(
    results: list[Result], candidates: Sequence[Candidate], evaluator: Evaluator
) -> list[dict[str, Any]]:
    """The old regime's cap on CSTĐ cơ sở (≤ 15% of the unit's LĐTT), checked over the batch.

    The cap does not say which person to drop, so a batch over the cap turns the eligible results of
    that unit and year into needs_review, with a condition saying the unit must choose.
    """
    # Keyed by (kind, id): the web's candidates take their ids from three tables, so a person and a
    # collective of one dossier may share an id.
    by_key = {(c.kind, c.id): c for c in candidates}
    individuals = [c for c in candidates if c.kind == "individual"]
    # One group per quota: a regime may cap several awards, and each is counted against its own base.
    groups: dict[tuple[str, str, int, str], list[Result]] = {}
    for result in results:
        if result.verdict != ELIGIBLE:
            continue
        rules = evaluator.rules_on(result.as_of)
        quota = rules.regime.quotas.get(result.award)
        if quota is None:
            continue
        unit = by_key[result.recipient, result.candidate].unit
        if unit is None:
            result.conditions.append(Cond(_no_unit_check(quota.citation, quota.max_ratio), None, None))
            continue
        groups.setdefault((rules.regime.id, unit, result.year, result.award), []).append(result)

    checks: list[dict[str, Any]] = []
    for (regime_id, unit, year, _award), members in groups.items():
        rules = evaluator.rules_on(members[0].as_of)
        quota = rules.regime.quotas[members[0].award]
        # The caps count persons (cá nhân) only.
        in_unit = [c for c in individuals if c.unit == unit]
        eligible_of = {
            r.candidate
            for r in results
            if r.award == quota.of
            and r.year == year
            and r.verdict == ELIGIBLE
            and r.recipient == "individual"
        }
        holders = {c.id for c in in_unit if any(a.award == quota.award and a.year == year for a in c.awards)}
        holders |= {r.candidate for r in members}
        base = {c.id for c in in_unit if any(a.award == quota.of and a.year == year for a in c.awards)}
        base |= {cid for cid in eligible_of if by_key["individual", cid].unit == unit} | holders
        bound = Fraction(str(quota.max_ratio))
        limit = int(bound * len(base))
        met = len(holders) <= bound * len(base)
        name = evaluator.names.names
        text = (
            f"Đơn vị {unit}, năm {year}: {len(holders)} cá nhân đạt hoặc đủ điều kiện {name[quota.award]} "
            f"trên {len(base)} cá nhân đạt {name[quota.of]}; tỷ lệ tối đa {labels.percent(float(bound))} "
            f"(không quá {labels.count2(limit)} người)"
        )
        text += "" if met else ": vượt tỷ lệ, đơn vị phải lựa chọn"
        checks.append(
            {
                "code": f"quota_{quota.award}",
                "regime": regime_id,
                "unit": unit,
                "year": year,
                "award": quota.award,
                "count": len(holders),
                "base": len(base),
                "max_ratio": float(bound),
                "limit": limit,
                "met": met,
                "text": text,
                **quota.citation.as_dict(),
                "candidates": sorted(holders),
            }
        )
        check = fixed_check(f"quota_{quota.award}", quota.citation, _says(text), mechanical=met)
        for result in members:
            result.conditions.append(Cond(check, True if met else None, None))
            if not met:
                result.verdict = NEEDS_REVIEW
                result.route = None
    return checks


def _says(text: str) -> Callable[[bool | None, Any], str]:
    """The renderer of a condition whose text is fixed when the plan is compiled."""

    def render(met: bool | None, args: Any) -> str:
        return text

    return render


def _no_unit_check(citation: Citation, ratio: Any) -> CompiledCheck:
    text = (
        "Không có thông tin đơn vị (`unit`): chưa kiểm tra được tỷ lệ không quá "
        f"{labels.percent(float(ratio))} số cá nhân đạt danh hiệu Lao động tiên tiến của đơn vị"
    )
    return fixed_check("quota_unit_unknown", citation, _says(text), mechanical=False)


_DEFAULT: dict[str, Evaluator] = {}


def default_evaluator() -> Evaluator:
    """One evaluator per provincial setting, so plans are compiled once per process."""
    library = load_library()
    key = str(id(library))
    evaluator = _DEFAULT.get(key)
    if evaluator is None:
        evaluator = Evaluator(library)
        _DEFAULT.clear()
        _DEFAULT[key] = evaluator
    return evaluator


def evaluate(
    candidate: Candidate, award: str, year: int, kind: str = "cong_trang", as_of: date | None = None
) -> Result:
    """One question, with the rulebooks of the current setting. `as_of` defaults to today."""
    return default_evaluator().evaluate(candidate, award, year, as_of or date.today(), kind)


def referenced_awards(plan: Plan) -> set[str]:
    """Award codes a plan looks at (for tests: an award outside this set is unrelated)."""
    codes: set[str] = set()
    for spec in (*plan.award.conditions, *(c for route, *_ in plan.routes for c in route.conditions)):
        for key in ("award",):
            if key in spec.params:
                codes.add(spec.params[key])
        for key in ("awards", "or_awards"):
            codes.update(spec.params.get(key, ()))
    return codes


__all__ = [
    "ELIGIBLE",
    "INELIGIBLE",
    "NEEDS_REVIEW",
    "Evaluator",
    "Result",
    "check",
    "default_evaluator",
    "default_questions",
    "evaluate",
]
