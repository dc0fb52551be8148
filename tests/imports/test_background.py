"""Imports run as background tasks (issue 13, "imports can take the server down"): the upload and the
confirmation only queue work and answer at once; a worker checks and writes; the batch page follows it."""

from __future__ import annotations

import io
import logging
import re
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from tests.conftest import DATABASE_TASKS
from tests.imports.helpers import award_row, generate_awards_workbook, generate_people_workbook, person_row
from thidua.core.models import AuditLog
from thidua.imports import analysis, services
from thidua.imports.models import ImportBatch, ImportKind, ImportStatus, ImportStep
from thidua.organisation.models import Person
from thidua.organisation.services import person_create

pytestmark = pytest.mark.django_db

NEW_CCCD = "001085000123"
# The worker runs as deployed, in autocommit, claiming each task in a transaction of its own (and closing a
# connection left inside a transaction, as a test's would be): these tests commit for real.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _post(client: Client, kind: str, data: bytes) -> Any:
    return client.post(reverse("imports:index"), {"kind": kind, "file": _file(data)})


def _file(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("nhan-su.xlsx", data)


@pytest.fixture
def queued(settings: Any) -> None:
    """The database queue, as deployed: nothing runs until a worker takes it."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def run_worker() -> Iterator[Any]:
    """`thidua worker --batch`: every queued task, then it stops; the test's signal handlers are restored."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file names the analysis has read so far."""
    seen: list[str] = []
    original = services.read_file

    def spy(**kwargs: Any) -> Any:
        seen.append(kwargs["file_name"])
        return original(**kwargs)

    monkeypatch.setattr(services, "read_file", spy)
    return seen


@committed
def test_upload_and_confirm_only_queue_work_that_the_worker_does(
    province: Any, users: Any, queued: None, run_worker: Any, reads: list[str]
) -> None:
    client = _client(users["health_officer"])
    data = generate_people_workbook(
        [person_row(province["health"].code), person_row(province["clinic"].code, identity_number="")]
    )

    response = _post(client, ImportKind.PEOPLE, data)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:batch", args=[batch.pk])
    # The request kept the file and queued its check; not one row was read, nothing was written.
    assert batch.status == ImportStatus.CHECKING and batch.progress_done == 0 and batch.row_count == 0
    assert reads == []
    assert default_storage.exists(batch.stored_file)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and reverse("imports:progress", args=[batch.pk]) in page
    # No inline script (the Content-Security-Policy forbids them): htmx asks, from its attributes alone.
    assert "Đang kiểm tra" in page and not re.findall(r"<script(?![^>]*\bsrc=)", page)

    run_worker()

    batch.refresh_from_db()
    assert reads == ["nhan-su.xlsx"]
    assert batch.status == ImportStatus.VALIDATED and batch.row_count == 2 and batch.created_count == 2
    assert (batch.progress_done, batch.progress_total) == (2, 2)
    assert batch.stored_file == f"imports/{batch.file_sha256}.xlsx" and default_storage.exists(
        batch.stored_file
    )
    assert not default_storage.listdir("imports/pending")[1]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Xác nhận ghi vào sổ" in page and "2 mới" in page and "every 1s" not in page
    assert not Person.objects.filter(identity_number=NEW_CCCD).exists()

    confirmed = client.post(reverse("imports:confirm", args=[batch.pk]))

    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("imports:batch", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTING
    assert not Person.objects.filter(identity_number=NEW_CCCD).exists()
    assert "every 1s" in client.get(reverse("imports:batch", args=[batch.pk])).content.decode()

    run_worker()

    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.created_count == 2 and batch.committed_at
    assert Person.objects.get(identity_number=NEW_CCCD).unit == province["health"]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Đã ghi vào sổ tệp «nhan-su.xlsx»: 2 bản ghi mới" in page and "every 1s" not in page
    actions = list(
        AuditLog.objects.filter(target_type="imports.importbatch", target_id=str(batch.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["import_commit", "import_confirm", "import_upload"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_progress_fragment_shows_the_batchs_counters(province: Any, users: Any, queued: None) -> None:
    client = _client(users["health_officer"])
    _post(client, ImportKind.PEOPLE, generate_people_workbook([person_row(province["health"].code)]))
    batch = ImportBatch.objects.get()
    url = reverse("imports:progress", args=[batch.pk])
    for done, total in [(0, 0), (1500, 0), (250, 1000), (999, 1000), (1000, 1000)]:
        ImportBatch.objects.filter(pk=batch.pk).update(progress_done=done, progress_total=total)
        fragment = client.get(url, headers={"HX-Request": "true"})
        text = fragment.content.decode()
        if total:
            percent = done * 100 // total
            assert f'aria-valuenow="{percent}"' in text and f"width: {percent}%" in text
            assert f"{done:,}".replace(",", ".") + " / " + f"{total:,}".replace(",", ".") in text
        else:
            # The file did not say how many rows it has: rows counted, no percentage made up.
            assert "aria-valuenow" not in text
            assert ("Đã kiểm tra 1.500 dòng" if done else "Đang mở tệp") in text
        # Still checking: it asks again in a second and does not reload the page.
        assert 'hx-trigger="every 1s"' in text and "HX-Refresh" not in fragment
    # The commit reports through the cache (its writes are one transaction the page cannot see into).
    batch.status = ImportStatus.COMMITTING
    batch.save(update_fields=["status"])
    services._commit_reporter(batch)("write", 30, 120)
    text = client.get(url).content.decode()
    assert 'aria-valuenow="25"' in text and "Đã ghi 30 / 120 bản ghi mới" in text
    # Once done, htmx is told to reload the page (which shows the result) and the fragment stops asking.
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.COMMITTED)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and "every 1s" not in done.content.decode()


def test_a_failing_check_leaves_the_batch_failed_with_a_message_and_can_run_again(
    province: Any, users: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = _client(users["health_officer"])
    data = generate_people_workbook([person_row(province["health"].code)])

    def broken(self: Any) -> None:
        raise RuntimeError("mất kết nối giữa chừng")

    monkeypatch.setattr(analysis.PeopleAnalyser, "resolve", broken)
    with caplog.at_level(logging.ERROR, logger="thidua.imports.tasks"):
        page = client.post(reverse("imports:index"), {"kind": "people", "file": _file(data)}, follow=True)

    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and batch.failed_step == ImportStep.CHECK
    text = page.content.decode()
    assert "Hệ thống gặp sự cố khi kiểm tra tệp; chưa có gì được ghi vào sổ." in text
    assert "Kiểm tra lại" in text
    # Logged with its traceback, not swallowed.
    [record] = [r for r in caplog.records if r.name == "thidua.imports.tasks"]
    assert record.exc_info and "mất kết nối" in str(record.exc_info[1])
    assert not Person.objects.filter(identity_number=NEW_CCCD).exists()
    # The upload is kept for another attempt.
    assert default_storage.exists(batch.stored_file)

    monkeypatch.undo()
    client.post(reverse("imports:retry", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED and batch.failure_message == ""


@committed
def test_a_failing_commit_writes_nothing_and_the_batch_can_be_cancelled(
    province: Any, users: Any, monkeypatch: pytest.MonkeyPatch, queued: None, run_worker: Any
) -> None:
    client = _client(users["health_officer"])
    data = generate_people_workbook([person_row(province["health"].code)])
    _post(client, ImportKind.PEOPLE, data)
    run_worker()
    batch = ImportBatch.objects.get()
    people = Person.objects.count()
    original = analysis.PeopleAnalyser.write

    def write_then_fail(self: Any, *, batch: ImportBatch) -> dict[str, int]:
        original(self, batch=batch)
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(analysis.PeopleAnalyser, "write", write_then_fail)
    client.post(reverse("imports:confirm", args=[batch.pk]))
    run_worker()

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.failed_step == ImportStep.COMMIT
    # The people were written, then the commit failed: all of it was rolled back.
    assert Person.objects.count() == people
    assert not AuditLog.objects.filter(action="import_commit").exists()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "builtins.RuntimeError"
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Hệ thống gặp sự cố khi ghi vào sổ; chưa có gì được ghi." in page and "Ghi vào sổ lại" in page

    cancelled = client.post(reverse("imports:cancel", args=[batch.pk]), follow=True)

    assert "Đã hủy" in cancelled.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED


def test_another_units_officer_cannot_see_a_batch_being_checked(
    province: Any, users: Any, queued: None
) -> None:
    _post(
        _client(users["health_officer"]),
        ImportKind.PEOPLE,
        generate_people_workbook([person_row(province["health"].code)]),
    )
    batch = ImportBatch.objects.get()
    other = _client(users["education_officer"])
    for name in ("imports:batch", "imports:progress"):
        assert other.get(reverse(name, args=[batch.pk])).status_code == 404
    for name in ("imports:confirm", "imports:retry", "imports:cancel"):
        assert other.post(reverse(name, args=[batch.pk])).status_code == 404
    # Province-wide staff may follow and confirm anyone's import.
    assert _client(users["specialist"]).get(reverse("imports:batch", args=[batch.pk])).status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKING


@committed
def test_a_rejected_file_is_deleted_and_its_errors_kept(
    province: Any, users: Any, queued: None, run_worker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More errors than a batch keeps in itself: the whole list goes to a file of its own.
    monkeypatch.setattr(services, "INLINE_ERRORS", 2)
    monkeypatch.setattr("thidua.imports.views.ERROR_DISPLAY_LIMIT", 2)
    client = _client(users["specialist"])
    rows = [award_row(), award_row(award="KHONG_CO"), award_row(identity_number="12"), award_row(year=1900)]
    _post(client, ImportKind.AWARDS, generate_awards_workbook(rows))
    batch = ImportBatch.objects.get()
    upload = batch.stored_file
    run_worker()

    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED
    assert not default_storage.exists(upload) and batch.stored_file == ""
    assert not default_storage.exists(f"imports/{batch.file_sha256}.xlsx")
    assert batch.error_count == 3 and batch.error_row_count == 3 and len(batch.errors) == 2
    page = client.get(reverse("imports:batch", args=[batch.pk]))
    text = page.content.decode()
    assert "Tệp có 3 lỗi ở 3 dòng" in text and "KHONG_CO" in text and "Xác nhận ghi vào sổ" not in text
    assert [(e.row, e.column) for e in page.context["shown_errors"]] == [
        (3, "Danh hiệu/hình thức"),
        (4, "Số CCCD"),
    ]
    listed = client.get(reverse("imports:errors", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(listed.streaming_content))).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [3, 4, 5]
    # A rejected batch is done with: it cannot be confirmed.
    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED


def test_an_upload_the_zip_directory_refuses_is_answered_at_once(users: Any, queued: None) -> None:
    response = _post(_client(users["specialist"]), ImportKind.PEOPLE, b"PK\x03\x04 not a zip")
    assert response.status_code == 400
    assert "Tệp không phải là tệp Excel (.xlsx)" in response.content.decode()
    assert not ImportBatch.objects.exists() and not DBTaskResult.objects.exists()


def test_the_worker_command_runs_only_on_the_database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError):
        call_command("worker", batch=True)


def test_a_commit_the_registry_no_longer_allows_goes_back_to_waiting_with_its_errors(
    province: Any, users: Any
) -> None:
    client = _client(users["specialist"])
    rows = [
        person_row(province["health"].code),
        person_row(province["health"].code, identity_number="001085000777"),
    ]
    page = client.post(
        reverse("imports:index"),
        {"kind": "people", "file": _file(generate_people_workbook(rows))},
        follow=True,
    )
    batch = ImportBatch.objects.get()
    assert "Xác nhận ghi vào sổ" in page.content.decode()
    # Meanwhile someone records the CCCD for a different person.
    person_create(
        actor=None,
        family_name="Hoàng",
        given_name="Nam",
        gender="male",
        unit=province["education"],
        identity_number="001085000777",
    )
    people = Person.objects.count()

    page = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATED and Person.objects.count() == people
    assert [(e.row, e.column) for e in page.context["shown_errors"]] == [(3, "Số CCCD")]
    text = page.content.decode()
    assert "Dữ liệu trong hệ thống đã thay đổi từ lúc kiểm tra" in text and "Xác nhận lại" in text
    # Once the conflict is settled, confirming again writes the file.
    Person.objects.filter(identity_number="001085000777").update(identity_number=None)
    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.created_count == 2 and batch.error_count == 0


def test_the_analysis_reports_rows_as_it_reads_them_and_records_as_it_writes(
    province: Any, users: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analysis, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(analysis, "WRITE_CHUNK", 2)
    rows = [person_row(province["health"].code, identity_number=f"00108500010{i}") for i in range(5)]
    data = generate_people_workbook(rows)
    reports: list[tuple[str, int, int]] = []

    def collect(phase: str, done: int, total: int) -> None:
        reports.append((phase, done, total))

    _analyser, result, _sheet = services._analyse(
        actor=users["specialist"], kind="people", file_name="ds.xlsx", data=data, on_progress=collect
    )
    # This file does not declare its size: rows are counted without a total until all are read.
    assert result.ok and reports == [("read", 2, 0), ("read", 4, 0), ("read", 5, 5)]

    batch = services.import_validate(
        actor=users["specialist"], kind="people", file_name="ds.xlsx", data=data
    ).batch
    assert batch is not None
    reports.clear()
    services.import_commit(actor=users["specialist"], batch=batch, on_progress=collect)
    assert [r for r in reports if r[0] == "write"] == [("write", 2, 5), ("write", 4, 5), ("write", 5, 5)]
    assert Person.objects.filter(identity_number__startswith="00108500010").count() == 5


def _dead_pid() -> int:
    """The pid of a process that has just ended."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@committed
def test_a_task_left_running_by_a_dead_worker_of_this_machine_is_failed_when_a_worker_starts(
    province: Any, users: Any, queued: None, run_worker: Any, settings: Any
) -> None:
    import os
    import socket

    from thidua.exports.models import ExportJob, ExportStatus

    host = socket.gethostname()
    officer = _client(users["health_officer"])
    _post(officer, ImportKind.PEOPLE, generate_people_workbook([person_row(province["health"].code)]))
    _post(officer, ImportKind.PEOPLE, generate_people_workbook([person_row(province["health"].code)]))
    _post(officer, ImportKind.PEOPLE, generate_people_workbook([person_row(province["health"].code)]))
    settings.THIDUA_EXPORT_INLINE_ROWS = 0
    _client(users["specialist"]).get(reverse("organisation:person_list") + "?export=xlsx")
    killed, elsewhere, alive = ImportBatch.objects.order_by("pk")
    job = ExportJob.objects.get()
    tasks = {
        task.args_kwargs["args"][0]: task
        for task in DBTaskResult.objects.filter(task_path__contains=".imports.")
    }
    dead_worker = f"{host}-{_dead_pid()}"
    # Three imports and the export were being worked on: two by a worker of this machine that was killed,
    # one by a worker on another server, one by a worker of this machine still running (the process that
    # started the suite).
    for target, worker in (
        (killed.pk, dead_worker),
        (elsewhere.pk, "may-chu-khac-4242"),
        (alive.pk, f"{host}-{os.getppid()}"),
    ):
        DBTaskResult.objects.filter(pk=tasks[target].pk).update(status="RUNNING", worker_ids=[worker])
    DBTaskResult.objects.filter(task_path__endswith="run_export_job").update(
        status="RUNNING", worker_ids=[dead_worker]
    )
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)

    run_worker()

    killed.refresh_from_db()
    elsewhere.refresh_from_db()
    alive.refresh_from_db()
    job.refresh_from_db()
    assert killed.status == ImportStatus.FAILED and "bị ngắt giữa chừng" in killed.failure_message
    assert killed.failed_step == ImportStep.CHECK
    assert job.status == ExportStatus.FAILED and "xuất lại" in job.message
    # Nobody else's task, and no live worker's, is touched.
    assert elsewhere.status == ImportStatus.CHECKING and alive.status == ImportStatus.CHECKING
    assert [
        DBTaskResult.objects.get(pk=tasks[pk].pk).status for pk in (killed.pk, elsewhere.pk, alive.pk)
    ] == ["FAILED", "RUNNING", "RUNNING"]
    assert AuditLog.objects.filter(action="task_abandoned").count() == 2
    page = officer.get(reverse("imports:batch", args=[killed.pk])).content.decode()
    assert "bị ngắt giữa chừng" in page and "every 1s" not in page
