from __future__ import annotations

import re

from django.test import Client


def test_public_home_is_vietnamese_and_offers_login(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Thi đua, khen thưởng" in response.text
    assert "/tai-khoan/dang-nhap/" in response.text


def test_every_asset_the_page_links_is_served(client: Client, db: None) -> None:
    # The public portal's pages leave htmx out (one cached copy for every visitor, nothing to swap); the
    # login page has it.
    page = client.get("/").text + client.get("/tai-khoan/dang-nhap/").text
    assets = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page))
    assert len(assets) >= 4  # bootstrap css+js, site css, htmx
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset


def test_missing_page_answers_in_vietnamese(client: Client, db: None) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert "Not Found" not in response.text


def test_pages_stay_vietnamese_for_an_english_browser(client: Client, db: None) -> None:
    from django.template import Context, Template

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.text
    rendered = Template("{% load humanize %}{{ n|intcomma }} {{ d|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"n": 50684, "d": __import__("datetime").date(2026, 1, 5)})
    )
    assert rendered == "50.684 05/01/2026"
