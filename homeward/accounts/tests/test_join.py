"""Joining with a printed join card: /join/<code>/, /join/ and the join_with_code service."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.accounts import factories, services
from homeward.accounts.models import JoinBatch, JoinCode, Membership, Role, User
from homeward.core.models import AuditEvent

PASSWORD = "tea at nan's on sunday"


@pytest.fixture
def batch(org_a, worker_a) -> JoinBatch:
    return factories.make_join_batch(org_a, worker_a, size=3)


@pytest.fixture
def code(batch) -> JoinCode:
    return batch.codes.first()


def join_url(code: JoinCode | str) -> str:
    return f"/join/{code if isinstance(code, str) else code.code}/"


def join_data(**overrides: str) -> dict[str, str]:
    return {"display_name": "Sunflower Mum 4", "password": PASSWORD, "email": ""} | overrides


def page_text(response) -> str:
    return unescape(response.content.decode())


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


def field_error(html: str, name: str) -> str:
    """The error shown beside a field (the paragraph its input points at)."""
    match = re.search(rf'<p class="error-message" id="id_{name}_error">(.*?)</p>', html, re.S)
    assert match, f"no error beside {name}"
    return match.group(1)


def assert_error_beside(html: str, name: str, message: str) -> None:
    assert message in field_error(html, name)
    tag = input_tag(html, name)
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]*)"', tag)
    assert described and f"id_{name}_error" in described.group(1).split()


def join_form_fields(html: str) -> list[str]:
    """Names of the fields a person fills in on the join form."""
    form = re.search(r"<form[^>]*novalidate>(.*?)</form>", html, re.S)
    assert form
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', form.group(1))
    return [n for n in names if n != "csrfmiddlewaretoken"]


def snapshot(code: JoinCode) -> tuple[int, int, int, int, int]:
    code.refresh_from_db()
    return (
        User.objects.count(),
        Membership.objects.count(),
        code.uses,
        JoinBatch.objects.get(pk=code.batch_id).joined_count,
        AuditEvent.objects.count(),
    )


# The card's own page ---------------------------------------------------------------------------


def test_join_page_names_the_organisation_and_asks_for_at_most_three_things(client, code, org_a):
    response = client.get(join_url(code))
    assert response.status_code == 200
    html = response.content.decode()
    assert org_a.name in html
    fields = join_form_fields(html)
    assert len(fields) <= 3
    assert set(fields) == {"display_name", "password", "email"}
    assert 'type="password"' in input_tag(html, "password")


def test_joining_with_a_valid_card_creates_a_family_member_of_the_cards_organisation(
    client, code, batch, org_a
):
    response = client.post(join_url(code), join_data(email="Sunflower@Example.org"))

    assert response.status_code == 302
    assert response.url == "/welcome/"
    user = User.objects.get(username="Sunflower Mum 4")
    assert user.display_name == "Sunflower Mum 4"
    assert user.public_name == "Sunflower Mum 4"
    assert user.email == "sunflower@example.org"
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert membership.organisation == org_a
    assert membership.role == Role.FAMILY
    assert membership.joined_via == code
    code.refresh_from_db()
    batch.refresh_from_db()
    assert code.uses == 1
    assert batch.joined_count == 1
    event = AuditEvent.objects.get(action="account.joined_with_card")
    assert event.actor == user
    assert event.organisation == org_a
    assert event.detail["batch"] == batch.pk


def test_joining_signs_the_new_member_in_and_welcomes_them_by_name(client, code):
    response = client.post(join_url(code), join_data(), follow=True)

    user = User.objects.get(username="Sunflower Mum 4")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.redirect_chain == [("/welcome/", 302)]
    assert "Welcome, Sunflower Mum 4" in response.content.decode()


def test_new_member_signs_in_later_with_the_name_and_password_they_chose(code):
    Client().post(join_url(code), join_data())
    later = Client()
    response = later.post("/accounts/login/", {"login": "Sunflower Mum 4", "password": PASSWORD})
    assert response.status_code == 302
    assert later.session["_auth_user_id"] == str(User.objects.get(username="Sunflower Mum 4").pk)


def test_member_who_gave_an_email_when_joining_can_sign_in_with_it(code):
    Client().post(join_url(code), join_data(email="Sunflower@Example.org"))
    later = Client()
    response = later.post(
        "/accounts/login/", {"login": "sunflower@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert later.session["_auth_user_id"] == str(User.objects.get(username="Sunflower Mum 4").pk)


def test_code_typed_in_lowercase_with_spaces_and_a_dash_still_works(client, code):
    typed = f"{code.code[:4].lower()} -{code.code[4:].lower()}"
    assert client.get(join_url(typed)).status_code == 200

    response = client.post(join_url(typed), join_data())

    assert response.status_code == 302
    code.refresh_from_db()
    assert code.uses == 1
    assert Membership.objects.get(user__username="Sunflower Mum 4").joined_via == code


def test_code_typed_on_the_join_page_leads_to_the_cards_page(client, code):
    typed = f" {code.code[:4].lower()} {code.code[4:].lower()} "
    response = client.post("/join/", {"code": typed}, follow=True)
    assert response.status_code == 200
    assert 'name="display_name"' in response.content.decode()


def test_a_code_typed_with_a_slash_or_other_marks_still_leads_to_the_cards_page(client, code):
    # "/" cannot go into the join page's address: it was a server error.
    typed = f"{code.code[:4]}/{code.code[4:]}."
    response = client.post("/join/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == join_url(code.code)
    assert client.get(response["Location"]).status_code == 200


def test_a_code_of_marks_only_is_answered_beside_the_box(client, db):
    response = client.post("/join/", {"code": "/ - /"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Type the letters and numbers from your card" in page
    assert 'value="/ - /"' in page  # what was typed is kept


# Codes that cannot be used ---------------------------------------------------------------------


def test_unknown_code_says_so_plainly_and_offers_joining_without_a_card(client, batch):
    response = client.get(join_url("ZZZZ-ZZZZ"))

    assert response.status_code == 404
    html = page_text(response)
    assert "We couldn't find that code." in html
    assert re.search(r'<a href="/accounts/signup/">Join without a card</a>', html)
    # They can try typing it again, right there.
    assert 'name="code"' in html


def test_expired_code_explains_and_offers_a_way_forward(client, code, batch):
    JoinBatch.objects.filter(pk=batch.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(join_url(code))

    assert response.status_code == 410
    html = page_text(response)
    assert "This card has expired." in html
    assert "Join without a card" in html


def test_revoked_card_no_longer_works(client, code, batch, worker_a):
    services.revoke_join_batch(worker_a, batch)

    response = client.get(join_url(code))

    assert response.status_code == 410
    assert "This card has expired." in page_text(response)


def test_used_up_card_says_it_has_been_used(client, code):
    Client().post(join_url(code), join_data())

    response = client.get(join_url(code))

    assert response.status_code == 410
    html = page_text(response)
    assert "This card has already been used." in html
    assert "Join without a card" in html


def test_posting_to_an_expired_card_creates_nothing(client, code, batch):
    JoinBatch.objects.filter(pk=batch.pk).update(expires_at=timezone.now() - timedelta(days=1))
    before = snapshot(code)

    response = client.post(join_url(code), join_data())

    assert response.status_code == 410
    assert snapshot(code) == before
    assert "_auth_user_id" not in client.session


def test_card_shared_by_several_people_lets_each_of_them_join(org_a, worker_a):
    shared = factories.make_join_batch(
        org_a,
        worker_a,
        distribution_point="Poster in the visitors' centre",
        size=1,
        uses_per_code=2,
    )
    code = shared.codes.get()
    assert Client().post(join_url(code), join_data()).status_code == 302
    assert Client().post(join_url(code), join_data(display_name="Wren Dad 8")).status_code == 302
    third = Client().post(join_url(code), join_data(display_name="Fern Nan 2"))

    assert third.status_code == 410
    shared.refresh_from_db()
    assert shared.joined_count == 2
    assert not User.objects.filter(username="Fern Nan 2").exists()


# Mistakes in the form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"password": "short"},
            "password",
            "This password is too short. It must contain at least 10 characters.",
        ),
        (
            {"display_name": "robin mum 7"},
            "display_name",
            "Someone is already using that name. Try adding a number.",
        ),
        (
            {"display_name": "Robin!!"},
            "display_name",
            "Use 3 to 30 letters or numbers.",
        ),
        (
            {"email": "Worker-A@Example.org"},
            "email",
            "That e-mail address is already registered.",
        ),
    ],
    ids=["short-password", "name-taken-other-case", "invalid-characters", "email-taken"],
)
def test_mistake_is_explained_beside_the_field_and_nothing_is_written(
    client, code, family, worker_a, data, field, message
):
    before = snapshot(code)
    posted = join_data(email="meadow@example.org") | data

    response = client.post(join_url(code), posted)

    assert response.status_code == 200
    html = response.content.decode()
    assert_error_beside(html, field, message)
    # What they typed is still there (except the password).
    assert f'value="{posted["display_name"]}"' in input_tag(html, "display_name")
    assert f'value="{posted["email"]}"' in input_tag(html, "email")
    assert "value=" not in input_tag(html, "password")
    assert snapshot(code) == before
    assert "_auth_user_id" not in client.session


def test_name_another_member_goes_by_is_refused(client, code, trusted_family):
    # Names are how members recognise each other: nobody may join as someone else.
    trusted_family.display_name = "Nanna Bee"
    trusted_family.save(update_fields=["display_name"])
    before = snapshot(code)

    response = client.post(join_url(code), join_data(display_name="nanna BEE"))

    assert response.status_code == 200
    assert_error_beside(response.content.decode(), "display_name", "already using that name")
    assert snapshot(code) == before


def test_joining_without_a_card_refuses_a_name_another_member_goes_by(client, trusted_family):
    trusted_family.display_name = "Nanna Bee"
    trusted_family.save(update_fields=["display_name"])
    users = User.objects.count()

    response = client.post(
        "/accounts/signup/", {"username": "Nanna Bee", "password1": PASSWORD, "email": ""}
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in input_tag(response.content.decode(), "username")
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session


def test_joining_without_a_card_works_with_a_free_name(client, db):
    response = client.post(
        "/accounts/signup/", {"username": "Bramble Nan 5", "password1": PASSWORD, "email": ""}
    )

    assert response.status_code == 302
    user = User.objects.get(username="Bramble Nan 5")
    assert user.display_name == "Bramble Nan 5"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_email_given_when_joining_lets_the_member_reset_a_forgotten_password(code, mailoutbox):
    Client().post(join_url(code), join_data(email="sunflower@example.org"))

    response = Client().post("/accounts/password/reset/", {"email": "Sunflower@example.org"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sunflower@example.org"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


@pytest.mark.parametrize("name", ["Former member", "former-member-{pk}", "Former-Member-999"])
def test_names_kept_for_deleted_accounts_cannot_be_chosen(client, code, family, name):
    # A member called "former-member-<pk>" would stop that member's account being deleted.
    before = snapshot(code)

    response = client.post(join_url(code), join_data(display_name=name.format(pk=family.pk)))

    assert response.status_code == 200
    assert_error_beside(response.content.decode(), "display_name", "already using that name")
    assert snapshot(code) == before


def test_joining_without_a_card_refuses_names_kept_for_deleted_accounts(client, family):
    users = User.objects.count()

    response = client.post(
        "/accounts/signup/",
        {"username": f"former-member-{family.pk}", "password1": PASSWORD, "email": ""},
    )

    assert response.status_code == 200
    assert User.objects.count() == users


def test_name_taken_between_checking_and_saving_is_explained_and_rolls_back(
    client, code, family, monkeypatch
):
    # Someone else takes the name after the form checked it.
    monkeypatch.setattr("homeward.accounts.forms._name_is_free", lambda *a, **k: True)
    before = snapshot(code)

    response = client.post(join_url(code), join_data(display_name="ROBIN MUM 7"))

    assert response.status_code == 200
    assert_error_beside(response.content.decode(), "display_name", "already using that name")
    assert snapshot(code) == before


# Submitting twice, and racing for the last use ---------------------------------------------------


def test_double_submitted_join_creates_one_account(client, code):
    first = client.post(join_url(code), join_data())
    second = client.post(join_url(code), join_data())

    assert first.status_code == 302
    assert second.status_code == 302
    assert User.objects.filter(username__iexact="Sunflower Mum 4").count() == 1
    code.refresh_from_db()
    assert code.uses == 1


def test_same_join_sent_again_from_another_tab_creates_one_account(org_a, worker_a):
    shared = factories.make_join_batch(
        org_a, worker_a, distribution_point="Family day poster", size=1, uses_per_code=5
    )
    code = shared.codes.get()
    assert Client().post(join_url(code), join_data()).status_code == 302

    again = Client().post(join_url(code), join_data())

    assert again.status_code == 200
    assert "already using that name" in field_error(again.content.decode(), "display_name")
    assert User.objects.filter(username__iexact="Sunflower Mum 4").count() == 1
    code.refresh_from_db()
    shared.refresh_from_db()
    assert (code.uses, shared.joined_count) == (1, 1)


def test_last_use_claimed_between_find_and_claim_raises_and_rolls_back(code, monkeypatch):
    found = services.find_join_code(code.code)  # still usable when looked up…
    JoinCode.objects.filter(pk=code.pk).update(uses=1)  # …then someone else uses it
    monkeypatch.setattr(services, "find_join_code", lambda raw: found)
    before = snapshot(code)

    with pytest.raises(services.JoinCodeProblem) as problem:
        services.join_with_code(code.code, display_name="Sunflower Mum 4", password=PASSWORD)

    assert problem.value.reason == "used"
    assert "just been used by someone else" in problem.value.message
    assert snapshot(code) == before
    assert not User.objects.filter(username="Sunflower Mum 4").exists()


def test_losing_the_race_on_the_join_page_explains_and_creates_nothing(client, code, monkeypatch):
    real_find = services.find_join_code
    calls = []

    def find_then_lose_the_race(raw: str) -> JoinCode:
        found = real_find(raw)
        calls.append(raw)
        if len(calls) == 2:  # the service's own look-up: someone else claims it right after
            JoinCode.objects.filter(pk=found.pk).update(uses=found.batch.uses_per_code)
        return found

    monkeypatch.setattr(services, "find_join_code", find_then_lose_the_race)
    response = client.post(join_url(code), join_data())

    assert len(calls) == 2
    assert response.status_code == 410
    assert "just been used by someone else" in page_text(response)
    assert not User.objects.filter(username="Sunflower Mum 4").exists()
    assert "_auth_user_id" not in client.session


def test_service_refuses_a_taken_name_and_gives_the_use_back(code, family):
    with pytest.raises(services.JoinCodeProblem) as problem:
        services.join_with_code(code.code, display_name="robin MUM 7", password=PASSWORD)

    assert problem.value.reason == "name_taken"
    code.refresh_from_db()
    assert code.uses == 0
    assert Membership.objects.filter(joined_via=code).count() == 0


# Already a member ------------------------------------------------------------------------------


def test_signed_in_member_visiting_a_join_card_goes_home(client, code, family):
    sign_in(client, family)

    response = client.get(join_url(code))

    assert response.status_code == 302
    assert response.url == "/"
    code.refresh_from_db()
    assert code.uses == 0


def test_guessing_codes_is_stopped_with_a_plain_429(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join_code": "5/10m"}
    for attempt in range(5):
        assert client.get(f"/join/ZZZZZZZ{attempt}/").status_code == 404

    response = client.get("/join/ZZZZZZZZ/")

    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Please wait a moment" in response.content.decode()


def test_families_sharing_one_connection_can_all_open_their_cards(client, code, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join_code": "2/10m"}
    # Only refusals count: opening a valid card again and again is never slowed down.
    for _ in range(5):
        assert client.get(f"/join/{code.code}/").status_code == 200
