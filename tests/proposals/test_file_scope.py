"""Every route that answers with a file or an export, read from the URL conf, tried by every role on
records inside and outside the role's scope: a file never reaches someone its page refuses, and never
carries a person or unit the user's page would hide."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import FIXED_TODAY
from tests.proposals.conftest import docx_text, drafted, pdf_text, pdf_upload
from tests.proposals.test_workflow import _appraised, _decide
from thidua.accounts.tokens import token_create
from thidua.awards.models import AwardType
from thidua.awards.services import award_record_create
from thidua.exports.models import ExportJob
from thidua.exports.services import run_export
from thidua.imports.models import ImportBatch, ImportKind, ImportStatus
from thidua.imports.views import SPECS
from thidua.movements import services as movements
from thidua.proposals import services
from thidua.reports import services as reports

pytestmark = pytest.mark.django_db

ROLES = [
    "health_officer",
    "health_head",
    "education_officer",
    "specialist",
    "council",
    "chairman",
    "admin",
]

# What gives a view away as one that answers with a file: a format in its URL, or one of these in its code.
FILE_MARKERS = re.compile(
    r"FileResponse|xlsx_response|\w+_response\(|table_xlsx\(|wants_export|Content-Disposition"
)

# Lists whose rows name other units by rule: the reason is the whole exemption from the leak check (the file
# still follows its page).
PUBLIC_LISTS = {
    "organisation:bloc_list": "blocs and their member units are open to every signed-in user (view_bloc)",
    # The bloc's leader and reviewers see the members' sent scorings by the bloc's rule (docs/blocs.md);
    # tests/blocs/test_pages.py and test_documents.py hold who gets which rows.
    "tổng hợp điểm khối": "a bloc's leader and reviewers see the other members' sent scorings",
    "biên bản xếp hạng khối docx": "the bloc meeting's minutes name every member",
    "biên bản xếp hạng khối pdf": "the bloc meeting's minutes name every member",
}

# Routes that return a file holding nothing of anyone else's: the reason is the whole exemption.
EXEMPT = {
    "imports:index": "the errors of the spreadsheet the user has just uploaded, nothing from the database",
    # Shown inline, not downloaded: tests/portal holds who gets them (test_public_pages: the public photo
    # goes with the profile and leaves with the consent; test_lifecycle: another unit's staff get 404).
    "portal:photo": "a role model's photo, public while the profile is published with a consent in force",
    "portal:staff_photo": "the photo on a role model's staff page, found through the same scoped selector",
}

# Files only their owner ever reads (an administrator included gets 404): the file's label and its owner.
OWNER_ONLY = {"tệp xuất nền": "health_officer"}


def _view_functions(pattern: URLPattern) -> list[Callable[..., Any]]:
    callback = pattern.callback
    # A django-ninja route wraps the operations of one path; the handlers are what say what comes back.
    for cell in getattr(callback, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations is not None:
            return [op.view_func for op in operations if "GET" in op.methods]
    return [getattr(callback, "func", callback)]


def _returns_files(route: str, pattern: URLPattern) -> bool:
    if re.search(r"\.<\w+:\w+>", route):
        return True
    for func in _view_functions(pattern):
        try:
            source = inspect.getsource(inspect.unwrap(func))
        except (OSError, TypeError):
            continue
        if FILE_MARKERS.search(source):
            return True
    return False


def file_routes() -> Iterator[tuple[str, str]]:
    """(route, namespaced name) of every URL pattern whose view returns a file or an export."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[tuple[str, str, URLPattern]]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, prefix + str(entry.pattern), inner)
            else:
                yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}", entry

    for route, name, pattern in walk(get_resolver(), "", ""):
        # Django's admin serves superusers only and exports nothing of the registry.
        if not route.startswith("quan-tri/") and _returns_files(route, pattern):
            yield route, name


@dataclass(frozen=True)
class Case:
    """One request for a file, and the page whose scope it must follow."""

    label: str
    url: str
    page: str
    api: bool = False


def _file_text(response: Any) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response["Content-Type"]
    if "pdf" in kind:
        return pdf_text(data)
    if "wordprocessingml" in kind:
        return docx_text(data)
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
        )
    return data.decode("utf-8", "replace")


@pytest.fixture
def world(flow: dict[str, Any]) -> dict[str, Any]:
    """Sở Y tế's dossier decided (its own decision, its attachments, its appraisal report), a closed
    Council session on another of its dossiers, and a decision awarding both departments."""
    decided = _appraised(flow, drafted(flow))
    own_decision = _decide(flow, decided, "501/QĐ-UBND")
    voted = _appraised(flow, drafted(flow, "CSTD_TINH"))
    session = services.council_session_create(
        actor=flow["specialist"], title="Phiên họp", date=FIXED_TODAY, dossiers=[voted]
    )
    for member in flow["members"]:
        services.attendance_set(actor=flow["specialist"], session=session, member=member, present=True)
    services.tally_enter(
        actor=flow["specialist"], session=session, nominee=voted.nominees.get(), agree=5, disagree=0
    )
    services.session_close(actor=flow["specialist"], session=session)
    # A decision issued here (only those are printed; an imported or typed-in one is shown as stored,
    # test_decision_paper.py) that also awards the other department.
    mixed = _decide(flow, _appraised(flow, drafted(flow, person=flow["clinic_person"])), "502/QĐ-UBND")
    award_record_create(
        actor=None,
        award_type=AwardType.objects.get(code="BK_TINH"),
        recipient=flow["education_person"],
        year=2024,
        decision=mixed,
    )
    return {
        **flow,
        **_movement_files(flow),
        **_registration_files(flow),
        **_directive_files(flow),
        **_bloc_files(flow),
        "dossier": decided,
        "attachment": decided.attachments.first(),
        "own_decision": own_decision,
        "mixed_decision": mixed,
        "session": session,
        # A file of Sở Y tế's officer refused by the import check: its error list is a file of its own.
        # A background export of the people list for Sở Y tế's officer: the file is the owner's alone.
        "health_export": _health_export(flow),
        "rejected_import": ImportBatch.objects.create(
            kind=ImportKind.PEOPLE,
            file_name="nhan-su.xlsx",
            file_sha256="0" * 64,
            status=ImportStatus.REJECTED,
            uploaded_by=flow["health_officer"],
            unit=flow["health"],
            errors=[{"row": 2, "column": "Số CCCD", "message": "Số CCCD «12» không hợp lệ."}],
            error_count=1,
            error_row_count=1,
        ),
    }


def _health_export(flow: dict[str, Any]) -> ExportJob:
    job = ExportJob.objects.create(owner=flow["health_officer"], kind="ca-nhan", params={})
    run_export(job_id=job.pk)
    return ExportJob.objects.get(pk=job.pk)


def _movement_files(flow: dict[str, Any]) -> dict[str, Any]:
    """A movement of the province for Sở Y tế, with its plan, and Sở Y tế's Q3 report with evidence."""
    movement = movements.movement_create(
        actor=flow["specialist"],
        authority=flow["ubnd"].authority,
        title="Phong trào thi đua năm 2026",
        kind="regular",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        units=[flow["health"]],
    )
    criterion = movements.criterion_add(
        actor=flow["specialist"], movement=movement, name="Số lớp", unit_of_measure="lớp", target="4"
    )
    movements.document_add(actor=flow["specialist"], movement=movement, upload=pdf_upload("ke-hoach.pdf"))
    movement = movements.movement_launch(actor=flow["specialist"], movement=movement)
    review = movements.review_record(
        actor=flow["specialist"], movement=movement, kind="midterm", held_on=FIXED_TODAY
    )
    report = movements.report_open(
        actor=flow["health_officer"], movement=movement, unit=flow["health"], period_end=dt.date(2026, 9, 30)
    )
    evidence = movements.evidence_add(
        actor=flow["health_officer"], report=report, upload=pdf_upload(), criterion=criterion
    )
    return {"movement": movement, "movement_report": report, "evidence": evidence, "movement_review": review}


def _directive_files(flow: dict[str, Any]) -> dict[str, Any]:
    """A plan of the province with its text and a task for Sở Y tế, reported by it with a file."""
    from thidua.directives import services as directives

    plan = directives.directive_create(
        actor=flow["specialist"],
        authority=flow["ubnd"].authority,
        kind="plan",
        number="15/KH-UBND",
        issued_on=dt.date(2026, 1, 5),
        title="Kế hoạch thi đua năm 2026",
    )
    directives.document_add(actor=flow["specialist"], directive=plan, upload=pdf_upload("ke-hoach.pdf"))
    task = directives.task_add(
        actor=flow["specialist"],
        directive=plan,
        text="Báo cáo kết quả",
        lead_unit=flow["health"],
        due_date=dt.date(2026, 11, 30),
    )
    directives.directive_step(actor=flow["specialist"], directive=plan, action="issue")
    task_report = directives.report_submit(
        actor=flow["health_officer"],
        task=task,
        unit=flow["health"],
        due_date=dt.date(2026, 11, 30),
        text="Đã thực hiện",
        uploads=[pdf_upload()],
    )
    return {"directive": plan, "directive_task": task, "task_report": task_report}


def _bloc_files(flow: dict[str, Any]) -> dict[str, Any]:
    """Khối các sở 2026 (Sở Y tế leads, Sở Giáo dục deputy): both scored with evidence, cross-reviewed,
    settled at the meeting with its minutes' file, not yet published."""
    from thidua.blocs import services as blocs
    from thidua.organisation.models import Bloc, BlocMembership, BlocRole

    bloc = Bloc.objects.create(code="KCS", name="Khối các sở")
    for unit, role in (("health", BlocRole.LEADER), ("education", BlocRole.DEPUTY)):
        BlocMembership.objects.create(bloc=bloc, unit=flow[unit], year=2026, role=role)
    sheet = blocs.sheet_create(actor=flow["specialist"], bloc=bloc, year=2026)
    group = blocs.group_add(actor=flow["specialist"], sheet=sheet, name="I")
    item = blocs.item_add(
        actor=flow["specialist"], sheet=sheet, group=group, name="Chỉ tiêu", max_points="10"
    )
    sheet = blocs.sheet_approve(actor=flow["specialist"], sheet=sheet)
    found: dict[str, Any] = {"bloc_sheet": sheet}
    for unit, officer, head, reviewer in (
        ("health", "health_officer", "health_head", "education_officer"),
        ("education", "education_officer", "education_head", "health_officer"),
    ):
        scoring = blocs.unit_sheet_open(actor=flow[officer], sheet=sheet, unit=flow[unit])
        blocs.self_score_save(actor=flow[officer], unit_sheet=scoring, scores={item.pk: "9"})
        found[f"{unit}_bloc_evidence"] = blocs.evidence_add(
            actor=flow[officer], unit_sheet=scoring, item=item, upload=pdf_upload()
        )
        scoring = blocs.unit_sheet_submit(actor=flow[head], unit_sheet=scoring)
        blocs.review_finish(actor=flow[reviewer], unit_sheet=scoring)
    blocs.meeting_settle(
        actor=flow["health_head"],
        sheet=sheet,
        meeting_date=FIXED_TODAY,
        minutes="Hội nghị khối",
        upload=pdf_upload("bien-ban.pdf"),
    )
    found["bloc_minutes"] = sheet.minutes_files.get()
    return found


def _registration_files(flow: dict[str, Any]) -> dict[str, Any]:
    """Sở Y tế's and Sở Giáo dục's 2027 registrations, each sent by its head with one person."""
    from thidua.registrations import services as registrations

    found = {}
    for unit, officer, head, person in (
        ("health", "health_officer", "health_head", "health_person"),
        ("education", "education_officer", "education_head", "education_person"),
    ):
        registration = registrations.registration_open(actor=flow[officer], unit=flow[unit], year=2027)
        registrations.people_set(
            actor=flow[officer], registration=registration, titles={flow[person].pk: "LDTT"}
        )
        found[f"{unit}_registration"] = registrations.registration_submit(
            actor=flow[head], registration=registration
        )
    return found


def _cases(w: dict[str, Any]) -> dict[str, list[Case]]:
    d, s = w["dossier"], w["session"]
    for which, shared in (("shared", True), ("private", False)):
        w[f"{which}_saved_report"] = reports.saved_report_create(
            actor=w["specialist"],
            name=f"Theo đơn vị ({which})",
            definition={"dimensions": ["unit"], "filters": {}},
            shared=shared,
        )
    dossier_page = reverse("proposals:detail", args=[d.pk])
    lists = {
        name: [Case(name, reverse(name) + "?export=xlsx", reverse(name))]
        for name in (
            "organisation:person_list",
            "organisation:unit_list",
            "organisation:household_list",
            "organisation:bloc_list",
            "awards:decision_list",
            "awards:catalogue",
            "appraisal:discovery",
            "proposals:list",
        )
    }
    return {
        **lists,
        "imports:errors": [
            Case(
                "lỗi nhập",
                reverse("imports:errors", args=[w["rejected_import"].pk]),
                reverse("imports:batch", args=[w["rejected_import"].pk]),
            )
        ],
        "exports:download": [
            Case(
                "tệp xuất nền",
                reverse("exports:download", args=[w["health_export"].pk]),
                reverse("exports:job", args=[w["health_export"].pk]),
            )
        ],
        "imports:template": [
            Case(f"mẫu {kind}", reverse("imports:template", args=[kind]), reverse("imports:index"))
            for kind in SPECS
        ],
        "proposals:attachment": [
            Case("tệp", reverse("proposals:attachment", args=[d.pk, w["attachment"].pk]), dossier_page)
        ],
        "proposals:appraisal_report": [
            Case(f"thẩm định {fmt}", reverse("proposals:appraisal_report", args=[d.pk, fmt]), dossier_page)
            for fmt in ("docx", "pdf")
        ],
        "proposals:decision_document": [
            Case(
                f"{key} {fmt}",
                reverse("proposals:decision_document", args=[w[key].pk, fmt]),
                reverse("awards:decision_detail", args=[w[key].pk]),
            )
            for key in ("own_decision", "mixed_decision")
            for fmt in ("docx", "pdf")
        ],
        "proposals:session_document": [
            Case(
                f"{which} {fmt}",
                reverse("proposals:session_document", args=[s.pk, which, fmt]),
                reverse("proposals:session", args=[s.pk]),
            )
            for which in ("bien-ban", "kiem-phieu")
            for fmt in ("docx", "pdf")
        ],
        "movements:document": [
            Case(
                "văn bản phong trào",
                reverse("movements:document", args=[w["movement"].pk, w["movement"].documents.get().pk]),
                reverse("movements:detail", args=[w["movement"].pk]),
            )
        ],
        "movements:review_document": [
            Case(
                f"báo cáo sơ kết {fmt}",
                reverse("movements:review_document", args=[w["movement"].pk, w["movement_review"].pk, fmt]),
                reverse("movements:review", args=[w["movement"].pk, w["movement_review"].pk]),
            )
            for fmt in ("docx", "pdf")
        ],
        "movements:evidence": [
            Case(
                "minh chứng báo cáo",
                reverse("movements:evidence", args=[w["movement_report"].pk, w["evidence"].pk]),
                reverse("movements:report", args=[w["movement_report"].pk]),
            )
        ],
        "directives:document": [
            Case(
                "văn bản chỉ thị",
                reverse("directives:document", args=[w["directive"].pk, w["directive"].documents.get().pk]),
                reverse("directives:detail", args=[w["directive"].pk]),
            )
        ],
        "directives:report_file": [
            Case(
                "tệp báo cáo nhiệm vụ",
                reverse(
                    "directives:report_file", args=[w["directive_task"].pk, w["task_report"].files.get().pk]
                ),
                reverse("directives:task", args=[w["directive_task"].pk]),
            )
        ],
        "directives:summary": [
            Case(
                f"tổng hợp chỉ thị {fmt}",
                reverse("directives:summary", args=[w["directive"].pk, 2026, fmt]),
                reverse("directives:detail", args=[w["directive"].pk]),
            )
            for fmt in ("xlsx", "docx", "pdf")
        ],
        "registrations:export": [
            Case(
                "đăng ký thi đua",
                reverse("registrations:export", args=[w["health_registration"].pk]),
                reverse("registrations:detail", args=[w["health_registration"].pk]),
            )
        ],
        "registrations:summary_export": [
            Case(
                "tổng hợp đăng ký",
                reverse("registrations:summary_export") + "?year=2027",
                reverse("registrations:summary") + "?year=2027",
            )
        ],
        # The charts' tables: each over the units of the page it is drawn on.
        "movements:progress_export": [
            Case(
                f"tiến độ {table}",
                reverse("movements:progress_export", args=[w["movement"].pk, table]),
                reverse("movements:detail", args=[w["movement"].pk]),
            )
            for table in ("tieu-chi", "don-vi", "theo-ky")
        ],
        "movements:running_export": [
            Case("phong trào đang diễn ra", reverse("movements:running_export"), reverse("core:dashboard"))
        ],
        "registrations:titles_export": [
            Case(
                "đăng ký theo danh hiệu",
                reverse("registrations:titles_export") + "?year=2027",
                reverse("registrations:summary") + "?year=2027",
            )
        ],
        "directives:status_export": [
            Case(
                "tình hình báo cáo chỉ thị",
                reverse("directives:status_export", args=[w["directive"].pk]),
                reverse("directives:detail", args=[w["directive"].pk]),
            )
        ],
        "blocs:evidence": [
            Case(
                f"minh chứng chấm điểm {unit}",
                reverse("blocs:evidence", args=[w[f"{unit}_bloc_evidence"].pk]),
                reverse("blocs:unit_sheet", args=[w["bloc_sheet"].pk, w[unit].pk]),
            )
            for unit in ("health", "education")
        ],
        "blocs:summary_export": [
            Case(
                "tổng hợp điểm khối",
                reverse("blocs:summary_export", args=[w["bloc_sheet"].pk]),
                reverse("blocs:sheet", args=[w["bloc_sheet"].pk]),
            )
        ],
        "blocs:ranking_document": [
            Case(
                f"biên bản xếp hạng khối {fmt}",
                reverse("blocs:ranking_document", args=[w["bloc_sheet"].pk, fmt]),
                reverse("blocs:sheet", args=[w["bloc_sheet"].pk]),
            )
            for fmt in ("docx", "pdf")
        ],
        "blocs:minutes_file": [
            Case(
                "biên bản hội nghị khối",
                reverse("blocs:minutes_file", args=[w["bloc_sheet"].pk, w["bloc_minutes"].pk]),
                reverse("blocs:sheet", args=[w["bloc_sheet"].pk]),
            )
        ],
        # The reports' tables: over the scope (and unit, year) of the page they are drawn on; a saved
        # report's file over its reader's scope, and only for whom the report's page opens.
        "reports:dashboard_export": [
            Case(
                f"báo cáo {table}",
                reverse("reports:dashboard_export", args=[table]) + "?nam=2024",
                reverse("reports:dashboard") + "?nam=2024",
            )
            for table in ("nam", "cap", "loai", "loai-hinh", "danh-hieu", "ty-le", "don-vi", "ho-so", "khoi")
        ],
        "reports:builder_export": [
            Case(
                "báo cáo tự chọn",
                reverse("reports:builder_export") + "?dim=unit&dim=gender",
                reverse("reports:builder") + "?dim=unit&dim=gender",
            )
        ],
        "reports:saved_export": [
            Case(
                f"báo cáo đã lưu {which}",
                reverse("reports:saved_export", args=[w[f"{which}_saved_report"].pk]),
                reverse("reports:saved", args=[w[f"{which}_saved_report"].pk]),
            )
            for which in ("shared", "private")
        ],
        **{
            f"statistics:{fmt}": [
                Case(
                    f"biểu {form} {fmt}",
                    reverse(f"statistics:{fmt}", args=[form]) + "?nam=2024",
                    reverse("statistics:form", args=[form]) + "?nam=2024",
                )
                for form in ("0601", "0602", "0603", "0604", "0605")
            ]
            for fmt in ("xlsx", "pdf")
        },
        "api:evidence_download": [
            Case(
                f"API minh chứng chấm điểm {unit}",
                f"/api/bloc-evidence/{w[f'{unit}_bloc_evidence'].pk}",
                f"/api/bloc-sheets/{w['bloc_sheet'].pk}/units/{w[unit].pk}",
                api=True,
            )
            for unit in ("health", "education")
        ],
        "api:attachment_download": [
            Case(
                "API tệp",
                f"/api/dossiers/{d.pk}/attachments/{w['attachment'].pk}",
                f"/api/dossiers/{d.pk}",
                api=True,
            )
        ],
    }


def test_file_routes_are_found_in_the_url_conf() -> None:
    found = {name: route for route, name in file_routes()}
    # The detection itself is tested: the routes the product has today are all found.
    for name in (
        "proposals:decision_document",
        "proposals:session_document",
        "proposals:appraisal_report",
        "proposals:attachment",
        "proposals:list",
        "api:attachment_download",
    ):
        assert name in found, name


def test_every_file_route_follows_its_pages_scope_for_every_role(
    client: Client, world: dict[str, Any]
) -> None:
    cases = _cases(world)
    unlisted = [(route, name) for route, name in file_routes() if name not in cases and name not in EXEMPT]
    assert not unlisted, f"a route returning files has no scope case here: {unlisted}"
    foreign = {
        "health_officer": ["Trần Thị Hoa", "Sở Giáo dục"],
        "health_head": ["Trần Thị Hoa", "Sở Giáo dục"],
        "education_officer": ["Nguyễn Văn Đức", "Lò Thị Mai", "Sở Y tế", "Khoa Nội"],
    }
    served: dict[str, set[str]] = {}
    failures = []
    for role in ROLES:
        user = world[role]
        client.force_login(user)
        headers = {"Authorization": f"Bearer {token_create(actor=None, user=user, name='t')[1]}"}
        for case in (c for group in cases.values() for c in group):
            extra = {"headers": headers} if case.api else {}
            page = client.get(case.page, **extra)
            response = client.get(case.url, **extra)
            is_file = response.status_code == 200 and "attachment" in response.get("Content-Disposition", "")
            if not is_file:
                continue
            served.setdefault(case.label, set()).add(role)
            if page.status_code != 200:
                failures.append(f"{role}: {case.label} served while its page answers {page.status_code}")
                continue
            if case.label in PUBLIC_LISTS:
                continue
            text = _file_text(response)
            leaked = [name for name in foreign.get(role, []) if name in text]
            if leaked:
                failures.append(f"{role}: {case.label} carries {leaked}, outside the user's scope")
    assert not failures, "\n".join(failures)
    # Those who handle the records get every file: the refusals above are not of everything.
    for case in (c for group in cases.values() for c in group):
        if case.label in OWNER_ONLY:
            assert served.get(case.label, set()) == {OWNER_ONLY[case.label]}, case.label
            continue
        assert "specialist" in served.get(case.label, set()) or "chairman" in served.get(case.label, set()), (
            case.label
        )
    # The unit's own staff get their own decision and the files of their dossier.
    assert {"health_officer", "health_head"} <= served["own_decision pdf"]
    assert {"health_officer", "health_head"} <= served["tệp"]
    assert {"health_officer", "health_head"} <= served["minh chứng báo cáo"]
    assert "education_officer" not in served["minh chứng báo cáo"] | served["văn bản phong trào"]
    assert {"health_officer", "health_head"} <= served["đăng ký thi đua"]
    assert "education_officer" not in served["đăng ký thi đua"]
    assert {"health_officer", "education_officer"} <= served["tổng hợp đăng ký"]
    assert {"health_officer", "health_head"} <= served["tệp báo cáo nhiệm vụ"] & served["văn bản chỉ thị"]
    assert "education_officer" not in served["tệp báo cáo nhiệm vụ"] | served["văn bản chỉ thị"]
    # The report of a sơ kết covers every target unit and dossier: the launching authority's (and
    # province-wide accounts'), not a target unit's staff, who see the review's page.
    assert not served["báo cáo sơ kết pdf"] & {"health_officer", "health_head", "education_officer"}
    # Before publication a member gets its own scoring's files and those it reviews, no one else's;
    # the minutes go to the bloc that wrote them (its leader) and the Board.
    assert {"health_officer", "health_head", "education_officer"} <= served["minh chứng chấm điểm health"]
    # The API serves the same files to the same people as the pages.
    for unit in ("health", "education"):
        assert served.get(f"API minh chứng chấm điểm {unit}") == served.get(f"minh chứng chấm điểm {unit}")
    assert served["biên bản hội nghị khối"] & {"education_officer"} == set()
    assert {"health_officer", "health_head"} <= served["biên bản hội nghị khối"]
    assert not served["biên bản xếp hạng khối pdf"] & {"education_officer"}
    # A saved report's file goes to its owner, and when shared to the colleagues of the same authority
    # (each over their own scope); a private one to no one else.
    assert served["báo cáo đã lưu private"] == {"specialist"}
    assert {"specialist", "health_officer", "education_officer"} <= served["báo cáo đã lưu shared"]
    assert {"health_officer", "education_officer"} <= served["báo cáo don-vi"] & served["báo cáo tự chọn"]
    # The central statistical forms are the authority's report: its specialists, Council and chairman.
    for form in ("0601", "0602", "0603", "0604", "0605"):
        for fmt in ("xlsx", "pdf"):
            assert not served[f"biểu {form} {fmt}"] & {"health_officer", "health_head", "education_officer"}
    # The summary for the level above is the issuing authority's (and province-wide accounts').
    assert not served["tổng hợp chỉ thị pdf"] & {"health_officer", "health_head", "education_officer"}
    assert not served["mixed_decision docx"] & {"health_officer", "health_head", "education_officer"}
