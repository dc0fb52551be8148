"""Rulebooks as data: the regimes, the base salary table and the provincial layer, read from TOML.

Files live in `thidua/eligibility/data/` (packaged with the code):

- `awards.toml`: the catalogue of codes (names, title or form, recipients);
- `regime-*.toml`: one file per regime, each with its first day (`valid_from`); a regime ends the day
  before the next one starts, so a new regime is a new file. `extends` reuses another regime's rules;
- `base-salary.toml`: the base salary by date, with its decree;
- `province-*.toml`: a provincial layer, chosen by the THIDUA_PROVINCE_RULES setting (an id or a path);
- `sources.toml`: what each source tag of a citation refers to.

Every file is validated when loaded (unknown keys, unknown checks, bad parameters, missing citations)
and a problem raises `RulebookError` naming the file and the key, so a data change cannot silently
change a verdict.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from thidua.eligibility import labels
from thidua.eligibility.conditions import AWARD_CODE, CHECKS, Names
from thidua.eligibility.model import COMMENDATION_KINDS, RECIPIENT_KINDS

DATA_DIR = Path(__file__).resolve().parent / "data"
PROVINCE_SETTING = "THIDUA_PROVINCE_RULES"
DEFAULT_PROVINCE = "mau-bac-ninh"
NO_PROVINCE = "none"


class RulebookError(Exception):
    """A rulebook file is missing or wrong; the message is Vietnamese and names the file and key."""


@dataclass(frozen=True, slots=True)
class Citation:
    basis: str
    sources: tuple[str, ...] = ()
    confirmed: bool = True
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "basis": self.basis,
            "confirmed": self.confirmed,
            "sources": list(self.sources),
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class ConditionSpec:
    code: str
    check: str
    params: Mapping[str, Any]
    citation: Citation
    text: str | None = None
    recipients: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class RouteSpec:
    id: str
    title: str
    kinds: tuple[str, ...] | None
    recipients: tuple[str, ...] | None
    judgment: bool
    citation: Citation
    conditions: tuple[ConditionSpec, ...]
    layer: str


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    code: str
    name: str
    category: str
    recipients: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AwardSpec:
    code: str
    name: str
    category: str
    recipients: tuple[str, ...]
    kinds: tuple[str, ...]
    period: int
    modelled: bool
    citation: Citation
    conditions: tuple[ConditionSpec, ...]
    routes: tuple[RouteSpec, ...]
    layer: str


@dataclass(frozen=True, slots=True)
class Principle:
    key: str
    citation: Citation
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Quota:
    award: str
    of: str
    max_ratio: Decimal
    citation: Citation


@dataclass(frozen=True, slots=True)
class Coefficient:
    award: str
    recipient: str
    value: Decimal
    citation: Citation


@dataclass(frozen=True, slots=True)
class BonusTable:
    citation: Citation
    rounding: int
    rounding_citation: Citation
    household_multiplier: Decimal
    household_citation: Citation
    same_period_citation: Citation
    coefficients: Mapping[tuple[str, str], Coefficient]


@dataclass(frozen=True, slots=True)
class SalaryPeriod:
    valid_from: date
    amount: int
    citation: Citation


# Kinds of legal text a decision cites, in the words of its "Căn cứ" lines.
BASIS_KINDS = ("Luật", "Nghị quyết", "Nghị định", "Thông tư", "Quyết định")


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """One legal basis ("căn cứ") of a commendation decision, as the text is cited in practice: its kind,
    number, date of issue, issuer and full title, and the days on which a decision cites it (the text in
    force on the decision date; None on either side means open)."""

    key: str
    kind: str
    number: str
    issued: date | None
    issuer: str
    title: str
    cited_from: date | None
    cited_until: date | None
    citation: Citation
    # The levels of authority whose decisions cite it; empty: all (the local government law is cited by
    # a People's Committee, not by a department).
    levels: frozenset[str] = frozenset()

    @property
    def text(self) -> str:
        """The whole citation after "Căn cứ": a law is named by its title ("Luật Thi đua, khen thưởng số
        06/2022/QH15 ngày 15 tháng 6 năm 2022"), any other text by kind, number, date and issuer, then its
        title ("Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định …")."""
        issued = f" {labels.long_date(self.issued)}" if self.issued else ""
        if self.kind == "Luật":
            return f"Luật {self.title} số {self.number}{issued}"
        head = f"{self.kind} số {self.number}{issued}"
        if self.issuer:
            head += f" của {self.issuer}"
        return f"{head} {self.title}" if self.title else head

    def cited_on(self, day: date) -> bool:
        # A text is never cited before it is issued, even when the day it came into force is not known.
        start = self.cited_from or self.issued
        return (start is None or start <= day) and (self.cited_until is None or day <= self.cited_until)


# The levels of authority whose head decides awards (Luật Thi đua, khen thưởng 2022, Điều 79, 80; Nghị
# định 129/2025/NĐ-CP, Điều 59), from the lowest; "state" is above them all and never local.
AUTHORITY_LEVELS = ("enterprise", "commune", "district", "department", "province")


@dataclass(frozen=True, slots=True)
class Power:
    """The awards the head of one level of authority decides, and the text that gives the power."""

    level: str
    awards: frozenset[str]
    citation: Citation


@dataclass(frozen=True, slots=True)
class YearEnd:
    """The day the province's year-end review season opens: from it, the year under review is the current
    year; before it, the previous one."""

    month: int
    day: int
    citation: Citation

    def review_year(self, today: date) -> int:
        return today.year if (today.month, today.day) >= (self.month, self.day) else today.year - 1


@dataclass(frozen=True)
class Regime:
    id: str
    valid_from: date
    covers_earlier: bool
    title: str
    basis: tuple[str, ...]
    sources: tuple[str, ...]
    extends: str | None
    principles: Mapping[str, Principle]
    council: Mapping[str, Any] | None
    quotas: Mapping[str, Quota]
    bonus: BonusTable | None
    awards: Mapping[str, AwardSpec]
    file: str
    valid_to: date | None = None
    # The national legal bases a decision of this period cites (each with the days it is cited on).
    bases: tuple[LegalBasis, ...] = ()
    # Who decides what: one entry per level of authority.
    powers: tuple[Power, ...] = ()


@dataclass(frozen=True)
class ProvinceOverride:
    mode: str
    award: AwardSpec


PROCESSING_STAGES = ("receive", "appraise")


@dataclass(frozen=True, slots=True)
class ProcessingRule:
    """How many working days the Board has for one stage of a dossier.

    `receive`: checking completeness and returning an incomplete dossier; `appraise`: appraising a
    complete dossier. `kinds` None means every kind of commendation.
    """

    code: str
    text: str
    working_days: int
    stage: str
    kinds: tuple[str, ...] | None
    citation: Citation

    def applies_to(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


@dataclass(frozen=True, slots=True)
class PublicCommentRule:
    """Nominees for these awards are published for public comment before the Council considers them."""

    awards: tuple[str, ...]
    working_days: int
    text: str
    citation: Citation


@dataclass(frozen=True)
class ProvinceLayer:
    id: str
    name: str
    regulation: str
    in_force_from: date | None
    regimes: tuple[str, ...]
    citation: Citation
    overrides: Mapping[str, ProvinceOverride]
    council: Mapping[str, Any]
    deadlines: tuple[Mapping[str, Any], ...]
    dossiers: tuple[Mapping[str, Any], ...]
    approval: tuple[Mapping[str, Any], ...]
    file: str
    processing: tuple[ProcessingRule, ...] = ()
    public_comment: tuple[PublicCommentRule, ...] = ()
    # True when the thresholds and procedure are a model regulation, not the province's own: the rulebook
    # page says so, and documents cite no provincial regulation for them.
    model: bool = False
    # The province's name as its documents print it ("Lai Châu"); empty for the generic model province.
    official_name: str = ""
    # The province's own regulations on emulation and commendation, cited by decisions on their dates.
    regulations: tuple[LegalBasis, ...] = ()
    year_end: YearEnd | None = None
    # The dossier components by stable code ([components]); the [[dossiers]] entries list these codes.
    components: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    """The rules in force for one regime, with the provincial layer applied."""

    regime: Regime
    province: ProvinceLayer | None
    awards: Mapping[str, AwardSpec]
    council: Mapping[str, Any]

    def principle(self, key: str) -> Principle | None:
        return self.regime.principles.get(key)

    @property
    def key(self) -> str:
        """What compiled plans are cached by: the regime, and whether the provincial layer applies (a
        layer comes into force within a regime, so one regime has two sets of rules)."""
        return f"{self.regime.id}+{self.province.id}" if self.province is not None else self.regime.id


# ---------------------------------------------------------------------------------------------------
# Reading and validating


class _Reader:
    """Walks one TOML file; every complaint names the file and the dotted key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name

    def fail(self, where: str, message: str) -> RulebookError:
        return RulebookError(f"Tệp quy tắc {self.name}, mục `{where}`: {message}")

    def load(self) -> dict[str, Any]:
        try:
            with self.path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError as exc:
            raise RulebookError(f"Không tìm thấy tệp quy tắc {self.path}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise RulebookError(f"Tệp quy tắc {self.name} không đúng cú pháp TOML: {exc}") from exc

    def keys(self, table: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(where, f"khóa không được hỗ trợ: {', '.join(unknown)}")

    def table(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "cần một bảng (table)")
        return value

    def str_(self, table: Mapping[str, Any], key: str, where: str, required: bool = True) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(where, f"thiếu khóa `{key}`")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{key}", "cần một chuỗi không rỗng")
        return value

    def strs(
        self, table: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...] | None = None
    ) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}.{key}", "cần một danh sách chuỗi")
        if allowed is not None:
            bad = [v for v in value if v not in allowed]
            if bad:
                raise self.fail(f"{where}.{key}", f"giá trị không hợp lệ: {', '.join(bad)}")
        return tuple(value)

    def bool_(self, table: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", "cần true hoặc false")
        return value

    def date_(self, table: Mapping[str, Any], key: str, where: str, required: bool = True) -> date | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(where, f"thiếu khóa `{key}` (ngày, dạng 2025-07-01)")
            return None
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.fail(f"{where}.{key}", "cần một ngày dạng 2025-07-01 (không có giờ)")
        return value

    def citation(self, table: Mapping[str, Any], where: str, parent: Citation | None) -> Citation:
        basis = self.str_(table, "basis", where, required=parent is None)
        sources = self.strs(table, "sources", where)
        note = self.str_(table, "note", where, required=False)
        if "confirmed" in table:
            confirmed = self.bool_(table, "confirmed", where, True)
        else:
            confirmed = parent.confirmed if parent else True
            note = note or (parent.note if parent and not confirmed else None)
        return Citation(
            basis=basis or (parent.basis if parent else ""),
            sources=sources if sources is not None else (parent.sources if parent else ()),
            confirmed=confirmed,
            note=note,
        )


_CITATION_KEYS = {"basis", "sources", "confirmed", "note"}
_CONDITION_KEYS = _CITATION_KEYS | {"code", "check", "text", "recipients"}
_ROUTE_KEYS = _CITATION_KEYS | {"id", "title", "kinds", "recipients", "judgment", "conditions"}
_AWARD_KEYS = _CITATION_KEYS | {"kinds", "period", "modelled", "conditions", "routes"}


def _read_condition(
    r: _Reader, raw: Any, where: str, parent: Citation, catalogue: Mapping[str, CatalogueEntry]
) -> ConditionSpec:
    table = r.table(raw, where)
    check = r.str_(table, "check", where)
    assert check is not None
    check_kind = CHECKS.get(check)
    if check_kind is None:
        raise r.fail(f"{where}.check", f"không có phép kiểm tra `{check}` (có: {', '.join(sorted(CHECKS))})")
    schema = check_kind.schema
    r.keys(table, where, _CONDITION_KEYS | set(schema))
    code = r.str_(table, "code", where)
    assert code is not None
    params: dict[str, Any] = {}
    for name, (kind, required, allowed) in schema.items():
        if name not in table:
            if required:
                raise r.fail(where, f"phép kiểm tra `{check}` cần tham số `{name}`")
            continue
        value = table[name]
        if isinstance(value, bool) and kind is not bool:
            raise r.fail(f"{where}.{name}", "kiểu giá trị không đúng")
        if not isinstance(value, kind):
            raise r.fail(f"{where}.{name}", "kiểu giá trị không đúng")
        items = value if isinstance(value, list) else [value]
        if allowed is not None and kind is not bool:
            for item in items:
                valid = item in catalogue if allowed == (AWARD_CODE,) else item in allowed
                if not isinstance(item, str) or not valid:
                    raise r.fail(f"{where}.{name}", f"giá trị không hợp lệ: {item!r}")
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value < (0 if name in ("min", "max") else 1)
        ):
            raise r.fail(f"{where}.{name}", "cần một số dương")
        params[name] = value
    text = r.str_(table, "text", where, required=check == "judgment")
    spec = ConditionSpec(
        code=code,
        check=check,
        params=params,
        citation=r.citation(table, where, parent),
        text=text,
        recipients=r.strs(table, "recipients", where, RECIPIENT_KINDS),
    )
    # The rulebook page describes every condition from its check: a condition its check cannot describe
    # is refused here, when the rulebook is loaded, not met later as a page that fails.
    names = Names({c: e.name for c, e in catalogue.items()}, {c: e.category for c, e in catalogue.items()})
    try:
        described = check_kind.describe(spec, names)
    except Exception as exc:
        raise r.fail(where, f"phép kiểm tra `{check}` không mô tả được điều kiện này ({exc!r})") from exc
    if not described:
        raise r.fail(where, f"phép kiểm tra `{check}` cho mô tả rỗng")
    return spec


def _read_award(
    r: _Reader,
    code: str,
    raw: Any,
    where: str,
    catalogue: Mapping[str, CatalogueEntry],
    layer: str,
) -> AwardSpec:
    entry = catalogue.get(code)
    if entry is None:
        raise r.fail(where, f"mã `{code}` không có trong danh mục awards.toml")
    table = r.table(raw, where)
    r.keys(table, where, _AWARD_KEYS)
    kinds = r.strs(table, "kinds", where, COMMENDATION_KINDS) or ("cong_trang",)
    period = table.get("period", 1)
    if not isinstance(period, int) or isinstance(period, bool) or period < 1:
        raise r.fail(f"{where}.period", "cần một số nguyên dương (số năm được tính)")
    citation = r.citation(table, where, None)
    conditions = tuple(
        _read_condition(r, c, f"{where}.conditions[{i}]", citation, catalogue)
        for i, c in enumerate(table.get("conditions", []))
    )
    routes = []
    seen: set[str] = set()
    for i, raw_route in enumerate(table.get("routes", [])):
        rw = f"{where}.routes[{i}]"
        route = r.table(raw_route, rw)
        r.keys(route, rw, _ROUTE_KEYS)
        route_id = r.str_(route, "id", rw)
        assert route_id is not None
        if route_id in seen:
            raise r.fail(f"{rw}.id", f"trùng mã tuyến `{route_id}`")
        seen.add(route_id)
        route_citation = r.citation(route, rw, citation)
        route_kinds = r.strs(route, "kinds", rw, COMMENDATION_KINDS)
        if route_kinds and set(route_kinds) - set(kinds):
            raise r.fail(
                f"{rw}.kinds", "loại hình khen thưởng không có trong `kinds` của danh hiệu, hình thức"
            )
        route_conditions = tuple(
            _read_condition(r, c, f"{rw}.conditions[{j}]", route_citation, catalogue)
            for j, c in enumerate(route.get("conditions", []))
        )
        if not route_conditions:
            raise r.fail(rw, "tuyến cần ít nhất một điều kiện")
        routes.append(
            RouteSpec(
                id=route_id,
                title=r.str_(route, "title", rw) or route_id,
                kinds=route_kinds,
                recipients=r.strs(route, "recipients", rw, RECIPIENT_KINDS),
                judgment=r.bool_(route, "judgment", rw, False),
                citation=route_citation,
                conditions=route_conditions,
                layer=layer,
            )
        )
    modelled = r.bool_(table, "modelled", where, True)
    if modelled and not routes:
        raise r.fail(where, "cần ít nhất một tuyến (routes), hoặc `modelled = false` khi chưa có tiêu chuẩn")
    return AwardSpec(
        code=code,
        name=entry.name,
        category=entry.category,
        recipients=entry.recipients,
        kinds=kinds,
        period=period,
        modelled=modelled,
        citation=citation,
        conditions=conditions,
        routes=tuple(routes),
        layer=layer,
    )


def _read_catalogue(data_dir: Path) -> dict[str, CatalogueEntry]:
    r = _Reader(data_dir / "awards.toml")
    raw = r.load()
    r.keys(raw, "(gốc)", {"award"})
    out: dict[str, CatalogueEntry] = {}
    for i, item in enumerate(raw.get("award", [])):
        where = f"award[{i}]"
        table = r.table(item, where)
        r.keys(table, where, {"code", "name", "category", "recipients"})
        code = r.str_(table, "code", where)
        name = r.str_(table, "name", where)
        category = r.str_(table, "category", where)
        assert code and name and category
        if category not in ("title", "form"):
            raise r.fail(f"{where}.category", "cần `title` hoặc `form`")
        recipients = r.strs(table, "recipients", where, RECIPIENT_KINDS)
        if not recipients:
            raise r.fail(where, "thiếu `recipients`")
        if code in out:
            raise r.fail(f"{where}.code", f"trùng mã `{code}`")
        out[code] = CatalogueEntry(code, name, category, recipients)
    return out


def _decimal(r: _Reader, value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise r.fail(where, "cần một số")
    # repr of a float is its shortest exact decimal, so 0.3 stays 0.3 (no binary noise in amounts).
    result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if result <= 0:
        raise r.fail(where, "cần một số dương")
    return result


def _read_bonus(r: _Reader, raw: Any, catalogue: Mapping[str, CatalogueEntry]) -> BonusTable:
    where = "bonus"
    table = r.table(raw, where)
    r.keys(
        table,
        where,
        _CITATION_KEYS
        | {
            "rounding",
            "rounding_basis",
            "rounding_confirmed",
            "household_multiplier",
            "household_basis",
            "household_confirmed",
            "same_period_basis",
            "coefficients",
        },
    )
    citation = r.citation(table, where, None)
    rounding = table.get("rounding", 10000)
    if not isinstance(rounding, int) or isinstance(rounding, bool) or rounding < 1:
        raise r.fail(f"{where}.rounding", "cần một số nguyên dương (đồng)")

    def sub(basis_key: str, confirmed_key: str | None) -> Citation:
        basis = r.str_(table, basis_key, where, required=False)
        confirmed = (
            r.bool_(table, confirmed_key, where, citation.confirmed) if confirmed_key else citation.confirmed
        )
        unread = "Điều khoản này của văn bản chưa được đối chiếu; áp dụng như quy định đã đọc được."
        if basis is None:
            return Citation(
                f"{citation.basis} (điều khoản chưa được đối chiếu)", citation.sources, False, unread
            )
        return Citation(basis, citation.sources, confirmed, None if confirmed else unread)

    coefficients: dict[tuple[str, str], Coefficient] = {}
    for i, item in enumerate(table.get("coefficients", [])):
        cw = f"{where}.coefficients[{i}]"
        row = r.table(item, cw)
        r.keys(row, cw, _CITATION_KEYS | {"award", "recipient", "coefficient"})
        award = r.str_(row, "award", cw)
        recipient = r.str_(row, "recipient", cw)
        assert award and recipient
        if award not in catalogue:
            raise r.fail(f"{cw}.award", f"mã `{award}` không có trong danh mục")
        if recipient not in RECIPIENT_KINDS:
            raise r.fail(f"{cw}.recipient", "cần individual, collective hoặc household")
        if (award, recipient) in coefficients:
            raise r.fail(cw, f"trùng hệ số cho {award} / {recipient}")
        coefficients[(award, recipient)] = Coefficient(
            award,
            recipient,
            _decimal(r, row.get("coefficient"), f"{cw}.coefficient"),
            r.citation(row, cw, citation),
        )
    return BonusTable(
        citation=citation,
        rounding=rounding,
        rounding_citation=sub("rounding_basis", "rounding_confirmed"),
        household_multiplier=_decimal(
            r, table.get("household_multiplier", 1.5), f"{where}.household_multiplier"
        ),
        household_citation=sub("household_basis", "household_confirmed"),
        same_period_citation=sub("same_period_basis", None),
        coefficients=coefficients,
    )


def _read_council(r: _Reader, raw: Any, catalogue: Mapping[str, CatalogueEntry]) -> dict[str, Any]:
    table = dict(r.table(raw, "council"))
    citation = r.citation(table, "council", None)
    votes = []
    for i, item in enumerate(table.get("votes", [])):
        vw = f"council.votes[{i}]"
        row = r.table(item, vw)
        r.keys(row, vw, {"awards", "min_ratio", "of", "text"})
        awards = r.strs(row, "awards", vw, tuple(catalogue))
        ratio = row.get("min_ratio")
        if not awards or not isinstance(ratio, int | float) or isinstance(ratio, bool) or not 0 < ratio <= 1:
            raise r.fail(vw, "cần `awards` và `min_ratio` trong (0, 1]")
        votes.append({**row, "awards": list(awards)})
    table["votes"] = votes
    table["citation"] = citation.as_dict()
    for key in _CITATION_KEYS:
        table.pop(key, None)
    return table


def _read_bases(r: _Reader, raw: Any, where: str) -> tuple[LegalBasis, ...]:
    """`[[bases]]` of a regime or `[[regulations]]` of a province: each legal text a decision cites."""
    out: list[LegalBasis] = []
    keys: set[str] = set()
    for i, item in enumerate(_array(r, raw, where)):
        bw = f"{where}[{i}]"
        table = r.table(item, bw)
        r.keys(
            table,
            bw,
            _CITATION_KEYS - {"basis"}
            | {"key", "kind", "number", "issued", "issuer", "title", "cited_from", "cited_until", "levels"},
        )
        key = r.str_(table, "key", bw)
        kind = r.str_(table, "kind", bw)
        number = r.str_(table, "number", bw)
        assert key and kind and number
        if key in keys:
            raise r.fail(f"{bw}.key", f"trùng mã `{key}`")
        keys.add(key)
        if kind not in BASIS_KINDS:
            raise r.fail(f"{bw}.kind", f"loại văn bản `{kind}` không hợp lệ (có: {', '.join(BASIS_KINDS)})")
        title = r.str_(table, "title", bw, required=kind == "Luật") or ""
        issuer = r.str_(table, "issuer", bw, required=kind != "Luật") or ""
        start = r.date_(table, "cited_from", bw, required=False)
        end = r.date_(table, "cited_until", bw, required=False)
        if start and end and end < start:
            raise r.fail(f"{bw}.cited_until", "ngày kết thúc trước ngày bắt đầu")
        sources = r.strs(table, "sources", bw)
        if not sources:
            raise r.fail(bw, "thiếu `sources`: nguồn đối chiếu số, ngày của văn bản")
        levels = r.strs(table, "levels", bw, AUTHORITY_LEVELS) or ()
        basis = LegalBasis(
            key=key,
            kind=kind,
            number=number,
            issued=r.date_(table, "issued", bw, required=False),
            issuer=issuer,
            title=title,
            cited_from=start,
            cited_until=end,
            levels=frozenset(levels),
            citation=Citation(
                basis="",
                sources=sources,
                confirmed=r.bool_(table, "confirmed", bw, True),
                note=r.str_(table, "note", bw, required=False),
            ),
        )
        out.append(dataclasses.replace(basis, citation=dataclasses.replace(basis.citation, basis=basis.text)))
    return tuple(out)


def _read_powers(r: _Reader, raw: Any, catalogue: Mapping[str, CatalogueEntry]) -> tuple[Power, ...]:
    out: list[Power] = []
    for i, item in enumerate(_array(r, raw, "powers")):
        pw = f"powers[{i}]"
        table = r.table(item, pw)
        r.keys(table, pw, _CITATION_KEYS | {"level", "awards"})
        level = r.str_(table, "level", pw)
        if level not in AUTHORITY_LEVELS:
            raise r.fail(f"{pw}.level", f"cấp `{level}` không hợp lệ (có: {', '.join(AUTHORITY_LEVELS)})")
        if any(p.level == level for p in out):
            raise r.fail(f"{pw}.level", f"cấp `{level}` được khai báo hai lần")
        awards = r.strs(table, "awards", pw) or ()
        unknown = [code for code in awards if code not in catalogue]
        if not awards or unknown:
            raise r.fail(f"{pw}.awards", f"cần mã có trong danh mục (không có: {', '.join(unknown)})")
        out.append(Power(level=level, awards=frozenset(awards), citation=r.citation(table, pw, None)))
    return tuple(out)


def _read_year_end(r: _Reader, raw: Any) -> YearEnd:
    table = r.table(raw, "year_end")
    r.keys(table, "year_end", _CITATION_KEYS | {"month", "day"})
    month, day = table.get("month"), table.get("day")
    problem = r.fail("year_end", "cần `month` và `day` là một ngày có thật trong năm")
    if (
        not isinstance(month, int)
        or not isinstance(day, int)
        or isinstance(month, bool)
        or isinstance(day, bool)
    ):
        raise problem
    try:
        date(2024, month, day)  # a leap year, so 29/2 passes; any real day of the year is accepted
    except ValueError as exc:
        raise problem from exc
    return YearEnd(month=month, day=day, citation=r.citation(table, "year_end", None))


def _read_regime(path: Path, catalogue: Mapping[str, CatalogueEntry]) -> Regime:
    r = _Reader(path)
    raw = r.load()
    r.keys(raw, "(gốc)", {"regime", "principles", "council", "quota", "bonus", "awards", "bases", "powers"})
    head = r.table(raw.get("regime"), "regime")
    r.keys(head, "regime", {"id", "valid_from", "extends", "title", "basis", "sources", "covers_earlier"})
    regime_id = r.str_(head, "id", "regime")
    assert regime_id is not None
    principles: dict[str, Principle] = {}
    for key, value in r.table(raw.get("principles", {}), "principles").items():
        pw = f"principles.{key}"
        table = r.table(value, pw)
        allowed = _CITATION_KEYS | ({"excluded_kinds", "for_kinds"} if key == "merit_only" else set())
        allowed |= {"for_awards"} if key == "next_period" else set()
        r.keys(table, pw, allowed)
        params: dict[str, Any] = {}
        if key == "next_period":
            awards_of = r.strs(table, "for_awards", pw) or ()
            unknown = [code for code in awards_of if code not in catalogue]
            if unknown:
                raise r.fail(f"{pw}.for_awards", f"mã không có trong danh mục: {', '.join(unknown)}")
            params["for_awards"] = frozenset(awards_of)
        if key == "merit_only":
            params["excluded_kinds"] = frozenset(
                r.strs(table, "excluded_kinds", pw, COMMENDATION_KINDS) or ()
            )
            params["for_kinds"] = frozenset(
                r.strs(table, "for_kinds", pw, COMMENDATION_KINDS) or ("cong_trang",)
            )
        principles[key] = Principle(key, r.citation(table, pw, None), params)
    quotas: dict[str, Quota] = {}
    for code, value in r.table(raw.get("quota", {}), "quota").items():
        qw = f"quota.{code}"
        table = r.table(value, qw)
        r.keys(table, qw, _CITATION_KEYS | {"of", "max_ratio"})
        of = r.str_(table, "of", qw)
        if code not in catalogue or of not in catalogue:
            raise r.fail(qw, "mã danh hiệu không có trong danh mục")
        ratio = _decimal(r, table.get("max_ratio"), f"{qw}.max_ratio")
        quotas[code] = Quota(code, of, ratio, r.citation(table, qw, None))  # type: ignore[arg-type]
    awards = {
        code: _read_award(r, code, value, f"awards.{code}", catalogue, regime_id)
        for code, value in r.table(raw.get("awards", {}), "awards").items()
    }
    return Regime(
        id=regime_id,
        valid_from=r.date_(head, "valid_from", "regime"),  # type: ignore[arg-type]
        covers_earlier=r.bool_(head, "covers_earlier", "regime", False),
        title=r.str_(head, "title", "regime") or regime_id,
        basis=r.strs(head, "basis", "regime") or (),
        sources=r.strs(head, "sources", "regime") or (),
        extends=r.str_(head, "extends", "regime", required=False),
        principles=principles,
        council=_read_council(r, raw["council"], catalogue) if "council" in raw else None,
        quotas=quotas,
        bonus=_read_bonus(r, raw["bonus"], catalogue) if "bonus" in raw else None,
        awards=awards,
        file=path.name,
        bases=_read_bases(r, raw.get("bases", []), "bases"),
        powers=_read_powers(r, raw.get("powers", []), catalogue),
    )


def _resolve_extends(regimes: dict[str, Regime]) -> dict[str, Regime]:
    resolved: dict[str, Regime] = {}

    def resolve(regime_id: str, chain: tuple[str, ...]) -> Regime:
        if regime_id in resolved:
            return resolved[regime_id]
        regime = regimes[regime_id]
        if regime.extends is None:
            resolved[regime_id] = regime
            return regime
        if regime.extends not in regimes:
            raise RulebookError(
                f"Tệp quy tắc {regime.file}: `extends = {regime.extends}` không có chế độ này"
            )
        if regime.extends in chain:
            raise RulebookError(f"Tệp quy tắc {regime.file}: `extends` tạo vòng lặp ({' → '.join(chain)})")
        parent = resolve(regime.extends, (*chain, regime_id))
        merged = Regime(
            id=regime.id,
            valid_from=regime.valid_from,
            covers_earlier=regime.covers_earlier,
            title=regime.title,
            basis=regime.basis or parent.basis,
            sources=regime.sources or parent.sources,
            extends=regime.extends,
            principles={**parent.principles, **regime.principles},
            council=regime.council if regime.council is not None else parent.council,
            quotas={**parent.quotas, **regime.quotas},
            bonus=regime.bonus if regime.bonus is not None else parent.bonus,
            awards={**parent.awards, **regime.awards},
            file=regime.file,
            # The bases are one list, cited together: a child that writes any replaces them all.
            bases=regime.bases or parent.bases,
            # Likewise the powers: who decides what is one table, replaced whole by a later text.
            powers=regime.powers or parent.powers,
        )
        resolved[regime_id] = merged
        return merged

    for regime_id in regimes:
        resolve(regime_id, ())
    return resolved


def _read_salaries(data_dir: Path) -> tuple[SalaryPeriod, ...]:
    r = _Reader(data_dir / "base-salary.toml")
    raw = r.load()
    r.keys(raw, "(gốc)", {"period"})
    periods = []
    for i, item in enumerate(raw.get("period", [])):
        where = f"period[{i}]"
        table = r.table(item, where)
        r.keys(table, where, _CITATION_KEYS | {"valid_from", "amount"})
        amount = table.get("amount")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise r.fail(f"{where}.amount", "cần một số nguyên dương (đồng/tháng)")
        start = r.date_(table, "valid_from", where)
        assert start is not None
        periods.append(SalaryPeriod(start, amount, r.citation(table, where, None)))
    periods.sort(key=lambda p: p.valid_from)
    if len({p.valid_from for p in periods}) != len(periods):
        raise r.fail("period", "hai mức lương cơ sở có cùng ngày hiệu lực")
    return tuple(periods)


def _read_province(
    path: Path, catalogue: Mapping[str, CatalogueEntry], regime_ids: set[str]
) -> ProvinceLayer:
    r = _Reader(path)
    raw = r.load()
    rule_sections = {
        "awards",
        "components",
        "council",
        "deadlines",
        "dossiers",
        "approval",
        "processing",
        "public_comment",
        "year_end",
    }
    r.keys(raw, "(gốc)", {"province", "regulations"} | rule_sections)
    head = r.table(raw.get("province"), "province")
    r.keys(
        head,
        "province",
        _CITATION_KEYS
        | {"id", "name", "regulation", "in_force_from", "regimes", "model", "official_name", "rules_from"},
    )
    province_id = r.str_(head, "id", "province")
    assert province_id is not None
    own_regulations = _read_bases(r, raw.get("regulations", []), "regulations")
    rules_head = head
    rules_from = r.str_(head, "rules_from", "province", required=False)
    if rules_from is not None:
        # A province whose current regulation is not known yet takes the thresholds and procedure of a
        # model layer, and keeps its own name and (older) regulations: its documents cite only those.
        present = sorted(rule_sections & set(raw))
        if present:
            raise r.fail("(gốc)", f"tệp dùng `rules_from` không được có: {', '.join(present)}")
        base_path = path.parent / f"province-{rules_from}.toml"
        if not base_path.is_file() or base_path == path:
            raise r.fail("province.rules_from", f"không có lớp quy định `{rules_from}` ({base_path.name})")
        base_raw = _Reader(base_path).load()
        rules_head = r.table(base_raw.get("province"), "province")
        if "rules_from" in rules_head:
            raise r.fail("province.rules_from", f"`{rules_from}` lại dùng `rules_from`; chỉ một bậc")
        raw = {**{k: v for k, v in base_raw.items() if k in rule_sections}, "province": head}
    regimes = r.strs(head, "regimes", "province") or r.strs(rules_head, "regimes", "province") or ()
    unknown = [x for x in regimes if x not in regime_ids]
    if unknown:
        raise r.fail("province.regimes", f"không có chế độ: {', '.join(unknown)}")
    layer = f"province:{province_id}"
    citation = r.citation({"basis": head.get("regulation", province_id), **head}, "province", None)
    overrides: dict[str, ProvinceOverride] = {}
    for code, value in r.table(raw.get("awards", {}), "awards").items():
        where = f"awards.{code}"
        table = dict(r.table(value, where))
        mode = table.pop("mode", "replace")
        if mode not in ("replace", "extend"):
            raise r.fail(f"{where}.mode", "cần `replace` hoặc `extend`")
        if mode == "extend":
            # An extension keeps the national award's citation and kinds; its routes carry their own.
            table.setdefault("basis", rules_head.get("regulation", province_id))
            table.setdefault("sources", list(citation.sources))
            if "kinds" not in table:
                route_kinds = [
                    kind
                    for route in table.get("routes", [])
                    if isinstance(route, dict)
                    for kind in _list_or(route.get("kinds"), ["cong_trang"])
                ]
                table["kinds"] = list(dict.fromkeys(route_kinds)) or ["cong_trang"]
        award = _read_award(r, code, table, where, catalogue, layer)
        overrides[code] = ProvinceOverride(mode, award)
    council = _read_council(r, raw["council"], catalogue) if "council" in raw else {}
    components = _read_components(r, raw.get("components", {}), raw.get("dossiers", []))
    return ProvinceLayer(
        id=province_id,
        name=r.str_(head, "name", "province") or province_id,
        regulation=r.str_(rules_head, "regulation", "province") or "",
        in_force_from=r.date_(rules_head, "in_force_from", "province", required=False),
        regimes=regimes,
        citation=citation,
        overrides=overrides,
        council=council,
        deadlines=tuple(raw.get("deadlines", [])),
        dossiers=tuple(raw.get("dossiers", [])),
        approval=tuple(raw.get("approval", [])),
        file=path.name,
        processing=_read_processing(r, raw.get("processing", [])),
        public_comment=_read_public_comment(r, raw.get("public_comment", []), catalogue),
        model=r.bool_(rules_head, "model", "province", False),
        official_name=r.str_(head, "official_name", "province", required=False) or "",
        regulations=own_regulations,
        year_end=_read_year_end(r, raw["year_end"]) if "year_end" in raw else None,
        components=components,
    )


_COMPONENT_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _read_components(r: _Reader, raw: Any, dossiers: Any) -> dict[str, str]:
    """The [components] table (code = text), and every code a [[dossiers]] entry lists must be in it."""
    components: dict[str, str] = {}
    for code, text in r.table(raw, "components").items():
        if not _COMPONENT_CODE.fullmatch(code):
            raise r.fail(f"components.{code}", "mã cần chữ thường không dấu, số, gạch dưới (tối đa 40 ký tự)")
        if not isinstance(text, str) or not text.strip():
            raise r.fail(f"components.{code}", "cần tên thành phần hồ sơ")
        components[code] = text
    for i, entry in enumerate(dossiers if isinstance(dossiers, list) else []):
        for code in entry.get("components", []) if isinstance(entry, dict) else []:
            if code not in components:
                raise r.fail(
                    f"dossiers[{i}].components", f"không có thành phần mã `{code}` trong [components]"
                )
    return components


def _working_days(r: _Reader, table: Mapping[str, Any], where: str) -> int:
    value = table.get("working_days")
    if value is None:
        raise r.fail(where, "thiếu khóa `working_days` (số ngày làm việc)")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise r.fail(f"{where}.working_days", "cần một số nguyên dương (số ngày làm việc)")
    return value


def _array(r: _Reader, raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise r.fail(where, f"cần một mảng bảng [[{where}]]")
    return raw


def _read_processing(r: _Reader, raw: Any) -> tuple[ProcessingRule, ...]:
    rules: list[ProcessingRule] = []
    codes: set[str] = set()
    for i, item in enumerate(_array(r, raw, "processing")):
        where = f"processing[{i}]"
        table = r.table(item, where)
        r.keys(table, where, _CITATION_KEYS | {"code", "text", "working_days", "kinds", "stage"})
        code = r.str_(table, "code", where)
        text = r.str_(table, "text", where)
        stage = r.str_(table, "stage", where)
        assert code and text and stage
        if code in codes:
            raise r.fail(f"{where}.code", f"trùng mã `{code}`")
        codes.add(code)
        if stage not in PROCESSING_STAGES:
            raise r.fail(
                f"{where}.stage",
                f"bước `{stage}` không hợp lệ; cần `receive` (tiếp nhận, trả hồ sơ chưa đầy đủ) "
                "hoặc `appraise` (thẩm định hồ sơ đầy đủ)",
            )
        kinds = r.strs(table, "kinds", where, COMMENDATION_KINDS)
        if kinds is not None and not kinds:
            raise r.fail(f"{where}.kinds", "danh sách rỗng; bỏ khóa `kinds` để áp dụng cho mọi loại hình")
        rule = ProcessingRule(
            code=code,
            text=text,
            working_days=_working_days(r, table, where),
            stage=stage,
            kinds=kinds,
            citation=r.citation(table, where, None),
        )
        # One answer per kind and stage, or the due date of a dossier would depend on the file order.
        for other in rules:
            if other.stage == stage:
                shared = [k for k in COMMENDATION_KINDS if rule.applies_to(k) and other.applies_to(k)]
                if shared:
                    raise r.fail(
                        where,
                        f"trùng thời hạn bước `{stage}` với `{other.code}` cho loại hình {', '.join(shared)}",
                    )
        rules.append(rule)
    return tuple(rules)


def _read_public_comment(
    r: _Reader, raw: Any, catalogue: Mapping[str, CatalogueEntry]
) -> tuple[PublicCommentRule, ...]:
    rules: list[PublicCommentRule] = []
    seen: set[str] = set()
    for i, item in enumerate(_array(r, raw, "public_comment")):
        where = f"public_comment[{i}]"
        table = r.table(item, where)
        r.keys(table, where, _CITATION_KEYS | {"awards", "working_days", "text"})
        awards = r.strs(table, "awards", where)
        unknown = [code for code in awards or () if code not in catalogue]
        if unknown:
            raise r.fail(f"{where}.awards", f"mã không có trong danh mục awards.toml: {', '.join(unknown)}")
        if not awards:
            raise r.fail(where, "cần `awards`: danh sách mã danh hiệu, hình thức phải lấy ý kiến")
        twice = [code for code in awards if code in seen]
        if twice:
            raise r.fail(f"{where}.awards", f"mã đã có ở mục lấy ý kiến khác: {', '.join(twice)}")
        seen.update(awards)
        text = r.str_(table, "text", where)
        assert text is not None
        rules.append(
            PublicCommentRule(
                awards=awards,
                working_days=_working_days(r, table, where),
                text=text,
                citation=r.citation(table, where, None),
            )
        )
    return tuple(rules)


def processing_rule(layer: ProvinceLayer, kind: str, stage: str) -> ProcessingRule | None:
    """The time limit of `stage` ("receive" or "appraise") for a dossier of this kind, or None."""
    for rule in layer.processing:
        if rule.stage == stage and rule.applies_to(kind):
            return rule
    return None


processing_days = processing_rule  # the same look-up; callers use either name


def public_comment_rule(layer: ProvinceLayer, award_code: str) -> PublicCommentRule | None:
    """The public-comment rule for this award, or None when its nominees need not be published."""
    for rule in layer.public_comment:
        if award_code in rule.awards:
            return rule
    return None


def _list_or(value: Any, default: list[Any]) -> list[Any]:
    return value if isinstance(value, list) else default


def _merge_award(national: AwardSpec | None, override: ProvinceOverride) -> AwardSpec:
    extra = override.award
    if override.mode == "replace" or national is None:
        return extra
    kinds = tuple(dict.fromkeys((*national.kinds, *extra.kinds)))
    existing = {route.id for route in national.routes}
    clash = [route.id for route in extra.routes if route.id in existing]
    if clash:
        raise RulebookError(
            f"Lớp quy định cấp tỉnh: tuyến {', '.join(clash)} của {extra.code} trùng mã với quy định chung"
        )
    return AwardSpec(
        code=national.code,
        name=national.name,
        category=national.category,
        recipients=national.recipients,
        kinds=kinds,
        period=national.period,
        modelled=True,
        citation=national.citation if national.modelled else extra.citation,
        conditions=(*national.conditions, *extra.conditions),
        routes=(*national.routes, *extra.routes),
        layer=national.layer if national.modelled else extra.layer,
    )


# ---------------------------------------------------------------------------------------------------
# The library: everything loaded, with look-ups by date


class Library:
    def __init__(
        self,
        catalogue: Mapping[str, CatalogueEntry],
        regimes: list[Regime],
        salaries: tuple[SalaryPeriod, ...],
        province: ProvinceLayer | None,
        sources: Mapping[str, Any],
    ) -> None:
        self.catalogue = catalogue
        self.salaries = salaries
        self.province = province
        self.sources = sources
        ordered = sorted(regimes, key=lambda x: x.valid_from)
        self.regimes: list[Regime] = []
        for i, regime in enumerate(ordered):
            end = ordered[i + 1].valid_from - timedelta(days=1) if i + 1 < len(ordered) else None
            self.regimes.append(dataclasses.replace(regime, valid_to=end))
        self._rules: dict[str, Rules] = {}

    def regime_for(self, day: date) -> Regime:
        chosen = None
        for regime in self.regimes:
            if regime.valid_from <= day:
                chosen = regime
        if chosen is None:
            first = self.regimes[0]
            if first.covers_earlier:
                return first
            raise RulebookError(f"Không có chế độ quy tắc nào có hiệu lực ngày {day.isoformat()}")
        return chosen

    def rules_for(self, day: date) -> Rules:
        """The rules on `day`: the regime in force, with the provincial layer only from the day its own
        text comes into force (a layer applies only within its text's dates)."""
        province = self.province
        started = province is None or province.in_force_from is None or day >= province.in_force_from
        return self.rules_of(self.regime_for(day), with_province=started)

    def rules_of(self, regime: Regime, with_province: bool = True) -> Rules:
        cache_key = f"{regime.id}|{with_province}"
        cached = self._rules.get(cache_key)
        if cached is not None:
            return cached
        awards = dict(regime.awards)
        council: dict[str, Any] = dict(regime.council or {})
        if council:
            council["votes_citation"] = council.get("citation")
        province = self.province
        applies = with_province and province is not None and regime.id in province.regimes
        if applies and province is not None:
            for code, override in province.overrides.items():
                awards[code] = _merge_award(awards.get(code), override)
            if province.council:
                # The votes keep the citation of whichever file set them.
                own_votes = bool(province.council.get("votes"))
                source = province.council if own_votes else council
                council = {
                    **council,
                    **province.council,
                    "votes": source.get("votes", []),
                    "votes_citation": source.get("citation"),
                }
        # The catalogue is complete; an award no file mentions is simply not modelled.
        for code, entry in self.catalogue.items():
            if code not in awards:
                awards[code] = AwardSpec(
                    code=code,
                    name=entry.name,
                    category=entry.category,
                    recipients=entry.recipients,
                    kinds=COMMENDATION_KINDS,
                    period=1,
                    modelled=False,
                    citation=Citation(regime.title, (), False, "Chưa có quy tắc cho mã này trong chế độ."),
                    conditions=(),
                    routes=(),
                    layer=regime.id,
                )
        rules = Rules(regime=regime, province=province if applies else None, awards=awards, council=council)
        self._rules[cache_key] = rules
        return rules

    def decision_bases(self, day: date, level: str = "province") -> list[LegalBasis]:
        """The legal bases of a decision signed on `day` by an authority of `level`: the national texts of
        the regime in force, each if cited on that day by that level, then the province's own regulation
        in force (a model layer has none)."""
        bases = [
            b for b in self.regime_for(day).bases if b.cited_on(day) and (not b.levels or level in b.levels)
        ]
        if self.province is not None:
            bases += [b for b in self.province.regulations if b.cited_on(day)]
        return bases

    def powers_on(self, day: date) -> tuple[Power, ...]:
        """Who decides what on `day`: the powers of the regime in force."""
        return self.regime_for(day).powers

    def deciding_levels(self, award_code: str, day: date) -> tuple[Power, ...]:
        """The levels whose head may decide this award on `day`, lowest first; none for a State award
        (decided at the central level) or an award no text in the rulebook assigns."""
        powers = [p for p in self.powers_on(day) if award_code in p.awards]
        return tuple(sorted(powers, key=lambda p: AUTHORITY_LEVELS.index(p.level)))

    def review_year(self, today: date) -> int:
        """The achievement year under review on `today`: the current year once the province's year-end
        season has opened, else the previous year (also when no provincial layer says when it opens)."""
        year_end = self.province.year_end if self.province is not None else None
        return year_end.review_year(today) if year_end is not None else today.year - 1

    def salary_on(self, day: date) -> SalaryPeriod | None:
        chosen = None
        for period in self.salaries:
            if period.valid_from <= day:
                chosen = period
        return chosen


def _province_path(setting: str, data_dir: Path) -> Path | None:
    value = setting.strip()
    if value.lower() == NO_PROVINCE:
        return None
    if value.endswith(".toml") or os.sep in value or "/" in value:
        path = Path(value).expanduser()
    else:
        path = data_dir / f"province-{value}.toml"
    if not path.is_file():
        raise RulebookError(
            f"{PROVINCE_SETTING}={value!r}: không tìm thấy lớp quy định cấp tỉnh ({path}); "
            f"cần mã của một tệp data/province-<mã>.toml, đường dẫn tới tệp .toml, hoặc '{NO_PROVINCE}'"
        )
    return path


def province_setting() -> str:
    return os.environ.get(PROVINCE_SETTING, "").strip() or DEFAULT_PROVINCE


def load_library(province: str | None = None, data_dir: Path | None = None) -> Library:
    """The rulebooks, cached per (province setting, folder). `province` defaults to the setting."""
    return _load(province if province is not None else province_setting(), str(data_dir or DATA_DIR))


@lru_cache(maxsize=8)
def _load(province: str, data_dir_text: str) -> Library:
    data_dir = Path(data_dir_text)
    catalogue = _read_catalogue(data_dir)
    raw_regimes: dict[str, Regime] = {}
    for path in sorted(data_dir.glob("regime-*.toml")):
        regime = _read_regime(path, catalogue)
        if regime.id in raw_regimes:
            raise RulebookError(f"Tệp quy tắc {path.name}: trùng mã chế độ `{regime.id}`")
        raw_regimes[regime.id] = regime
    if not raw_regimes:
        raise RulebookError(f"Không có tệp quy tắc regime-*.toml trong {data_dir}")
    regimes = _resolve_extends(raw_regimes)
    starts = sorted(r.valid_from for r in regimes.values())
    if len(set(starts)) != len(starts):
        raise RulebookError("Hai chế độ quy tắc có cùng ngày bắt đầu hiệu lực")
    salaries = _read_salaries(data_dir)
    province_path = _province_path(province, data_dir)
    layer = _read_province(province_path, catalogue, set(regimes)) if province_path else None
    sources_reader = _Reader(data_dir / "sources.toml")
    sources = sources_reader.load() if (data_dir / "sources.toml").is_file() else {}
    return Library(catalogue, list(regimes.values()), salaries, layer, sources)
