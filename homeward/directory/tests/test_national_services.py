"""The real national services: each has a source, numbers and addresses in a form people can
use, and reseeding after a rename keeps the same record (and its links)."""

from __future__ import annotations

import re

import pytest

from homeward.directory import factories
from homeward.directory.data.national_services import NATIONAL_SERVICES
from homeward.directory.models import Organization, Service
from homeward.directory.taxonomy import TERMS

CODES = {code for code, _, _ in TERMS}
UK_NUMBER = re.compile(r"^(0\d{3} \d{3} \d{4}|0\d{3} \d{4}|0800 \d{4}|116 123|111|85258)$")


@pytest.mark.parametrize("entry", NATIONAL_SERVICES, ids=lambda e: e["name"][:30])
def test_every_entry_says_where_its_facts_come_from(entry) -> None:
    assert entry["source"].strip()
    assert entry["website"].startswith("https://")
    assert entry.get("url", "https://").startswith("https://")
    assert set(entry["terms"]) <= CODES and entry["terms"]
    for number, description in entry["phones"]:
        assert UK_NUMBER.match(number), number
        assert description


def test_the_numbers_families_are_told_about_most(db) -> None:
    phones = {
        s.name: sorted(s.phones.values_list("number", flat=True))
        for s in factories.seed_national_services()
    }
    assert phones["Prisoners' Families Helpline"] == ["0808 808 2003"]
    assert phones["Samaritans"] == ["0808 164 0123", "116 123"]
    assert phones["Shout text support"] == ["85258"]
    assert phones["NHS 111"] == ["111"]
    assert phones["Childline"] == ["0800 1111"]
    assert phones["Help with Prison Visits"] == ["0300 063 2100"]
    assert "Families Outside" not in phones  # Scotland only


def test_reseeding_after_a_rename_keeps_the_same_records(db) -> None:
    first = {s.name: s.pk for s in factories.seed_national_services()}
    again = {s.name: s.pk for s in factories.seed_national_services()}
    assert first == again
    assert Service.objects.count() == len(NATIONAL_SERVICES)
    assert Organization.objects.count() == len({e["organization"] for e in NATIONAL_SERVICES})
    # Ids come from the old names, so links to the renamed entries still work.
    renamed = Service.objects.get(name="Help with Prison Visits")
    assert str(renamed.pk) == factories._id(
        "service", "Help with the cost of prison visits (Assisted Prison Visits)"
    )
