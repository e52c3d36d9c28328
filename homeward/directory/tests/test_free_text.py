"""Free text on /directory/ and the API's `search` use core.search: every word must match,
words are stemmed and the last one is a prefix; a service is found by its name, who runs it,
what it offers and the needs it helps with; every way a service is written keeps its search
document current, and importing again leaves one document per service."""

from __future__ import annotations

import json
import random

import pytest
from django.urls import reverse

from homeward.core.models import SearchDocument
from homeward.directory import factories, services
from homeward.directory.interchange import import_feed
from homeward.directory.models import Service
from homeward.directory.tests.conftest import EXAMPLES

FIND = reverse("directory:find")


@pytest.fixture
def groups(db) -> dict[str, Service]:
    return {
        "talk": factories.make_service(
            "Tuesday talking group (demo)", outcode="BN7", n=1,
            terms=("counselling-emotional-support",), description="A place to talk, with tea.",
        ),
        "visits": factories.make_service(
            "Travel club (demo)", outcode="BN7", n=2, terms=("visiting-support",),
            description="Lifts and company for prison visits.",
        ),
    }  # fmt: skip


def _local(client, q: str) -> str:
    page = client.get(FIND, {"q": q}).content.decode()
    return page.split('id="local-heading"')[1].split('id="national-heading"')[0]


def test_words_match_name_description_organisation_and_needs(client, groups) -> None:
    assert "Tuesday talking group" in _local(client, "talking")
    assert "Tuesday talking group" in _local(client, "talked")  # stemmed
    assert "Travel club" in _local(client, "visiting")  # "visits" in the description
    assert "Tuesday talking group" in _local(client, "counselling")  # a need it helps with
    assert "Travel club" not in _local(client, "counselling")
    assert "Travel club" in _local(client, "Lewes families")  # who runs it
    assert "Travel club" in _local(client, "trav")  # the last word as a prefix
    assert "Travel club" not in _local(client, "travel counselling")  # every word must match


def test_odd_input_is_safe_and_matches_nothing(client, groups) -> None:
    for q in ('"', "*", "NEAR(", "-", "😀"):
        response = client.get(FIND, {"q": q})
        assert response.status_code == 200
        assert "Travel club" not in response.content.decode()


def test_edits_and_renames_keep_documents_current(client, groups, org_a) -> None:
    talk = groups["talk"]
    payload = factories.demo_payload(random.Random(1), 10_001, outcode="BN7")
    payload |= {"id": str(talk.pk), "name": "Wednesday chat (demo)"}
    services.save_oruk_service(payload, is_demo=True)
    assert "Wednesday chat" in _local(client, "wednesday")
    assert "Wednesday chat" not in _local(client, "tuesday")
    # A service closed for good is not found.
    services.save_oruk_service(payload | {"status": "defunct"}, is_demo=True)
    assert not SearchDocument.objects.filter(object_uuid=talk.pk).exists()
    # The organisation renamed on another service's import: its services are found by it.
    visits = groups["visits"]
    other = factories.demo_payload(random.Random(3), 10_003, outcode="BN7")
    other["organization"] = {"id": str(visits.organization_id), "name": "Harbour Trust"}
    services.save_oruk_service(other, is_demo=True)
    assert "Travel club" in _local(client, "harbour")


def test_importing_again_leaves_one_document_per_service(db) -> None:
    import_feed(str(EXAMPLES))
    import_feed(str(EXAMPLES))
    imported = Service.objects.count()
    assert imported and SearchDocument.objects.filter(model="directory.service").count() == imported


def test_the_api_search_parameter_uses_the_index(client, listings) -> None:
    body = client.get("/api/oruk/services", {"search": "samaritan"}).json()
    assert [s["name"] for s in body["contents"]] == ["Samaritans"]
    body = client.get("/api/oruk/services", {"search": "helpline prisoners"}).json()
    assert "Prisoners' Families Helpline" in {s["name"] for s in body["contents"]}
    assert "Samaritans" not in {s["name"] for s in body["contents"]}
    example = json.loads((EXAMPLES / "service_full.json").read_text())
    first_word = example["name"].split()[0]
    body = client.get("/api/oruk/services", {"search": first_word}).json()
    assert example["id"] in {s["id"] for s in body["contents"]}


def test_seeding_rebuilds_documents_missing_from_an_older_database(db) -> None:
    from django.core.management import call_command

    call_command("seed_directory", "--demo", "3")
    SearchDocument.objects.all().delete()  # as in a database from before search existed
    call_command("seed_directory")
    assert SearchDocument.objects.filter(model="directory.service").count() == (
        Service.objects.count()
    )


def test_without_a_postcode_a_name_match_comes_before_a_description_match(client, db) -> None:
    factories.make_service(
        "Chat over tea (demo)", outcode="BN7", n=3, description="A friendly travel circle."
    )
    factories.make_service("Travel club (demo)", outcode="BN7", n=4, description="Lifts.")
    local = _local(client, "travel")
    assert local.index("Travel club") < local.index("Chat over tea")


def test_near_a_postcode_words_are_checked_among_the_nearby_services(client, groups) -> None:
    """The distance box narrows first; the words then decide among those services."""
    near = {"postcode": "BN7 1EA", "radius": "10"}
    page = client.get(FIND, near | {"q": "talking"}).content.decode()
    local = page.split('id="local-heading"')[1].split('id="national-heading"')[0]
    assert "Tuesday talking group" in local
    assert "Travel club" not in local
    page = client.get(FIND, near | {"q": "talking", "need": "visiting-support"}).content.decode()
    assert "Tuesday talking group" not in page.split('id="national-heading"')[0]


def test_an_unknown_need_in_a_shared_link_gets_a_plain_message(client, db):
    page = client.get("/directory/", {"need": "no-such-need", "q": "visits"}).content.decode()
    assert "Choose one of the options in this list." in page
    assert "Select a valid choice" not in page and "no-such-need is not" not in page
    assert 'value="visits"' in page  # the rest of what was asked is kept
