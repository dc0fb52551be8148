"""Reads of the blocs' scoring, always within what the user may see (`blocs.access`): outside it, 404.

The scoring grid of a bloc (every member × every criterion) reads a constant number of queries whatever
the number of units and criteria (`tests/blocs/test_pages.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from thidua.accounts.models import User
from thidua.accounts.scope import unit_in_scope
from thidua.blocs import access, ranking, services
from thidua.blocs.models import (
    LeadershipDecision,
    MinutesFile,
    RankingEntry,
    Score,
    ScoreChange,
    ScoreEvidence,
    ScoreSheet,
    SheetGroup,
    SheetItem,
    UnitSheet,
)
from thidua.blocs.workflow import ItemKind, SheetState, UnitSheetState
from thidua.movements.access import own_authority_ids
from thidua.organisation.models import Bloc, BlocMembership, BlocRole, Unit


def visible_sheets(user: User) -> QuerySet[ScoreSheet]:
    sheets = ScoreSheet.objects.select_related("bloc", "authority")
    if user.is_province_wide:
        return sheets
    own = Q(authority_id__in=own_authority_ids(user))
    root = user.scope_unit
    if root is None:
        return sheets.filter(own)
    member = Exists(
        BlocMembership.objects.filter(
            bloc=OuterRef("bloc"), year=OuterRef("year"), unit__path__startswith=root.path
        )
    )
    leads = Exists(
        BlocMembership.objects.filter(
            bloc=OuterRef("bloc"), year=OuterRef("year"), unit=user.unit, role=BlocRole.LEADER
        )
    )
    return sheets.filter(own | (~Q(state=SheetState.DRAFT) & Q(member)) | Q(leads))


def sheet_list(*, user: User, year: int | None = None) -> QuerySet[ScoreSheet]:
    sheets = visible_sheets(user)
    if year:
        sheets = sheets.filter(year=year)
    return sheets.order_by("-year", "bloc__sort_key", "id")


def blocs_to_create(*, user: User) -> list[Bloc]:
    """The blocs this user may open a sheet for: every bloc for the Board, the led bloc for a leader."""
    if user.role == "board_specialist" and user.authority is not None and user.authority.level == "province":
        return list(Bloc.objects.order_by("sort_key"))
    if user.role in access.BLOC_STAFF and user.unit is not None:
        led = BlocMembership.objects.filter(unit=user.unit, role=BlocRole.LEADER).values("bloc_id")
        return list(Bloc.objects.filter(pk__in=led).order_by("sort_key"))
    return []


def get_sheet(*, user: User, pk: int) -> ScoreSheet:
    sheet = ScoreSheet.objects.select_related("bloc", "authority", "authority__unit").filter(pk=pk).first()
    if sheet is None or not access.sees_sheet(user, sheet):
        raise Http404
    return sheet


@dataclass
class ItemRow:
    item: SheetItem
    depth: int
    scored: bool


@dataclass
class GroupBlock:
    group: SheetGroup | None
    label: str
    rows: list[ItemRow]


def structure(sheet: ScoreSheet) -> list[GroupBlock]:
    """The sheet as it reads on paper: each group with its criteria and their sub-criteria, then the
    bonus and the penalty items."""
    items = list(sheet.items.order_by("position", "id"))
    children: dict[int, list[SheetItem]] = {}
    for i in items:
        if i.parent_id:
            children.setdefault(i.parent_id, []).append(i)

    def rows_of(tops: list[SheetItem]) -> list[ItemRow]:
        out = []
        for top in tops:
            subs = children.get(top.pk, [])
            out.append(ItemRow(top, 0, not subs))
            out.extend(ItemRow(s, 1, True) for s in subs)
        return out

    blocks = [
        GroupBlock(g, g.name, rows_of([i for i in items if i.group_id == g.pk and not i.parent_id]))
        for g in sheet.groups.all()
    ]
    for kind, label in ((ItemKind.BONUS, ItemKind.BONUS.label), (ItemKind.PENALTY, ItemKind.PENALTY.label)):
        tops = [i for i in items if i.kind == kind]
        if tops:
            blocks.append(GroupBlock(None, str(label), rows_of(tops)))
    return blocks


@dataclass
class GridRow:
    unit: Unit
    unit_sheet: UnitSheet | None
    role: str
    cells: list[Decimal | None]
    figures: ranking.UnitFigures | None


@dataclass
class SheetPage:
    sheet: ScoreSheet
    blocks: list[GroupBlock]
    scored: list[SheetItem]
    members: list[BlocMembership]
    grid: list[GridRow]
    hidden_rows: int
    ranking: list[Any]
    published: list[RankingEntry]
    amendments: list[Any]
    minutes_files: list[MinutesFile]
    problems: list[str]
    reviewers: dict[int, Unit]
    leadership: LeadershipDecision | None
    perms: dict[str, bool] = field(default_factory=dict)


def sheet_page(*, user: User, sheet: ScoreSheet) -> SheetPage:
    members = access.members(sheet)
    scored = services.scored_items(sheet)
    assignments = {a.unit_id: a.reviewer for a in sheet.assignments.select_related("reviewer")}
    unit_sheets = {us.unit_id: us for us in UnitSheet.objects.filter(sheet=sheet).select_related("unit")}
    for us in unit_sheets.values():
        us.sheet = sheet
    sees_all = access.sees_all_scores(user, sheet)
    grid, hidden = [], 0
    # One read of every current point as tuples; the figures are summed from it, not read again.
    points_by_unit = services.current_points(sheet)
    figures = {f.unit_id: f for f in services.current_figures(sheet, points_by_unit)} if sees_all else {}
    for m in members:
        us = unit_sheets.get(m.unit_id)
        visible = (
            sees_all
            or unit_in_scope(user, m.unit)
            or (us is not None and access.sees_unit_sheet(user, us, assignments))
        )
        if not visible:
            hidden += 1
            continue
        points = points_by_unit.get(m.unit_id, {}) if us is not None else {}
        grid.append(GridRow(m.unit, us, m.role, [points.get(i.pk) for i in scored], figures.get(m.unit_id)))
    current: list[Any] = []
    if sees_all and sheet.state == SheetState.SETTLED:
        current = list(ranking.rank(figures.values(), sheet.tie_break).rows)
    published = (
        list(RankingEntry.objects.filter(sheet=sheet).select_related("unit"))
        if sheet.state == SheetState.PUBLISHED
        else []
    )
    reviewers = {m.unit_id: access.reviewer_of(sheet, m.unit, assignments) for m in members}
    is_leader = access.acts_for_bloc(user, sheet, access.BLOC_SIGNERS)
    perms = {
        "edit": access.may_edit(user, sheet) and sheet.state in (SheetState.DRAFT, SheetState.APPROVED),
        "approve": access.may_approve(user, sheet) and sheet.state == SheetState.DRAFT,
        "publish": access.may_approve(user, sheet) and sheet.state == SheetState.SETTLED,
        "settle": is_leader and sheet.state == SheetState.APPROVED,
        "assign": access.acts_for_bloc(user, sheet)
        and sheet.state in (SheetState.DRAFT, SheetState.APPROVED),
        "copy": access.may_edit(user, sheet),
        "export": sees_all,
        "leadership": access.is_board(user, sheet)
        and sheet.state in (SheetState.SETTLED, SheetState.PUBLISHED)
        and not LeadershipDecision.objects.filter(sheet=sheet).exists(),
        "document": sheet.state in (SheetState.SETTLED, SheetState.PUBLISHED)
        and (sees_all or access.acts_for_bloc(user, sheet)),
        "propose": access.is_board(user, sheet)
        and sheet.state == SheetState.PUBLISHED
        and not sheet.dossier_id,
    }
    return SheetPage(
        sheet=sheet,
        blocks=structure(sheet),
        scored=scored,
        members=members,
        grid=grid,
        hidden_rows=hidden,
        ranking=current,
        published=published,
        amendments=list(sheet.amendments.select_related("actor")),
        minutes_files=list(sheet.minutes_files.filter(is_active=True)),
        problems=services.structure_problems(sheet) if sheet.state == SheetState.DRAFT else [],
        reviewers={k: v for k, v in reviewers.items() if v is not None},
        leadership=LeadershipDecision.objects.filter(sheet=sheet).select_related("leader", "deputy").first(),
        perms=perms,
    )


def meeting_choices(*, user: User, sheet: ScoreSheet) -> tuple[list[Any], list[SheetItem]]:
    """The members and the scored criteria a meeting's changed score may name: for those who settle the
    sheet (the leader unit's signers) while it waits for its meeting; anyone else 404."""
    if not (access.acts_for_bloc(user, sheet, access.BLOC_SIGNERS) and sheet.state == SheetState.APPROVED):
        raise Http404
    return access.members(sheet), services.scored_items(sheet)


def member_unit(sheet: ScoreSheet, unit_id: int) -> Unit:
    unit = next((u for u in access.member_units(sheet) if u.pk == unit_id), None)
    if unit is None:
        raise Http404
    return unit


@dataclass
class ScoreLine:
    item: SheetItem
    depth: int
    scored: bool
    score: Score | None
    evidence: list[ScoreEvidence]


@dataclass
class UnitSheetPage:
    sheet: ScoreSheet
    unit: Unit
    unit_sheet: UnitSheet | None
    lines: list[ScoreLine]
    missing: list[str]
    changes: list[ScoreChange]
    reviewer: Unit | None
    totals: ranking.UnitFigures | None
    perms: dict[str, bool] = field(default_factory=dict)


def unit_sheet_page(*, user: User, sheet: ScoreSheet, unit_id: int) -> UnitSheetPage:
    """One member's scoring. Before publication, only the unit's own staff, its reviewer, the bloc's
    leader (once submitted) and the Board see it; anyone else: 404."""
    unit = member_unit(sheet, unit_id)
    unit_sheet = UnitSheet.objects.filter(sheet=sheet, unit=unit).select_related("unit").first()
    own = unit_in_scope(user, unit)
    if unit_sheet is None:
        if not (own or access.sees_all_scores(user, sheet)):
            raise Http404
    else:
        unit_sheet.sheet = sheet
        if not access.sees_unit_sheet(user, unit_sheet):
            raise Http404
    scores = {s.item_id: s for s in unit_sheet.scores.all()} if unit_sheet else {}
    evidence: dict[int, list[ScoreEvidence]] = {}
    if unit_sheet is not None:
        for e in unit_sheet.evidence.filter(is_active=True):
            evidence.setdefault(e.item_id, []).append(e)
    lines = [
        ScoreLine(row.item, row.depth, row.scored, scores.get(row.item.pk), evidence.get(row.item.pk, []))
        for block in structure(sheet)
        for row in block.rows
    ]
    is_draft = unit_sheet is not None and unit_sheet.state == UnitSheetState.DRAFT
    staff = own and user.role in ("unit_officer", "unit_head")
    reviewing = unit_sheet is not None and access.may_review(user, unit_sheet)
    totals = None
    if unit_sheet is not None:
        sums: dict[str, Any] = {"base": Decimal(0), "bonus": Decimal(0), "penalty": Decimal(0), "at_max": 0}
        for line in lines:
            if line.scored and line.score is not None and line.score.points is not None:
                sums[line.item.kind] += line.score.points
                if line.item.kind == ItemKind.BASE and line.score.points == line.item.max_points:
                    sums["at_max"] += 1
        totals = services.figures_of(sheet, unit.pk, unit.name, unit.sort_key, sums, 0)
    return UnitSheetPage(
        sheet=sheet,
        unit=unit,
        unit_sheet=unit_sheet,
        lines=lines,
        missing=services.missing_items(unit_sheet) if is_draft and unit_sheet else [],
        changes=list(unit_sheet.changes.select_related("actor", "item")) if unit_sheet else [],
        reviewer=access.reviewer_of(sheet, unit),
        totals=totals,
        perms={
            "open": staff and unit_sheet is None and sheet.state == SheetState.APPROVED,
            "edit": staff and is_draft and sheet.state == SheetState.APPROVED,
            "submit": is_draft and user.role == "unit_head" and own and sheet.state == SheetState.APPROVED,
            "review": reviewing
            and unit_sheet is not None
            and unit_sheet.state == UnitSheetState.SUBMITTED
            and sheet.state == SheetState.APPROVED,
        },
    )


def get_evidence(*, user: User, pk: int) -> ScoreEvidence:
    """A file of a unit's scoring, to whoever may see that unit's scoring; else 404."""
    evidence = (
        ScoreEvidence.objects.select_related(
            "unit_sheet", "unit_sheet__unit", "unit_sheet__sheet", "unit_sheet__sheet__authority"
        )
        .filter(pk=pk, is_active=True)
        .first()
    )
    if evidence is None:
        raise Http404
    sheet = evidence.unit_sheet.sheet
    if not access.sees_sheet(user, sheet) or not access.sees_unit_sheet(user, evidence.unit_sheet):
        raise Http404
    return evidence


def get_minutes_file(*, user: User, sheet: ScoreSheet, pk: int) -> MinutesFile:
    found = MinutesFile.objects.filter(sheet=sheet, pk=pk, is_active=True).first()
    # The minutes carry every unit's settled scores: those who see them all, or the bloc that wrote them.
    if found is None or not (access.sees_all_scores(user, sheet) or access.acts_for_bloc(user, sheet)):
        raise Http404
    return found


def visible_unit_sheets(*, user: User, sheet: ScoreSheet) -> list[UnitSheet]:
    """The members' scorings this user may see, with their scores: the score summary's rows (the grid's)."""
    assignments = {a.unit_id: a.reviewer for a in sheet.assignments.select_related("reviewer")}
    found = []
    for us in (
        UnitSheet.objects.filter(sheet=sheet)
        .select_related("unit")
        .prefetch_related("scores")
        .order_by("unit__sort_key", "unit_id")
    ):
        us.sheet = sheet
        if access.sees_unit_sheet(user, us, assignments):
            found.append(us)
    return found


def ranking_document_allowed(*, user: User, sheet: ScoreSheet) -> None:
    """The minutes and ranking: once settled, to the bloc that wrote them and those who see every score;
    once published, to every member."""
    if sheet.state not in (SheetState.SETTLED, SheetState.PUBLISHED):
        raise Http404
    if not (access.sees_all_scores(user, sheet) or access.acts_for_bloc(user, sheet)):
        raise Http404
