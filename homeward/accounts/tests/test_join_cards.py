"""Staff making, printing and stopping batches of printed join cards."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.accounts import factories
from homeward.accounts.models import CODE_ALPHABET, CODE_LENGTH, JoinBatch, JoinCode
from homeward.core.models import AuditEvent
from homeward.core.qr import qr_svg

CARDS = "/staff/join-cards/"
QR = re.compile(r'<svg[^>]*\bclass="qr"')


def detail_url(batch: JoinBatch) -> str:
    return f"/staff/join-cards/{batch.pk}/"


def batch_data(**overrides: object) -> dict[str, object]:
    return {
        "distribution_point": "HMP Lewes visitors' centre",
        "size": 12,
        "uses_per_code": 1,
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
    } | overrides


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="error-message" id="id_{name}_error">(.*?)</p>', html, re.S)
    assert match, f"no error beside {name}"
    return unescape(match.group(1))


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


@pytest.fixture
def staff_client(worker_a) -> Client:
    return sign_in(Client(), worker_a)


@pytest.fixture
def batch(org_a, worker_a) -> JoinBatch:
    return factories.make_join_batch(org_a, worker_a, size=25)


# Making a batch --------------------------------------------------------------------------------


def test_staff_member_makes_a_batch_of_unique_unambiguous_codes(staff_client, worker_a, org_a):
    expires_on = timezone.localdate() + timedelta(days=90)

    response = staff_client.post(
        f"{CARDS}new/", batch_data(size=12, uses_per_code=2, expires_on=expires_on.isoformat())
    )

    batch = JoinBatch.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(batch)
    assert batch.organisation == org_a
    assert batch.created_by == worker_a
    assert batch.distribution_point == "HMP Lewes visitors' centre"
    assert batch.uses_per_code == 2
    assert timezone.localtime(batch.expires_at).date() == expires_on
    assert batch.is_active
    codes = list(batch.codes.values_list("code", flat=True))
    assert len(codes) == batch.code_count == 12
    assert len(set(codes)) == 12
    for code in codes:
        assert len(code) == CODE_LENGTH == 8
        assert set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01OIL")
    event = AuditEvent.objects.get(action="joincards.batch_created")
    assert event.actor == worker_a
    assert event.organisation == org_a
    assert event.target_id == str(batch.pk)
    assert event.detail["size"] == 12


def test_new_batch_page_shows_what_was_made(staff_client):
    response = staff_client.post(f"{CARDS}new/", batch_data(size=3), follow=True)

    html = unescape(response.content.decode())
    assert "3 cards are ready to print." in html
    for code in JoinCode.objects.all():
        assert code.display_code in html


def test_codes_stay_unique_across_batches(org_a, worker_a):
    first = factories.make_join_batch(org_a, worker_a, distribution_point="Court", size=200)
    second = factories.make_join_batch(org_a, worker_a, distribution_point="Prison", size=200)
    codes = JoinCode.objects.filter(batch__in=[first, second]).values_list("code", flat=True)
    assert len(set(codes)) == 400


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"expires_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "expires_on",
            "Choose a date after today.",
        ),
        (
            {"expires_on": timezone.localdate().isoformat()},
            "expires_on",
            "Choose a date after today.",
        ),
        ({"size": 0}, "size", "Ensure this value is greater than or equal to 1."),
        ({"size": 501}, "size", "Ensure this value is less than or equal to 500."),
        ({"distribution_point": ""}, "distribution_point", "This field is required."),
    ],
    ids=["expiry-past", "expiry-today", "size-0", "size-501", "no-distribution-point"],
)
def test_mistake_in_new_batch_is_explained_beside_the_field_and_nothing_is_made(
    staff_client, overrides, field, message
):
    events = AuditEvent.objects.count()

    response = staff_client.post(f"{CARDS}new/", batch_data(**overrides))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in field_error(html, field)
    assert 'aria-invalid="true"' in input_tag(html, field)
    assert JoinBatch.objects.count() == 0
    assert JoinCode.objects.count() == 0
    assert AuditEvent.objects.count() == events


# Printing --------------------------------------------------------------------------------------


def test_print_page_puts_ten_cards_on_each_a4_sheet(staff_client, batch):
    response = staff_client.get(f"{detail_url(batch)}print/")

    assert response.status_code == 200
    html = response.content.decode()
    sheets = html.split('<div class="card-sheet">')[1:]
    assert len(sheets) == 3
    assert [s.count('<div class="join-card">') for s in sheets] == [10, 10, 5]
    assert len(QR.findall(html)) == 25


def test_each_printed_card_shows_its_code_and_a_qr_code_for_its_own_join_page(staff_client, batch):
    response = staff_client.get(f"{detail_url(batch)}print/")

    html = response.content.decode()
    cards = html.split('<div class="join-card">')[1:]
    assert len(cards) == 25
    for card, code in zip(cards, batch.codes.all(), strict=True):
        assert code.display_code in card
        assert len(QR.findall(card)) == 1
        # The square encodes exactly this card's join address.
        assert str(qr_svg(f"http://testserver/join/{code.code}/")) in card
    # People without a camera are told where to type the code.
    assert "http://testserver/join/" in html


def test_printed_qr_code_leads_to_a_working_join_page(staff_client, batch):
    code = batch.codes.first()
    target = f"http://testserver/join/{code.code}/"
    assert str(qr_svg(target)) in staff_client.get(f"{detail_url(batch)}print/").content.decode()

    assert Client().get(target).status_code == 200


# Stopping a batch ------------------------------------------------------------------------------


def test_revoking_a_batch_stops_its_cards_working(staff_client, batch, worker_a):
    code = batch.codes.first()
    assert Client().get(f"/join/{code.code}/").status_code == 200

    response = staff_client.post(f"{detail_url(batch)}revoke/")

    assert response.status_code == 302
    assert response.url == detail_url(batch)
    batch.refresh_from_db()
    assert batch.revoked_at is not None
    assert not batch.is_active
    assert Client().get(f"/join/{code.code}/").status_code == 410
    event = AuditEvent.objects.get(action="joincards.batch_revoked")
    assert event.actor == worker_a
    assert event.target_id == str(batch.pk)


def test_revoking_keeps_the_accounts_of_people_who_already_joined(staff_client, batch):
    code = batch.codes.first()
    Client().post(
        f"/join/{code.code}/", {"display_name": "Wren Dad 8", "password": "a long enough one"}
    )

    staff_client.post(f"{detail_url(batch)}revoke/")

    member = Client()
    response = member.post(
        "/accounts/login/", {"login": "Wren Dad 8", "password": "a long enough one"}
    )
    assert response.status_code == 302


def test_stopping_cards_asks_first_and_changes_nothing_until_confirmed(staff_client, batch):
    response = staff_client.get(f"{detail_url(batch)}revoke/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "This can't be undone." in page
    assert "Yes, stop these cards" in page
    batch.refresh_from_db()
    assert batch.revoked_at is None


# Who may see and stop a batch ------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "print/"])
def test_staff_of_another_organisation_cannot_see_a_batch(worker_b, batch, page):
    response = sign_in(Client(), worker_b).get(f"{detail_url(batch)}{page}")

    assert response.status_code == 404
    assert batch.codes.first().display_code not in response.content.decode()


def test_staff_of_another_organisation_cannot_stop_a_batch(worker_b, batch):
    response = sign_in(Client(), worker_b).post(f"{detail_url(batch)}revoke/")

    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.revoked_at is None
    assert not AuditEvent.objects.filter(action="joincards.batch_revoked").exists()


def test_batch_list_shows_only_the_staff_members_own_organisation(worker_b, batch, org_b):
    own = factories.make_join_batch(org_b, worker_b, distribution_point="HMP Altcourse", size=1)

    response = sign_in(Client(), worker_b).get(CARDS)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert own.distribution_point in html
    assert batch.distribution_point not in html


@pytest.mark.parametrize("person", ["family", "trusted_family", "peer_moderator"])
def test_families_and_peer_moderators_cannot_reach_join_cards(people, batch, person):
    client = people[person].client()
    for url in [CARDS, f"{CARDS}new/", detail_url(batch), f"{detail_url(batch)}print/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"{detail_url(batch)}revoke/").status_code == 404
    batch.refresh_from_db()
    assert batch.revoked_at is None


def test_anonymous_visitor_is_asked_to_sign_in_for_join_cards(client, batch):
    response = client.get(f"{detail_url(batch)}print/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("person", ["worker_a", "advocate_a", "manager_a", "orgadmin_a"])
def test_every_kind_of_staff_in_the_organisation_can_print_its_cards(people, batch, person):
    assert people[person].client().get(f"{detail_url(batch)}print/").status_code == 200


def test_revoking_twice_keeps_the_first_date_and_logs_once(staff_client, batch):
    staff_client.post(f"/staff/join-cards/{batch.pk}/revoke/")
    batch.refresh_from_db()
    first = batch.revoked_at

    staff_client.post(f"/staff/join-cards/{batch.pk}/revoke/")

    batch.refresh_from_db()
    assert batch.revoked_at == first
    assert (
        AuditEvent.objects.filter(action="joincards.batch_revoked", target_id=str(batch.pk)).count()
        == 1
    )


def test_stopped_cards_cannot_be_printed(staff_client, batch):
    staff_client.post(f"/staff/join-cards/{batch.pk}/revoke/")

    response = staff_client.get(f"/staff/join-cards/{batch.pk}/print/", follow=True)

    assert response.redirect_chain == [(detail_url(batch), 302)]
    page = response.content.decode()
    assert "can&#x27;t be printed" in page
    assert "<svg" not in page


def test_expired_cards_cannot_be_printed(staff_client, batch):
    JoinBatch.objects.filter(pk=batch.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = staff_client.get(f"/staff/join-cards/{batch.pk}/print/")

    assert response.status_code == 302
    assert response.url == detail_url(batch)


@pytest.mark.parametrize("page", ["", "print/"])
def test_card_pages_only_answer_reading(staff_client, batch, page):
    assert staff_client.post(f"/staff/join-cards/{batch.pk}/{page}").status_code == 405


def test_reprinting_leaves_out_cards_already_used(staff_client, batch):
    used = batch.codes.first()
    JoinCode.objects.filter(pk=used.pk).update(uses=batch.uses_per_code)

    page = staff_client.get(f"/staff/join-cards/{batch.pk}/print/").content.decode()

    assert used.display_code not in page
    assert page.count('class="join-card"') == batch.code_count - 1
    assert "cards already used are left out" in page
