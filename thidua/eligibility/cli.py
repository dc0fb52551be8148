"""`thidua eligibility …`: the command-line contract (docs/eligibility.md, "Command line").

    thidua eligibility check FILE.json         # FILE "-" reads standard input
    thidua eligibility bonus --award CODE --recipient individual|collective|household --date YYYY-MM-DD

Added beyond the contract: `bonus-decision FILE` (several awards in one decision) and `rules [--date]`
(the rules in force on a date, as JSON). Output: one JSON document on standard output, exit 0. Bad
input: exit 2, nothing on standard output, a Vietnamese message naming the JSON path (or the option) on
standard error. An internal error: exit 1 with a short message. Never a traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import IO, Any

from thidua.eligibility import engine
from thidua.eligibility.bonus import BonusError, DecisionItem, bonus, decision_bonus
from thidua.eligibility.model import RECIPIENT_KINDS
from thidua.eligibility.parse import InputError, parse_check, shown
from thidua.eligibility.rulebook import Library, RulebookError, load_library

PROG = "thidua eligibility"

USAGE = f"""Cách dùng:
  {PROG} check TỆP.json            xét điều kiện theo tài liệu JSON (TỆP là "-" để đọc từ đầu vào chuẩn)
  {PROG} bonus --award MÃ --recipient individual|collective|household --date YYYY-MM-DD
                                          tính tiền thưởng theo ngày quyết định
  {PROG} bonus-decision TỆP.json   tiền thưởng khi một quyết định có nhiều danh hiệu, hình thức
  {PROG} rules [--date YYYY-MM-DD] các quy tắc đang áp dụng vào một ngày (JSON)

Tùy chọn chung: --compact (JSON trên một dòng).
Lớp quy định cấp tỉnh: biến môi trường THIDUA_PROVINCE_RULES (mặc định: tỉnh mẫu)."""


class UsageError(Exception):
    """Wrong command line: the message names the option."""


class _Streams:
    def __init__(self, stdin: IO[Any] | None, stdout: IO[Any] | None, stderr: IO[Any] | None) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr

    @staticmethod
    def _write(stream: IO[Any] | None, fallback: Any, text: str) -> None:
        target = stream if stream is not None else fallback
        # Write UTF-8 bytes when possible: a C/POSIX locale must not break Vietnamese output.
        buffer = getattr(target, "buffer", None) if stream is None else None
        try:
            if buffer is not None:
                buffer.write(text.encode("utf-8"))
                buffer.flush()
            else:
                target.write(text)
                target.flush()
        except BrokenPipeError:
            pass

    def out(self, text: str) -> None:
        self._write(self.stdout, sys.stdout, text)

    def err(self, text: str) -> None:
        self._write(self.stderr, sys.stderr, text)

    def read_stdin(self) -> bytes | str:
        source = self.stdin if self.stdin is not None else sys.stdin
        buffer = getattr(source, "buffer", None)
        data: bytes | str = buffer.read() if buffer is not None else source.read()
        return data


def _options(args: list[str], names: set[str], flags: set[str]) -> tuple[dict[str, str], set[str], list[str]]:
    values: dict[str, str] = {}
    seen_flags: set[str] = set()
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("--") and arg != "-":
            name, eq, value = arg.partition("=")
            if name in flags and not eq:
                seen_flags.add(name)
            elif name in names:
                if not eq:
                    if i + 1 >= len(args):
                        raise UsageError(f"{name}: thiếu giá trị")
                    i += 1
                    value = args[i]
                if name in values:
                    raise UsageError(f"{name}: chỉ được nêu một lần")
                values[name] = value
            else:
                raise UsageError(f"{name}: tùy chọn không được hỗ trợ")
        else:
            positional.append(arg)
        i += 1
    return values, seen_flags, positional


def _date_option(value: str, name: str) -> date:
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise UsageError(f"{name}: cần một ngày có thật dạng YYYY-MM-DD (ví dụ 2025-12-01), nhận được {value!r}")


def _read_json(source: str, streams: _Streams) -> Any:
    if source == "-":
        raw = streams.read_stdin()
    else:
        try:
            raw = Path(source).read_bytes()
        except OSError as exc:
            raise UsageError(f"không đọc được tệp {source!r}: {exc.strerror or exc}") from exc
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError([("$", f"tài liệu không phải văn bản UTF-8 (byte thứ {exc.start})")]) from exc
    else:
        text = raw

    def reject(constant: str) -> Any:
        raise ValueError(f"giá trị {constant} không phải JSON hợp lệ")

    try:
        return json.loads(text, parse_constant=reject)
    except json.JSONDecodeError as exc:
        raise InputError(
            [("$", f"JSON không hợp lệ tại dòng {exc.lineno}, cột {exc.colno}: {exc.msg}")]
        ) from exc
    except ValueError as exc:
        raise InputError([("$", str(exc))]) from exc
    except RecursionError as exc:
        raise InputError([("$", "JSON lồng nhau quá sâu")]) from exc


def _dump(document: Any, compact: bool) -> str:
    if compact:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _cmd_check(args: list[str], streams: _Streams) -> int:
    _, flags, positional = _options(args, set(), {"--compact"})
    if len(positional) != 1:
        raise UsageError('check: cần đúng một tệp JSON (hoặc "-" để đọc từ đầu vào chuẩn)')
    document = _read_json(positional[0], streams)
    evaluator = engine.default_evaluator()
    library = evaluator.library
    request = parse_check(
        document,
        library.catalogue,
        lambda candidates, as_of: engine.default_questions(candidates, as_of, library),
    )
    result = engine.check(request, evaluator)
    streams.out(_dump(result, "--compact" in flags))
    return 0


def _cmd_bonus(args: list[str], streams: _Streams) -> int:
    values, flags, positional = _options(args, {"--award", "--recipient", "--date"}, {"--compact"})
    if positional:
        raise UsageError(f"bonus: tham số thừa {shown(positional[0])}")
    for name in ("--award", "--recipient", "--date"):
        if name not in values:
            raise UsageError(f"{name}: thiếu tham số bắt buộc")
    if values["--recipient"] not in RECIPIENT_KINDS:
        raise UsageError(
            f"--recipient: cần individual, collective hoặc household; nhận được {values['--recipient']!r}"
        )
    day = _date_option(values["--date"], "--date")
    answer = bonus(load_library(), values["--award"], values["--recipient"], day)
    streams.out(_dump(answer.as_dict(), "--compact" in flags))
    return 0


def _cmd_bonus_decision(args: list[str], streams: _Streams) -> int:
    _, flags, positional = _options(args, set(), {"--compact"})
    if len(positional) != 1:
        raise UsageError('bonus-decision: cần đúng một tệp JSON (hoặc "-")')
    document = _read_json(positional[0], streams)
    errors: list[tuple[str, str]] = []
    if not isinstance(document, dict):
        raise InputError([("$", 'cần một đối tượng JSON {"date", "recipient", "awards": […]}')])
    raw_date = document.get("date")
    day = None
    if isinstance(raw_date, str) and len(raw_date) == 10:
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            day = None
    if day is None:
        errors.append(("date", f"cần ngày quyết định dạng YYYY-MM-DD, nhận được {shown(raw_date)}"))
    recipient = document.get("recipient", "individual")
    if recipient not in RECIPIENT_KINDS:
        errors.append(
            ("recipient", f"cần individual, collective hoặc household, nhận được {shown(recipient)}")
        )
    awards = document.get("awards")
    items: list[DecisionItem] = []
    if not isinstance(awards, list) or not awards:
        errors.append(("awards", 'cần một danh sách khác rỗng các {"award", "year"}'))
        awards = []
    for i, raw in enumerate(awards):
        if not isinstance(raw, dict):
            errors.append((f"awards[{i}]", 'cần một đối tượng {"award", "year"}'))
            continue
        year = raw.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            errors.append((f"awards[{i}].year", f"cần năm thành tích (1900–2100), nhận được {shown(year)}"))
            continue
        achievement = raw.get("achievement", "")
        if not isinstance(achievement, str):
            errors.append((f"awards[{i}].achievement", f"cần một chuỗi, nhận được {shown(achievement)}"))
            continue
        code = raw.get("award")
        if not isinstance(code, str):
            errors.append((f"awards[{i}].award", f"cần mã danh hiệu, hình thức, nhận được {shown(code)}"))
            continue
        items.append(DecisionItem(code, year, achievement))
    if errors:
        raise InputError(errors)
    assert day is not None
    try:
        result = decision_bonus(load_library(), recipient, day, items)
    except BonusError as exc:
        raise InputError([(exc.path, exc.message)]) from exc
    streams.out(_dump(result, "--compact" in flags))
    return 0


def rules_document(library: Library, day: date) -> dict[str, Any]:
    """The rules in force on a date, for people and for the web pages."""
    rules = library.rules_for(day)
    regime = rules.regime
    awards = {}
    for code, spec in rules.awards.items():
        awards[code] = {
            "name": spec.name,
            "category": spec.category,
            "recipients": list(spec.recipients),
            "kinds": list(spec.kinds),
            "modelled": spec.modelled,
            "layer": spec.layer,
            **spec.citation.as_dict(),
            "conditions": [_condition_doc(c) for c in spec.conditions],
            "routes": [
                {
                    "id": r.id,
                    "title": r.title,
                    "kinds": list(r.kinds) if r.kinds else list(spec.kinds),
                    "recipients": list(r.recipients) if r.recipients else list(spec.recipients),
                    "judgment": r.judgment,
                    "layer": r.layer,
                    **r.citation.as_dict(),
                    "conditions": [_condition_doc(c) for c in r.conditions],
                }
                for r in spec.routes
            ],
        }
    province = rules.province
    return {
        "date": day.isoformat(),
        "regime": {
            "id": regime.id,
            "title": regime.title,
            "valid_from": regime.valid_from.isoformat(),
            "valid_to": regime.valid_to.isoformat() if regime.valid_to else None,
            "basis": list(regime.basis),
            "principles": {k: {**p.citation.as_dict()} for k, p in regime.principles.items()},
            "quotas": {
                k: {"of": q.of, "max_ratio": float(q.max_ratio), **q.citation.as_dict()}
                for k, q in regime.quotas.items()
            },
        },
        "province": None
        if province is None
        else {
            "id": province.id,
            "name": province.name,
            "regulation": province.regulation,
            "in_force_from": province.in_force_from.isoformat() if province.in_force_from else None,
            "deadlines": list(province.deadlines),
            "components": dict(province.components),
            "dossiers": list(province.dossiers),
            "approval": list(province.approval),
        },
        "council": rules.council,
        "awards": awards,
    }


def _condition_doc(spec: Any) -> dict[str, Any]:
    out = {"code": spec.code, "check": spec.check, **dict(spec.params), **spec.citation.as_dict()}
    if spec.text:
        out["text"] = spec.text
    if spec.recipients:
        out["recipients"] = list(spec.recipients)
    return out


def _cmd_rules(args: list[str], streams: _Streams) -> int:
    values, flags, positional = _options(args, {"--date"}, {"--compact"})
    if positional:
        raise UsageError(f"rules: tham số thừa {shown(positional[0])}")
    day = _date_option(values["--date"], "--date") if "--date" in values else date.today()
    streams.out(_dump(rules_document(load_library(), day), "--compact" in flags))
    return 0


COMMANDS = {
    "check": _cmd_check,
    "bonus": _cmd_bonus,
    "bonus-decision": _cmd_bonus_decision,
    "rules": _cmd_rules,
}


def main(
    argv: list[str] | None = None,
    *,
    stdin: IO[Any] | None = None,
    stdout: IO[Any] | None = None,
    stderr: IO[Any] | None = None,
) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    streams = _Streams(stdin, stdout, stderr)
    command = args[0] if args else ""
    try:
        if command in ("-h", "--help", "help"):
            streams.out(USAGE + "\n")
            return 0
        handler = COMMANDS.get(command)
        if handler is None:
            raise UsageError(f"lệnh không hợp lệ {command!r}" if command else "thiếu lệnh")
        return handler(args[1:], streams)
    except UsageError as exc:
        streams.err(f"{PROG}: {exc}\n\n{USAGE}\n")
        return 2
    except InputError as exc:
        count = len(exc.errors)
        streams.err(f"{PROG} {command}: dữ liệu đầu vào không hợp lệ ({count} lỗi)\n")
        streams.err("".join(f"  {line}\n" for line in exc.lines()))
        return 2
    except BonusError as exc:
        streams.err(f"{PROG} {command}: {exc.path}: {exc.message}\n")
        return 2
    except RulebookError as exc:
        streams.err(f"{PROG}: không dùng được bộ quy tắc: {exc}\n")
        return 2
    except KeyboardInterrupt:
        streams.err(f"{PROG}: đã dừng\n")
        return 130
    except Exception as exc:  # The contract forbids a traceback; the message still says what broke.
        streams.err(
            f"{PROG}: lỗi nội bộ, không do dữ liệu đầu vào ({type(exc).__name__}: {exc}). "
            "Xin báo cho người quản trị.\n"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
