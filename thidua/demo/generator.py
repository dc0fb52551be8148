"""The demo province as a plan in memory, computed from a seed and a head count alone.

The plan refers to units by code, to people, initiatives and decisions by their index in the
plan's lists, so it can be built, compared and hashed without a database; `loader.py` writes it.
Only `random.Random(seed)` is used: the same seed and head count give the same plan, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from thidua.core.text import fold
from thidua.demo import data as D
from thidua.eligibility.bonus import BonusError, bonus
from thidua.eligibility.engine import default_evaluator

# --- The plan ---


class UnitSpec(NamedTuple):
    code: str
    name: str
    kind: str
    parent: str | None
    is_border: bool
    is_highland: bool
    is_especially_difficult: bool
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor: str | None
    address: str


class PersonSpec(NamedTuple):
    family_name: str
    middle_name: str
    given_name: str
    gender: str
    birth_date: dt.date
    ethnicity: str
    identity_number: str
    unit: str
    position: str
    category: str


class PositionSpec(NamedTuple):
    """A stretch of a person's quá trình công tác; `end_date` None for the position held now."""

    person: int
    unit: str
    position: str
    start_date: dt.date
    end_date: dt.date | None


class HouseholdSpec(NamedTuple):
    code: str
    head_name: str
    unit: str
    village: str
    ethnicity: str


class BlocSpec(NamedTuple):
    code: str
    name: str
    kind: str
    description: str


class MembershipSpec(NamedTuple):
    bloc: str
    unit: str
    year: int
    role: str


class RatingSpec(NamedTuple):
    person: int | None
    unit: str | None
    year: int
    rating: str


class InitiativeSpec(NamedTuple):
    person: int | None
    unit: str | None
    title: str
    type: str
    year: int
    scope: str
    recognised_by: str
    recognition_number: str


class DecisionSpec(NamedTuple):
    number: str
    date: dt.date
    issuing_authority: str
    issuer_unit: str | None
    signer_name: str
    signer_title: str
    summary: str


class AwardSpec(NamedTuple):
    award: str
    person: int | None
    unit: str | None
    household: str | None
    year: int
    kind: str
    decision: int
    reason: str
    bonus: int | None
    initiatives: tuple[int, ...]


class DisciplineSpec(NamedTuple):
    person: int
    level: str
    decision_number: str
    start_date: dt.date
    end_date: dt.date
    reason: str


class InvestigationSpec(NamedTuple):
    person: int
    reason: str
    since: dt.date
    closed_on: dt.date | None


class UserSpec(NamedTuple):
    username: str
    role: str
    unit: str
    full_name: str
    is_staff: bool
    is_superuser: bool
    # The unit code of the authority the role is held in (specialists, Council members, the chairman).
    authority: str | None = None


class AuthoritySpec(NamedTuple):
    """A unit whose head decides awards: its level, name as issuer, decision series and head's title."""

    unit: str
    level: str
    name: str
    abbreviation: str
    head_title: str
    superior_name: str
    is_active: bool


@dataclass
class Plan:
    seed: int
    people_requested: int
    units: list[UnitSpec] = field(default_factory=list)
    blocs: list[BlocSpec] = field(default_factory=list)
    memberships: list[MembershipSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    positions: list[PositionSpec] = field(default_factory=list)
    households: list[HouseholdSpec] = field(default_factory=list)
    initiatives: list[InitiativeSpec] = field(default_factory=list)
    decisions: list[DecisionSpec] = field(default_factory=list)
    awards: list[AwardSpec] = field(default_factory=list)
    ratings: list[RatingSpec] = field(default_factory=list)
    disciplines: list[DisciplineSpec] = field(default_factory=list)
    investigations: list[InvestigationSpec] = field(default_factory=list)
    users: list[UserSpec] = field(default_factory=list)
    authorities: list[AuthoritySpec] = field(default_factory=list)

    SECTIONS = (
        "units",
        "authorities",
        "blocs",
        "memberships",
        "people",
        "positions",
        "households",
        "initiatives",
        "decisions",
        "awards",
        "ratings",
        "disciplines",
        "investigations",
        "users",
    )

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in self.SECTIONS}

    def award_counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for award in self.awards:
            result[award.award] = result.get(award.award, 0) + 1
        return dict(sorted(result.items()))

    def digest(self) -> str:
        """A fingerprint of the whole plan, equal for equal plans."""
        digest = hashlib.sha256(f"{self.seed}:{self.people_requested}".encode())
        for name in self.SECTIONS:
            rows = getattr(self, name)
            digest.update(f"|{name}:{len(rows)}|".encode())
            for start in range(0, len(rows), 20_000):
                digest.update(repr(rows[start : start + 20_000]).encode())
        return digest.hexdigest()


# --- Ratings, scopes and other codes (those of the awards app, kept as text so the plan needs no Django) ---

EXCELLENT, GOOD, DONE, NOT_DONE = "HTXSNV", "HTTNV", "HTNV", "KHTNV"
GOOD_OR_BETTER = (EXCELLENT, GOOD)
MERIT, THEMATIC, SUDDEN = "cong_trang", "chuyen_de", "dot_xuat"
SCOPE_UNIT, SCOPE_PROVINCE, SCOPE_NATION = "co_so", "tinh", "toan_quoc"

_SLUG = re.compile(r"[^A-Z0-9]")


def slug(name: str) -> str:
    return _SLUG.sub("", fold(name).upper())


def vn_number(value: int) -> str:
    """12345 -> "12.345", the way Vietnamese documents write numbers."""
    return f"{value:,}".replace(",", ".")


@functools.lru_cache(maxsize=4096)
def bonus_amount(award: str, recipient: str, day: dt.date) -> int | None:
    """The bonus the rulebook gives on the decision date (the engine's own computation: the demo keeps no
    copy of the law); None where the rulebook sets no amount, as the product itself would show."""
    try:
        return bonus(default_evaluator().library, award, recipient, day).amount
    except BonusError:
        return None


# --- Units ---


@dataclass(eq=False)
class _Unit:
    code: str
    name: str
    kind: str
    parent: _Unit | None
    weight: float = 0.0
    staff: str = "office"
    head_title: str = ""
    abbr: str = ""
    legal: bool = True
    authority: str = ""
    profile: str = "PROVINCE"
    local_profile: str | None = None
    district: str | None = None
    bloc: str | None = None
    is_border: bool = False
    is_highland: bool = False
    is_especially_difficult: bool = False
    valid_to: dt.date | None = None
    successor: str | None = None
    address: str = ""
    head_name: str = ""
    people: list[int] = field(default_factory=list)

    def legal_unit(self) -> _Unit:
        unit: _Unit = self
        while not unit.legal and unit.parent is not None:
            unit = unit.parent
        return unit

    @property
    def is_commune(self) -> bool:
        return self.kind in ("commune", "ward")


def _authority(name: str) -> str:
    if "Lai Châu" in name:
        return name
    if name.endswith(" tỉnh"):
        return f"{name} Lai Châu"
    return f"{name} tỉnh Lai Châu"


def _sub_head_title(name: str) -> str:
    for prefix, title in (
        ("Văn phòng", "Chánh Văn phòng"),
        ("Phòng", "Trưởng phòng"),
        ("Khoa", "Trưởng khoa"),
        ("Chi cục", "Chi cục trưởng"),
        ("Thanh tra", "Chánh Thanh tra"),
    ):
        if name.startswith(prefix):
            return title
    return "Giám đốc"


def _build_units() -> list[_Unit]:
    units: list[_Unit] = []

    def add(unit: _Unit) -> _Unit:
        units.append(unit)
        return unit

    root = add(
        _Unit(
            code=D.PROVINCE_CODE,
            name=D.PROVINCE_NAME,
            kind="provincial_committee",
            parent=None,
            staff="office",
            head_title="Chủ tịch UBND tỉnh",
            abbr="UBND",
            authority=D.PROVINCE_AUTHORITY,
            address=D.PROVINCE_ADDRESS,
        )
    )
    departments: dict[str, _Unit] = {}
    for suffix, name, kind, abbr, head, bloc, weight, subs in D.DEPARTMENTS:
        staff = "college" if kind == "school" else "office"
        dept = add(
            _Unit(
                code=f"LC.{suffix}",
                name=name,
                kind=kind,
                parent=root,
                weight=weight,
                staff=staff,
                head_title=head,
                abbr=abbr,
                authority=_authority(name),
                bloc=bloc,
                address=D.PROVINCE_ADDRESS,
            )
        )
        departments[suffix] = dept
        for sub_suffix, sub_name, sub_weight in subs:
            add(
                _Unit(
                    code=f"{dept.code}.{sub_suffix}",
                    name=sub_name,
                    kind="sub_unit",
                    parent=dept,
                    weight=sub_weight,
                    staff=staff,
                    head_title=_sub_head_title(sub_name),
                    legal=False,
                    address=D.PROVINCE_ADDRESS,
                )
            )
    for suffix, name, abbr, head, weight in D.MASS_ORGANISATIONS:
        add(
            _Unit(
                code=f"LC.{suffix}",
                name=name,
                kind="mass_organisation",
                parent=root,
                weight=weight,
                head_title=head,
                abbr=abbr,
                authority=_authority(name),
                bloc="K_DT",
                address=D.PROVINCE_ADDRESS,
            )
        )
    for suffix, name, abbr, weight in D.ENTERPRISES:
        add(
            _Unit(
                code=f"LC.DN.{suffix}",
                name=name,
                kind="enterprise",
                parent=root,
                weight=weight,
                staff="enterprise",
                head_title="Chủ nhiệm" if name.startswith("Hợp tác xã") else "Giám đốc",
                abbr=abbr,
                authority=name,
                bloc="K_DN",
                address="Tỉnh Lai Châu",
            )
        )
    communes: dict[str, _Unit] = {}
    for name, kind, district, border, highland, difficult in D.COMMUNES:
        word = "Phường" if kind == "ward" else "Xã"
        if border:
            bloc = "C_BG"
        elif highland:
            bloc = "C_VC"
        else:
            bloc = "C_VT"
        commune = add(
            _Unit(
                code=f"LC.{'P' if kind == 'ward' else 'X'}.{slug(name)}",
                name=f"{word} {name}",
                kind=kind,
                parent=root,
                weight=D.COMMUNE_WEIGHT,
                staff="commune",
                head_title=f"Chủ tịch UBND {word.lower()}",
                abbr="UBND",
                authority=f"UBND {word.lower()} {name}",
                profile=district,
                district=district,
                bloc=bloc,
                is_border=border,
                is_highland=highland,
                is_especially_difficult=difficult,
                address=f"{word} {name}, tỉnh Lai Châu",
            )
        )
        communes[slug(name)] = commune
    for suffix, name, seat in D.DISTRICTS:
        word = "thành phố" if name.startswith("Thành phố") else "huyện"
        place = name.split(" ", 1)[1] if word == "huyện" else name.removeprefix("Thành phố ")
        add(
            _Unit(
                code=f"LC.H.{suffix}",
                name=name,
                kind="district",
                parent=root,
                staff="office",
                head_title=f"Chủ tịch UBND {word}",
                abbr="UBND",
                authority=f"UBND {word} {place}",
                profile=suffix,
                district=suffix,
                bloc="C_HUYEN",
                valid_to=D.DISTRICT_LAST_DAY,
                successor=communes[seat].code,
                address=f"{name}, tỉnh Lai Châu (trước ngày 01/7/2025)",
            )
        )
    commune_by_name = {c.name.split(" ", 1)[1]: c for c in communes.values()}
    education = departments["SGDDT"]
    for suffix, name, place in D.UPPER_SCHOOLS:
        commune = commune_by_name[place]
        add(
            _Unit(
                code=f"{education.code}.THPT.{suffix}",
                name=name,
                kind="school",
                parent=education,
                weight=D.UPPER_SCHOOL_WEIGHT,
                staff="school",
                head_title="Hiệu trưởng",
                abbr="THPT",
                authority=name,
                local_profile=commune.district,
                district=commune.district,
                address=commune.address,
            )
        )
    health = departments["SYT"]
    for suffix, name, kind, weight, subs in D.HEALTH_UNITS:
        area = next(
            (d for d, _, _ in D.DISTRICTS if slug(name).endswith(slug(d_name(d)))),
            None,
        )
        hospital = add(
            _Unit(
                code=f"{health.code}.{suffix}",
                name=name,
                kind=kind,
                parent=health,
                weight=weight,
                staff="health",
                head_title="Giám đốc",
                abbr="TTYT" if suffix.startswith("TTYT") else ("TTKSBT" if suffix == "CDC" else "BV"),
                authority=_authority(name),
                local_profile=area,
                district=area,
                address=D.PROVINCE_ADDRESS,
            )
        )
        for sub_suffix, sub_name, sub_weight in subs:
            add(
                _Unit(
                    code=f"{hospital.code}.{sub_suffix}",
                    name=sub_name,
                    kind="sub_unit",
                    parent=hospital,
                    weight=sub_weight,
                    staff="health",
                    head_title=_sub_head_title(sub_name),
                    legal=False,
                    address=D.PROVINCE_ADDRESS,
                )
            )
    for commune in communes.values():
        place = commune.name.split(" ", 1)[1]
        difficult = commune.is_especially_difficult
        for level, weight in D.COMMUNE_SCHOOL_WEIGHTS.items():
            label = {"MN": "Mầm non", "TH": "Tiểu học", "THCS": "THCS"}[level]
            prefix = "Trường PTDTBT" if difficult and level != "MN" else "Trường"
            name = f"{prefix} {label} {place}"
            add(
                _Unit(
                    code=f"{commune.code}.{level}",
                    name=name,
                    kind="school",
                    parent=commune,
                    weight=weight,
                    staff="school",
                    head_title="Hiệu trưởng",
                    abbr=level,
                    authority=name,
                    local_profile=commune.district,
                    district=commune.district,
                    address=commune.address,
                )
            )
        add(
            _Unit(
                code=f"{commune.code}.TYT",
                name=f"Trạm Y tế {commune.name[0].lower()}{commune.name[1:]}",
                kind="hospital",
                parent=commune,
                weight=D.COMMUNE_HEALTH_WEIGHT,
                staff="health",
                head_title="Trạm trưởng",
                legal=False,
                local_profile=commune.district,
                district=commune.district,
                address=commune.address,
            )
        )
    return units


def d_name(district_suffix: str) -> str:
    name = next(name for suffix, name, _ in D.DISTRICTS if suffix == district_suffix)
    return name.split(" ", 1)[1] if name.startswith("Huyện") else name


def _depth(unit: _Unit) -> int:
    depth = 0
    while unit.parent is not None:
        unit = unit.parent
        depth += 1
    return depth


# --- Names ---


class _NamePool:
    def __init__(self) -> None:
        self.families: dict[str, tuple[list[str], list[float]]] = {}
        for ethnicity, pool in D.NAMES.items():
            names = [n for n, _ in pool["families"]]
            cumulative: list[float] = []
            total = 0.0
            for _, weight in pool["families"]:
                total += weight
                cumulative.append(total)
            self.families[ethnicity] = (names, cumulative)
        self.profiles: dict[str, tuple[list[str], list[float]]] = {}
        for key, profile in D.ETHNIC_PROFILES.items():
            cumulative = []
            total = 0.0
            for weight in profile.values():
                total += weight
                cumulative.append(total)
            self.profiles[key] = (list(profile), cumulative)

    def ethnicity(self, rng: random.Random, profile: str) -> str:
        names, cumulative = self.profiles[profile]
        return rng.choices(names, cum_weights=cumulative)[0]

    def name(self, rng: random.Random, ethnicity: str, gender: str, birth_year: int) -> tuple[str, str, str]:
        pool = D.NAMES[ethnicity]
        names, cumulative = self.families[ethnicity]
        family = rng.choices(names, cum_weights=cumulative)[0]
        female = gender == "female"
        middle = rng.choice(pool["middle_female" if female else "middle_male"])
        given_pool = pool["given_female" if female else "given_male"]
        # Younger people of every group often carry Kinh-style given names.
        if ethnicity != "Kinh" and birth_year >= 1985 and rng.random() < 0.4:
            given_pool = D.KINH_GIVEN_FEMALE if female else D.KINH_GIVEN_MALE
        given = rng.choice(given_pool)
        if given == middle:
            given = rng.choice(given_pool)
        return family, middle, given


# --- Decisions ---


@dataclass
class _Issuer:
    authority: str
    unit: str | None
    abbr: str
    signer_name: str
    signer_title: str
    # For an office whose holder changed over the decade: who signed on a given day.
    signer_on: Callable[[dt.date], tuple[str, str]] | None = None


@dataclass
class _Decision:
    issuer: _Issuer
    date: dt.date
    summary: str
    signer_name: str
    signer_title: str
    number: str = ""


class _DecisionBook:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.items: list[_Decision] = []
        self.index: dict[tuple[Any, ...], int] = {}

    def get(
        self,
        key: tuple[Any, ...],
        issuer: _Issuer,
        summary: str,
        first: dt.date,
        last: dt.date,
        signer: tuple[str, str] | None = None,
    ) -> int:
        found = self.index.get(key)
        if found is not None:
            return found
        last = min(last, D.LATEST_DAY)
        span = max((last - first).days, 0)
        day = first + dt.timedelta(days=self.rng.randint(0, span))
        # Offices do not sign award decisions at weekends.
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        if signer is None and issuer.signer_on is not None:
            signer = issuer.signer_on(day)
        name, title = signer or (issuer.signer_name, issuer.signer_title)
        self.items.append(_Decision(issuer, day, summary, name, title))
        self.index[key] = len(self.items) - 1
        return len(self.items) - 1

    def date(self, index: int) -> dt.date:
        return self.items[index].date

    def finish(self) -> list[DecisionSpec]:
        """Number each issuer's decisions of a calendar year in date order."""
        groups: dict[tuple[str, int], list[int]] = {}
        for index, item in enumerate(self.items):
            groups.setdefault((item.issuer.authority, item.date.year), []).append(index)
        for (authority, _year), indexes in groups.items():
            indexes.sort(key=lambda i: (self.items[i].date, i))
            big = authority in (D.PROVINCE_AUTHORITY, "Thủ tướng Chính phủ", "Chủ tịch nước")
            number = self.rng.randint(40, 160) if big else self.rng.randint(1, 25)
            for i in indexes:
                item = self.items[i]
                item.number = f"{number}/QĐ-{item.issuer.abbr}"
                number += self.rng.randint(4, 45) if big else self.rng.randint(1, 6)
        return [
            DecisionSpec(
                number=item.number,
                date=item.date,
                issuing_authority=item.issuer.authority,
                issuer_unit=item.issuer.unit,
                signer_name=item.signer_name,
                signer_title=item.signer_title,
                summary=item.summary,
            )
            for item in self.items
        ]


def _between(year: int, first: tuple[int, int], last: tuple[int, int]) -> tuple[dt.date, dt.date]:
    return dt.date(year, *first), dt.date(year, *last)


# --- The generator ---

_AWARD_TITLES = {
    "LDTT": "Lao động tiên tiến",
    "CSTDCS": "Chiến sĩ thi đua cơ sở",
    "CSTD_TINH": "Chiến sĩ thi đua cấp tỉnh",
    "TTLDTT": "Tập thể lao động tiên tiến",
    "TTLDXS": "Tập thể lao động xuất sắc",
    "GDVH": "Gia đình văn hóa",
}


@dataclass
class _PersonState:
    unit: _Unit
    villager: bool
    start_year: int
    talent: float
    innovation: float
    # The year the person started work (before the demo's years for most), at most the last year.
    hired_year: int = D.FIRST_YEAR
    blocked: tuple[int, ...] = ()
    legacy_bk: int | None = None
    legacy_ttg: int | None = None
    # A person who came from another unit: the unit left and the day they started in `unit`.
    previous: _Unit | None = None
    moved_on: dt.date | None = None

    def unit_in(self, year: int) -> _Unit:
        """The unit the person belongs to in `year`: the one they worked in on 31 December."""
        if self.previous is not None and self.moved_on is not None and year < self.moved_on.year:
            return self.previous
        return self.unit


# The individual merit titles and forms that rest on the same year's CSTĐ cơ sở or LĐTT.
_ON_TOP = frozenset({"CSTD_TINH", "BK_TINH", "BK_TTG", "HCLD3"})


class _Generator:
    def __init__(self, people: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.plan = Plan(seed=seed, people_requested=people)
        self.names = _NamePool()
        self.units = _build_units()
        self.by_code = {u.code: u for u in self.units}
        self.root = self.units[0]
        self.book = _DecisionBook(self.rng)
        self.states: list[_PersonState] = []
        self.issued_numbers: set[str] = set()
        # (unit code, year) -> [members, LĐTT, CSTĐCS, disciplined at warning or above]
        self.unit_stats: dict[tuple[str, int], list[int]] = {}
        self.initiative_counter: dict[tuple[str, int], int] = {}

    # Helpers

    def random_day(self, year: int, first_month: int = 1, last_month: int = 12) -> dt.date:
        start = dt.date(year, first_month, 1)
        end = dt.date(year, last_month, 28)
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def generated_name(self, ethnicity: str = "Kinh", gender: str | None = None) -> str:
        gender = gender or ("male" if self.rng.random() < 0.75 else "female")
        return " ".join(self.names.name(self.rng, ethnicity, gender, 1970))

    def issuer(self, unit: _Unit) -> _Issuer:
        if unit is self.root:
            return self.province_issuer
        return _Issuer(unit.authority, unit.code, unit.abbr or "UBND", unit.head_name, unit.head_title)

    def chairman_on(self, day: dt.date) -> tuple[str, str]:
        chairman = self.chairmen[0 if day < dt.date(2021, 6, 1) else 1 if day < dt.date(2024, 10, 1) else 2]
        return chairman, "Chủ tịch UBND tỉnh"

    def commune_level(self, commune: _Unit, year: int) -> _Unit:
        """Before the reform the district decided what the commune's chairman decides now."""
        if year < D.LAST_YEAR and commune.district:
            return self.by_code[f"LC.H.{commune.district}"]
        return commune

    def province_decision(self, key: tuple[Any, ...], summary: str, first: dt.date, last: dt.date) -> int:
        return self.book.get(("LC", *key), self.province_issuer, summary, first, last)

    def award(
        self,
        code: str,
        year: int,
        decision: int,
        *,
        person: int | None = None,
        unit: str | None = None,
        household: str | None = None,
        kind: str = MERIT,
        reason: str = "",
        initiatives: tuple[int, ...] = (),
        bonus: bool = True,
    ) -> None:
        recipient = "individual" if person is not None else "household" if household else "collective"
        amount = bonus_amount(code, recipient, self.book.date(decision)) if bonus else None
        self.plan.awards.append(
            AwardSpec(code, person, unit, household, year, kind, decision, reason, amount, initiatives)
        )

    # Steps

    def run(self) -> Plan:
        self.make_people()
        self.make_positions()
        self.make_units_plan()
        self.make_leaders()
        self.make_blocs()
        self.make_person_history()
        self.make_collective_history()
        self.make_households()
        self.make_investigations()
        self.make_users()
        self.make_authorities()
        self.plan.decisions = self.book.finish()
        self.leave_to_workflow()
        return self.plan

    def make_authorities(self) -> None:
        """Every unit whose head decides awards (Luật Thi đua, khen thưởng 2022, Điều 79, 80; NĐ 129/2025
        Điều 59): the province, departments and units with legal status, communes, enterprises, and
        the districts until 30/6/2025 (kept, inactive, as the issuers of their decisions)."""

        def nearest(unit: _Unit | None) -> _Unit | None:
            while unit is not None and not (unit.legal and unit.abbr):
                unit = unit.parent
            return unit

        for unit in self.units:
            if not (unit.legal and unit.abbr and unit.authority):
                continue
            if unit is self.root:
                level, head = "province", "Chủ tịch"
            elif unit.kind in ("commune", "ward"):
                level, head = "commune", "Chủ tịch"
            elif unit.kind == "district":
                level, head = "district", "Chủ tịch"
            elif unit.kind == "enterprise":
                level, head = "enterprise", unit.head_title or "Giám đốc"
            else:
                level, head = "department", unit.head_title or "Giám đốc"
            above = nearest(unit.parent)
            superior = (
                "" if level in ("province", "commune", "district") or above is None else above.authority
            )
            self.plan.authorities.append(
                AuthoritySpec(
                    unit=unit.code,
                    level=level,
                    name=unit.authority,
                    abbreviation=unit.abbr,
                    head_title=head,
                    superior_name=superior,
                    is_active=unit.valid_to is None,
                )
            )

    def leave_to_workflow(self) -> None:
        """The last year's own decisions of the authorities whose year-end cycle the demo runs through the
        product's workflow are not generated: the demo's dossiers make them."""
        plan = self.plan
        dropped = {
            i
            for i, d in enumerate(plan.decisions)
            if d.issuer_unit in D.WORKFLOW_AUTHORITIES and d.date.year > D.LAST_YEAR
        }
        if not dropped:
            return
        # A person whose last-year title is left to the workflow has the titles built on it (CSTĐ cấp
        # tỉnh on three CSTĐ cơ sở, ...) left to it too, or they would stand without their footing.
        waiting = {
            a.person
            for a in plan.awards
            if a.decision in dropped and a.year == D.LAST_YEAR and a.person is not None
        }
        plan.awards = [
            a
            for a in plan.awards
            if not (
                a.year == D.LAST_YEAR
                and (
                    a.decision in dropped or (a.person in waiting and a.kind == MERIT and a.award in _ON_TOP)
                )
            )
        ]
        used = {a.decision for a in plan.awards}
        keep = [i for i in range(len(plan.decisions)) if i not in dropped or i in used]
        new_index = {old: new for new, old in enumerate(keep)}
        plan.decisions = [plan.decisions[i] for i in keep]
        plan.awards = [a._replace(decision=new_index[a.decision]) for a in plan.awards]

    def allocate(self, total: int) -> dict[str, int]:
        """Split the head count over the units by weight (largest remainder), the committee fixed at 4."""
        fixed = min(4, total)
        weighted = [u for u in self.units if u.weight > 0]
        weight_sum = sum(u.weight for u in weighted)
        rest = total - fixed
        shares = [(u, rest * u.weight / weight_sum) for u in weighted]
        counts = {u.code: int(share) for u, share in shares}
        left = rest - sum(counts.values())
        by_remainder = sorted(shares, key=lambda item: (-(item[1] - int(item[1])), item[0].code))
        for unit, _ in by_remainder[:left]:
            counts[unit.code] += 1
        counts[self.root.code] = fixed
        return counts

    def make_people(self) -> None:
        counts = self.allocate(self.plan.people_requested)
        for unit in self.units:
            count = counts.get(unit.code, 0)
            if not count:
                continue
            if unit is self.root:
                deputies = count - 1
            else:
                deputies = 0 if count < 3 else 1 if count < 12 else 2 if count < 40 else 3
            officials = (
                max(deputies + 1, round(count * D.COMMUNE_OFFICIAL_SHARE)) if unit.is_commune else count
            )
            for k in range(count):
                rank = "head" if k == 0 else "deputy" if k <= deputies else "staff"
                villager = unit.is_commune and k >= officials
                self.make_person(unit, rank, villager)

    def make_person(self, unit: _Unit, rank: str, villager: bool) -> None:
        rng = self.rng
        female_share = {
            "school": 0.62,
            "health": 0.56,
            "college": 0.55,
            "office": 0.47,
            "commune": 0.42,
            "enterprise": 0.35,
        }[unit.staff]
        if villager:
            female_share = 0.5
        if rank == "head":
            female_share = 0.22
        gender = "female" if rng.random() < female_share else "male"
        if rank == "head":
            year = rng.randint(1966, 1978)
        elif rank == "deputy":
            year = rng.randint(1967, 1986)
        else:
            year = rng.randint(1965, 2002)
        birth = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        profile = unit.profile
        if unit.local_profile and rng.random() < 0.5:
            profile = unit.local_profile
        ethnicity = self.names.ethnicity(rng, profile)
        family, middle, given = self.names.name(rng, ethnicity, gender, year)
        position, category = self.position_of(unit, rank, villager)
        century = 2 if year >= 2000 else 0
        while True:
            number = f"012{century + (gender == 'female')}{year % 100:02d}{rng.randint(0, 999_999):06d}"
            if number not in self.issued_numbers:
                self.issued_numbers.add(number)
                break
        index = len(self.plan.people)
        self.plan.people.append(
            PersonSpec(family, middle, given, gender, birth, ethnicity, number, unit.code, position, category)
        )
        unit.people.append(index)
        hired = year + rng.randint(21, 26)
        self.states.append(
            _PersonState(
                unit=unit,
                villager=villager,
                start_year=min(max(D.FIRST_YEAR, hired), D.LAST_YEAR),
                hired_year=min(hired, D.LAST_YEAR),
                talent=rng.random(),
                innovation=rng.random(),
            )
        )

    def make_positions(self) -> None:
        """Each person's quá trình công tác: hired into their unit, or, for a few staff, hired into another
        unit of the same kind and moved in a past year, so a unit's members differ from year to year.

        A random stream of its own, so the rest of the plan draws the same numbers as without it."""
        rng = random.Random(f"{self.plan.seed}:positions")
        heads = self._heads
        peers: dict[tuple[str, str], list[_Unit]] = {}
        for unit in self.units:
            if unit.people and unit is not self.root:
                peers.setdefault((unit.kind, unit.staff), []).append(unit)
        eligible = [
            index
            for index, state in enumerate(self.states)
            if index not in heads
            and not state.villager
            and state.start_year <= D.LAST_YEAR - 3
            and len(peers.get((state.unit.kind, state.unit.staff), ())) > 1
        ]
        movers = set(rng.sample(eligible, min(len(eligible), max(3, len(eligible) // 40))))
        for index, state in enumerate(self.states):
            person = self.plan.people[index]
            # Before 31 December, so the first year counts the person among the unit's members.
            hired = dt.date(state.hired_year, 1, 1) + dt.timedelta(days=rng.randint(0, 240))
            if index not in movers:
                self.plan.positions.append(PositionSpec(index, state.unit.code, person.position, hired, None))
                continue
            others = [u for u in peers[(state.unit.kind, state.unit.staff)] if u is not state.unit]
            state.previous = rng.choice(others)
            year = rng.randint(max(state.start_year + 1, D.FIRST_YEAR + 1), D.LAST_YEAR - 1)
            state.moved_on = dt.date(year, rng.randint(2, 10), rng.randint(1, 28))
            before = state.moved_on - dt.timedelta(days=1)
            self.plan.positions += [
                PositionSpec(index, state.previous.code, person.position, hired, before),
                PositionSpec(index, state.unit.code, person.position, state.moved_on, None),
            ]

    def position_of(self, unit: _Unit, rank: str, villager: bool) -> tuple[str, str]:
        rng = self.rng
        if rank == "head":
            position = unit.head_title
        elif rank == "deputy":
            position = D.DEPUTY_TITLE.get(
                unit.head_title, "Phó " + unit.head_title[0].lower() + unit.head_title[1:]
            )
        elif villager:
            position = rng.choice(D.STAFF_POSITIONS["villager"])
        else:
            position = rng.choice(D.STAFF_POSITIONS[unit.staff])
        if unit is self.root:
            return position, "provincial_leader"
        if villager:
            return position, "farmer" if position == "Nông dân" else "direct_worker"
        if unit.kind == "enterprise":
            return position, "entrepreneur" if rank == "head" else "worker"
        if unit.staff in ("school", "health", "college"):
            scientist = unit.staff == "college" and rank == "staff" and rng.random() < 0.15
            return position, "scientist" if scientist else "public_employee"
        if unit.is_commune:
            return position, "civil_servant"
        if unit.parent is self.root and rank != "staff":
            return position, "department_leader"
        if unit.kind == "sub_unit" and not unit.name.startswith(
            ("Phòng", "Văn phòng", "Chi cục", "Thanh tra")
        ):
            scientist = unit.code.startswith("LC.SKHCN") and rng.random() < 0.4
            return position, "scientist" if scientist else "public_employee"
        if unit.kind == "sector":
            return position, "public_employee"
        return position, "civil_servant"

    def make_units_plan(self) -> None:
        for unit in sorted(self.units, key=_depth):
            self.plan.units.append(
                UnitSpec(
                    code=unit.code,
                    name=unit.name,
                    kind=unit.kind,
                    parent=unit.parent.code if unit.parent else None,
                    is_border=unit.is_border,
                    is_highland=unit.is_highland,
                    is_especially_difficult=unit.is_especially_difficult,
                    valid_from=None,
                    valid_to=unit.valid_to,
                    successor=unit.successor,
                    address=unit.address,
                )
            )

    def make_leaders(self) -> None:
        """Signers: each unit's head, invented district chairmen and central signers."""
        for unit in self.units:
            if unit.people:
                person = self.plan.people[unit.people[0]]
                unit.head_name = f"{person.family_name} {person.middle_name} {person.given_name}"
            else:
                profile = unit.local_profile or unit.profile
                unit.head_name = self.generated_name(self.names.ethnicity(self.rng, profile))
        self.province_issuer = _Issuer(
            D.PROVINCE_AUTHORITY, D.PROVINCE_CODE, "UBND", "", "", signer_on=self.chairman_on
        )
        self.chairmen = [
            self.generated_name("Kinh", "male"),
            self.generated_name("Thái", "male"),
            self.root.head_name,
        ]
        self.prime_signers = [self.generated_name("Kinh", "male"), self.generated_name("Kinh", "male")]
        self.president_signers = [self.generated_name("Kinh", "male"), self.generated_name("Kinh", "male")]

    def make_blocs(self) -> None:
        rng = self.rng
        self.leaders: dict[tuple[str, int], str] = {}
        for code, name, kind, description in D.BLOCS:
            self.plan.blocs.append(BlocSpec(code, name, kind, description))
            members = [u for u in self.units if u.bloc == code]
            offset = rng.randint(0, len(members) - 1)
            for year in D.YEARS:
                if code == "C_HUYEN" and year >= D.LAST_YEAR:
                    continue
                leader = (year - D.FIRST_YEAR + offset) % len(members)
                deputy = (leader + 1) % len(members)
                for position, unit in enumerate(members):
                    role = "leader" if position == leader else "deputy" if position == deputy else "member"
                    self.plan.memberships.append(MembershipSpec(code, unit.code, year, role))
                self.leaders[(code, year)] = members[leader].code

    # Individual history: ratings, initiatives and the award chains.

    def person_issuers(self, state: _PersonState, year: int) -> tuple[_Unit, _Unit]:
        """Who decides LĐTT and who decides CSTĐ cơ sở for this person in this year."""
        legal = state.unit_in(year).legal_unit()
        if legal.is_commune:
            ldtt = legal if state.villager else self.commune_level(legal, year)
            return ldtt, self.commune_level(legal, year)
        parent = legal.parent
        if parent is not None and parent is not self.root:
            higher = self.commune_level(parent, year) if parent.is_commune else parent.legal_unit()
            return legal, higher
        return legal, legal

    def new_initiative(self, index: int, state: _PersonState, year: int) -> tuple[int, str]:
        rng = self.rng
        x = rng.random()
        if x < 0.01:
            scope = SCOPE_NATION
        elif x < 0.06 + 0.25 * state.talent:
            scope = SCOPE_PROVINCE
        else:
            scope = SCOPE_UNIT
        unit = state.unit_in(year)
        staff = "commune" if unit.staff == "commune" else unit.staff
        staff = "office" if staff == "college" else staff
        template = rng.choice(D.INITIATIVE_TEMPLATES[staff])
        title = template.format(topic=rng.choice(D.INITIATIVE_TOPICS[staff]), unit=unit.legal_unit().name)
        research = unit.staff in ("college", "health") and rng.random() < 0.3
        legal = unit.legal_unit()
        if scope == SCOPE_UNIT:
            recogniser = legal
            authority = legal.authority
        else:
            recogniser = self.root
            authority = (
                "Chủ tịch UBND tỉnh Lai Châu" if scope == SCOPE_PROVINCE else "Bộ Khoa học và Công nghệ"
            )
        counter_key = (authority, year)
        number = self.initiative_counter.get(counter_key, rng.randint(1, 30))
        self.initiative_counter[counter_key] = number + rng.randint(1, 4)
        abbr = {SCOPE_UNIT: recogniser.abbr or "UBND", SCOPE_PROVINCE: "UBND", SCOPE_NATION: "BKHCN"}[scope]
        self.plan.initiatives.append(
            InitiativeSpec(
                person=index,
                unit=None,
                title=title,
                type="de_tai" if research else "sang_kien",
                year=year,
                scope=scope,
                recognised_by=authority,
                recognition_number=f"{number}/QĐ-{abbr}",
            )
        )
        return len(self.plan.initiatives) - 1, scope

    def make_person_history(self) -> None:
        rng = self.rng
        people = self.plan.people
        # Discipline, and the senior people whose provincial or Prime Minister's awards predate 2016.
        for index, state in enumerate(self.states):
            birth_year = people[index].birth_date.year
            rank_staff = index not in self._heads
            if rank_staff and rng.random() < 0.004:
                year = rng.randint(max(state.start_year, 2017), D.LAST_YEAR)
                start = self.random_day(year, 2, 10)
                end = start + dt.timedelta(days=365)
                level = rng.choices(["khien_trach", "canh_cao", "ha_bac_luong"], cum_weights=[55, 90, 100])[0]
                legal = state.unit_in(year).legal_unit()
                number = f"{rng.randint(5, 300)}/QĐ-{legal.abbr or 'UBND'}"
                self.plan.disciplines.append(
                    DisciplineSpec(index, level, number, start, end, rng.choice(D.DISCIPLINE_REASONS))
                )
                state.blocked = (year, year + 1)
                if level != "khien_trach":
                    self.unit_stat(state.unit_in(year).code, year)[3] += 1
            if not state.villager and birth_year <= 1984 and rng.random() < 0.03 + 0.06 * state.talent:
                state.legacy_bk = rng.randint(max(birth_year + 28, 2008), 2015)
                if birth_year <= 1976 and state.talent > 0.55 and rng.random() < 0.35:
                    state.legacy_bk = rng.randint(max(birth_year + 26, 2003), 2008)
                    state.legacy_ttg = rng.randint(state.legacy_bk + 5, 2015)
        for index, state in enumerate(self.states):
            self.person_history(index, state)

    @property
    def _heads(self) -> set[int]:
        if not hasattr(self, "_head_set"):
            self._head_set = {u.people[0] for u in self.units if u.people}
        return self._head_set

    def unit_stat(self, code: str, year: int) -> list[int]:
        stat = self.unit_stats.get((code, year))
        if stat is None:
            stat = self.unit_stats[(code, year)] = [0, 0, 0, 0]
        return stat

    def legacy_awards(self, index: int, state: _PersonState) -> None:
        if state.legacy_bk is not None:
            year = state.legacy_bk
            first, last = _between(year + 1, (2, 10), (4, 20))
            decision = self.province_decision(("BK_TINH", year, "legacy"), _bk_summary(year), first, last)
            reason = f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {year}"
            self.award("BK_TINH", year, decision, person=index, reason=reason, bonus=False)
        if state.legacy_ttg is not None:
            year = state.legacy_ttg
            decision = self.central_decision("BK_TTG", year)
            self.award(
                "BK_TTG", year, decision, person=index, reason=_ttg_reason(state.legacy_bk, year), bonus=False
            )

    def central_decision(self, code: str, year: int) -> int:
        if code == "BK_TTG":
            first, last = _between(year + 1, (6, 1), (11, 15))
            signer = self.prime_signers[0 if first < dt.date(2021, 4, 8) else 1]
            issuer = _Issuer("Thủ tướng Chính phủ", None, "TTg", signer, "KT. Thủ tướng – Phó Thủ tướng")
            summary = "Về việc tặng Bằng khen của Thủ tướng Chính phủ"
        else:
            first, last = _between(year + 1, (8, 1), (11, 15))
            signer = self.president_signers[0 if first < dt.date(2021, 4, 5) else 1]
            issuer = _Issuer("Chủ tịch nước", None, "CTN", signer, "Chủ tịch nước")
            summary = "Về việc tặng thưởng Huân chương Lao động"
        return self.book.get(("central", code, year), issuer, summary, first, last)

    def person_history(self, index: int, state: _PersonState) -> None:
        rng = self.rng
        plan = self.plan
        self.legacy_awards(index, state)
        excellent_share = 0.08 + 0.34 * state.talent
        ldtt_chance = 0.42 if state.villager else 0.85 if state.unit.kind == "enterprise" else 0.93
        cstdcs_chance = 0.22 + 0.58 * state.talent
        initiative_chance = 0.003 if state.villager else 0.01 + 0.24 * state.innovation * state.talent
        ratings: dict[int, str] = {}
        cstdcs_years: list[int] = []
        unused: list[tuple[int, int, str]] = []  # (initiative index, year, scope)
        province_streak = commendation_streak = 0
        bk_for_ttg = state.legacy_bk if state.legacy_ttg is None else None
        ttg_for_medal = state.legacy_ttg
        run_start: int | None = None
        for year in range(state.start_year, D.LAST_YEAR + 1):
            # The unit whose members the person counts among this year (the collective titles).
            unit_code = state.unit_in(year).code
            blocked = year in state.blocked
            if blocked and year == state.blocked[0]:
                rating = DONE
            else:
                x = rng.random()
                rating = (
                    NOT_DONE
                    if x < 0.008
                    else DONE
                    if x < 0.045
                    else EXCELLENT
                    if x < 0.045 + excellent_share
                    else GOOD
                )
            ratings[year] = rating
            plan.ratings.append(RatingSpec(index, None, year, rating))
            if rng.random() < initiative_chance:
                initiative, scope = self.new_initiative(index, state, year)
                unused.append((initiative, year, scope))
            good = rating in GOOD_OR_BETTER and not blocked
            # The first year of the current run of good-or-better years, for the five-year chains.
            run_start = (year if run_start is None else run_start) if good else None
            if not state.villager:
                self.unit_stat(unit_code, year)[0] += 1
            if not good or rng.random() >= ldtt_chance:
                province_streak = commendation_streak = 0
                continue
            ldtt_issuer, cstdcs_issuer = self.person_issuers(state, year)
            key: tuple[Any, ...] = ("LDTT", ldtt_issuer.code, year, state.villager)
            decision = self.book.index.get(key)
            if decision is None:
                decision = self.book.get(
                    key,
                    self.issuer(ldtt_issuer),
                    _title_summary("LDTT", year),
                    *_between(year + 1, (1, 3), (1, 31)),
                )
            self.award("LDTT", year, decision, person=index)
            if not state.villager:
                self.unit_stat(unit_code, year)[1] += 1
            # CSTĐ cơ sở: LĐTT plus an excellent rating or an initiative recognised this year.
            own = next((u for u in unused if u[1] == year and u[2] == SCOPE_UNIT), None)
            chosen = False
            if (rating == EXCELLENT or own) and rng.random() < cstdcs_chance:
                used: tuple[int, ...] = ()
                if own and (rating != EXCELLENT or rng.random() < 0.5):
                    used = (own[0],)
                    unused.remove(own)
                decision = self.book.get(
                    ("CSTDCS", cstdcs_issuer.code, year),
                    self.issuer(cstdcs_issuer),
                    _title_summary("CSTDCS", year),
                    *_between(year + 1, (1, 15), (2, 28)),
                )
                self.award("CSTDCS", year, decision, person=index, initiatives=used)
                cstdcs_years.append(year)
                province_streak += 1
                commendation_streak += 1
                chosen = True
                if not state.villager:
                    self.unit_stat(unit_code, year)[2] += 1
            if not chosen:
                province_streak = commendation_streak = 0
            got_title = False
            if province_streak >= 3:
                wide = next((u for u in unused if u[2] != SCOPE_UNIT and year - 2 <= u[1] <= year), None)
                if wide and rng.random() < 0.75:
                    unused.remove(wide)
                    decision = self.province_decision(
                        ("CSTD_TINH", year),
                        _title_summary("CSTD_TINH", year),
                        *_between(year + 1, (3, 1), (3, 31)),
                    )
                    reason = (
                        f"Đạt 03 lần liên tục danh hiệu Chiến sĩ thi đua cơ sở ({year - 2}–{year}), "
                        "có sáng kiến có phạm vi ảnh hưởng trong tỉnh"
                    )
                    self.award(
                        "CSTD_TINH", year, decision, person=index, reason=reason, initiatives=(wide[0],)
                    )
                    province_streak = 0
                    got_title = True
            got_bk = False
            if not got_title:
                bloc = self.bloc_of(state.unit_in(year))
                if commendation_streak >= 2 and rng.random() < 0.3:
                    reason = f"Đạt 02 lần liên tục danh hiệu Chiến sĩ thi đua cơ sở ({year - 1}–{year})"
                    self.provincial_commendation(index, year, bloc, reason, ())
                    commendation_streak = 0
                    got_bk = True
                elif rating == EXCELLENT and ratings.get(year - 1) == EXCELLENT:
                    pair = [u for u in unused if u[2] == SCOPE_UNIT and year - 1 <= u[1] <= year][:2]
                    if len(pair) == 2 and rng.random() < 0.6:
                        for item in pair:
                            unused.remove(item)
                        reason = (
                            f"Hoàn thành xuất sắc nhiệm vụ 02 năm liên tục ({year - 1}–{year}), "
                            "có 02 sáng kiến được công nhận"
                        )
                        self.provincial_commendation(index, year, bloc, reason, (pair[0][0], pair[1][0]))
                        got_bk = True
            if got_bk:
                bk_for_ttg = year
                continue
            # Bằng khen of the Prime Minister: a provincial one, then five good years with three CSTĐCS.
            if bk_for_ttg is not None and run_start is not None:
                first = max(run_start, bk_for_ttg + 1)
                streak_count = sum(1 for y in cstdcs_years if first <= y <= year)
                if year - first + 1 >= 5 and streak_count >= 3 and rng.random() < 0.3:
                    decision = self.central_decision("BK_TTG", year)
                    self.award("BK_TTG", year, decision, person=index, reason=_ttg_reason(first - 1, year))
                    bk_for_ttg = None
                    ttg_for_medal = year
                    continue
            if ttg_for_medal is not None and run_start is not None:
                first = max(run_start, ttg_for_medal + 1)
                streak_count = sum(1 for y in cstdcs_years if first <= y <= year)
                excellent = sum(1 for y in range(first, year + 1) if ratings.get(y) == EXCELLENT)
                if year - first + 1 >= 5 and streak_count >= 3 and excellent >= 1 and rng.random() < 0.4:
                    decision = self.central_decision("HCLD3", year)
                    reason = (
                        f"Đã có thành tích xuất sắc trong công tác từ năm {first} đến năm {year}, "
                        "góp phần vào sự nghiệp xây dựng chủ nghĩa xã hội và bảo vệ Tổ quốc"
                    )
                    self.award("HCLD3", year, decision, person=index, reason=reason)
                    ttg_for_medal = None
        self.occasional_awards(index, state, ratings)

    def bloc_of(self, unit: _Unit) -> str:
        while unit.parent is not None and unit.bloc is None:
            unit = unit.parent
        return unit.bloc or "K_TH"

    def provincial_commendation(
        self, index: int, year: int, bloc: str, reason: str, initiatives: tuple[int, ...]
    ) -> None:
        decision = self.province_decision(
            ("BK_TINH", year, bloc), _bk_summary(year), *_between(year + 1, (2, 10), (4, 20))
        )
        self.award("BK_TINH", year, decision, person=index, reason=reason, initiatives=initiatives)

    def occasional_awards(self, index: int, state: _PersonState, ratings: dict[int, str]) -> None:
        """Giấy khen for a movement or a sudden act, and the rare provincial sudden commendation."""
        rng = self.rng
        thematic_chance = 0.004 if state.villager else 0.012
        for year in range(state.start_year, D.LAST_YEAR + 1):
            if year in state.blocked:
                continue
            x = rng.random()
            if x < thematic_chance:
                movements = [m for first, last, m in D.MOVEMENTS if first <= year <= last]
                movement = rng.choice(movements)
                ldtt_issuer, _ = self.person_issuers(state, year)
                decision = self.book.get(
                    ("GK", ldtt_issuer.code, year, movement),
                    self.issuer(ldtt_issuer),
                    f"Về việc tặng Giấy khen cho tập thể, cá nhân có thành tích trong phong trào thi đua "
                    f"“{movement}”",
                    *_between(year, (11, 1), (12, 20)),
                )
                reason = f"Đã có thành tích xuất sắc trong phong trào thi đua “{movement}” năm {year}"
                self.award("GK", year, decision, person=index, kind=THEMATIC, reason=reason)
            elif x < thematic_chance + 0.002:
                event = rng.randrange(len(D.SUDDEN_EVENTS))
                ldtt_issuer, _ = self.person_issuers(state, year)
                decision = self.book.get(
                    ("GK-DX", ldtt_issuer.code, year, event),
                    self.issuer(ldtt_issuer),
                    "Về việc tặng Giấy khen đột xuất",
                    *_between(year, (3, 1), (11, 30)),
                )
                self.award("GK", year, decision, person=index, kind=SUDDEN, reason=D.SUDDEN_EVENTS[event])
            elif x < thematic_chance + 0.0026:
                event = rng.randrange(len(D.SUDDEN_EVENTS))
                decision = self.province_decision(
                    ("BK-DX", year, event),
                    "Về việc tặng Bằng khen của Chủ tịch UBND tỉnh cho cá nhân có thành tích đột xuất",
                    *_between(year, (3, 1), (11, 30)),
                )
                self.award(
                    "BK_TINH", year, decision, person=index, kind=SUDDEN, reason=D.SUDDEN_EVENTS[event]
                )

    # Collective history: unit ratings, TTLĐTT, TTLĐXS, the flag and collective commendations.

    def collective_issuer(self, unit: _Unit, year: int) -> _Unit:
        if unit.is_commune:
            return self.commune_level(unit, year) if year < D.LAST_YEAR else self.root
        above = unit.parent.legal_unit() if unit.parent else self.root
        if above.is_commune:
            return self.commune_level(above, year)
        return above

    def make_collective_history(self) -> None:
        rng = self.rng
        leaders = {(code, year): bloc for (bloc, year), code in self.leaders.items()}
        for unit in self.units:
            if unit is self.root:
                continue
            previous: str | None = None
            for year in D.YEARS:
                if unit.kind == "district" and year >= D.LAST_YEAR:
                    break
                leads = leaders.get((unit.code, year))
                x = rng.random()
                if leads and x < 0.85:
                    rating = EXCELLENT
                else:
                    rating = EXCELLENT if x < 0.28 else GOOD if x < 0.95 else DONE
                self.plan.ratings.append(RatingSpec(None, unit.code, year, rating))
                members, ldtt, cstdcs, disciplined = self.unit_stats.get((unit.code, year), (0, 0, 0, 0))
                advanced = (
                    members > 0
                    and rating in GOOD_OR_BETTER
                    and ldtt >= 0.7 * members
                    and not disciplined
                    and rng.random() < 0.92
                )
                if advanced:
                    issuer = self.collective_issuer(unit, year)
                    if issuer is self.root:
                        decision = self.province_decision(
                            ("TTLDTT", year),
                            _title_summary("TTLDTT", year),
                            *_between(year + 1, (1, 20), (2, 28)),
                        )
                    else:
                        decision = self.book.get(
                            ("TTLDTT", issuer.code, year),
                            self.issuer(issuer),
                            _title_summary("TTLDTT", year),
                            *_between(year + 1, (1, 10), (2, 20)),
                        )
                    self.award("TTLDTT", year, decision, unit=unit.code)
                    if rating == EXCELLENT and cstdcs >= 1 and rng.random() < 0.45:
                        decision = self.province_decision(
                            ("TTLDXS", year),
                            _title_summary("TTLDXS", year),
                            *_between(year + 1, (2, 15), (3, 20)),
                        )
                        self.award("TTLDXS", year, decision, unit=unit.code)
                if leads and rating == EXCELLENT:
                    decision = self.province_decision(
                        ("CO_TINH", year),
                        f"Về việc tặng Cờ thi đua của UBND tỉnh năm {year}",
                        *_between(year + 1, (2, 15), (3, 25)),
                    )
                    bloc_name = next(name for code, name, _, _ in D.BLOCS if code == leads)
                    reason = (
                        f"Đơn vị dẫn đầu phong trào thi đua {bloc_name[0].lower()}{bloc_name[1:]} năm {year}"
                    )
                    self.award("CO_TINH", year, decision, unit=unit.code, reason=reason)
                elif (
                    unit.kind != "sub_unit"
                    and rating == EXCELLENT
                    and previous == EXCELLENT
                    and rng.random() < 0.15
                ):
                    decision = self.province_decision(
                        ("BK_TINH", year, "collective"),
                        _bk_summary(year),
                        *_between(year + 1, (2, 10), (4, 20)),
                    )
                    reason = f"Hoàn thành xuất sắc nhiệm vụ 02 năm liên tục ({year - 1}–{year})"
                    self.award("BK_TINH", year, decision, unit=unit.code, reason=reason)
                if unit.kind != "district" and rng.random() < 0.04:
                    movements = [m for first, last, m in D.MOVEMENTS if first <= year <= last]
                    movement = rng.choice(movements)
                    issuer = self.collective_issuer(unit, year)
                    if issuer is not self.root:
                        decision = self.book.get(
                            ("GK", issuer.code, year, movement),
                            self.issuer(issuer),
                            f"Về việc tặng Giấy khen cho tập thể, cá nhân có thành tích trong phong trào "
                            f"thi đua “{movement}”",
                            *_between(year, (11, 1), (12, 20)),
                        )
                        reason = f"Đã có thành tích xuất sắc trong phong trào thi đua “{movement}” năm {year}"
                        self.award("GK", year, decision, unit=unit.code, kind=THEMATIC, reason=reason)
                previous = rating

    def make_households(self) -> None:
        rng = self.rng
        for commune in (u for u in self.units if u.is_commune):
            area_people = sum(len(u.people) for u in self.units if u is commune or u.parent is commune)
            count = round(area_people / 5)
            if not count:
                continue
            if commune.kind == "ward":
                villages = [f"Tổ dân phố số {n}" for n in range(1, 13)]
            else:
                villages = [f"Bản {w}" for w in rng.sample(D.VILLAGE_WORDS, 8)]
            for number in range(1, count + 1):
                ethnicity = self.names.ethnicity(rng, commune.profile)
                gender = "male" if rng.random() < 0.72 else "female"
                family, middle, given = self.names.name(rng, ethnicity, gender, rng.randint(1950, 1995))
                code = f"{commune.code}.H{number:04d}"
                self.plan.households.append(
                    HouseholdSpec(
                        code, f"{family} {middle} {given}", commune.code, rng.choice(villages), ethnicity
                    )
                )
                culture = rng.random()
                for year in D.YEARS:
                    if rng.random() < 0.5 + 0.45 * culture:
                        key = ("GDVH", commune.code, year)
                        decision = self.book.index.get(key)
                        if decision is None:
                            decision = self.book.get(
                                key,
                                self.issuer(commune),
                                _title_summary("GDVH", year),
                                *_between(year + 1, (1, 5), (1, 25)),
                            )
                        self.award("GDVH", year, decision, household=code)
                    elif rng.random() < 0.004:
                        movement = (
                            "Chung tay xóa nhà tạm, nhà dột nát"
                            if year >= 2024
                            else ("Lai Châu chung sức xây dựng nông thôn mới")
                        )
                        decision = self.book.get(
                            ("GK-HGD", commune.code, year),
                            self.issuer(commune),
                            "Về việc tặng Giấy khen cho hộ gia đình có thành tích trong phong trào "
                            f"“{movement}”",
                            *_between(year, (11, 1), (12, 20)),
                        )
                        reason = f"Đã hiến đất, ngày công trong phong trào “{movement}” năm {year}"
                        self.award("GK", year, decision, household=code, kind=THEMATIC, reason=reason)

    def make_investigations(self) -> None:
        rng = self.rng
        people = self.plan.people_requested
        open_count = 2 if people < 1000 else 3 + people // 50_000
        recent = sorted(
            {
                a.person
                for a in self.plan.awards
                if a.award == "CSTDCS" and a.year == D.LAST_YEAR and a.person is not None
            }
        )
        disciplined = {d.person for d in self.plan.disciplines}
        candidates = [p for p in recent if p not in disciplined and p not in self._heads]
        if len(candidates) < open_count * 2:
            candidates = [
                p for p in range(len(self.plan.people)) if p not in disciplined and p not in self._heads
            ]
        chosen = rng.sample(candidates, min(len(candidates), open_count * 2))
        for position, person in enumerate(chosen):
            reason = rng.choice(D.INVESTIGATION_REASONS)
            if position < open_count:
                since = min(self.random_day(2026, 9, 11), D.LATEST_DAY)
                self.plan.investigations.append(InvestigationSpec(person, reason, since, None))
            else:
                since = self.random_day(rng.randint(2019, 2024), 2, 9)
                closed = since + dt.timedelta(days=rng.randint(45, 180))
                self.plan.investigations.append(InvestigationSpec(person, reason, since, closed))

    def make_users(self) -> None:
        taken: set[str] = set()

        def distinct(name: str) -> str:
            # Two demo logins with one name would confuse whoever tries the demo.
            while name in taken:
                name = self.generated_name()
            taken.add(name)
            return name

        def staff_name(code: str, rank: int = 0) -> str:
            unit = self.by_code[code]
            for index in unit.people[rank:]:
                p = self.plan.people[index]
                name = f"{p.family_name} {p.middle_name} {p.given_name}"
                if name not in taken:
                    return distinct(name)
            return distinct(self.generated_name())

        leader_2025 = self.by_code[self.leaders[("K_TH", D.LAST_YEAR)]]
        chairman = distinct(self.root.head_name)
        head_of_health = distinct(self.by_code["LC.SYT"].head_name)
        bloc_leader = distinct(leader_2025.head_name)
        self.plan.users = [
            UserSpec("quantri", "administrator", "LC", "Quản trị hệ thống", True, True),
            UserSpec("chuyenvien", "board_specialist", "LC.SNV", staff_name("LC.SNV.TDKT", 1), False, False),
            UserSpec("hoidong", "council_member", "LC", staff_name("LC.SNV"), False, False),
            UserSpec("chutich", "chairman", "LC", chairman, False, False),
            UserSpec("khoitruong", "bloc_leader", leader_2025.code, bloc_leader, False, False),
            UserSpec("thutruong", "unit_head", "LC.SYT", head_of_health, False, False),
            UserSpec("canbo", "unit_officer", "LC.SYT", staff_name("LC.SYT", 2), False, False),
        ]
        # The other members of the provincial Council: heads of departments and mass organisations.
        for number, code in enumerate(COUNCIL_UNITS, start=1):
            name = distinct(self.by_code[code].head_name)
            self.plan.users.append(UserSpec(f"uyvien{number}", "council_member", code, name, False, False))
        # Sở Y tế decides its own staff's titles: its specialist, two more members of its Council.
        health = "LC.SYT"
        self.plan.users += [
            UserSpec(
                "chuyenvienyte", "board_specialist", health, staff_name(health, 3), False, False, health
            ),
            UserSpec("uyvienyte1", "council_member", health, staff_name("LC.SYT.NVY"), False, False, health),
            UserSpec("uyvienyte2", "council_member", health, staff_name("LC.SYT.KHTC"), False, False, health),
        ]
        # Two communes decide their villagers' and households' titles: the chairman (the head of the
        # commune), the officer who drafts, the civil servant who appraises.
        for number, code in enumerate(D.WORKFLOW_COMMUNES, start=1):
            self.plan.users += [
                UserSpec(
                    f"chutichxa{number}",
                    "unit_head",
                    code,
                    distinct(self.by_code[code].head_name),
                    False,
                    False,
                ),
                UserSpec(f"canboxa{number}", "unit_officer", code, staff_name(code, 2), False, False),
                UserSpec(
                    f"chuyenvienxa{number}", "board_specialist", code, staff_name(code, 3), False, False, code
                ),
            ]


# Units whose heads sit on the demo Council besides the chairman, the Sở Nội vụ and its specialist.
COUNCIL_UNITS = ("LC.STC", "LC.SGDDT", "LC.SVHTTDL", "LC.SNNMT", "LC.LDLD", "LC.TD")


def _title_summary(code: str, year: int) -> str:
    return f"Về việc công nhận danh hiệu “{_AWARD_TITLES[code]}” năm {year}"


def _bk_summary(year: int) -> str:
    return f"Về việc tặng Bằng khen của Chủ tịch UBND tỉnh cho tập thể, cá nhân có thành tích năm {year}"


def _ttg_reason(since: int | None, year: int) -> str:
    first = (since + 1) if since is not None else year - 4
    return (
        f"Đã có thành tích xuất sắc trong công tác từ năm {first} đến năm {year}, "
        "góp phần vào sự nghiệp xây dựng chủ nghĩa xã hội và bảo vệ Tổ quốc"
    )


def build_plan(people: int = 5000, seed: int = 2026) -> Plan:
    """The whole demo province for `people` persons, from `seed` alone."""
    if people < 1:
        raise ValueError("people must be positive")
    return _Generator(people, seed).run()


def unit_depths(units: Sequence[UnitSpec]) -> list[list[UnitSpec]]:
    """Units grouped by depth in the tree, parents before children."""
    depth_of: dict[str, int] = {}
    levels: list[list[UnitSpec]] = []
    for unit in units:
        depth = 0 if unit.parent is None else depth_of[unit.parent] + 1
        depth_of[unit.code] = depth
        while len(levels) <= depth:
            levels.append([])
        levels[depth].append(unit)
    return levels


def chunked(rows: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
