"""The input of the eligibility engine: a candidate's history and the questions asked about it.

Plain frozen dataclasses, built by `parse.py` from the JSON of the command-line contract or directly by
other code (the web pages, the benchmark). Nothing here knows about rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

RECIPIENT_KINDS = ("individual", "collective", "household")
COMMENDATION_KINDS = (
    "cong_trang",
    "chuyen_de",
    "dot_xuat",
    "cong_hien",
    "nien_han",
    "doi_ngoai",
    "khang_chien",
)
RATINGS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
# Higher is better; "HTTNV trở lên" means rank >= RATING_RANK["HTTNV"].
RATING_RANK = {"KHTNV": 0, "HTNV": 1, "HTTNV": 2, "HTXSNV": 3}
SCOPES = ("co_so", "tinh", "toan_quoc")
SCOPE_RANK = {"co_so": 0, "tinh": 1, "toan_quoc": 2}
INITIATIVE_TYPES = ("sang_kien", "de_tai")
GENDERS = ("male", "female")
BLOC_ROLES = ("leader", "deputy", "member")
MEMBER_STAT_FIELDS = ("total", "ldtt", "cstdcs", "completed_tasks", "disciplined_canh_cao_or_above")
MOVEMENT_KINDS = ("regular", "thematic")


@dataclass(frozen=True, slots=True)
class AwardRecord:
    award: str
    year: int
    kind: str = "cong_trang"
    decision_date: date | None = None
    initiatives_used: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Initiative:
    id: str
    year: int
    scope: str
    type: str = "sang_kien"


@dataclass(frozen=True, slots=True)
class Discipline:
    start: date
    end: date | None = None
    level: str | None = None


@dataclass(frozen=True, slots=True)
class Pending:
    reason: str = "Đang xem xét kỷ luật hoặc xác minh"
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class MemberStats:
    total: int | None = None
    ldtt: int | None = None
    cstdcs: int | None = None
    completed_tasks: int | None = None
    disciplined_canh_cao_or_above: int | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    kind: str = "individual"
    gender: str | None = None
    unit: str | None = None
    ratings: Mapping[int, str] = field(default_factory=dict)
    awards: tuple[AwardRecord, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    discipline: tuple[Discipline, ...] = ()
    pending: tuple[Pending, ...] = ()
    member_stats: Mapping[int, MemberStats] = field(default_factory=dict)
    bloc_roles: Mapping[int, str] = field(default_factory=dict)
    armed_forces: bool | None = None
    # Year → whether the published ranking of its cụm, khối put it first alone (True) or not (False);
    # no entry: no published ranking that year. Not the rotating khối trưởng (`bloc_roles`).
    bloc_led: Mapping[int, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MovementFacts:
    """The emulation movement a question is asked for (a chuyên đề dossier names it): its kind (regular,
    thematic: chuyên đề) and the dates it runs, both days included. It belongs to the question, not to
    the candidate: two questions about one candidate may name different movements."""

    kind: str
    start: date
    end: date
    title: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    candidate: str
    award: str
    year: int
    as_of: date
    kind: str = "cong_trang"
    movement: MovementFacts | None = None


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """A whole `check` document: the candidates and the questions, in order."""

    as_of: date | None
    candidates: tuple[Candidate, ...]
    questions: tuple[Question, ...]
    # True when the document carried no `questions` and they were derived from the candidates.
    derived_questions: bool = False
