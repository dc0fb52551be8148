"""Reads of the proposal workflow, each scoped to the user and with the joins its page needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import Role, User
from thidua.accounts.scope import scope_q
from thidua.awards.selectors import initiative_in_use, search_tokens, tokens_q
from thidua.core.queries import count_of
from thidua.core.text import fold
from thidua.core.workdays import default_calendar
from thidua.organisation.models import Authority, Household, Person, Unit
from thidua.proposals import procedure, workflow
from thidua.proposals.access import conflicted, council_authority_ids, headed_authority
from thidua.proposals.models import (
    OPEN_STATES,
    Attachment,
    Attendance,
    BallotCast,
    CouncilMember,
    CouncilRole,
    CouncilSession,
    DecisionSigner,
    Dossier,
    DossierState,
    DossierTransition,
    LineOutcome,
    Nominee,
    Notification,
    PublicComment,
    SessionState,
)


@dataclass(frozen=True)
class DossierFilters:
    q: str = ""
    state: str = ""
    kind: str = ""
    year: int | None = None
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.q or self.state or self.kind or self.year or self.overdue)


def overdue_q(today: dt.date | None = None) -> Q:
    return Q(state__in=OPEN_STATES, due_date__lt=today or timezone.localdate())


def dossier_list(*, user: User, filters: DossierFilters) -> QuerySet[Dossier]:
    if not user.has_perm("proposals.view_dossiers"):
        raise PermissionDenied
    qs = Dossier.objects.filter(scope_q(user)).select_related("unit", "authority")
    if filters.q:
        for word in fold(filters.q).split():
            qs = qs.filter(search_text__contains=word)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.overdue:
        qs = qs.filter(overdue_q())
    # A correlated count, not a JOIN with GROUP BY: the page then walks the (-created_at, -id) index and
    # stops after 50 rows instead of totalling every dossier in scope first (docs/benchmarks.md).
    return qs.annotate(nominee_count=count_of(Nominee, "dossier", is_active=True)).order_by(
        "-created_at", "-id"
    )


def dossier_counts(*, user: User) -> dict[str, int]:
    """Dossiers by state, and overdue ones, for the dashboard."""
    if not user.has_perm("proposals.view_dossiers"):
        return {}
    # The overdue ones counted in the same GROUP BY (each state's share of them), not in a second query.
    rows = (
        Dossier.objects.filter(scope_q(user))
        .values_list("state")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_q()))
        .order_by()
    )
    counts: dict[str, int] = {}
    overdue = 0
    for state, n, late in rows:
        counts[state] = n
        overdue += late
    counts["overdue"] = overdue
    return counts


def overdue_dossiers(*, user: User, limit: int = 10) -> list[Dossier]:
    if not user.has_perm("proposals.view_dossiers"):
        return []
    return list(
        Dossier.objects.filter(scope_q(user), overdue_q())
        .select_related("unit")
        .order_by("due_date", "id")[:limit]
    )


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for the user ("Việc cần làm"), with the page where it is done."""

    text: str
    url: str
    due: dt.date | None = None
    overdue: bool = False


def todo(*, user: User, limit: int = 12) -> list[TodoItem]:
    """What waits for this user, soonest deadline first (then the oldest): dossiers to complete or amend,
    to submit, to receive or appraise, to take to the Council or decide; votes not yet cast. A constant
    number of queries whatever the number of dossiers."""
    from django.urls import reverse

    today = timezone.localdate()
    items: list[TodoItem] = []

    def dossier_items(texts: dict[str, str], *, unit_scope: bool, avoid_own_unit: bool = False) -> None:
        """The dossiers in the states of `texts`, each with its state's text. Several states are read in
        one query, ordered as the lists were one after the other then sorted by deadline (the order
        `items.sort` keeps): the deadline, then the state's place in `texts`, then the oldest."""
        rows = Dossier.objects.filter(state__in=list(texts)).select_related("unit", "authority")
        order: list[Any] = [F("due_date").asc(nulls_last=True)]
        if len(texts) > 1:
            order.append(
                Case(
                    *(When(state=state, then=Value(i)) for i, state in enumerate(texts)),
                    output_field=IntegerField(),
                )
            )
        rows = rows.order_by(*order, "created_at")
        # Unit staff follow their units' dossiers; a specialist those addressed to the authority served.
        rows = rows.filter(scope_q(user)) if unit_scope else rows.filter(authority_id=user.authority_id)
        for d in rows[: limit * 2]:
            if avoid_own_unit and conflicted(user, d):
                continue
            items.append(
                TodoItem(
                    texts[d.state].format(code=d.code, title=d.title, unit=d.unit.name),
                    reverse("proposals:detail", args=[d.pk]),
                    d.due_date,
                    bool(d.due_date and d.due_date < today),
                )
            )

    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        # One query for both states: no dossier is skipped here, so the first `limit` of the two lists
        # merged by deadline are the first `limit` of this one.
        dossier_items(
            {
                DossierState.RETURNED: _("Bổ sung hồ sơ {code} bị trả lại: {title}"),
                DossierState.DRAFT: (
                    _("Hoàn thiện hồ sơ {code}: {title}")
                    if user.role == Role.UNIT_OFFICER
                    else _("Xem và trình hồ sơ {code}: {title}")
                ),
            },
            unit_scope=True,
        )
    if user.role == Role.BOARD_SPECIALIST:
        # Two queries: some dossiers are skipped (the specialist's own unit's), so one list may not crowd
        # the other out of a shared limit.
        dossier_items(
            {DossierState.SUBMITTED: _("Tiếp nhận hoặc trả lại hồ sơ {code} của {unit}")},
            unit_scope=False,
            avoid_own_unit=True,
        )
        dossier_items(
            {DossierState.RECEIVED: _("Thẩm định hồ sơ {code} của {unit}")},
            unit_scope=False,
            avoid_own_unit=True,
        )
        for d in ready_for_council(user.authority)[:limit]:
            items.append(
                TodoItem(
                    _("Đưa hồ sơ {code} ra Hội đồng hoặc trình quyết định").format(code=d.code),
                    reverse("proposals:sessions"),
                )
            )
    if signer_for(user=user, on=today) is not None:
        for d in decidable_dossiers(user=user, on=today)[:limit]:
            items.append(
                TodoItem(
                    _("Ra quyết định cho hồ sơ {code} của {unit}").format(code=d.code, unit=d.unit.name),
                    reverse("proposals:decide"),
                )
            )
    # Votes: open sessions where the user sits, is counted in, and has lines left to vote on.
    seats = (
        Attendance.objects.filter(member__user=user, session__state=SessionState.OPEN)
        .filter(Q(present=True) | Q(written_vote=True))
        .select_related("session")
    )
    for seat in seats:
        lines = Nominee.objects.filter(
            dossier__council_sessions=seat.session, is_active=True, recommend__isnull=False
        ).exclude(casts__session=seat.session, casts__member=seat.member_id)
        left = [
            n
            for n in lines.select_related("dossier__unit", "dossier__authority")
            if not conflicted(user, n.dossier)
        ]
        if left:
            items.append(
                TodoItem(
                    _("Bỏ phiếu {n} trường hợp: {title}").format(n=len(left), title=seat.session.title),
                    reverse("proposals:session", args=[seat.session_id]),
                    seat.session.date,
                    seat.session.date < today,
                )
            )
    items.sort(key=lambda item: (item.due is None, item.due or today))
    return items[:limit]


@dataclass
class TimelineStep:
    label: str
    at: Any
    actor: str
    comment: str
    target: str
    source: str


@dataclass
class DossierPage:
    dossier: Dossier
    nominees: list[Nominee]
    attachments: list[Attachment]
    timeline: list[TimelineStep]
    # (code, text, basis, attached, confirmed) of each component the rulebook asks for.
    components: list[tuple[str, str, str, bool, bool]]
    missing: list[str]
    sessions: list[CouncilSession]
    overdue: bool
    working_days_left: int | None
    calendar_known: bool
    perms: dict[str, bool] = field(default_factory=dict)
    late: Any = None
    # The dossiers this one's lines went up in, to the authority above.
    sent_up: list[Dossier] = field(default_factory=list)

    @cached_property
    def conflicted_specialists(self) -> list[User]:
        """The authority's specialists who work in the proposing unit. Only the authority's own people
        are shown them, so the query runs when the page asks, not for every reader."""
        dossier = self.dossier
        return [
            u
            for u in User.objects.filter(
                role="board_specialist", is_active=True, unit__isnull=False, authority=dossier.authority_id
            )
            if conflicted(u, dossier)
        ]

    @property
    def next_component(self) -> str:
        """The component (its code) the upload picker offers: the first one still missing a file."""
        return next((code for code, _text, _basis, present, _confirmed in self.components if not present), "")

    @property
    def unreviewed(self) -> int:
        """Lines without the specialist's opinion yet (the "agree with all" button counts them)."""
        return sum(1 for n in self.nominees if n.is_active and n.recommend is None)


def _attach_available_initiatives(nominees: list[Nominee]) -> None:
    """Each line's own initiatives not yet used by an award, for the officer to pick from (one query)."""
    from thidua.awards.models import Initiative

    people = {n.person_id for n in nominees if n.person_id}
    units = {n.collective_id for n in nominees if n.collective_id}
    by_owner: dict[tuple[str, int], list[Any]] = {}
    rows = (
        Initiative.objects.filter(Q(person_id__in=people) | Q(unit_id__in=units))
        .exclude(initiative_in_use())
        .order_by("-year", "id")
    )
    for i in rows:
        key = ("person", i.person_id) if i.person_id else ("unit", i.unit_id)
        by_owner.setdefault(key, []).append(i)  # type: ignore[arg-type]
    for n in nominees:
        key = ("person", n.person_id) if n.person_id else ("unit", n.collective_id)
        n.available_initiatives = by_owner.get(key, []) if n.household_id is None else []  # type: ignore[arg-type,attr-defined]


def proposing_units(*, user: User) -> QuerySet[Unit]:
    """The units, still existing, that the user may draft a dossier for: those of the user's scope."""
    return Unit.objects.filter(scope_q(user, None), valid_to__isnull=True)


def _dossier_rows(user: User, pk: int) -> QuerySet[Dossier]:
    # Only the joins every reader of one dossier needs (the scope filter, conflicted(), the header): on
    # PostgreSQL planning the former nine-table join took several milliseconds, far more than running
    # it. The nullable relations (decision, sent_up_from, linked_movement) load on first access, and
    # cost nothing when empty, which they mostly are.
    return Dossier.objects.filter(scope_q(user), pk=pk).select_related("unit", "authority", "authority__unit")


def _visible(user: User, dossier: Dossier | None) -> Dossier:
    if dossier is None or not user.has_perm("proposals.view_dossier", dossier):
        raise Http404
    return dossier


def get_dossier(*, user: User, pk: int) -> Dossier:
    return _visible(user, _dossier_rows(user, pk).first())


def dossier_page(*, user: User, pk: int) -> DossierPage:
    # Whether it has files, Council sessions, dossiers sent up: asked in the dossier's own query (next
    # to nothing to run) so that the lists a dossier mostly lacks cost no query of their own.
    dossier = _visible(
        user,
        _dossier_rows(user, pk)
        .annotate(
            has_attachments=Exists(Attachment.objects.filter(dossier=OuterRef("pk"), is_active=True)),
            has_sessions=Exists(CouncilSession.dossiers.through.objects.filter(dossier=OuterRef("pk"))),
            has_sent_up=Exists(Dossier.objects.filter(sent_up_from=OuterRef("pk"))),
        )
        .first(),
    )
    # The relations every line shows are joined; the specialist and the award record, which a line has
    # only once appraised or decided, are fetched apart (no query while no line has one): each join
    # more made PostgreSQL's planning, and Django's compiling, of this query dearer than running it.
    # Few lines cite initiatives: whether one does is asked in the lines' query, and only those lines'
    # initiatives are fetched (`initiative_list`, in the relation's order).
    nominees: list[Nominee] = list(
        dossier.nominees.filter(is_active=True)
        .select_related("award_type", "person", "person__unit", "collective", "household")
        .prefetch_related("appraised_by", "award_record")
        .annotate(has_initiatives=Exists(Nominee.initiatives.through.objects.filter(nominee=OuterRef("pk"))))
        .order_by("position", "id")
    )
    citing = [n for n in nominees if n.has_initiatives]  # type: ignore[attr-defined]
    prefetch_related_objects(citing, "initiatives")
    for n in nominees:
        n.initiative_list = list(n.initiatives.all()) if n.has_initiatives else []  # type: ignore[attr-defined]
    if dossier.is_editable:
        _attach_available_initiatives(nominees)
    # Whether each recipient registered its award for the dossier's year: information only (two queries).
    from thidua.registrations.selectors import registration_flags

    registration_flags(nominees, dossier.year)
    attachments = (
        # One dossier's files: by id, as its default order (the dossier's, then id) gives them, without
        # that order's join.
        list(dossier.attachments.filter(is_active=True).select_related("uploaded_by").order_by("id"))
        if dossier.has_attachments  # type: ignore[attr-defined]
        else []
    )
    timeline = [
        TimelineStep(str(DossierState(t.target).label), t.at, str(t.actor), t.comment, t.target, t.source)
        for t in DossierTransition.objects.filter(dossier=dossier)
        .select_related("actor")
        .order_by("at", "id")
    ]
    codes = {n.award_type.code for n in nominees}
    attached = {a.component for a in attachments}
    components = [
        (c.code, c.text, c.basis, c.code in attached, c.confirmed)
        for c in procedure.required_components(codes, dossier.kind)
    ]
    missing = procedure.missing_items(dossier, codes=codes, attached=attached) if dossier.is_editable else []
    today = timezone.localdate()
    deadline = procedure.submission_deadline(dossier)
    late = (
        deadline
        if deadline and dossier.submitted_at and procedure.reference_day(dossier) > deadline.day
        else None
    )
    calendar = default_calendar()
    left = None
    if dossier.due_date and dossier.state in OPEN_STATES:
        left = calendar.working_days_between(today, dossier.due_date)
    return DossierPage(
        dossier=dossier,
        nominees=nominees,
        attachments=attachments,
        timeline=timeline,
        components=components,
        missing=missing,
        sessions=list(dossier.council_sessions.order_by("-date")) if dossier.has_sessions else [],  # type: ignore[attr-defined]
        sent_up=(
            list(dossier.sent_up.select_related("authority").order_by("pk"))
            if dossier.has_sent_up  # type: ignore[attr-defined]
            else []
        ),
        overdue=dossier.is_overdue,
        working_days_left=left,
        calendar_known=calendar.is_known(today.year),
        late=late,
        perms={
            name: user.has_perm(f"proposals.{name}", dossier)
            for name in ("edit_dossier", "submit_dossier", "withdraw_dossier", "handle_dossier")
        }
        | {
            f"step_{step.name}": user.has_perm(f"proposals.step_{step.name}", dossier)
            for step in workflow.STEPS
        }
        | {"decide": signer_for(user=user, on=today, authority=dossier.authority) is not None},
    )


RECIPIENT_MODELS: dict[str, type[Person] | type[Unit] | type[Household]] = {
    "individual": Person,
    "collective": Unit,
    "household": Household,
}


def recipients_in_scope(*, user: User, kind: str) -> QuerySet[Any]:
    """The people, collectives or households the user may propose: those of the user's data scope."""
    model = RECIPIENT_MODELS[kind]
    return model._default_manager.filter(scope_q(user, None if model is Unit else "unit"))


def recipient_search(*, user: User, kind: str, q: str = "") -> QuerySet[Any]:
    """The recipients of one kind in the user's scope whose folded text holds every word of `q` (as the
    search page), in Vietnamese order."""
    found = recipients_in_scope(user=user, kind=kind)
    tokens = search_tokens(q)
    if tokens:
        found = found.filter(tokens_q(tokens))
    related = "parent" if RECIPIENT_MODELS[kind] is Unit else "unit"
    return found.select_related(related).order_by("sort_key", "id")


def get_recipient(*, user: User, kind: str, pk: int) -> Person | Unit | Household:
    recipient = recipients_in_scope(user=user, kind=kind).filter(pk=pk).first()
    if recipient is None:
        raise Http404
    return recipient  # type: ignore[no-any-return]


def get_nominee(*, user: User, dossier: Dossier, pk: int) -> Nominee:
    line = (
        Nominee.objects.filter(dossier=dossier, pk=pk, is_active=True)
        .select_related("award_type", "dossier", "dossier__unit")
        .first()
    )
    if line is None:
        raise Http404
    return line


def forwarded_lines(*, dossier: Dossier) -> list[Nominee]:
    """The lines sent to the central level and still awaiting its answer."""
    return list(
        dossier.nominees.filter(outcome=LineOutcome.FORWARDED).select_related(
            "award_type", "person", "collective", "household"
        )
    )


def get_attachment(*, user: User, dossier: Dossier, pk: int) -> Attachment:
    attachment = Attachment.objects.filter(dossier=dossier, pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


def public_comments(*, dossier: Dossier) -> dict[int, list[PublicComment]]:
    out: dict[int, list[PublicComment]] = {}
    for c in PublicComment.objects.filter(nominee__dossier=dossier).order_by("created_at"):
        out.setdefault(c.nominee_id, []).append(c)
    return out


# ---------------------------------------------------------------------------------------------------
# Council


@dataclass
class CouncilRoster:
    authority: Authority | None
    current: list[CouncilMember]
    past: list[CouncilMember]
    candidates: list[User]
    today: dt.date


def council_roster(*, user: User, today: dt.date | None = None) -> CouncilRoster:
    """The Council's members on a day and those whose term has ended, with the accounts that may be
    added (active, not already sitting)."""
    if not user.has_perm("proposals.view_council"):
        raise PermissionDenied
    today = today or timezone.localdate()
    order: dict[str, int] = {
        CouncilRole.CHAIR: 0,
        CouncilRole.VICE_CHAIR: 1,
        CouncilRole.SECRETARY: 2,
        CouncilRole.MEMBER: 3,
    }
    authority = council_authority(user)
    members = sorted(
        CouncilMember.objects.filter(authority=authority).select_related("user", "user__unit"),
        key=lambda m: (order.get(m.role, 9), m.valid_from, m.pk),
    )
    current = [m for m in members if m.valid_from <= today and (m.valid_to is None or m.valid_to >= today)]
    past = [m for m in members if m.valid_to is not None and m.valid_to < today]
    sitting = {m.user_id for m in members if m.valid_to is None or m.valid_to >= today}
    candidates = [
        u
        for u in User.objects.filter(
            is_active=True, unit__path__startswith=authority.unit.path if authority else "-"
        ).order_by("full_name", "username")
        if u.pk not in sitting
    ]
    return CouncilRoster(authority, current=current, past=past, candidates=candidates, today=today)


def council_authority(user: User) -> Authority | None:
    """The authority whose Council a page shows this user: the one the role is held in, else the one the
    user heads, else the first where the user sits."""
    ids = council_authority_ids(user)
    if not ids:
        return None
    preferred = user.authority_id if user.authority_id in ids else None
    headed = headed_authority(user)
    chosen = preferred or (headed.pk if headed else min(ids))
    return Authority.objects.select_related("unit").get(pk=chosen)


def get_council_member(*, user: User, pk: int | None) -> CouncilMember:
    """A seat on a Council the user sees, or 404."""
    if not pk:
        raise Http404
    ids = council_authority_ids(user)
    member = (
        CouncilMember.objects.select_related("user", "authority").filter(pk=pk, authority_id__in=ids).first()
    )
    if member is None:
        raise Http404
    return member


def get_active_user(*, pk: int | None) -> User:
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None:
        raise Http404
    return user


def session_list(*, user: User) -> QuerySet[CouncilSession]:
    if not user.has_perm("proposals.view_council"):
        raise PermissionDenied
    return (
        CouncilSession.objects.filter(authority_id__in=council_authority_ids(user))
        .select_related("authority")
        .annotate(dossier_count=Count("dossiers", distinct=True))
        .order_by("-date", "-id")
    )


def get_session(*, user: User, pk: int) -> CouncilSession:
    if not user.has_perm("proposals.view_council"):
        raise PermissionDenied
    session = (
        CouncilSession.objects.filter(pk=pk, authority_id__in=council_authority_ids(user))
        .select_related("authority", "authority__unit")
        .first()
    )
    if session is None:
        raise Http404
    return session


def get_session_line(*, session: CouncilSession, pk: int) -> Nominee:
    """A line of one of the session's dossiers, or 404."""
    line = Nominee.objects.filter(pk=pk, dossier__council_sessions=session).first()
    if line is None:
        raise Http404
    return line


def get_session_member(*, session: CouncilSession, pk: int | None) -> CouncilMember:
    """A member invited to the session, or 404."""
    member = CouncilMember.objects.filter(pk=pk, attendance__session=session).first() if pk else None
    if member is None:
        raise Http404
    return member


def ready_for_council(authority: Authority | None) -> QuerySet[Dossier]:
    """Appraised dossiers addressed to `authority`, waiting for its Council or its head."""
    return (
        Dossier.objects.filter(state=DossierState.APPRAISED, authority=authority)
        .select_related("unit")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class LineView:
    """One line of a session as its page shows it. The counts, and whether they reach the threshold,
    are None until the session closes: a count seen changing while members vote tells who chose what."""

    nominee: Nominee
    required: int
    threshold_text: str
    basis: str
    agree: int | None
    disagree: int | None
    invalid: int | None
    passed: bool | None


@dataclass
class SessionPage:
    session: CouncilSession
    attendance: list[Attendance]
    quorum: Any
    results: list[LineView]
    my_member: CouncilMember | None
    my_votes: set[int]
    my_attendance: Attendance | None
    conflicted_lines: set[int]


def session_page(*, user: User, pk: int) -> SessionPage:
    from thidua.proposals.services import session_quorum, session_results

    session = get_session(user=user, pk=pk)
    attendance = list(
        Attendance.objects.filter(session=session).select_related(
            "member", "member__user", "member__user__unit"
        )
    )
    mine = next((a for a in attendance if a.member.user_id == user.pk), None)
    member = mine.member if mine else None
    votes = set(
        BallotCast.objects.filter(session=session, member=member).values_list("nominee_id", flat=True)
        if member
        else []
    )
    shown = not session.is_open
    results = [
        LineView(
            nominee=r.nominee,
            required=r.required,
            threshold_text=r.threshold_text,
            basis=r.basis,
            agree=r.agree if shown else None,
            disagree=r.disagree if shown else None,
            invalid=r.invalid if shown else None,
            passed=r.passed if shown else None,
        )
        for r in session_results(session)
    ]
    blocked = {r.nominee.pk for r in results if conflicted(user, r.nominee.dossier)}
    return SessionPage(
        session=session,
        attendance=attendance,
        quorum=session_quorum(session),
        results=results,
        my_member=member,
        my_votes=votes,
        my_attendance=mine,
        conflicted_lines=blocked,
    )


@dataclass(frozen=True)
class Signer:
    name: str
    title: str


def signing_authorities(*, user: Any, on: dt.date) -> list[tuple[Authority, Signer]]:
    """The authorities whose award decisions this user signs on that day, and as what: the head of an
    authority by office, a deputy only while named by the head, anyone else (the administrator included,
    whatever the account's powers) not at all. The signer is the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    name = user.full_name or user.username
    out: list[tuple[Authority, Signer]] = []
    headed = headed_authority(user)
    if headed is not None:
        # The titles are printed on the decision as the law names the offices, so they are data.
        out.append((headed, Signer(name, headed.head_title)))
    if user.role == Role.COUNCIL_MEMBER:
        named = (
            DecisionSigner.objects.filter(user=user, valid_from__lte=on, authority_id=user.authority_id)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .select_related("authority", "authority__unit")
            .order_by("-valid_from", "-id")
            .first()
        )
        if named is not None:
            out.append((named.authority, Signer(name, named.title)))
    return out


def signer_for(*, user: Any, on: dt.date, authority: Authority | None = None) -> Signer | None:
    """How this user signs `authority`'s decisions on that day (any authority's, if None), or None."""
    for found, signer in signing_authorities(user=user, on=on):
        if authority is None or found.pk == authority.pk:
            return signer
    return None


def vice_chairmen(authority: Authority | None) -> QuerySet[User]:
    """The accounts the head may name to sign on the head's behalf: the authority's Council members."""
    if authority is None:
        return User.objects.none()
    return User.objects.filter(role=Role.COUNCIL_MEMBER, is_active=True, authority=authority).order_by(
        "full_name", "username"
    )


def signer_designations(authority: Authority | None, today: dt.date | None = None) -> list[DecisionSigner]:
    """The authority's designations in force today or starting later."""
    if authority is None:
        return []
    today = today or timezone.localdate()
    return list(
        DecisionSigner.objects.filter(authority=authority)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("user")
        .order_by("valid_from", "id")
    )


def decidable_dossiers(*, user: Any, on: dt.date | None = None) -> list[Dossier]:
    """Dossiers this user can decide: addressed to an authority the user signs for, appraised without a
    required ballot, or after a closed session."""
    signed = [a.pk for a, _signer in signing_authorities(user=user, on=on or timezone.localdate())]
    if not signed:
        return []
    open_session = CouncilSession.objects.filter(dossiers=OuterRef("pk"), state=SessionState.OPEN)
    return list(
        Dossier.objects.filter(
            state__in=[DossierState.APPRAISED, DossierState.COUNCIL], authority_id__in=signed
        )
        .exclude(Exists(open_session))
        .select_related("unit", "authority")
        .annotate(
            approved_count=Count(
                "nominees",
                filter=Q(
                    nominees__is_active=True, nominees__recommend=True, nominees__outcome=LineOutcome.PENDING
                ),
            )
        )
        .order_by("created_at")
    )


# ---------------------------------------------------------------------------------------------------
# Notifications and public comment


def notifications(*, user: User, limit: int = 50) -> list[Notification]:
    return list(notification_list(user=user)[:limit])


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user=user).select_related("dossier").order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def open_for_comment(today: dt.date | None = None) -> QuerySet[Nominee]:
    today = today or timezone.localdate()
    return (
        Nominee.objects.filter(is_active=True, public_comment_until__gte=today)
        .exclude(dossier__state__in=[DossierState.WITHDRAWN, DossierState.REJECTED, DossierState.RETURNED])
        .select_related(
            "award_type", "person", "person__unit", "collective", "household", "dossier", "dossier__unit"
        )
        .order_by("public_comment_until", "id")
    )
