"""The REST API of directive tracking: directives, plans and inspection plans with their tasks and each
unit's standing per due date, a task with its reports, a unit's report, and the summary for the level
above. Each handler goes through the pages' scoped selectors (outside the scope: 404) and services; a
refusal is `{detail, code}` (thidua/api.py)."""

import datetime as dt
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from thidua.accounts.models import User
from thidua.directives import access, selectors, services
from thidua.directives.models import Directive, DirectiveKind
from thidua.directives.workflow import DirectiveState
from thidua.movements.api import ERRORS

PAGE_SIZE = 50

router = Router(tags=["Theo dõi chỉ thị, kế hoạch"])


def _user(request: HttpRequest) -> User:
    user = cast(User, request.auth)  # type: ignore[attr-defined]
    if not user.has_perm("directives.view_directives"):
        raise PermissionDenied
    return user


class DirectiveFilterIn(Schema):
    kind: DirectiveKind | None = Field(None, description="directive, plan, inspection")
    state: DirectiveState | None = Field(None, description="Trạng thái theo dõi")


class DirectiveOut(Schema):
    id: int
    kind: str = Field(description="directive (chỉ thị), plan (kế hoạch), inspection (kế hoạch kiểm tra)")
    number: str = Field(description="Số, ký hiệu")
    issued_on: dt.date
    title: str
    authority: str = Field(description="Cơ quan ban hành")
    state: str
    task_count: int

    @staticmethod
    def resolve_authority(obj: Directive) -> str:
        return obj.authority.name

    @staticmethod
    def resolve_task_count(obj: Directive) -> int:
        return int(obj.task_count)  # type: ignore[attr-defined]


class CellOut(Schema):
    unit_id: int
    unit: str
    lead: bool = Field(description="Đơn vị chủ trì (không: phối hợp)")
    due_date: dt.date = Field(description="Hạn ghi trong văn bản")
    deadline: dt.date = Field(description="Hạn cuối: ngày làm việc tiếp theo nếu hạn rơi vào ngày nghỉ")
    status: str = Field(description="not_due, on_time, late, overdue")
    status_label: str
    report_id: int | None
    submitted_at: dt.datetime | None
    text: str = Field(description="Nội dung báo cáo")


class TaskOut(Schema):
    id: int
    item: str
    text: str
    lead_unit: str
    coordinating_units: list[str]
    recurrence: str = Field(description="once (một lần) hoặc yearly (hằng năm)")
    due: str = Field(description="Hạn báo cáo, dạng chữ")
    expected_report: str
    inspected_unit: str | None = Field(description="Kiến nghị sau kiểm tra: đơn vị được kiểm tra")
    cells: list[CellOut] = Field(description="Tình trạng của từng đơn vị trong phạm vi, theo từng hạn")


class DirectiveDetailOut(Schema):
    id: int
    kind: str
    number: str
    issued_on: dt.date
    title: str
    summary: str
    authority: str
    state: str
    reminder_days: int = Field(description="Nhắc trước hạn (số ngày làm việc)")
    counts: dict[str, int] = Field(description="Số lượt theo tình trạng")
    tasks: list[TaskOut]


def _cell(c: selectors.Cell) -> dict[str, Any]:
    return {
        "unit_id": c.unit.pk,
        "unit": c.unit.name,
        "lead": c.lead,
        "due_date": c.due,
        "deadline": c.deadline,
        "status": c.status,
        "status_label": c.status_label,
        "report_id": c.report.pk if c.report else None,
        "submitted_at": c.report.submitted_at if c.report else None,
        "text": c.report.text if c.report else "",
    }


def _task(row: selectors.TaskRow) -> dict[str, Any]:
    t = row.task
    return {
        "id": t.pk,
        "item": t.item,
        "text": t.text,
        "lead_unit": t.lead_unit.name,
        "coordinating_units": [u.name for u in t.coordinating_units.all()],
        "recurrence": t.recurrence,
        "due": t.due_label,
        "expected_report": t.expected_report,
        "inspected_unit": t.inspection.unit.name if t.inspection is not None else None,
        "cells": [_cell(c) for _due, cells in row.occurrences for c in cells],
    }


@router.get(
    "/directives",
    response={200: list[DirectiveOut], **ERRORS},
    summary="Danh sách chỉ thị, kế hoạch, kế hoạch kiểm tra",
    description="Của cơ quan người dùng làm việc, và văn bản giao nhiệm vụ cho đơn vị trong phạm vi.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def directive_list(request: HttpRequest, filters: Query[DirectiveFilterIn]) -> Any:
    user = _user(request)
    return selectors.directive_list(
        user=user,
        kind=filters.kind.value if filters.kind else "",
        state=filters.state.value if filters.state else "",
    )


@router.get(
    "/directives/{directive_id}",
    response={200: DirectiveDetailOut, **ERRORS},
    summary="Chi tiết văn bản, nhiệm vụ và tình trạng báo cáo",
)
def directive_detail(request: HttpRequest, directive_id: int) -> Any:
    page = selectors.directive_page(user=_user(request), pk=directive_id)
    d = page.directive
    return {
        "id": d.pk,
        "kind": d.kind,
        "number": d.number,
        "issued_on": d.issued_on,
        "title": d.title,
        "summary": d.summary,
        "authority": d.authority.name,
        "state": d.state,
        "reminder_days": d.reminder_days,
        "counts": {value: n for value, _label, n in page.count_rows},
        "tasks": [_task(row) for row in page.tasks],
    }


@router.get(
    "/directive-tasks/{task_id}",
    response={200: TaskOut, **ERRORS},
    summary="Một nhiệm vụ và báo cáo của các đơn vị",
)
def task_detail(request: HttpRequest, task_id: int) -> Any:
    return _task(selectors.task_page(user=_user(request), pk=task_id).row)


class ReportIn(Schema):
    unit_id: int = Field(description="Đơn vị được giao (chủ trì hoặc phối hợp), trong phạm vi người dùng")
    due_date: dt.date = Field(description="Hạn báo cáo (một trong các hạn của nhiệm vụ)")
    text: str = Field(max_length=20000)


@router.post(
    "/directive-tasks/{task_id}/reports",
    response={200: TaskOut, **ERRORS},
    summary="Đơn vị gửi báo cáo thực hiện nhiệm vụ cho một hạn",
    description="Gửi một lần; gửi sau hạn cuối được ghi là trễ hạn. Tệp đính kèm gửi qua giao diện web.",
)
def report_submit(request: HttpRequest, task_id: int, payload: ReportIn) -> Any:
    user = _user(request)
    task = selectors.get_task(user=user, pk=task_id)
    unit = next((u for u in access.task_units(task) if u.pk == payload.unit_id), None)
    if unit is None or not access.sees_unit(user, task.directive, unit):
        raise Http404
    services.report_submit(actor=user, task=task, unit=unit, due_date=payload.due_date, text=payload.text)
    return _task(selectors.task_page(user=user, pk=task_id).row)


class SummaryRowOut(Schema):
    item: str
    task: str
    cell: CellOut


class SummaryOut(Schema):
    directive_id: int
    year: int
    counts: dict[str, int]
    rows: list[SummaryRowOut]


class YearIn(Schema):
    year: int | None = Field(None, ge=1945, le=2100, description="Năm (mặc định: năm nay)")


@router.get(
    "/directives/{directive_id}/summary",
    response={200: SummaryOut, **ERRORS},
    summary="Tổng hợp tình hình thực hiện trong năm (báo cáo cấp trên)",
    description="Chỉ cơ quan ban hành và tài khoản toàn tỉnh; đơn vị nhận 404.",
)
def summary(request: HttpRequest, directive_id: int, filters: Query[YearIn]) -> Any:
    year = filters.year or timezone.localdate().year
    s = selectors.summary(user=_user(request), pk=directive_id, year=year)
    return {
        "directive_id": s.directive.pk,
        "year": s.year,
        "counts": {value: n for value, _label, n in s.count_rows},
        "rows": [{"item": r.task.item, "task": r.task.text, "cell": _cell(r.cell)} for r in s.rows],
    }
