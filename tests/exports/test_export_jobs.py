"""Large exports run as background tasks (issue 13): the request only queues the job, a worker writes the
file, the owner alone follows it and downloads it; small exports still answer the file at once."""

from __future__ import annotations

import datetime as dt
import io
import re
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from tests.conftest import DATABASE_TASKS
from tests.factories import make_award, make_user
from thidua.accounts.models import Role
from thidua.core.models import AuditLog
from thidua.exports.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
HIGH = 10**9


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _rows(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200, response.status_code
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def queued(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    settings.THIDUA_EXPORT_INLINE_ROWS = 1


@pytest.fixture
def run_worker() -> Iterator[Any]:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture
def awarded(province: dict[str, Any]) -> None:
    for key in ("health_person", "clinic_person", "education_person"):
        make_award(province[key], year=2024)


DECISIONS = reverse("awards:decision_list") + "?export=xlsx&year=2025"
PEOPLE = reverse("organisation:person_list") + "?export=xlsx"


@committed
def test_a_large_export_is_queued_and_the_worker_writes_the_same_rows_as_the_inline_export(
    province: Any, users: Any, awarded: None, queued: None, run_worker: Any, settings: Any
) -> None:
    client = _client(users["specialist"])

    response = client.get(DECISIONS)

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    # The web worker only queued the job: no file, nothing written yet.
    assert job.status == ExportStatus.QUEUED and not job.file and job.rows_done == 0 and job.rows_total == 3
    assert job.owner == users["specialist"] and job.kind == "quyet-dinh" and job.params == {"year": ["2025"]}
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert AuditLog.objects.filter(action="export_queue", target_id=str(job.pk)).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and reverse("exports:progress", args=[job.pk]) in page
    assert not re.findall(r"<script(?![^>]*\bsrc=)", page)
    assert reverse("exports:download", args=[job.pk]) not in page
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404

    run_worker()

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.rows_done == 3 and job.finished_at and job.file
    fragment = client.get(reverse("exports:progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true"
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "every 1s" not in page and reverse("exports:download", args=[job.pk]) in page
    assert reverse("exports:job", args=[job.pk]) in client.get(reverse("exports:list")).content.decode()
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert (
        download["Content-Disposition"].startswith("attachment")
        and job.filename in download["Content-Disposition"]
    )
    background = _rows(download)

    settings.THIDUA_EXPORT_INLINE_ROWS = HIGH
    inline = _rows(client.get(DECISIONS))
    assert len(inline) == 4 and background == inline
    assert ExportJob.objects.count() == 1


@committed
def test_the_same_list_asked_again_while_its_job_waits_joins_that_job(
    province: Any, users: Any, awarded: None, queued: None
) -> None:
    specialist = _client(users["specialist"])
    first = specialist.get(DECISIONS)
    job = ExportJob.objects.get()

    # A double click, or asking again while the job waits: the same job, no second task, no second row.
    again = specialist.get(DECISIONS)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert ExportJob.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert AuditLog.objects.filter(action="export_queue").count() == 1

    # Other filters, or another person asking for the same list, are jobs of their own.
    specialist.get(DECISIONS.replace("year=2025", "year="))
    colleague = make_user("chuyenvien.hai", Role.BOARD_SPECIALIST, province["ubnd"])
    _client(colleague).get(DECISIONS)
    assert ExportJob.objects.count() == 3
    assert {(j.owner.username, j.params["year"][0]) for j in ExportJob.objects.exclude(pk=job.pk)} == {
        ("chuyenvien", ""),
        ("chuyenvien.hai", "2025"),
    }

    # Once the worker has begun (or finished) the job, asking again queues a new one: the data may have
    # changed after the first job read it.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    later = specialist.get(DECISIONS)
    assert later["Location"] != first["Location"]
    assert ExportJob.objects.filter(params={"year": ["2025"]}, owner=users["specialist"]).count() == 2


@committed
def test_the_worker_lowers_its_own_cpu_priority_by_the_setting(
    queued: None, run_worker: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    lowered: list[int] = []
    monkeypatch.setattr("os.nice", lambda increment: lowered.append(increment) or increment)
    settings.THIDUA_WORKER_NICE = 10
    run_worker()
    assert lowered == [10]
    settings.THIDUA_WORKER_NICE = 0
    run_worker()
    assert lowered == [10]


@committed
def test_the_people_export_follows_the_owners_scope(
    province: Any, users: Any, queued: None, run_worker: Any, settings: Any
) -> None:
    client = _client(users["health_officer"])
    response = client.get(PEOPLE)
    assert response.status_code == 302
    run_worker()
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE
    names = {row[1] for row in _rows(client.get(reverse("exports:download", args=[job.pk])))[1:]}
    assert "Nguyễn Văn Đức" in names and "Trần Thị Hoa" not in names

    settings.THIDUA_EXPORT_INLINE_ROWS = HIGH
    inline = {row[1] for row in _rows(client.get(PEOPLE))[1:]}
    assert names == inline


@committed
def test_only_the_owner_sees_the_job_its_progress_and_its_file(
    province: Any, users: Any, queued: None, run_worker: Any
) -> None:
    _client(users["specialist"]).get(PEOPLE)
    run_worker()
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE
    for other in ("health_officer", "admin"):
        client = _client(users[other])
        for name in ("job", "progress", "download"):
            assert client.get(reverse(f"exports:{name}", args=[job.pk])).status_code == 404, (other, name)
        listing = client.get(reverse("exports:list")).content.decode()
        assert reverse("exports:job", args=[job.pk]) not in listing


@committed
def test_a_failing_export_is_marked_failed_with_a_message(
    province: Any, users: Any, queued: None, run_worker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(users["specialist"])
    client.get(PEOPLE)
    job = ExportJob.objects.get()

    def broken(user: Any, params: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr("thidua.organisation.views.person_export_spec", broken)
    run_worker()

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "sự cố khi xuất tệp Excel" in job.message and not job.file
    assert DBTaskResult.objects.get().status == "FAILED"
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert job.message in page and "every 1s" not in page
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_with_the_default_threshold_the_export_answers_the_file_directly(
    province: Any, users: Any, awarded: None
) -> None:
    response = _client(users["specialist"]).get(DECISIONS)
    assert response["Content-Disposition"].startswith("attachment")
    assert len(_rows(response)) == 4 and not ExportJob.objects.exists()


@committed
def test_an_exports_file_is_deleted_after_the_keeping_days_and_the_job_stays(
    province: Any, users: Any, queued: None, run_worker: Any, settings: Any
) -> None:
    from django.core.files.storage import default_storage
    from django.utils import timezone

    settings.THIDUA_EXPORT_KEEP_DAYS = 7
    client = _client(users["specialist"])
    client.get(PEOPLE)
    run_worker()
    old = ExportJob.objects.get()
    name = old.file.name
    assert old.status == ExportStatus.DONE and default_storage.exists(name)
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=7, minutes=1))

    # The next export the worker runs removes the old file first; its own file stays.
    client.get(PEOPLE)
    run_worker()
    old.refresh_from_db()
    fresh = ExportJob.objects.exclude(pk=old.pk).get()
    assert (old.status, old.file.name) == (ExportStatus.EXPIRED, "")
    assert not default_storage.exists(name)
    assert fresh.status == ExportStatus.DONE and default_storage.exists(fresh.file.name)
    row = AuditLog.objects.get(action="export_expire")
    assert (row.target_id, row.actor) == (str(old.pk), None)

    page = client.get(reverse("exports:job", args=[old.pk])).content.decode()
    assert "Tệp đã được xóa 7 ngày sau khi xuất" in page
    assert reverse("exports:download", args=[old.pk]) not in page
    assert client.get(reverse("exports:download", args=[old.pk])).status_code == 404

    # The command does the same when the worker is idle; nothing is left to prune.
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert "Đã xóa 0 tệp xuất quá 7 ngày." in out.getvalue()
    default_storage.delete(fresh.file.name)
