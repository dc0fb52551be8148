"""Strict reading of a `check` document: every problem is reported with its JSON path, in Vietnamese.

`parse_check(document)` returns a `CheckRequest` or raises `InputError` listing what is wrong, e.g.
`candidates[3].awards[0].year: cần một số nguyên là năm (1900–2100), nhận được "2025"`. Optional
fields may be missing or null; unknown fields are ignored (other tools may send more than we read).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import Any, TypeVar

from thidua.eligibility.model import (
    BLOC_ROLES,
    COMMENDATION_KINDS,
    GENDERS,
    INITIATIVE_TYPES,
    MEMBER_STAT_FIELDS,
    MOVEMENT_KINDS,
    RATINGS,
    RECIPIENT_KINDS,
    SCOPES,
    AwardRecord,
    Candidate,
    CheckRequest,
    Discipline,
    Initiative,
    MemberStats,
    MovementFacts,
    Pending,
    Question,
)

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_REPORTED = 20
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR_KEY = re.compile(r"\d{4}")

T = TypeVar("T")


class InputError(Exception):
    """Bad input: a list of (JSON path, what was expected), printed by the command line."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors[0][1] if errors else "")
        self.errors = errors

    def lines(self) -> list[str]:
        shown = [f"{path}: {message}" for path, message in self.errors[:MAX_REPORTED]]
        if len(self.errors) > MAX_REPORTED:
            shown.append(f"… và {len(self.errors) - MAX_REPORTED} lỗi khác")
        return shown


def shown(value: Any) -> str:
    """A short rendering of what was received, for the error message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "giá trị đúng/sai"
    if isinstance(value, int | float):
        return f"số {shown(value)}"
    if isinstance(value, str):
        return f"chuỗi {shown(value)}"
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, dict):
        return "một đối tượng"
    return shown(value)


class _Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    # Each reader returns None after recording an error, so parsing goes on and reports every problem.

    def obj(self, value: Any, path: str) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, f"cần một đối tượng JSON {{…}}, nhận được {_kind_of(value)}")
            return None
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"cần một danh sách JSON […], nhận được {_kind_of(value)}")
            return []
        return value

    def text(self, value: Any, path: str, what: str = "một chuỗi không rỗng") -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"cần {what}, nhận được {_kind_of(value)}")
            return None
        return value.strip()

    def year(self, value: Any, path: str, what: str = "năm") -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
            self.fail(
                path, f"cần một số nguyên là {what} ({MIN_YEAR}–{MAX_YEAR}), nhận được {_kind_of(value)}"
            )
            return None
        return value

    def day(self, value: Any, path: str) -> date | None:
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                parsed = None
            if parsed is not None and MIN_YEAR <= parsed.year <= MAX_YEAR:
                return parsed
        self.fail(
            path, f"cần một ngày có thật dạng YYYY-MM-DD (ví dụ 2026-01-20), nhận được {_kind_of(value)}"
        )
        return None

    def choice(self, value: Any, path: str, allowed: Collection[str], what: str) -> str | None:
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, f"cần {what}, một trong: {', '.join(allowed)}; nhận được {_kind_of(value)}")
            return None
        return value

    def count(self, value: Any, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(path, f"cần một số nguyên không âm, nhận được {_kind_of(value)}")
            return None
        return value

    def optional(
        self, table: Mapping[str, Any], key: str, path: str, read: Callable[[Any, str], T]
    ) -> T | None:
        value = table.get(key)
        if value is None:
            return None
        return read(value, f"{path}.{key}")

    def required(
        self, table: Mapping[str, Any], key: str, path: str, read: Callable[[Any, str], T], what: str
    ) -> T | None:
        if table.get(key) is None:
            self.fail(f"{path}.{key}", f"thiếu trường bắt buộc ({what})")
            return None
        return read(table[key], f"{path}.{key}")

    def year_map(self, value: Any, path: str) -> list[tuple[int, str, Any]]:
        """A map keyed by year ("2025": …), as (year, key, value)."""
        table = self.obj(value, path)
        if table is None:
            return []
        out = []
        for key, item in table.items():
            sub = f"{path}[{json.dumps(key, ensure_ascii=False)}]"
            year = int(key) if isinstance(key, str) and _YEAR_KEY.fullmatch(key) else None
            if year is None or not MIN_YEAR <= year <= MAX_YEAR:
                self.fail(
                    sub, f'khóa cần là một năm dạng "2025" ({MIN_YEAR}–{MAX_YEAR}), nhận được {shown(key)}'
                )
                continue
            out.append((year, sub, item))
        return out


def _award(r: _Reader, raw: Any, path: str, award_codes: Collection[str]) -> AwardRecord | None:
    table = r.obj(raw, path)
    if table is None:
        return None
    code = r.required(
        table, "award", path, lambda v, p: r.choice(v, p, award_codes, "mã danh hiệu, hình thức"), "mã"
    )
    year = r.required(table, "year", path, r.year, "năm thành tích")
    kind = r.optional(
        table, "kind", path, lambda v, p: r.choice(v, p, COMMENDATION_KINDS, "loại hình khen thưởng")
    )
    decision = r.optional(table, "decision_date", path, r.day)
    used: list[str] = []
    for i, item in enumerate(r.array(table.get("initiatives_used"), f"{path}.initiatives_used")):
        initiative = r.text(item, f"{path}.initiatives_used[{i}]", "mã sáng kiến (chuỗi không rỗng)")
        if initiative is not None:
            used.append(initiative)
    if code is None or year is None:
        return None
    return AwardRecord(code, year, kind or "cong_trang", decision, tuple(used))


def _movement(r: _Reader, raw: Any, path: str) -> MovementFacts | None:
    """The movement a question names: {"kind": "thematic", "start": "2026-01-01", "end": "2028-12-31",
    "title": "…"} (title optional)."""
    table = r.obj(raw, path)
    if table is None:
        return None
    kind = r.required(
        table, "kind", path, lambda v, p: r.choice(v, p, MOVEMENT_KINDS, "loại phong trào"), "loại phong trào"
    )
    start = r.required(table, "start", path, r.day, "ngày bắt đầu")
    end = r.required(table, "end", path, r.day, "ngày kết thúc")
    title = table.get("title")
    if title is not None and not isinstance(title, str):
        r.fail(f"{path}.title", f"cần một chuỗi, nhận được {_kind_of(title)}")
        title = None
    if start is not None and end is not None and end < start:
        r.fail(f"{path}.end", f"ngày kết thúc {end.isoformat()} trước ngày bắt đầu {start.isoformat()}")
        return None
    if kind is None or start is None or end is None:
        return None
    return MovementFacts(kind, start, end, (title or "").strip())


def _initiative(r: _Reader, raw: Any, path: str) -> Initiative | None:
    table = r.obj(raw, path)
    if table is None:
        return None
    iid = r.required(table, "id", path, r.text, "mã sáng kiến")
    year = r.required(table, "year", path, r.year, "năm công nhận")
    scope = r.required(
        table, "scope", path, lambda v, p: r.choice(v, p, SCOPES, "phạm vi ảnh hưởng"), "phạm vi"
    )
    kind = r.optional(table, "type", path, lambda v, p: r.choice(v, p, INITIATIVE_TYPES, "loại sáng kiến"))
    if iid is None or year is None or scope is None:
        return None
    return Initiative(iid, year, scope, kind or "sang_kien")


def _discipline(r: _Reader, raw: Any, path: str) -> Discipline | None:
    table = r.obj(raw, path)
    if table is None:
        return None
    start = r.required(table, "from", path, r.day, "ngày bắt đầu kỷ luật")
    end = r.optional(table, "to", path, r.day)
    level = r.optional(table, "level", path, r.text)
    if start is None:
        return None
    if end is not None and end < start:
        r.fail(
            f"{path}.to",
            f"ngày kết thúc kỷ luật ({end.isoformat()}) trước ngày bắt đầu ({start.isoformat()})",
        )
        return None
    return Discipline(start, end, level)


def _pending(r: _Reader, raw: Any, path: str) -> Pending | None:
    table = r.obj(raw, path)
    if table is None:
        return None
    reason = r.optional(table, "reason", path, r.text)
    since = r.optional(table, "since", path, r.day)
    until = r.optional(table, "until", path, r.day)
    if since is not None and until is not None and until < since:
        r.fail(
            f"{path}.until", f"ngày kết thúc ({until.isoformat()}) trước ngày bắt đầu ({since.isoformat()})"
        )
        return None
    return Pending(reason or "Đang xem xét kỷ luật hoặc xác minh", since, until)


def _member_stats(r: _Reader, raw: Any, path: str) -> MemberStats | None:
    table = r.obj(raw, path)
    if table is None:
        return None
    values = {f: r.optional(table, f, path, r.count) for f in MEMBER_STAT_FIELDS}
    total = values["total"]
    if total is not None:
        for name in MEMBER_STAT_FIELDS[1:]:
            value = values[name]
            if value is not None and value > total:
                r.fail(
                    f"{path}.{name}",
                    f"không được lớn hơn tổng số cá nhân `total` ({total}), nhận được {value}",
                )
    return MemberStats(**values)


def _candidate(r: _Reader, raw: Any, path: str, award_codes: Collection[str]) -> Candidate | None:
    table = r.obj(raw, path)
    if table is None:
        return None
    cid = r.required(table, "id", path, r.text, "mã ứng viên")
    kind = r.optional(table, "kind", path, lambda v, p: r.choice(v, p, RECIPIENT_KINDS, "loại đối tượng"))
    gender = r.optional(table, "gender", path, lambda v, p: r.choice(v, p, GENDERS, "giới tính"))
    unit = r.optional(table, "unit", path, r.text)
    ratings: dict[int, str] = {}
    if table.get("ratings") is not None:
        for year, sub, value in r.year_map(table["ratings"], f"{path}.ratings"):
            rating = r.choice(value, sub, RATINGS, "mức xếp loại")
            if rating is not None:
                ratings[year] = rating
    awards = [
        _award(r, item, f"{path}.awards[{i}]", award_codes)
        for i, item in enumerate(r.array(table.get("awards"), f"{path}.awards"))
    ]
    initiatives = [
        _initiative(r, item, f"{path}.initiatives[{i}]")
        for i, item in enumerate(r.array(table.get("initiatives"), f"{path}.initiatives"))
    ]
    seen: set[str] = set()
    for i, initiative in enumerate(initiatives):
        if initiative is not None:
            if initiative.id in seen:
                r.fail(f"{path}.initiatives[{i}].id", f"trùng mã sáng kiến {shown(initiative.id)}")
            seen.add(initiative.id)
    discipline = [
        _discipline(r, item, f"{path}.discipline[{i}]")
        for i, item in enumerate(r.array(table.get("discipline"), f"{path}.discipline"))
    ]
    pending = [
        _pending(r, item, f"{path}.pending[{i}]")
        for i, item in enumerate(r.array(table.get("pending"), f"{path}.pending"))
    ]
    stats: dict[int, MemberStats] = {}
    if table.get("member_stats") is not None:
        for year, sub, value in r.year_map(table["member_stats"], f"{path}.member_stats"):
            parsed = _member_stats(r, value, sub)
            if parsed is not None:
                stats[year] = parsed
    roles: dict[int, str] = {}
    if table.get("bloc_roles") is not None:
        for year, sub, value in r.year_map(table["bloc_roles"], f"{path}.bloc_roles"):
            role = r.choice(value, sub, BLOC_ROLES, "vai trò trong cụm, khối thi đua")
            if role is not None:
                roles[year] = role
    led: dict[int, bool] = {}
    if table.get("bloc_led") is not None:
        for year, sub, value in r.year_map(table["bloc_led"], f"{path}.bloc_led"):
            if isinstance(value, bool):
                led[year] = value
            else:
                r.fail(sub, f"cần true hoặc false, nhận được {_kind_of(value)}")
    armed = table.get("armed_forces")
    if armed is not None and not isinstance(armed, bool):
        r.fail(f"{path}.armed_forces", f"cần true hoặc false, nhận được {_kind_of(armed)}")
        armed = None
    if cid is None:
        return None
    return Candidate(
        id=cid,
        kind=kind or "individual",
        gender=gender,
        unit=unit,
        ratings=ratings,
        awards=tuple(a for a in awards if a is not None),
        initiatives=tuple(i for i in initiatives if i is not None),
        discipline=tuple(d for d in discipline if d is not None),
        pending=tuple(p for p in pending if p is not None),
        member_stats=stats,
        bloc_roles=roles,
        armed_forces=armed,
        bloc_led=led,
    )


def parse_check(
    document: Any, award_codes: Collection[str], default_questions: Callable[..., list[Question]]
) -> CheckRequest:
    """Validate a decoded JSON document; raise InputError with every problem found."""
    r = _Reader()
    root = r.obj(document, "$")
    if root is None:
        raise InputError(r.errors)
    root_as_of_given = root.get("as_of") is not None
    as_of = r.day(root["as_of"], "as_of") if root_as_of_given else None
    candidates: list[Candidate] = []
    ids: set[str] = set()
    for i, raw in enumerate(r.array(root.get("candidates"), "candidates")):
        candidate = _candidate(r, raw, f"candidates[{i}]", award_codes)
        if candidate is None:
            continue
        if candidate.id in ids:
            r.fail(f"candidates[{i}].id", f"trùng mã ứng viên {shown(candidate.id)}")
            continue
        ids.add(candidate.id)
        candidates.append(candidate)

    questions: list[Question] = []
    derived = root.get("questions") is None
    if derived:
        if not root_as_of_given:
            r.fail("as_of", "thiếu ngày thẩm định (dạng YYYY-MM-DD): cần khi không có `questions`")
        elif as_of is not None:
            questions = default_questions(candidates, as_of)
    else:
        for i, raw in enumerate(r.array(root.get("questions"), "questions")):
            path = f"questions[{i}]"
            table = r.obj(raw, path)
            if table is None:
                continue
            cid = r.required(table, "candidate", path, r.text, "mã ứng viên")
            if cid is not None and cid not in ids:
                r.fail(f"{path}.candidate", f"không có ứng viên mã {shown(cid)} trong `candidates`")
                cid = None
            code = r.required(
                table,
                "award",
                path,
                lambda v, p: r.choice(v, p, award_codes, "mã danh hiệu, hình thức"),
                "mã",
            )
            year = r.required(table, "year", path, r.year, "năm thành tích")
            kind = r.optional(
                table, "kind", path, lambda v, p: r.choice(v, p, COMMENDATION_KINDS, "loại hình khen thưởng")
            )
            movement_given = table.get("movement") is not None
            movement = _movement(r, table["movement"], f"{path}.movement") if movement_given else None
            own_given = table.get("as_of") is not None
            when = r.day(table["as_of"], f"{path}.as_of") if own_given else as_of
            if when is None:
                if not own_given and not root_as_of_given:
                    r.fail(f"{path}.as_of", "thiếu ngày thẩm định: cần `as_of` của câu hỏi hoặc của tài liệu")
                continue
            if year is not None and when is not None and year > when.year:
                r.fail(
                    f"{path}.year",
                    f"năm thành tích {year} sau năm của ngày thẩm định {when.isoformat()}",
                )
                continue
            if cid is None or code is None or year is None or when is None:
                continue
            if movement_given and movement is None:
                continue
            questions.append(Question(cid, code, year, when, kind or "cong_trang", movement))
    if r.errors:
        raise InputError(r.errors)
    return CheckRequest(as_of, tuple(candidates), tuple(questions), derived)
