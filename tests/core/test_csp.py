"""Content-Security-Policy (issue 13, item 7): no script runs but the product's own files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import thidua

pytestmark = pytest.mark.django_db

TEMPLATES = Path(thidua.__file__).resolve().parent
# A <script> element that runs code: no src, and not a JSON data block.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("url", ["/tai-khoan/dang-nhap/", "/lay-y-kien/", "/api/docs"])
def test_every_answer_carries_a_policy_that_runs_no_inline_script(client: Client, url: str) -> None:
    response = client.get(url)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_no_template_carries_an_inline_script_or_an_event_handler() -> None:
    """What the policy would block must not be written: every script is a file of the product."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if "/pdf/" in path.as_posix():
            continue  # rendered by WeasyPrint into a PDF, never served as a page
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or HANDLER.search(text):
            found.append(str(path.relative_to(TEMPLATES)))
    assert not found, found


def test_the_scan_finds_what_it_looks_for() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="d">{}</script>')
    assert HANDLER.search('<button onclick="x()">')
    assert not HANDLER.search('<button class="online">')
