"""The public portal: what a visitor without an account sees, what never reaches them, and the cache."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import FIXED_TODAY
from tests.factories import make_person
from tests.portal.conftest import published
from tests.proposals.conftest import pdf_upload
from thidua.awards.models import Decision
from thidua.portal import services
from thidua.portal.models import RoleModel

pytestmark = pytest.mark.django_db


def _headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def test_role_model_page_shows_the_story_photo_and_awards_and_nothing_private(
    portal_world: dict[str, Any], client: Client
) -> None:
    role_model = portal_world["role_model"]
    person = portal_world["health_person"]
    response = client.get(f"/dien-hinh/{role_model.slug}/")
    assert response.status_code == 200
    html = response.text
    assert f"<title>{person.full_name} · " in html
    assert '<meta name="description" content="Bác sĩ tận tụy vùng cao.' in html
    assert f'<meta property="og:title" content="{person.full_name}">' in html
    assert f'<meta property="og:image" content="http://testserver/dien-hinh/{role_model.slug}/anh/">' in html
    assert f'alt="{person.full_name}"' in html
    assert "Chiến sĩ thi đua cơ sở" in html and "15/QĐ-UBND" in html
    for private in (
        person.identity_number,
        "0912345678",
        "bacsi.an@example.vn",
        "Ghi chú nội bộ",
        "Thành tích riêng tư",
        "2.340.000",
    ):
        assert private not in html
    headings = _headings(html)
    assert headings.count(1) == 1 and headings[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(headings))
    assert 'href="#noi-dung"' in html and 'id="noi-dung"' in html
    assert "<script>" not in html and "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    photo = client.get(f"/dien-hinh/{role_model.slug}/anh/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"


def test_published_decision_shows_public_fields_only(portal_world: dict[str, Any], client: Client) -> None:
    decision = Decision.objects.get(number="15/QĐ-UBND")
    assert client.get(f"/quyet-dinh/{decision.pk}-15-qd-ubnd/").status_code == 404
    services.decision_publish(actor=portal_world["specialist"], decision=decision)
    short = client.get(f"/quyet-dinh/{decision.pk}/")
    assert short.status_code == 301 and short["Location"] == f"/quyet-dinh/{decision.pk}-15-qd-ubnd/"
    html = client.get(short["Location"]).text
    person = portal_world["health_person"]
    assert person.full_name in html and "Sở Y tế" in html and "Chiến sĩ thi đua cơ sở" in html
    assert (
        "Thành tích riêng tư" not in html and "2.340.000" not in html and person.identity_number not in html
    )
    assert "15/QĐ-UBND" in client.get("/quyet-dinh/").text
    assert "15/QĐ-UBND" in client.get("/").text


def test_withdrawn_consent_takes_the_profile_and_its_cached_pages_off_at_once(
    portal_world: dict[str, Any], client: Client
) -> None:
    role_model = portal_world["role_model"]
    url = f"/dien-hinh/{role_model.slug}/"
    pages = ["/", "/dien-hinh/", "/tim-kiem/?q=nguyen+van"]
    first = client.get(url)
    assert first.status_code == 200 and first["X-Portal-Cache"] == "miss"
    for page in pages:
        assert f'href="{url}"' in client.get(page).text, page
    # The second visit is served from the cache, with no query beyond the version's.
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again["X-Portal-Cache"] == "hit" and again.content == first.content
    assert len(queries) == 1
    assert [p for p in pages if client.get(p)["X-Portal-Cache"] != "hit"] == []

    services.consent_withdraw(
        actor=portal_world["health_officer"], consent=role_model.consents.get(), note="Xin rút"
    )

    assert client.get(url).status_code == 404
    assert client.get(f"/dien-hinh/{role_model.slug}/anh/").status_code == 404
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200 and response["X-Portal-Cache"] == "miss", page
        assert url not in response.text and role_model.name not in response.text, page
    role_model.refresh_from_db()
    assert role_model.state == "approved" and not role_model.featured


def test_search_without_diacritics_finds_the_name(portal_world: dict[str, Any], client: Client) -> None:
    other = make_person(portal_world["education"], "Trần Thị Hoa Nguyệt", identity_number="098765432109")
    education_officer = portal_world["education_officer"]
    second = published(education_officer, portal_world["specialist"], person=other)
    first = portal_world["role_model"]
    html = client.get("/tim-kiem/", {"q": "nguyen van"}).text
    # The name comes back with the words found marked, accents and all.
    assert "<mark>Nguyễn</mark> <mark>Văn</mark> Đức" in html
    assert f"/dien-hinh/{first.slug}/" in html and f"/dien-hinh/{second.slug}/" not in html
    typed_with_accents = client.get("/tim-kiem/", {"q": "NGUYỄN VĂN"}).text
    assert f"/dien-hinh/{first.slug}/" in typed_with_accents
    only_second = client.get("/tim-kiem/", {"q": "hoa nguyet"}).text
    assert f"/dien-hinh/{second.slug}/" in only_second and f"/dien-hinh/{first.slug}/" not in only_second


def test_unpublished_role_models_are_nowhere(portal_world: dict[str, Any], client: Client) -> None:
    from thidua.portal.services import role_model_nominate

    hidden = role_model_nominate(
        actor=portal_world["health_officer"],
        person=portal_world["clinic_person"],
        headline="Chưa duyệt",
        story="Câu chuyện.",
        year=2025,
    )
    assert client.get(f"/dien-hinh/{hidden.slug}/").status_code == 404
    for page in ("/", "/dien-hinh/", "/tim-kiem/?q=lo+thi+mai"):
        assert "Lò Thị Mai" not in client.get(page).text
    assert RoleModel.objects.count() == 2


def test_signed_in_staff_still_go_to_their_dashboard(portal_world: dict[str, Any], client_for: Any) -> None:
    client = client_for(portal_world["health_officer"])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/tong-quan/"
    assert cache.get("portal:version") is None


def test_every_public_page_has_one_h1_ordered_headings_and_sharing_tags(
    portal_world: dict[str, Any], client: Client
) -> None:
    from thidua.movements import services as movements

    specialist = portal_world["specialist"]

    def movement(title: str) -> Any:
        return movements.movement_create(
            actor=specialist,
            authority=portal_world["ubnd"].authority,
            title=title,
            kind="regular",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
            units=[portal_world["health"]],
        )

    launched = movement("Phong trào thi đua năm 2026")
    movements.criterion_add(
        actor=specialist, movement=launched, name="Số lớp", unit_of_measure="lớp", target="4"
    )
    movements.document_add(actor=specialist, movement=launched, upload=pdf_upload("ke-hoach.pdf"))
    launched = movements.movement_launch(actor=specialist, movement=launched)
    movements.review_record(actor=specialist, movement=launched, kind="midterm", held_on=FIXED_TODAY)
    movement("Phong trào còn đang soạn")
    decision = Decision.objects.get(number="15/QĐ-UBND")
    services.decision_publish(actor=portal_world["specialist"], decision=decision)
    role_model = portal_world["role_model"]
    urls = [
        "/",
        "/dien-hinh/",
        f"/dien-hinh/{role_model.slug}/",
        "/quyet-dinh/",
        f"/quyet-dinh/{decision.pk}-15-qd-ubnd/",
        "/phong-trao-thi-dua/",
        "/tim-kiem/",
        "/tim-kiem/?q=duc",
    ]
    listing = client.get("/phong-trao-thi-dua/").text
    assert "Phong trào thi đua năm 2026" in listing and f"Sơ kết ngày {FIXED_TODAY:%d/%m/%Y}" in listing
    assert "Phong trào còn đang soạn" not in listing
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.text
        headings = _headings(html)
        assert headings.count(1) == 1 and headings[0] == 1, url
        assert all(b - a <= 1 for a, b in itertools.pairwise(headings)), (url, headings)
        for tag in ('<meta name="description" content="', '<meta property="og:title" content="'):
            assert tag in html and f'{tag}"' not in html, (url, tag)
        assert f'<meta property="og:url" content="http://testserver{url.split("?")[0]}">' in html, url
        assert re.search(r"<title>[^<]+ · Thi đua, khen thưởng</title>", html), url
        assert "<script>" not in html and " on" + "click=" not in html, url
        images = re.findall(r"<img [^>]*>", html)
        assert all(re.search(r'alt="[^"]+"', img) for img in images), url
