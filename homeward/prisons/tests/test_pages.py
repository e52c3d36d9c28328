"""The public guide: list, search, a prison's page, closed prisons, unknown codes, the booklet."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from homeward.prisons import services
from homeward.prisons.models import BookingUnit, Prison, Tip


def text(response) -> str:
    return html.unescape(response.content.decode())


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", text(response), re.S)
    assert match
    return match.group(1)


def test_list_groups_open_prisons_by_region_with_counts(prisons, client: Client):
    response = client.get("/prisons/")

    page = text(response)
    assert response.status_code == 200
    assert "Browse all 126 prisons" in page  # 125 active and Millsike
    assert "South East (" in page
    assert "Wales (7)" in page
    assert "Closed establishments (46)" in page
    assert "prison" not in title(response).lower()


def test_list_filters_by_region_and_type(prisons, client: Client):
    page = text(client.get("/prisons/?region=wales&type=men"))

    assert 'href="/prisons/CFI/"' in page
    assert 'href="/prisons/LWI/"' not in page
    assert "Browse all 6 prisons shown" in page


def test_search_by_name_or_town_finds_closed_ones_marked_closed(prisons, client: Client):
    page = text(client.get("/prisons/search/?q=lewes"))
    assert "Lewes" in page

    page = text(client.get("/prisons/search/?q=Rainsbrook"))
    assert "Rainsbrook" in page
    assert "Closed" in page


def test_search_by_full_postcode_lists_the_nearest_with_distances(prisons, client: Client):
    response = client.get("/prisons/search/?postcode=bn7 2aa")

    page = text(response)
    assert "Nearest prisons to BN7 2AA" in page
    assert page.index("Lewes") < page.index("Ford")
    assert "less than a mile" in page or "about 1 mile" in page
    assert "prison" not in title(response).lower()


def test_malformed_postcode_gets_a_clear_message_with_an_example(prisons, client: Client):
    response = client.get("/prisons/search/?postcode=hello")

    page = text(response)
    assert response.status_code == 200
    assert "Enter a UK postcode, for example BN7 1EA (or just BN7)." in page
    assert 'value="hello"' in page


def test_prison_page_shows_what_the_data_says(lewes, client: Client):
    response = client.get("/prisons/LWI/")

    page = text(response)
    assert title(response).startswith("Lewes: visiting guide")
    assert (
        "Lewes is a men's category B prison and young offender institution run by the Prison "
        "Service." in page
    )
    assert "1 Brighton Road" in page
    assert "https://www.openstreetmap.org/search?query=BN7%201EA" in page
    assert "01273 785 271" in page
    assert "You can't book online" in page
    assert "last published times, from 31 July 2026" in page
    assert "Check with the prison before you travel" in page
    assert "2pm to 3:30pm" in page
    assert "Visitors aged 18 or over count as adults" in page
    assert "What to bring, and what not to" in page
    assert "Help with the cost of visits" in page
    assert "None" not in page


def test_missing_fields_are_left_out_not_shown_empty(prisons, client: Client):
    page = text(client.get("/prisons/MKI/"))

    assert "Millsike" in page
    assert "None" not in page
    assert "How to book a visit" not in page  # no phone, e-mail or booking details
    assert "We don't have published visiting times for Millsike" in page
    assert "last published times" not in page


def test_lowercase_code_redirects_to_the_page(lewes, client: Client):
    response = client.get("/prisons/lwi/")
    assert response.status_code == 301
    assert response["Location"] == "/prisons/LWI/"


def test_unknown_code_is_404_with_a_search(prisons, client: Client):
    response = client.get("/prisons/XYZ/")

    assert response.status_code == 404
    page = text(response)
    assert "We can't find that prison" in page
    assert 'name="q"' in page
    assert 'name="postcode"' in page


def test_closed_prison_is_explained_with_the_nearest_open_ones(prisons, client: Client):
    page = text(client.get("/prisons/STC2/"))

    assert "Rainsbrook has closed" in page
    assert "The nearest open prisons are" in page
    assert "Onley" in page  # a mile or two away
    assert "Follow" not in page


def test_booklet_prints_the_guide(lewes, client: Client):
    response = client.get("/prisons/LWI/booklet/")

    page = text(response)
    assert response.status_code == 200
    assert "Visiting Lewes" in page
    assert "prisons/prisons.css" in page
    assert "ID you need" in page
    assert "Samaritans" in page
    assert "prison" not in title(response).lower()


def test_staff_section_replaces_national_text_on_page(lewes, worker_a, client: Client):
    services.save_section(worker_a, lewes, "dress", "No **football shirts** at Lewes.")

    page = client.get("/prisons/LWI/").content.decode()
    assert "No <strong>football shirts</strong> at Lewes." in page
    assert "Written for Lewes" in page


def test_page_queries_stay_the_same_with_many_tips_and_units(lewes, family, peer_moderator):
    client = Client()
    client.force_login(family)
    client.get("/prisons/LWI/")
    counts = []
    for n in (1, 20):
        for i in range(Tip.objects.filter(prison=lewes).count(), n):
            tip = services.add_tip(peer_moderator, lewes, f"Useful tip number {i}")
            services.mark_helpful(family, tip)
        BookingUnit.objects.bulk_create(
            BookingUnit(prison=lewes, position=10 + i, name=f"Wing {n}-{i}") for i in range(n)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/prisons/LWI/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert "Useful tip number 19" in text(response)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("url", ["/prisons/", "/prisons/search/?postcode=BN7"])
def test_list_and_search_queries_do_not_grow_with_prisons(prisons, client: Client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    Prison.objects.bulk_create(
        Prison(
            code=f"Z{i:02d}",
            name=f"Extra {i}",
            active=True,
            region="london",
            latitude=51.5,
            longitude=-0.1,
        )
        for i in range(30)
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(few) == len(many)


def test_welsh_prison_shows_its_welsh_address_marked_as_welsh(prisons, client: Client):
    page = text(client.get("/prisons/CFI/"))
    assert "Knox Road" in page
    assert '<p lang="cy"><span class="visually-hidden">Welsh address: </span>Heol Knox' in page
    assert "None" not in page
