"""The .ics file: escaped text, folded lines, UTC times."""

from __future__ import annotations

from homeward.events.calendar import ics_for
from homeward.events.factories import make_event


def test_text_is_escaped_and_long_lines_folded(org_a, worker_a):
    event = make_event(
        org_a,
        worker_a,
        "Drop-in; tea, cake\\and a chat " + "with friends " * 6,
        place_name="Hall, Room 2",
    )
    body = ics_for(event, url="https://homeward.example/events/1/")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Drop-in\\; tea\\, cake\\\\and a chat with friends" in unfolded
    assert "LOCATION:Hall\\, Room 2\\, Ship Street\\, Brighton\\, BN1 1AF" in unfolded
    assert f"UID:event-{event.pk}@" in unfolded
    assert "STATUS:CONFIRMED" in unfolded
