"""The load scenario of the benchmark (docs/benchmarks.md): what a province's staff and the public do on a
working morning, each user waiting 1–5 s between requests.

Run through `loadtest/run.py` (make bench-load), which starts the server, runs locust headless and prints
the figures. Every request is named by its page group, so the report gives one line per group.

Logins are the demo province's (password `thiduatinh2026`). Run by loadtest/run.py, each simulated officer
signs in with an account of its own (`canbo-001`, `chuyenvien-002`..., copies of the demo's accounts that
run.py writes; LOAD_ACCOUNTS says how many of each): its exports are its own, as a real officer's are.
run.py signs them in before the measured minutes (LOAD_SESSIONS: their cookies); an account it did
not sign in logs in here. Without LOAD_ACCOUNTS, the simulated users of a role share the demo account, each
with its own session. The specialist's and the chairman's logins type the demo key's code
(loadtest/demo_otp.py); an authenticator code is accepted once, so simulated users sharing such an account
share the session its first login opened.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
import threading
import time
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_otp import OTP_USERNAMES, totp
from scenario import PUBLIC_WEIGHT, STAFF_WEIGHTS, WAIT_SECONDS

PASSWORD = "thiduatinh2026"
# One session per account that needs the second factor, opened by its first simulated user.
_OTP_SESSIONS: dict[str, str] = {}
_OTP_LOCK = threading.Lock()
# Folded and accented, as people type them: the search ignores diacritics.
TERMS = [
    "nguyen van",
    "lo thi",
    "tran thi hoa",
    "giang a",
    "Nguyễn Thị",
    "hoang van nam",
    "so y te",
    "truong tieu hoc",
    "lao dong tien tien",
    "QĐ-UBND",
]
PERSON = re.compile(r"/to-chuc/ca-nhan/(\d+)/")
DOSSIER = re.compile(r"/ho-so/(\d+)/")


ACCOUNTS = int(os.environ.get("LOAD_ACCOUNTS", "0"))
# The cookies of the accounts run.py signed in before the run (loadtest/run.py, sign_in).
SIGNED_IN: dict[str, dict[str, str]] = (
    json.loads(Path(os.environ["LOAD_SESSIONS"]).read_text(encoding="utf-8"))
    if os.environ.get("LOAD_SESSIONS")
    else {}
)
_NUMBERS: dict[str, itertools.count[int]] = {}


class Staff(HttpUser):
    abstract = True
    wait_time = between(*WAIT_SECONDS)
    username = ""

    def on_start(self) -> None:
        if ACCOUNTS:
            number = next(_NUMBERS.setdefault(self.username, itertools.count()))
            self.username = f"{self.username}-{number % ACCOUNTS + 1:03d}"
        if self.username in SIGNED_IN:
            for name, value in SIGNED_IN[self.username].items():
                self.client.cookies.set(name, value)
        elif self.username in OTP_USERNAMES:
            with _OTP_LOCK:
                if self.username not in _OTP_SESSIONS:
                    self.login()
                    _OTP_SESSIONS[self.username] = self.client.cookies.get("sessionid", "")
            self.client.cookies.set("sessionid", _OTP_SESSIONS[self.username])
        else:
            self.login()
        people = self.client.get("/to-chuc/ca-nhan/", name="danh sách cá nhân").text
        self.people = sorted({int(pk) for pk in PERSON.findall(people)}) or [0]
        dossiers = self.client.get("/ho-so/", name="danh sách hồ sơ").text
        self.dossiers = sorted({int(pk) for pk in DOSSIER.findall(dossiers)})

    def login(self) -> None:
        page = self.client.get("/tai-khoan/dang-nhap/", name="đăng nhập")
        token = self.client.cookies.get("csrftoken", "")
        answer = self.client.post(
            "/tai-khoan/dang-nhap/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": ""},
            headers={"Referer": page.url},
            name="đăng nhập",
        )
        if "/tai-khoan/dang-nhap/" in answer.url:
            raise RuntimeError(f"login failed for {self.username}")
        if "/tai-khoan/xac-thuc/" in answer.url:
            token = self.client.cookies.get("csrftoken", "")
            verified = self.client.post(
                "/tai-khoan/xac-thuc/",
                # The next time step's code (django-otp accepts one step either side): the current step's
                # may already be spent by loadtest/run.py's own login to the same account.
                data={"token": totp(at=time.time() + 30), "csrfmiddlewaretoken": token, "next": ""},
                headers={"Referer": answer.url},
                name="xác thực hai lớp",
            )
            if "/tai-khoan/xac-thuc/" in verified.url:
                raise RuntimeError(f"second factor refused for {self.username}")

    @task(6)
    def dashboard(self) -> None:
        self.client.get("/tong-quan/", name="tổng quan")

    @task(6)
    def search(self) -> None:
        self.client.get("/khen-thuong/tra-cuu/", params={"q": random.choice(TERMS)}, name="tra cứu")

    @task(5)
    def profile(self) -> None:
        self.client.get(f"/to-chuc/ca-nhan/{random.choice(self.people)}/", name="hồ sơ cá nhân")

    @task(3)
    def eligibility(self) -> None:
        self.client.get(f"/tham-dinh/ca-nhan/{random.choice(self.people)}/", name="điều kiện khen thưởng")

    @task(3)
    def dossier_list(self) -> None:
        self.client.get("/ho-so/", name="danh sách hồ sơ")

    @task(3)
    def dossier_detail(self) -> None:
        if self.dossiers:
            self.client.get(f"/ho-so/{random.choice(self.dossiers)}/", name="chi tiết hồ sơ")

    @task(2)
    def people_list(self) -> None:
        self.client.get("/to-chuc/ca-nhan/", params={"q": random.choice(TERMS)}, name="danh sách cá nhân")

    @task(1)
    def export(self) -> None:
        self.client.get("/khen-thuong/quyet-dinh/", params={"export": "xlsx"}, name="xuất Excel")


class UnitOfficer(Staff):
    weight = STAFF_WEIGHTS["canbo"]
    username = "canbo"


class BoardSpecialist(Staff):
    weight = STAFF_WEIGHTS["chuyenvien"]
    username = "chuyenvien"


class Chairman(Staff):
    weight = STAFF_WEIGHTS["chutich"]
    username = "chutich"


ROLE_MODEL = re.compile(r'href="(/dien-hinh/[^/"]+/)"')
PORTAL_TERMS = ["nguyen", "lo thi", "truong", "so y te", "giang", "hoang van"]


class Public(HttpUser):
    """A citizen on the public portal: no login, the cached pages (docs/portal.md)."""

    weight = PUBLIC_WEIGHT
    wait_time = between(*WAIT_SECONDS)

    def on_start(self) -> None:
        # Measured beside a commit from before the portal (loadtest/run.py --ref), the visitor reads only
        # what both have: the home and the comment page.
        self.portal = os.environ.get("LOAD_PORTAL", "1") == "1"
        if not self.portal:
            self.role_models = []
            return
        listing = self.client.get("/dien-hinh/", name="cổng: điển hình").text
        self.role_models = sorted(set(ROLE_MODEL.findall(listing))) or ["/dien-hinh/"]

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="trang công khai")

    @task(2)
    def role_model(self) -> None:
        if not self.portal:
            return self.home()
        self.client.get(random.choice(self.role_models), name="cổng: điển hình")

    @task(1)
    def decisions(self) -> None:
        if not self.portal:
            return self.home()
        self.client.get("/quyet-dinh/", name="cổng: quyết định")

    @task(1)
    def search(self) -> None:
        if not self.portal:
            return self.home()
        self.client.get("/tim-kiem/", params={"q": random.choice(PORTAL_TERMS)}, name="cổng: tìm kiếm")

    @task(1)
    def comments(self) -> None:
        self.client.get("/lay-y-kien/", name="trang công khai")

    @task(1)
    def floor(self) -> None:
        # The bare view, measured in the same run: every group's cost is read against its p50. An older
        # commit measured for comparison has no such view (LOAD_FLOOR=0).
        if os.environ.get("LOAD_FLOOR", "1") == "1":
            self.client.get("/healthz", name="healthz")
