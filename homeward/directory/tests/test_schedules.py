"""A service's several weekly schedules: staff give them in one form (rows that work without
JavaScript), bad rows are explained beside their fields with nothing saved, the service page
and the ORUK API show them all, and "open now" / "open on a day" look at every one."""

from __future__ import annotations

import random
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conftest import sign_in
from homeward.directory import factories, services
from homeward.directory.models import DAYS, Schedule, Service, describe_times
from homeward.directory.tests.conformance import problems
from homeward.directory.tests.matrix import _listing_form, schedule_rows

TUESDAY = {"days": ["TU"], "opens_at": "10:00", "closes_at": "12:00"}
THURSDAY = {"days": ["TH"], "opens_at": "18:00", "closes_at": "20:00"}
APPOINTMENT = {"description": "By appointment"}
LONDON = ZoneInfo("Europe/London")


def _form(name: str, *rows: dict[str, Any]) -> dict[str, Any]:
    base = {k: v for k, v in _listing_form(name).items() if not k.startswith("schedule-")}
    return base | schedule_rows(*rows, total=len(rows) + 2)


def _times(service: Service) -> list[tuple[str, str, str, str]]:
    return sorted(
        (s.byday, str(s.opens_at or ""), str(s.closes_at or ""), s.description)
        for s in service.schedules.all()
    )


def test_staff_give_several_schedules_and_families_see_them_all(client, worker_a) -> None:
    sign_in(client, worker_a)
    # Rows in any order, with blank rows between and after: blank rows are ignored.
    form = _form("Evening club", THURSDAY, {}, APPOINTMENT, TUESDAY)
    response = client.post(reverse("directory:listing_new"), form)
    service = Service.objects.get(name="Evening club")
    assert response.status_code == 302
    assert _times(service) == [
        ("", "", "", "By appointment"),
        ("TH", "18:00:00", "20:00:00", ""),
        ("TU", "10:00:00", "12:00:00", ""),
    ]
    page = client.get(reverse("directory:service", args=[service.pk])).content.decode()
    tuesday = page.index("Tuesday: 10:00 to 12:00")
    thursday = page.index("Thursday: 18:00 to 20:00")
    appointment = page.index("By appointment")
    assert tuesday < thursday < appointment  # week order, notes last


def test_the_api_sends_every_schedule_and_still_conforms(client, worker_a) -> None:
    sign_in(client, worker_a)
    client.post(
        reverse("directory:listing_new"), _form("Two nights", TUESDAY, THURSDAY, APPOINTMENT)
    )
    service = Service.objects.get(name="Two nights")
    client.logout()
    body = client.get(f"/api/oruk/services/{service.pk}").json()
    assert not problems("/services/{id}", body)
    schedules = sorted(body["schedules"], key=lambda s: s.get("byday", "ZZ"))
    assert [(s.get("byday"), s.get("opens_at"), s.get("description")) for s in schedules] == [
        ("TH", "18:00:00", None),
        ("TU", "10:00:00", None),
        (None, None, "By appointment"),
    ]
    listed = client.get("/api/oruk/services", {"day": "TH"}).json()
    assert not problems("/services", listed)
    assert str(service.pk) in {s["id"] for s in listed["contents"]}


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"opens_at": "10:00", "closes_at": "12:00"}, "days", "Choose the day"),
        (TUESDAY | {"closes_at": "09:00"}, "closes_at", "must be after the opening time"),
        (TUESDAY | {"closes_at": "10:00"}, "closes_at", "must be after the opening time"),
        ({"days": ["TU"], "opens_at": "10:00"}, "closes_at", "both the opening and the closing"),
        ({"days": ["TU"], "closes_at": "12:00"}, "opens_at", "both the opening and the closing"),
        ({"days": ["TU"]}, "opens_at", "by appointment"),
        (TUESDAY | {"opens_at": "ten"}, "opens_at", "Enter a valid time"),
        (TUESDAY | {"days": ["XX"]}, "days", "Select a valid choice"),
    ],
)
def test_a_bad_row_is_explained_beside_its_field_and_nothing_is_saved(
    client, worker_a, row, field, message
) -> None:
    sign_in(client, worker_a)
    response = client.post(reverse("directory:listing_new"), _form("Bad times", THURSDAY, row))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_schedule-1-{field}_error"' in page
    assert message in page
    assert "There is a problem" in page and "Times 2:" in page
    assert 'value="Bad times"' in page and 'value="18:00"' in page  # what was typed is kept
    assert not Service.objects.filter(name="Bad times").exists()
    assert not Schedule.objects.exists()


def test_good_rows_do_not_save_when_the_rest_of_the_form_is_wrong(client, worker_a) -> None:
    sign_in(client, worker_a)
    form = _form("Half right", TUESDAY) | {"postcode": "NOT A POSTCODE"}
    page = client.post(reverse("directory:listing_new"), form).content.decode()
    assert 'id="id_postcode_error"' in page and 'value="10:00"' in page
    assert not Schedule.objects.exists()


def test_too_many_rows_are_refused(client, worker_a) -> None:
    sign_in(client, worker_a)
    form = _form("Every hour", *([TUESDAY] * 13))
    response = client.post(reverse("directory:listing_new"), form)
    assert response.status_code == 200
    assert not Service.objects.filter(name="Every hour").exists()


@pytest.fixture
def listed(org_a) -> Service:
    return factories.make_service("Tea and toys (demo)", outcode="BN7", owner=org_a, n=7)


def test_editing_shows_each_schedule_as_a_row_and_a_cleared_row_is_removed(
    client, manager_a, listed
) -> None:
    sign_in(client, manager_a)
    url = reverse("directory:listing_edit", args=[listed.pk])
    client.post(url, _form("Tea and toys (demo)", TUESDAY, THURSDAY))
    page = client.get(url).content.decode()
    assert page.count('class="schedule-row"') == 2 + 3  # two saved rows, three blank ones
    assert 'value="18:00"' in page and 'value="10:00"' in page
    kept = listed.schedules.get(byday="TH")
    thursday_row = "0" if 'name="schedule-0-id" value="' + str(kept.pk) in page else "1"
    data = _form("Tea and toys (demo)") | {
        "schedule-TOTAL_FORMS": "3",
        "schedule-INITIAL_FORMS": "2",
        f"schedule-{thursday_row}-id": str(kept.pk),
        f"schedule-{thursday_row}-days": ["TH"],
        f"schedule-{thursday_row}-opens_at": "18:30",
        f"schedule-{thursday_row}-closes_at": "20:00",
    }  # fmt: skip  (the Tuesday row is sent empty: cleared)
    assert client.post(url, data).status_code == 302
    assert [(s.pk, s.byday, str(s.opens_at)) for s in listed.schedules.all()] == [
        (kept.pk, "TH", "18:30:00")
    ]


def test_editing_keeps_schedule_details_the_form_does_not_show(client, manager_a, listed) -> None:
    payload = factories.demo_payload(random.Random(7), 10_007, outcode="BN7")
    sid = "8a1f5b0e-0000-4000-8000-000000000001"
    payload |= {
        "id": str(listed.pk),
        "name": listed.name,
        "schedules": [
            {"id": sid, "freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "11:00",
             "valid_from": "2026-01-01", "notes": "Term time only"},
        ],
    }  # fmt: skip
    services.save_oruk_service(payload, is_demo=True)
    sign_in(client, manager_a)
    url = reverse("directory:listing_edit", args=[listed.pk])
    data = _form("Tea and toys (demo)", {"id": sid, "days": ["MO"], "opens_at": "09:15",
                                         "closes_at": "11:00"})  # fmt: skip
    data["schedule-INITIAL_FORMS"] = "1"
    assert client.post(url, data).status_code == 302
    schedule = Schedule.objects.get(service=listed)
    assert str(schedule.pk) == sid and str(schedule.opens_at) == "09:15:00"
    assert schedule.notes == "Term time only" and str(schedule.valid_from) == "2026-01-01"


def test_an_id_from_another_service_makes_a_new_schedule(client, manager_a, listed) -> None:
    other = factories.make_service("Elsewhere (demo)", outcode="LS1", n=8)
    foreign = other.schedules.get()
    sign_in(client, manager_a)
    url = reverse("directory:listing_edit", args=[listed.pk])
    client.post(url, _form("Tea and toys (demo)", TUESDAY | {"id": str(foreign.pk)}))
    foreign.refresh_from_db()
    assert foreign.service_id == other.pk and foreign.byday != "TU"
    assert listed.schedules.get().pk != foreign.pk


# Finding: every schedule counts ---------------------------------------------------------------


@pytest.fixture
def evenings(db) -> Service:
    """Open Tuesday mornings and Thursday evenings, and by appointment."""
    service = factories.make_service("Evening club (demo)", outcode="BN7", n=9, days="TU",
                                     opens="10:00", closes="12:00")  # fmt: skip
    Schedule.objects.create(service=service, byday="TH", opens_at="18:00", closes_at="20:00")
    Schedule.objects.create(service=service, description="By appointment")
    return service


FIND = reverse("directory:find")


def test_open_on_a_day_finds_a_service_by_any_of_its_schedules(client, evenings) -> None:
    for day, found in (("TU", True), ("TH", True), ("WE", False)):
        page = client.get(FIND, {"postcode": "BN7", "day": day}).content.decode()
        assert ("Evening club" in page) is found, day


@pytest.mark.parametrize(
    ("moment", "found"),
    [
        (datetime(2026, 11, 24, 11, 0, tzinfo=LONDON), True),  # Tuesday morning
        (datetime(2026, 11, 26, 19, 0, tzinfo=LONDON), True),  # Thursday evening
        (datetime(2026, 11, 26, 11, 0, tzinfo=LONDON), False),  # Thursday morning
        (datetime(2026, 11, 24, 12, 0, tzinfo=LONDON), False),  # Tuesday, just closed
    ],
)
def test_open_now_looks_at_every_schedule(client, evenings, moment, found) -> None:
    with time_machine.travel(moment, tick=False):
        page = client.get(FIND, {"postcode": "BN7", "open_now": "on"}).content.decode()
        assert ("Evening club" in page) is found
        detail = client.get(reverse("directory:service", args=[evenings.pk])).content.decode()
        assert ("Open now" in detail) is found
        assert ("Closed now" in detail) is not found


# Sending the new-listing form twice -----------------------------------------------------------


def test_a_double_clicked_save_makes_one_listing(client, worker_a) -> None:
    sign_in(client, worker_a)
    page = client.get(reverse("directory:listing_new")).content.decode()
    key = page.split('name="key" value="')[1].split('"')[0]
    form = _form("Once only", TUESDAY, THURSDAY) | {"key": key}
    first = client.post(reverse("directory:listing_new"), form)
    second = client.post(reverse("directory:listing_new"), form)
    service = Service.objects.get(name="Once only")
    assert str(service.pk) == key
    assert first["Location"] == second["Location"] == reverse("directory:service", args=[key])
    assert service.schedules.count() == 2


def test_a_key_naming_someone_elses_service_makes_a_new_listing(client, worker_a) -> None:
    other = factories.make_service("Not yours (demo)", outcode="LS1", n=30)
    sign_in(client, worker_a)
    client.post(reverse("directory:listing_new"), _form("Mine", TUESDAY) | {"key": str(other.pk)})
    other.refresh_from_db()
    assert other.name == "Not yours (demo)"
    mine = Service.objects.get(name="Mine")
    assert mine.pk != other.pk


@pytest.mark.parametrize(
    ("byday", "opens", "closes", "note", "text"),
    [
        ("MO,TU,WE,TH,FR", time(9, 30), time(16, 30), "", "Mon to Fri 09:30\u201316:30"),
        ("TU,TH", time(18), time(20), "term time", "Tue, Thu 18:00\u201320:00 (term time)"),
        ("SA,MO,SU", time(10), time(12), "", "Mon, Sat, Sun 10:00\u201312:00"),
        (",".join(DAYS), time(0), time(23, 59, 59), "", "Any time"),
        ("", None, None, "By appointment", "By appointment"),
        ("", None, None, "", ""),
    ],
)
def test_times_read_as_one_short_line(byday, opens, closes, note, text) -> None:
    assert describe_times(byday, opens, closes, note) == text


def test_result_cards_list_every_schedule_and_appointments_are_not_closed(client, db) -> None:
    service = factories.make_service("Evening club (demo)", outcode="BN7", n=9, days="TU",
                                     opens="10:00", closes="12:00")  # fmt: skip
    Schedule.objects.create(service=service, byday="TH", opens_at="18:00", closes_at="20:00")
    Schedule.objects.create(service=service, description="By appointment")
    page = client.get(FIND, {"postcode": "BN7"}).content.decode()
    assert "When: Tue 10:00\u201312:00; Thu 18:00\u201320:00; By appointment" in page
    only = factories.make_service("Appointments only (demo)", outcode="BN7", n=11)
    only.schedules.all().delete()
    Schedule.objects.create(service=only, description="By appointment")
    card = client.get(FIND, {"q": "Appointments"}).content.decode().split("Appointments only")[1]
    card = card.split("</li>\n\n")[0]
    assert "Closed now" not in card and "Open now" not in card
