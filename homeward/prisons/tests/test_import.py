"""`manage.py import_prisons`: the real file, a second run, and a changed copy."""

from __future__ import annotations

import copy
import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from homeward.core.models import Notification
from homeward.prisons import services
from homeward.prisons.importer import DEFAULT_PATH, import_prisons
from homeward.prisons.models import BookingUnit, Prison, Region


def run(path: Path | None = None) -> str:
    out = StringIO()
    call_command("import_prisons", *([str(path)] if path else []), stdout=out)
    return out.getvalue()


def records() -> list[dict]:
    return json.loads(DEFAULT_PATH.read_text())


@pytest.fixture
def imported(db) -> None:
    import_prisons()


def write(tmp_path: Path, data: list[dict]) -> Path:
    path = tmp_path / "prisons.json"
    path.write_text(json.dumps(data))
    return path


def test_importing_the_shipped_file_creates_172_establishments_125_active(db):
    output = run()

    assert output.startswith("172 new, 0 updated, 0 closed, 0 unchanged")
    assert Prison.objects.count() == 172
    assert Prison.objects.filter(active=True).count() == 125
    assert Prison.objects.closed().count() == 46  # Millsike (not in the register) counts as open
    assert BookingUnit.objects.count() == 132


def test_imported_record_has_place_region_times_and_source_date(imported):
    lewes = Prison.objects.get(code="LWI")
    assert lewes.name == "Lewes"
    assert lewes.region == Region.SOUTH_EAST
    assert lewes.has_location
    assert lewes.latitude == pytest.approx(50.87, abs=0.05)
    assert lewes.source_date == date(2026, 7, 31)
    unit = lewes.booking_units.get()
    assert unit.weekly_slots["mon"] == ["14:00-15:30"]
    assert unit.adult_age == 18
    assert unit.phone == "01273 785 271"
    assert (
        lewes.description
        == "a men's category B prison and young offender institution run by the Prison Service"
    )


def test_region_comes_from_country_or_postcode_when_county_is_missing(imported):
    assert Prison.objects.get(code="CFI").region == Region.WALES
    assert Prison.objects.get(code="BLI").region == Region.SOUTH_WEST
    assert Prison.objects.get(code="WEI").region == Region.YORKSHIRE
    assert Prison.objects.get(code="AKI").region == ""  # closed, no address at all


def test_second_import_of_the_same_file_reports_no_change(imported):
    output = run()

    assert output.strip() == "0 new, 0 updated, 0 closed, 172 unchanged"
    assert BookingUnit.objects.count() == 132


def test_changed_file_reports_exactly_the_changes(imported, tmp_path):
    data = records()
    by_code = {r["code"]: r for r in data}
    by_code["LWI"]["visits"][0]["weekly_slots"]["wed"] = ["09:30-11:00"]
    by_code["BAI"]["phone"] = "020 0000 0000"
    by_code["ACI"]["active"] = False
    new = copy.deepcopy(by_code["LWI"])
    new.update(code="ZZZ", name="Newtown", official_name="Newtown (HMP)", source=[])
    data.append(new)

    output = run(write(tmp_path, data))

    assert output.splitlines()[0] == "1 new, 2 updated, 1 closed, 169 unchanged"
    assert "Updated: BAI, LWI" in output
    assert "Closed: ACI" in output
    assert Prison.objects.get(code="LWI").booking_units.get().weekly_slots["wed"] == ["09:30-11:00"]
    assert Prison.objects.get(code="BAI").phone == "020 0000 0000"
    assert Prison.objects.get(code="ACI").is_closed
    assert Prison.objects.get(code="ZZZ").source_date is None
    assert run(write(tmp_path, data)).startswith("0 new, 0 updated, 0 closed, 173 unchanged")


def test_change_notifies_followers_only_with_a_discreet_title(
    imported, tmp_path, family, trusted_family, peer_moderator
):
    lewes = Prison.objects.get(code="LWI")
    services.follow(family, lewes)
    services.follow(peer_moderator, lewes)
    services.follow(trusted_family, Prison.objects.get(code="BAI"))
    data = records()
    next(r for r in data if r["code"] == "LWI")["visits"][0]["weekly_slots"]["fri"] = [
        "14:00-16:00"
    ]

    run(write(tmp_path, data))

    notes = Notification.objects.order_by("recipient_id")
    assert {n.recipient for n in notes} == {family, peer_moderator}
    for note in notes:
        assert note.title == "Visiting times at Lewes have changed"
        assert "prison" not in note.title.lower()
        assert note.url == "/prisons/LWI/"


def test_a_file_that_is_not_prison_data_is_refused_and_changes_nothing(imported, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}')

    with pytest.raises(CommandError, match="not a list of records"):
        run(bad)
    assert Prison.objects.count() == 172
