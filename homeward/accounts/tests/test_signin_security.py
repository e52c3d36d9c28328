"""Signing in, throttling, sessions and the settings that keep sign-in safe."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.accounts import factories
from homeward.accounts.models import Role

PASSWORD = factories.DEMO_PASSWORD
PROJECT = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth keeps its counters in the cache, which lives as long as the test process.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sunflower(org_a):
    """A family member who gave an e-mail address when joining."""
    return factories.make_member(
        "Sunflower Mum 4", org_a, Role.FAMILY, email="sunflower@example.org"
    )


def signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# Signing in ------------------------------------------------------------------------------------


def test_family_member_signs_in_with_the_name_they_chose(family):
    client = Client()
    response = client.post("/accounts/login/", {"login": "Robin Mum 7", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_as(client) == str(family.pk)


def test_sign_in_name_is_not_case_sensitive(family):
    client = Client()
    client.post("/accounts/login/", {"login": "robin mum 7", "password": PASSWORD})
    assert signed_in_as(client) == str(family.pk)


def test_member_signs_in_with_their_email_address(sunflower):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "Sunflower@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert signed_in_as(client) == str(sunflower.pk)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(family):
    client = Client()
    wrong_password = client.post(
        "/accounts/login/", {"login": "Robin Mum 7", "password": "not-the-password"}
    )
    no_such_name = client.post(
        "/accounts/login/", {"login": "Nobody Here 1", "password": "not-the-password"}
    )

    assert wrong_password.status_code == no_such_name.status_code == 200
    assert signed_in_as(client) is None

    def message(response) -> str:
        match = re.search(
            r'class="error-summary".*?<ul>(.*?)</ul>', response.content.decode(), re.S
        )
        assert match
        return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", match.group(1)))).strip()

    assert message(wrong_password) == message(no_such_name)


def test_session_key_changes_at_sign_in(family):
    client = Client()
    session = client.session
    session["seen_home_page"] = True
    session.save()
    before = session.session_key
    # The key an attacker might have planted is a live, stored session.
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == before

    client.post("/accounts/login/", {"login": "Robin Mum 7", "password": PASSWORD})

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.session.session_key == after
    assert signed_in_as(client) == str(family.pk)
    assert not Session.objects.filter(session_key=before).exists()


def test_session_key_changes_when_a_new_member_joins(org_a, worker_a):
    batch = factories.make_join_batch(org_a, worker_a, size=1)
    client = Client()
    session = client.session
    session["seen_home_page"] = True
    session.save()
    before = session.session_key

    client.post(
        f"/join/{batch.codes.get().code}/",
        {"display_name": "Wren Dad 8", "password": "a long enough one"},
    )

    assert signed_in_as(client) is not None
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


# Throttling ------------------------------------------------------------------------------------


def test_repeated_failed_sign_ins_to_one_account_are_throttled(family):
    client = Client()
    for _ in range(5):
        refused = client.post("/accounts/login/", {"login": "Robin Mum 7", "password": "guess"})
        assert refused.status_code == 200
        assert "Too many failed login attempts" not in refused.content.decode()

    # Now even the right password is turned away for a while.
    response = client.post("/accounts/login/", {"login": "Robin Mum 7", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_as(client) is None


def test_throttled_account_opens_again_after_the_wait(family):
    client = Client()
    for _ in range(6):
        client.post("/accounts/login/", {"login": "Robin Mum 7", "password": "guess"})

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.post("/accounts/login/", {"login": "Robin Mum 7", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_as(client) == str(family.pk)


def test_hammering_the_sign_in_page_gets_a_plain_429_page_never_a_500(family):
    client = Client(raise_request_exception=False)
    statuses = []
    for attempt in range(60):
        response = client.post(
            "/accounts/login/", {"login": f"Guess Name {attempt}", "password": "guess"}
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            break

    assert set(statuses) <= {200, 429}
    assert statuses[-1] == 429
    assert response["Retry-After"] == "60"
    html = unescape(response.content.decode())
    assert "Please wait a moment" in html
    assert "too many attempts in a short time" in html
    reference = re.search(r'<span class="reference">([0-9A-F]{8})</span>', html)
    assert reference
    assert reference.group(1) == response["X-Request-Id"]
    assert "Traceback" not in html


# Sessions --------------------------------------------------------------------------------------


def test_staff_session_has_a_short_idle_expiry(worker_a):
    client = sign_in(Client(), worker_a)

    assert client.get("/staff/").status_code == 200

    assert client.session.get_expiry_age() == settings.STAFF_IDLE_TIMEOUT_SECONDS
    assert settings.STAFF_IDLE_TIMEOUT_SECONDS < settings.SESSION_COOKIE_AGE


def test_staff_session_stays_open_while_in_use_and_ends_when_left_idle(worker_a):
    idle = timedelta(seconds=settings.STAFF_IDLE_TIMEOUT_SECONDS)
    client = sign_in(Client(), worker_a)
    start = timezone.now()
    client.get("/staff/")

    # Busy: a request every two thirds of the idle limit keeps the session going well past it.
    for step in range(1, 4):
        with time_machine.travel(start + step * idle * 2 / 3):
            assert client.get("/staff/").status_code == 200

    with time_machine.travel(start + 3 * idle * 2 / 3 + idle + timedelta(seconds=5)):
        response = client.get("/staff/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_family_session_keeps_the_default_length(family):
    client = sign_in(Client(), family)

    assert client.get("/settings/").status_code == 200

    assert "_session_expiry" not in client.session
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get("/settings/").status_code == 200


@pytest.mark.parametrize(
    ("person", "url"),
    [
        ("family", "/"),
        ("family", "/settings/"),
        ("family", "/welcome/"),
        ("worker_a", "/staff/"),
        ("platform_admin", "/admin/"),
    ],
)
def test_signed_in_pages_are_not_kept_by_browsers_or_caches(people, person, url):
    response = people[person].client().get(url)

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives


# Password hashing and production settings ------------------------------------------------------


def run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter, as a real process would."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"HOMEWARD_ENV", "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "homeward.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


SETUP = "import django; django.setup(); from django.conf import settings; "
GOOD_SECRET = "k" * 20 + "-a-long-random-production-secret-value-0123456789"


def test_argon2_hashes_passwords_outside_the_test_suite():
    # The suite puts a fast hasher first; everywhere else Argon2 comes first.
    assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
    assert settings.PASSWORD_HASHERS[1] == "django.contrib.auth.hashers.Argon2PasswordHasher"

    for env in [
        {"HOMEWARD_ENV": "development"},
        {"HOMEWARD_ENV": "production", "SECRET_KEY": GOOD_SECRET},
    ]:
        result = run_settings(env, SETUP + "print(settings.PASSWORD_HASHERS[0])")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_settings_start_with_a_strong_secret_and_debug_off():
    result = run_settings(
        {"HOMEWARD_ENV": "production", "SECRET_KEY": GOOD_SECRET},
        SETUP + "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


def test_production_refuses_to_start_with_debug_on():
    result = run_settings(
        {"HOMEWARD_ENV": "production", "DEBUG": "true", "SECRET_KEY": GOOD_SECRET}, SETUP
    )

    assert result.returncode != 0
    assert "homeward.env.ConfigError: DEBUG must be off in production" in result.stderr


@pytest.mark.parametrize(
    "secret",
    [
        None,
        "",
        "dev-only-secret-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz",
        "too-short-a-secret",
    ],
    ids=["unset", "empty", "development-default", "short"],
)
def test_production_refuses_to_start_without_a_strong_secret_key(secret):
    env = {"HOMEWARD_ENV": "production"} | ({} if secret is None else {"SECRET_KEY": secret})

    result = run_settings(env, SETUP)

    assert result.returncode != 0
    assert (
        "homeward.env.ConfigError: SECRET_KEY must be set to a random value of 50+ characters "
        "in production" in result.stderr
    )
