"""The official papers of the proposal workflow, as DOCX (for the office to edit) and PDF (to print and file).

Four documents: the commendation decision with its attached list, the Board's appraisal report, the
minutes of the Council's meeting and the record of the ballot count. Each is described by a frozen
dataclass of display-ready text that the caller builds from the models; nothing here touches the
database, so the layout can be tested on its own.

The layout follows Decree 30/2020/NĐ-CP on administrative documents (Phụ lục I): A4, margins top and
bottom 2 cm, left 3 cm, right 2 cm; Times New Roman; the issuing body top-left and the national title
top-right; the place and date in italics; page numbers centred in the top margin, from page 2 on (the
Decree puts them there, not at the foot of the page).

DOCX files are rendered by docxtpl from the templates in templates/proposals/docx/ (rebuilt by
scripts/make_docx_templates.py); PDF files by WeasyPrint from the Django templates in
templates/proposals/pdf/. Both read the same context, built here, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from docxtpl import DocxTemplate

from thidua.eligibility import labels

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "proposals"
DOCX_DIR = TEMPLATE_DIR / "docx"
PDF_DIR = TEMPLATE_DIR / "pdf"

# The engine's verdict codes (thidua.eligibility.engine), worded as on the appraisal panel.
VERDICT_LABELS = {
    "eligible": "Đủ điều kiện",
    "ineligible": "Chưa đủ điều kiện",
    "needs_review": "Cần xem xét",
}
# A condition's `met` as the engine reports it: True, False, or None (unknown, or left to a person).
CONDITION_MARKS = {True: "đạt", False: "chưa đạt", None: "cần xem xét"}


# ---------------------------------------------------------------------------------------------------
# Formats


def vn_long_date(value: dt.date) -> str:
    """'ngày 05 tháng 01 năm 2026': Decree 30 writes a day below 10 and the months 1 and 2 with a
    leading zero (so that nothing can be written in front of them later)."""
    return labels.long_date(value)


def vn_time(value: dt.time) -> str:
    return f"{value.hour:02d} giờ {value.minute:02d} phút"


def format_money(amount: int) -> str:
    """2340000 -> '2.340.000'; the column heading already says the unit (đồng)."""
    return labels.money(amount).removesuffix(" đ")


def format_percent(share: float) -> str:
    """0.818 -> '81,8%'."""
    return labels.percent(share)


# ---------------------------------------------------------------------------------------------------
# What the caller provides


@dataclass(frozen=True)
class Signer:
    name: str
    # The signer's own title, e.g. "Phó Chủ tịch"; printed in capitals in the signature block.
    title: str


@dataclass(frozen=True)
class Header:
    """The top of the page (Decree 30, Phụ lục I).

    `authority_parent` is the governing body, printed in regular capitals, empty when there is none (as
    for the provincial People's Committee); `authority` is the issuing body, printed bold. Either may
    span two lines separated by "\\n", e.g. "ỦY BAN NHÂN DÂN\\nTỈNH LAI CHÂU".
    """

    authority_parent: str
    authority: str
    # Without the "Số: " prefix, e.g. "123/QĐ-UBND"; empty for papers that carry no number.
    number: str
    place: str
    date: dt.date


@dataclass(frozen=True)
class Line:
    """One row of the list attached to a decision."""

    position: int
    name: str
    detail: str
    award: str
    achievement: str = ""
    bonus_amount: int | None = None


@dataclass(frozen=True)
class DecisionDoc:
    header: Header
    subject: str
    # The signing authority as it stands above the bases, e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU".
    issuer: str
    bases: Sequence[str]
    proposal: str
    articles: Sequence[str]
    recipients_of_copies: Sequence[str]
    signer: Signer
    # "KT. CHỦ TỊCH" when a deputy signs on the chair's behalf; empty when the signer signs in their own
    # right (the signer's title is then the only line).
    signer_capacity: str = ""
    lines: Sequence[Line] = ()
    title: str = "QUYẾT ĐỊNH"
    list_title: str = "DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG"
    # Ends the note under the list title: "của Chủ tịch Ủy ban nhân dân tỉnh Lai Châu".
    issued_by: str = ""


@dataclass(frozen=True)
class Condition:
    text: str
    basis: str
    met: bool | None


@dataclass(frozen=True)
class AppraisedNominee:
    position: int
    name: str
    detail: str
    award: str
    # The engine's verdict code: "eligible", "ineligible" or "needs_review".
    verdict: str
    conditions: Sequence[Condition] = ()
    flags: Sequence[str] = ()
    # The specialist's conclusion; None while they have not concluded.
    recommend: bool | None = None
    override_reason: str = ""


@dataclass(frozen=True)
class AppraisalReportDoc:
    header: Header
    subject: str
    dossier_code: str
    unit: str
    received_on: dt.date
    nominees: Sequence[AppraisedNominee]
    signer: Signer
    signer_capacity: str = ""
    dossier_title: str = ""
    proposal_number: str = ""
    addressee: str = ""
    recipients_of_copies: Sequence[str] = ()
    title: str = "BÁO CÁO"


@dataclass(frozen=True)
class VoteResult:
    """One nominee's ballot: the counts, what the law asks, and whether it was reached (the caller
    decides, since written opinions and the rule for the award are known only there)."""

    position: int
    name: str
    detail: str
    award: str
    agree: int
    disagree: int
    invalid: int
    threshold: str
    passed: bool


@dataclass(frozen=True)
class MinutesDoc:
    header: Header
    session_title: str
    date: dt.date
    opened_at: dt.time
    closed_at: dt.time
    place: str
    chair: Signer
    secretary: Signer
    total_members: int
    present: Sequence[str]
    # e.g. "ít nhất 80% tổng số thành viên (căn cứ khoản 7 Điều 30 Nghị định 98/2023/NĐ-CP)"
    quorum_rule: str
    quorum_met: bool
    dossiers: Sequence[str]
    results: Sequence[VoteResult]
    absent_with_opinion: Sequence[str] = ()
    absent_without_opinion: Sequence[str] = ()
    notes: Sequence[str] = ()
    title: str = "BIÊN BẢN"


@dataclass(frozen=True)
class BallotCountDoc:
    header: Header
    session_title: str
    date: dt.date
    place: str
    # The counting committee, or the Council's secretary alone; each signs under their title.
    counters: Sequence[Signer]
    total_members: int
    ballots_issued: int
    ballots_received: int
    ballots_valid: int
    ballots_invalid: int
    results: Sequence[VoteResult]
    title: str = "BIÊN BẢN KIỂM PHIẾU"


# ---------------------------------------------------------------------------------------------------
# Context shared by the DOCX and PDF templates: plain dicts and strings only, so the Jinja of docxtpl and
# the Django template language read it alike and nothing gets localised twice.


@dataclass(frozen=True)
class _Signature:
    lines: list[str]
    name: str


_BLANK_SIGNATURE = _Signature(lines=[], name="")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n") if part.strip()]


def _header(header: Header) -> dict[str, Any]:
    return {
        "parent_lines": _split(header.authority_parent.upper()),
        "authority_lines": _split(header.authority.upper()),
        "number": f"Số: {header.number}" if header.number else "",
        "place_date": f"{header.place}, {vn_long_date(header.date)}",
    }


def _signature(capacity: str, signer: Signer) -> _Signature:
    lines = [capacity.strip().upper()] if capacity.strip() else []
    title = signer.title.strip().upper()
    if title and title not in lines:
        lines.append(title)
    return _Signature(lines=lines, name=signer.name)


def _signature_rows(signatures: Sequence[_Signature]) -> list[dict[str, _Signature]]:
    """Signatures two by two, side by side; a lone last one goes to the right, where a single signer
    stands on Vietnamese papers."""
    rows = [{"left": signatures[i], "right": signatures[i + 1]} for i in range(0, len(signatures) - 1, 2)]
    if len(signatures) % 2:
        rows.append({"left": _BLANK_SIGNATURE, "right": signatures[-1]})
    return rows


def _clause(text: str, end: str) -> str:
    """A list item ending the way Decree 30 ends them: ';' within the list, '.' at its end."""
    return text.strip().rstrip(";.,").rstrip() + end


def _listed(items: Sequence[str], *, prefix: str = "", last: str = ".") -> list[str]:
    return [f"{prefix}{_clause(item, ';' if i < len(items) - 1 else last)}" for i, item in enumerate(items)]


def _basis(text: str) -> str:
    text = text.strip()
    return text if text.lower().startswith("căn cứ") else f"Căn cứ {text}"


def _ratio(part: int, whole: int) -> str:
    return format_percent(part / whole) if whole else ""


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "không có"


def _vote_rows(results: Sequence[VoteResult], total_members: int) -> list[dict[str, str]]:
    return [
        {
            "position": str(r.position),
            "name": r.name,
            "detail": r.detail,
            "award": r.award,
            "agree": str(r.agree),
            "disagree": str(r.disagree),
            "invalid": str(r.invalid),
            "ratio": _ratio(r.agree, total_members),
            "threshold": r.threshold,
            "outcome": "Đạt" if r.passed else "Không đạt",
        }
        for r in results
    ]


def _vote_summary(results: Sequence[VoteResult]) -> str:
    passed = sum(1 for r in results if r.passed)
    return (
        f"Số trường hợp đạt tỷ lệ phiếu đồng ý theo quy định: {labels.count2(passed)}/"
        f"{labels.count2(len(results))}; không đạt: {labels.count2(len(results) - passed)}."
    )


def decision_context(doc: DecisionDoc) -> dict[str, Any]:
    amounts = [line.bonus_amount for line in doc.lines if line.bonus_amount is not None]
    note = f"(Kèm theo Quyết định số {doc.header.number} {vn_long_date(doc.header.date)}"
    note += f" {doc.issued_by.strip()})" if doc.issued_by.strip() else ")"
    return {
        "header": _header(doc.header),
        "title": doc.title.upper(),
        "subject": doc.subject,
        "issuer": doc.issuer.upper(),
        "bases": [_basis(b) for b in _listed(doc.bases, last=";")],
        "proposal": _clause(doc.proposal, "."),
        "articles": [
            {"label": f"Điều {i}.", "text": _clause(text, ".")} for i, text in enumerate(doc.articles, 1)
        ],
        "recipients": _listed(doc.recipients_of_copies, prefix="- "),
        "signature": _signature(doc.signer_capacity, doc.signer),
        "list_title": doc.list_title.upper(),
        "list_note": note,
        "lines": [
            {
                "position": str(line.position),
                "name": line.name,
                "detail": line.detail,
                "award": line.award,
                "achievement": line.achievement,
                "bonus": format_money(line.bonus_amount) if line.bonus_amount is not None else "",
            }
            for line in doc.lines
        ],
        "total_label": f"Tổng cộng: {labels.count2(len(doc.lines))} trường hợp",
        "total_bonus": format_money(sum(amounts)) if amounts else "",
    }


def appraisal_report_context(doc: AppraisalReportDoc) -> dict[str, Any]:
    verdicts = [n.verdict for n in doc.nominees]
    recommended = sum(1 for n in doc.nominees if n.recommend is True)
    not_recommended = sum(1 for n in doc.nominees if n.recommend is False)
    dossier = f"Hồ sơ số {doc.dossier_code} của {doc.unit}"
    if doc.proposal_number:
        dossier += f" (Tờ trình số {doc.proposal_number})"
    if doc.dossier_title:
        dossier += f": {doc.dossier_title.strip().rstrip('.')}"
    summary = [
        f"Tổng số trường hợp thẩm định: {labels.count2(len(doc.nominees))}.",
        "Kết quả kiểm tra điều kiện, tiêu chuẩn: "
        + "; ".join(
            f"{label.lower()}: {labels.count2(verdicts.count(code))}"
            for code, label in VERDICT_LABELS.items()
        )
        + ".",
        f"Ý kiến thẩm định: đề nghị khen thưởng {labels.count2(recommended)} trường hợp; "
        f"không đề nghị {labels.count2(not_recommended)} trường hợp.",
    ]
    undecided = len(doc.nominees) - recommended - not_recommended
    if undecided:
        summary.append(f"Chưa có kết luận: {labels.count2(undecided)} trường hợp.")
    return {
        "header": _header(doc.header),
        "title": doc.title.upper(),
        "subject": doc.subject,
        "addressee": doc.addressee,
        "dossier": dossier + ".",
        "received": f"Ngày tiếp nhận hồ sơ: {doc.received_on.strftime('%d/%m/%Y')}.",
        "nominees": [
            {
                "heading": f"{n.position}. {n.name}" + (f" – {n.detail}" if n.detail else ""),
                "award": n.award,
                "verdict": VERDICT_LABELS.get(n.verdict, n.verdict),
                "conditions": [
                    {
                        "text": c.text.strip().rstrip(".;") + (f" (căn cứ: {c.basis})" if c.basis else ""),
                        "mark": CONDITION_MARKS[c.met],
                    }
                    for c in n.conditions
                ],
                "flags": list(n.flags),
                "conclusion": {True: "Đề nghị khen thưởng", False: "Không đề nghị", None: "Chưa kết luận"}[
                    n.recommend
                ],
                "override_reason": n.override_reason,
            }
            for n in doc.nominees
        ],
        "summary": summary,
        "recipients": _listed(doc.recipients_of_copies, prefix="- "),
        "signature": _signature(doc.signer_capacity, doc.signer),
    }


def minutes_context(doc: MinutesDoc) -> dict[str, Any]:
    present = len(doc.present)
    quorum = (
        f"Số thành viên có mặt: {present}/{doc.total_members} ({_ratio(present, doc.total_members)}), "
        f"{'đủ' if doc.quorum_met else 'không đủ'} điều kiện theo quy định: {doc.quorum_rule.strip()}."
    )
    return {
        "header": _header(doc.header),
        "title": doc.title.upper(),
        "session_title": doc.session_title,
        "opening": (
            f"Vào hồi {vn_time(doc.opened_at)}, {vn_long_date(doc.date)}, tại {doc.place}, "
            "Hội đồng tiến hành phiên họp."
        ),
        "chair": f"{doc.chair.name} – {doc.chair.title}",
        "secretary": f"{doc.secretary.name} – {doc.secretary.title}",
        "total_members": f"Tổng số thành viên Hội đồng: {doc.total_members}.",
        "present": f"Có mặt: {present} ({_names(doc.present)}).",
        "absent_with_opinion": (
            f"Vắng mặt có ý kiến bằng văn bản: {len(doc.absent_with_opinion)} "
            f"({_names(doc.absent_with_opinion)})."
        ),
        "absent_without_opinion": (
            f"Vắng mặt không có ý kiến: {len(doc.absent_without_opinion)} "
            f"({_names(doc.absent_without_opinion)})."
        ),
        "quorum": quorum,
        "dossiers": _listed(doc.dossiers, prefix="- "),
        "results": _vote_rows(doc.results, doc.total_members),
        "summary": _vote_summary(doc.results),
        "notes": list(doc.notes),
        "closing": f"Cuộc họp kết thúc vào hồi {vn_time(doc.closed_at)} cùng ngày./.",
        "signature_rows": _signature_rows(
            [
                _Signature(lines=["THƯ KÝ"], name=doc.secretary.name),
                _Signature(lines=["CHỦ TRÌ"], name=doc.chair.name),
            ]
        ),
    }


def ballot_count_context(doc: BallotCountDoc) -> dict[str, Any]:
    return {
        "header": _header(doc.header),
        "title": doc.title.upper(),
        "session_title": doc.session_title,
        "opening": f"Hôm nay, {vn_long_date(doc.date)}, tại {doc.place}.",
        "counters": [f"- {c.name}, {c.title}." for c in doc.counters],
        "ballots": [
            f"Tổng số thành viên Hội đồng: {doc.total_members}.",
            f"Số phiếu phát ra: {doc.ballots_issued}.",
            f"Số phiếu thu vào: {doc.ballots_received}.",
            f"Số phiếu hợp lệ: {doc.ballots_valid}.",
            f"Số phiếu không hợp lệ: {doc.ballots_invalid}.",
        ],
        "results": _vote_rows(doc.results, doc.total_members),
        "summary": _vote_summary(doc.results),
        "closing": "Kết quả kiểm phiếu đã được công bố tại phiên họp./.",
        "signature_rows": _signature_rows([_signature("", c) for c in doc.counters]),
    }


# ---------------------------------------------------------------------------------------------------
# Rendering


@cache
def _docx_template_bytes(name: str) -> bytes:
    return (DOCX_DIR / f"{name}.docx").read_bytes()


def _docx(name: str, context: dict[str, Any]) -> bytes:
    # A DocxTemplate is consumed by rendering, so each document starts from a fresh copy of the file.
    template = DocxTemplate(io.BytesIO(_docx_template_bytes(name)))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _pdf(name: str, context: dict[str, Any]) -> bytes:
    # Imported here: loading Pango and the fonts costs half a second that pages without PDFs need not pay.
    import weasyprint

    html = render_to_string(f"proposals/pdf/{name}.html", context)
    pdf = weasyprint.HTML(string=html, base_url=str(PDF_DIR)).write_pdf()
    return bytes(pdf)


def decision_docx(doc: DecisionDoc) -> bytes:
    return _docx("decision", decision_context(doc))


def decision_pdf(doc: DecisionDoc) -> bytes:
    return _pdf("decision", decision_context(doc))


def appraisal_report_docx(doc: AppraisalReportDoc) -> bytes:
    return _docx("appraisal_report", appraisal_report_context(doc))


def appraisal_report_pdf(doc: AppraisalReportDoc) -> bytes:
    return _pdf("appraisal_report", appraisal_report_context(doc))


def minutes_docx(doc: MinutesDoc) -> bytes:
    return _docx("minutes", minutes_context(doc))


def minutes_pdf(doc: MinutesDoc) -> bytes:
    return _pdf("minutes", minutes_context(doc))


def ballot_count_docx(doc: BallotCountDoc) -> bytes:
    return _docx("ballot_count", ballot_count_context(doc))


def ballot_count_pdf(doc: BallotCountDoc) -> bytes:
    return _pdf("ballot_count", ballot_count_context(doc))


__all__ = [
    "AppraisalReportDoc",
    "AppraisedNominee",
    "BallotCountDoc",
    "Condition",
    "DecisionDoc",
    "Header",
    "Line",
    "MinutesDoc",
    "Signer",
    "VoteResult",
    "appraisal_report_docx",
    "appraisal_report_pdf",
    "ballot_count_docx",
    "ballot_count_pdf",
    "decision_docx",
    "decision_pdf",
    "format_money",
    "format_percent",
    "minutes_docx",
    "minutes_pdf",
    "vn_long_date",
    "vn_time",
]
