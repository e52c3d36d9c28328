"""Families' tips: approval for new members, helpful marks, flags, staleness and staff checks."""

from __future__ import annotations

import html
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.prisons import services
from homeward.prisons.models import Prison, Tip


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_new_members_tip_waits_for_approval_then_appears_under_their_pseudonym(
    lewes, family, peer_moderator, client: Client
):
    sign_in(Client(), family).post(
        "/prisons/LWI/tips/", {"body": "The 2pm queue is shorter after 1:40."}
    )
    tip = Tip.objects.get()
    assert tip.status == Tip.Status.PENDING
    assert "The 2pm queue" not in text(client.get("/prisons/LWI/"))

    moderator = sign_in(Client(), peer_moderator)
    assert "The 2pm queue" in text(moderator.get("/prisons/tips/review/"))
    moderator.post(f"/prisons/tips/{tip.pk}/review/", {"decision": "approve"})

    page = text(client.get("/prisons/LWI/"))
    assert "The 2pm queue is shorter after 1:40." in page
    assert "From Robin Mum 7" in page
    assert Prison.objects.get(code="LWI").tip_count == 1


def test_rejected_tip_never_appears(lewes, family, worker_a, client: Client):
    tip = services.add_tip(family, lewes, "Something unkind about a named officer")
    services.moderate_tip(worker_a, tip, approve=False)
    assert "unkind" not in text(client.get("/prisons/LWI/"))


def test_moderators_and_staff_tips_publish_at_once(lewes, peer_moderator, worker_a):
    assert services.add_tip(peer_moderator, lewes, "Bring coins for lockers").status == "published"
    assert services.add_tip(worker_a, lewes, "Café takes cards only").status == "published"


def test_helpful_marks_count_once_per_member_and_never_the_authors_own(
    lewes, peer_moderator, family, trusted_family
):
    tip = services.add_tip(peer_moderator, lewes, "Bring coins for the lockers")
    assert services.mark_helpful(family, tip)
    assert not services.mark_helpful(family, tip)
    assert services.mark_helpful(trusted_family, tip)
    assert not services.mark_helpful(peer_moderator, tip)
    assert Tip.objects.get(pk=tip.pk).helpful_count == 2


def test_three_flags_hide_a_tip_until_a_moderator_looks(
    lewes, peer_moderator, family, trusted_family, worker_a, client: Client
):
    tip = services.add_tip(peer_moderator, lewes, "Park on the double yellow lines")
    for member in (family, trusted_family, worker_a):
        services.flag_tip(member, tip)
    tip.refresh_from_db()
    assert tip.status == Tip.Status.HIDDEN
    assert "double yellow" not in text(client.get("/prisons/LWI/"))
    assert Prison.objects.get(code="LWI").tip_count == 0


def test_tip_older_than_a_year_is_marked_may_be_out_of_date(lewes, peer_moderator, client: Client):
    tip = services.add_tip(peer_moderator, lewes, "Parking is free on Sundays")
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert "May be out of date" in text(client.get("/prisons/LWI/"))


def test_staff_mark_a_tip_checked(lewes, peer_moderator, worker_a, client: Client):
    tip = services.add_tip(peer_moderator, lewes, "Parking is free on Sundays")
    sign_in(Client(), worker_a).post(f"/prisons/tips/{tip.pk}/checked/")
    page = text(client.get("/prisons/LWI/"))
    assert "Checked" in page
    assert "by staff on" in page


def test_too_short_tip_gets_a_clear_message(lewes, family):
    response = sign_in(Client(), family).post("/prisons/LWI/tips/", {"body": "ok"})
    assert response.status_code == 400
    assert "Write a little more" in text(response)
    assert not Tip.objects.exists()


def test_member_sees_which_tips_they_found_helpful_and_that_they_follow(
    lewes, peer_moderator, family, trusted_family
):
    tip = services.add_tip(peer_moderator, lewes, "Bring coins for the lockers")
    services.mark_helpful(family, tip)
    services.follow(family, lewes)

    page = text(sign_in(Client(), family).get("/prisons/LWI/"))
    assert "You found this helpful." in page
    assert "Stop following" in page
    other = text(sign_in(Client(), trusted_family).get("/prisons/LWI/"))
    assert "You found this helpful." not in other
    assert "This helped me" in other
    assert "Follow Lewes" in other


def test_a_member_past_the_first_trust_level_publishes_at_once(lewes, trusted_family):
    from homeward.community.factories import set_trust_level
    from homeward.community.models import TrustLevel

    set_trust_level(trusted_family, TrustLevel.BASIC)

    tip = services.add_tip(trusted_family, lewes, "The cafe in the visitors' centre takes cards.")

    assert tip.status == Tip.Status.PUBLISHED


def test_tips_past_the_first_twenty_are_a_link_away(lewes, peer_moderator, client: Client):
    for n in range(25):
        services.add_tip(peer_moderator, lewes, f"Numbered tip {n:02d} about the visit hall")
    first = text(client.get("/prisons/LWI/"))
    assert "Page 1 of 2" in first
    assert first.count("Numbered tip") == 20
    assert "More tips" in first
    second = text(client.get("/prisons/LWI/?tips=2"))
    assert second.count("Numbered tip") == 5
    assert "Previous tips" in second and "More tips" not in second


def test_odd_tip_page_numbers_show_something_sensible(lewes, peer_moderator, client: Client):
    services.add_tip(peer_moderator, lewes, "Parking is free on Sundays")
    assert "Parking is free" in text(client.get("/prisons/LWI/?tips=banana"))
    beyond = client.get("/prisons/LWI/?tips=99")
    assert beyond.status_code == 200
    assert "No more tips" in text(beyond)
