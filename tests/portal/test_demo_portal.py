"""Every public page of the demo province, read as a visitor: nothing personal of anyone reaches it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from thidua.awards.models import AwardRecord, Decision
from thidua.core.text import fold
from thidua.demo.loader import demo_load
from thidua.organisation.models import Person
from thidua.portal.models import Consent, RoleModel, RoleModelState

pytestmark = pytest.mark.django_db

PEOPLE = 200


def _private_values() -> set[str]:
    """What must never be on a public page: every CCCD and birth date of the province, the role models'
    contacts and internal notes, the withdrawal notes, the achievements' text of the award records."""
    values: set[str] = set()
    for number, born in Person.objects.values_list("identity_number", "birth_date"):
        if number:
            values.add(number)
        if born:
            values.update({born.strftime("%d/%m/%Y"), born.isoformat()})
    for phone, email, note in RoleModel.objects.values_list(
        "contact_phone", "contact_email", "internal_note"
    ):
        values.update(v for v in (phone, email, note) if v)
    values.update(n for n in Consent.objects.values_list("withdrawal_note", flat=True) if n)
    values.update(r for r in AwardRecord.objects.values_list("reason", flat=True) if len(r) > 12)
    return values


def _links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))


def test_demo_portal_pages_hold_no_private_field(client: Client) -> None:
    result = demo_load(people=PEOPLE, seed=2026, history=False)
    assert result.counts["role_models"] == 13
    published = RoleModel.objects.filter(state=RoleModelState.PUBLISHED)
    assert published.count() == 12
    assert published.filter(featured=True).count() == 4
    withdrawn = RoleModel.objects.get(consents__withdrawn_at__isnull=False)
    assert withdrawn.state == RoleModelState.APPROVED
    decisions_2025 = Decision.objects.filter(date__year=2025)
    assert decisions_2025.exists()
    assert result.counts["published_decisions"] == decisions_2025.count()
    assert not Decision.objects.filter(published_at__isnull=False).exclude(date__year=2025).exists()

    private = _private_values()
    assert len(private) > 400

    pages: dict[str, str] = {}

    def read(url: str, status: int = 200) -> str:
        response = client.get(url)
        assert response.status_code == status, url
        pages[url] = response.text
        return response.text

    home = read("/")
    read("/phong-trao-thi-dua/")
    role_links = set(_links(home, r'href="(/dien-hinh/[a-z0-9-]+/)"'))
    listing = read("/dien-hinh/")
    role_links |= set(_links(listing, r'href="(/dien-hinh/[a-z0-9-]+/)"'))
    assert role_links == {f"/dien-hinh/{slug}/" for slug in published.values_list("slug", flat=True)}
    decision_links: set[str] = set()
    page = 1
    while True:
        html = read(f"/quyet-dinh/?trang={page}")
        decision_links |= set(_links(html, r'href="(/quyet-dinh/\d+-[a-z0-9-]+/)"'))
        if f"trang={page + 1}" not in html:
            break
        page += 1
    assert len(decision_links) == decisions_2025.count()
    for url in sorted(role_links):
        html = read(url)
        decision_links |= set(_links(html, r'href="(/quyet-dinh/\d+-[a-z0-9-]+/)"'))
    for url in sorted(decision_links):
        read(url)
    for role_model in published:
        html = read(f"/tim-kiem/?q={fold(role_model.name).replace(' ', '+')}")
        assert f"/dien-hinh/{role_model.slug}/" in html
    read("/tim-kiem/?q=nguyen")
    read(f"/dien-hinh/{withdrawn.slug}/", status=404)
    assert all(f"/dien-hinh/{withdrawn.slug}/" not in html for html in pages.values())

    leaks = sorted({(url, value) for url, html in pages.items() for value in private if value in html})
    assert leaks == []
    assert len(pages) >= 12 + 1 + 1 + 1 + len(decision_links)
