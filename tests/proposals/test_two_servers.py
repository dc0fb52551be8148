"""More than one application server (issue 13): two gunicorn servers on two ports share one PostgreSQL, one
Redis and one S3-compatible object store; a dossier submitted on one is decided on the other, and its files,
notifications, a logged-in session and an Excel import checked on one and committed on the other are the same
on both.

The servers are real processes, started from this test with the environment an operator would give them,
each with a data folder of its own, so nothing can pass through a shared local disk."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tests.imports.helpers import generate_people_workbook, person_row
from tests.otp import enrol, next_code
from tests.proposals.conftest import pdf_bytes
from thidua.accounts.tokens import token_create
from thidua.awards.models import AwardRecord
from thidua.imports.models import ImportBatch, ImportStatus
from thidua.organisation.models import Person
from thidua.proposals.models import Attachment, Notification

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.real_clock]

REDIS_URL = os.environ.get("THIDUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "mat-khau-may-chu-kep-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_or_skip() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("CI needs Redis at 127.0.0.1:6379 for the several-server test")
        pytest.skip("no Redis at 127.0.0.1:6379")
    return client


@pytest.fixture
def object_store() -> Iterator[dict[str, str]]:
    """A local S3-compatible server (moto's) with an empty private bucket."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    store = {
        "endpoint": f"http://127.0.0.1:{port}",
        "bucket": f"thidua-{uuid.uuid4().hex[:8]}",
        "key": "kiemthu",
        "secret": "kiemthu-bi-mat",
        "region": "us-east-1",
    }
    _s3(store).create_bucket(Bucket=store["bucket"])
    try:
        yield store
    finally:
        server.stop()


@pytest.fixture
def two_servers(tmp_path: Path, object_store: dict[str, str]) -> Iterator[dict[str, Any]]:
    if connection.vendor != "postgresql":
        pytest.skip("several application servers share a PostgreSQL database; SQLite is one machine's file")
    redis_client = _redis_or_skip()
    db = connection.settings_dict
    prefix = f"thidua-test-{uuid.uuid4().hex[:8]}"
    shared = {
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "THIDUA_CACHE_URL": REDIS_URL,
        "THIDUA_CACHE_KEY_PREFIX": prefix,
        "THIDUA_S3_BUCKET": object_store["bucket"],
        "THIDUA_S3_ENDPOINT_URL": object_store["endpoint"],
        "THIDUA_S3_ACCESS_KEY_ID": object_store["key"],
        "THIDUA_S3_SECRET_ACCESS_KEY": object_store["secret"],
        "THIDUA_S3_REGION": object_store["region"],
        # Every server signs sessions and tokens with the same key, as a deployment's environment gives.
        "THIDUA_SECRET_KEY": "khoa-chung-cua-cac-may-chu-" + uuid.uuid4().hex,
        "THIDUA_ALLOWED_HOSTS": "127.0.0.1",
    }
    servers, processes = [], []
    for name in ("a", "b"):
        port = _free_port()
        home = tmp_path / f"home-{name}"
        env = {**os.environ, **shared, "THIDUA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "thidua.settings"}
        log = (tmp_path / f"server-{name}.log").open("wb")
        # What an operator runs on each server: the product's own command; the schema is migrated once.
        command = [sys.executable, "-m", "thidua.cli", "serve", "--port", str(port), "--workers", "1"]
        command += ["--no-migrate"]
        processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
        servers.append(
            {"url": f"http://127.0.0.1:{port}", "home": home, "log": tmp_path / f"server-{name}.log"}
        )

    def process_ended(server: dict[str, Any]) -> bool:
        return processes[servers.index(server)].poll() is not None

    try:
        for server in servers:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if requests.get(server["url"] + "/healthz", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline or process_ended(server):
                    pytest.fail("server did not start:\n" + Path(server["log"]).read_text())
                time.sleep(0.3)
        yield {
            "a": servers[0],
            "b": servers[1],
            "redis": redis_client,
            "prefix": prefix,
            "store": object_store,
        }
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for key in redis_client.scan_iter(f"{prefix}*"):
            redis_client.delete(key)


def _until(browser: requests.Session, url: str, text: str) -> str:
    """The page once it shows the text, asked again as its progress bar would, for at most a minute."""
    deadline = time.monotonic() + 60
    while True:
        page = browser.get(url, timeout=60)
        if text in page.text:
            return page.text
        if time.monotonic() > deadline:
            pytest.fail(f"{url} never showed «{text}»:\n{page.text[:2000]}")
        time.sleep(0.3)


def _s3(store: dict[str, str]) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=store["endpoint"],
        aws_access_key_id=store["key"],
        aws_secret_access_key=store["secret"],
        region_name=store["region"],
    )


class Remote:
    """One user's API token, spoken to one server over HTTP."""

    def __init__(self, server: dict[str, Any], user: Any) -> None:
        self.base = server["url"] + "/api"
        _token, raw = token_create(actor=None, user=user, name="hai máy chủ")
        self.headers = {"Authorization": f"Bearer {raw}"}

    def get(self, path: str) -> requests.Response:
        return requests.get(self.base + path, headers=self.headers, timeout=60)

    def post(self, path: str, body: dict[str, Any] | None = None) -> requests.Response:
        return requests.post(self.base + path, json=body or {}, headers=self.headers, timeout=60)

    def upload(self, path: str, component: str, name: str, data: bytes) -> requests.Response:
        files = {"file": (name, data, "application/pdf")}
        return requests.post(
            self.base + path, data={"component": component}, files=files, headers=self.headers, timeout=60
        )


def _ok(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text[:2000]
    return response.json()


def test_a_dossier_submitted_on_one_server_is_decided_on_the_other(
    two_servers: dict[str, Any], flow: dict[str, Any]
) -> None:
    a, b = two_servers["a"], two_servers["b"]
    officer, head = Remote(a, flow["health_officer"]), Remote(a, flow["health_head"])
    specialist, chairman = Remote(b, flow["specialist"]), Remote(b, flow["chairman"])
    enrol(flow["chairman"])

    # Server A: the unit drafts, attaches its files and submits.
    dossier = _ok(
        officer.post(
            "/dossiers",
            {"unit_id": flow["health"].pk, "kind": "cong_trang", "year": 2024, "title": "Đề nghị Bằng khen"},
        ),
        201,
    )
    _ok(
        officer.post(
            f"/dossiers/{dossier['id']}/lines",
            {
                "recipient_kind": "individual",
                "recipient_id": flow["health_person"].pk,
                "award_code": "BK_TINH",
                "achievement": "Hoàn thành xuất sắc nhiệm vụ hai năm liền",
            },
        ),
        201,
    )
    uploaded: dict[str, bytes] = {}
    for component in _ok(officer.get(f"/dossiers/{dossier['id']}"))["components"]:
        data = pdf_bytes(f"Thành phần {component['code']} lập trên máy chủ A")
        _ok(officer.upload(f"/dossiers/{dossier['id']}/attachments", component["code"], "hs.pdf", data), 201)
        uploaded[component["code"]] = data
    assert uploaded
    assert _ok(head.post(f"/dossiers/{dossier['id']}/transitions/submit"))["state"] == "submitted"

    # Server B: the Board appraises, the chairman decides.
    assert _ok(specialist.post(f"/dossiers/{dossier['id']}/transitions/receive"))["state"] == "received"
    for line in _ok(specialist.get(f"/dossiers/{dossier['id']}"))["lines"]:
        reason = "" if line["verdict"] == "eligible" else "Đủ thành tích thực tế theo báo cáo của đơn vị"
        _ok(
            specialist.post(
                f"/dossiers/{dossier['id']}/lines/{line['id']}/review", {"recommend": True, "reason": reason}
            )
        )
    appraised = specialist.post(
        f"/dossiers/{dossier['id']}/transitions/complete_appraisal", {"comment": "Đủ"}
    )
    assert _ok(appraised)["state"] == "appraised"
    # B reads the files A stored: they are in the object store, not on either server's disk.
    detail = _ok(specialist.get(f"/dossiers/{dossier['id']}"))
    for attachment in detail["attachments"]:
        got = requests.get(
            f"{b['url']}/api/dossiers/{dossier['id']}/attachments/{attachment['id']}",
            headers=specialist.headers,
            timeout=60,
        )
        assert got.status_code == 200 and got.content == uploaded[attachment["component"]]
    decided = _ok(
        chairman.post(
            "/decisions",
            {
                "dossier_ids": [dossier["id"]],
                "number": "77/QĐ-UBND",
                "date": timezone.localdate().isoformat(),
                # The chairman's authenticator code, asked again before a decision is issued.
                "code": next_code(flow["chairman"]),
            },
        ),
        201,
    )

    # Back on A: the unit sees the decision, its notification, and its files intact.
    final = _ok(officer.get(f"/dossiers/{dossier['id']}"))
    assert final["state"] == "decided" and final["decision"]["number"] == "77/QĐ-UBND"
    record = AwardRecord.objects.get(pk=decided["decision"]["award_record_ids"][0])
    assert record.person == flow["health_person"] and record.award_type.code == "BK_TINH"
    notes = _ok(officer.get("/notifications"))["items"]
    assert any(n["dossier_id"] == dossier["id"] and "77/QĐ-UBND" in n["text"] for n in notes), notes
    assert Notification.objects.filter(user=flow["health_officer"], dossier_id=dossier["id"]).exists()

    store = two_servers["store"]
    s3 = _s3(store)
    for attachment in Attachment.objects.filter(dossier_id=dossier["id"]):
        body = s3.get_object(Bucket=store["bucket"], Key=attachment.file.name)["Body"].read()
        assert body == uploaded[attachment.component]
    for server in (a, b):
        media = server["home"] / "media"
        assert not media.exists() or not any(p.is_file() for p in media.rglob("*")), "a file reached a disk"


def test_a_login_on_one_server_is_the_same_session_on_the_other(
    two_servers: dict[str, Any], flow: dict[str, Any]
) -> None:
    a, b = two_servers["a"], two_servers["b"]
    user = flow["health_officer"]
    # The suite hashes with MD5 for speed; the servers accept only their real hashers.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])

    browser = requests.Session()
    page = browser.get(a["url"] + "/tai-khoan/dang-nhap/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    login = browser.post(
        a["url"] + "/tai-khoan/dang-nhap/",
        data={"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": a["url"] + "/tai-khoan/dang-nhap/"},
        timeout=60,
        allow_redirects=False,
    )
    assert login.status_code == 302, login.text[:1000]

    # The session cookie from A opens B's pages, and B read the session from the shared Redis.
    on_b = browser.get(b["url"] + "/tong-quan/", timeout=60, allow_redirects=False)
    assert on_b.status_code == 200 and user.username in on_b.text
    keys = [k.decode() for k in two_servers["redis"].scan_iter(f"{two_servers['prefix']}*")]
    assert any("django.contrib.sessions.cached_db" in k for k in keys), keys

    # An Excel import checked on A is committed on B: the kept file is in the object store.
    workbook = generate_people_workbook([person_row(flow["health"].code, identity_number="001085009991")])
    form = browser.get(a["url"] + "/nhap-du-lieu/", timeout=60)
    assert form.status_code == 200
    checked = browser.post(
        a["url"] + "/nhap-du-lieu/",
        data={"kind": "people", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        files={"file": ("nhan-su.xlsx", workbook)},
        headers={"Referer": a["url"] + "/nhap-du-lieu/"},
        timeout=60,
    )
    batch = ImportBatch.objects.get(uploaded_by=user)
    # The upload answered at once with the batch page; a worker (each `thidua serve` runs one beside it, on
    # the queue in the shared database) checks the file, and B's page shows the result.
    assert checked.status_code == 200 and checked.url == f"{a['url']}/nhap-du-lieu/{batch.pk}/", checked.url
    _until(browser, f"{b['url']}/nhap-du-lieu/{batch.pk}/", "Xác nhận ghi vào sổ")
    committed = browser.post(
        f"{b['url']}/nhap-du-lieu/{batch.pk}/xac-nhan/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": b["url"] + "/nhap-du-lieu/"},
        timeout=60,
    )
    assert committed.status_code == 200, committed.text[:2000]
    _until(browser, f"{a['url']}/nhap-du-lieu/{batch.pk}/", "1 bản ghi mới")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert Person.objects.filter(identity_number="001085009991", unit=flow["health"]).exists()
    store = two_servers["store"]
    kept = _s3(store).get_object(Bucket=store["bucket"], Key=batch.stored_file)["Body"].read()
    assert kept == workbook

    # Logging out on B ends the session on A too.
    out_page = browser.get(b["url"] + "/tong-quan/", timeout=60)
    csrf = browser.cookies.get("csrftoken")
    assert out_page.status_code == 200 and csrf
    logout = browser.post(
        b["url"] + "/tai-khoan/dang-xuat/",
        data={"csrfmiddlewaretoken": csrf},
        headers={"Referer": b["url"] + "/tong-quan/"},
        timeout=60,
        allow_redirects=False,
    )
    assert logout.status_code in (200, 302)
    again = browser.get(a["url"] + "/tong-quan/", timeout=60, allow_redirects=False)
    assert again.status_code == 302 and "dang-nhap" in again.headers["Location"]
