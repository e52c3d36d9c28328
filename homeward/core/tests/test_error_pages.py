"""Error pages are kind, discreet and quotable: each shows the request's reference, which is also
in the response header and the server log, and never shows a traceback."""

from __future__ import annotations

import io
import logging
import re
from html import unescape
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client, RequestFactory, override_settings
from django.utils.functional import SimpleLazyObject

from conftest import sign_in
from homeward.core.middleware import RequestIdLogFilter
from homeward.core.models import Notification
from homeward.core.notifications import notify
from homeward.core.tests.urls_for_errors import PRIVATE_DETAIL
from homeward.core.views import errors

pytestmark = pytest.mark.django_db

ERRORS_URLCONF = "homeward.core.tests.urls_for_errors"
REFERENCE = re.compile(r'<span class="reference">([0-9A-F]{8})</span>')


def full_title(heading: str) -> str:
    return f"{heading} \N{EN DASH} {settings.SITE_NAME}"


def title_of(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match, "page has no <title>"
    return unescape(match.group(1)).strip()


def text_of(response) -> str:
    html: str = response.content.decode()
    return unescape(html)


def visible_text(response) -> str:
    """What a person sees (or a screen reader says): the page without its markup. Addresses in
    links (e.g. /prisons/ for the visiting guide) are not shown on screen."""
    html: str = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def reference_on_page(response) -> str:
    match = REFERENCE.search(response.content.decode())
    assert match, "page shows no reference"
    return str(match.group(1))


@pytest.fixture
def failing_client():
    """A client that gets the 500 page, as a browser would, instead of the exception."""
    client = Client()
    client.raise_request_exception = False
    return client


@pytest.fixture
def server_log():
    """What the configured log handlers for django.request write, as text."""
    logger = logging.getLogger("django.request")
    handlers = [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
    assert handlers, "django.request has no log handler"
    buffer = io.StringIO()
    old_streams = [h.setStream(buffer) for h in handlers]
    yield buffer
    for handler, stream in zip(handlers, old_streams, strict=True):
        handler.setStream(stream)


@pytest.fixture
def request_records(caplog):
    """caplog for django.request, which does not propagate to the root logger."""
    logger = logging.getLogger("django.request")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


# --- 404 --------------------------------------------------------------------------------------


def test_unknown_address_gets_our_404_page_with_its_reference():
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert response.templates[0].name == "errors/error.html"
    assert title_of(response) == full_title("We can't find that page")
    assert "<h1>We can&#x27;t find that page</h1>" in response.content.decode()
    assert reference_on_page(response) == response["X-Request-Id"]


def test_404_for_a_signed_in_member_too(family):
    response = sign_in(Client(), family).get("/no-such-page/")
    assert response.status_code == 404
    assert reference_on_page(response) == response["X-Request-Id"]


def test_error_pages_keep_the_site_name_and_the_quick_exit():
    """Error pages render without context processors; the escape route must still work."""
    page = Client().get("/no-such-page/").content.decode()
    assert f'href="{settings.QUICK_EXIT_URL}" rel="noreferrer" data-quick-exit' in page
    assert f'<a class="site-header__name" href="/">{settings.SITE_NAME}</a>' in page


# --- 500 --------------------------------------------------------------------------------------


@pytest.mark.urls(ERRORS_URLCONF)
def test_a_crash_gets_our_500_page_with_its_reference_and_no_traceback(failing_client):
    response = failing_client.get("/test-errors/boom/")

    assert response.status_code == 500
    assert title_of(response) == full_title("Sorry, something went wrong on our side")
    assert reference_on_page(response) == response["X-Request-Id"]
    text = text_of(response)
    assert "Traceback" not in text
    assert "RuntimeError" not in text
    assert PRIVATE_DETAIL not in text
    assert "boom" not in text


@pytest.mark.urls(ERRORS_URLCONF)
def test_a_crash_is_logged_with_the_same_reference(failing_client, server_log, request_records):
    response = failing_client.get("/test-errors/boom/")
    ref = response["X-Request-Id"]

    crashes = [r for r in request_records.records if r.name == "django.request"]
    assert len(crashes) == 1
    assert crashes[0].levelno == logging.ERROR
    assert crashes[0].exc_info is not None
    assert crashes[0].exc_info[0] is RuntimeError

    # The line an operator greps for: the reference the member quotes, then the traceback.
    logged = server_log.getvalue()
    assert f"[ref {ref}] Internal Server Error: /test-errors/boom/" in logged
    assert "Traceback" in logged
    assert PRIVATE_DETAIL in logged


def test_the_request_log_handler_adds_the_reference():
    handlers = logging.getLogger("django.request").handlers
    assert any(isinstance(f, RequestIdLogFilter) for h in handlers for f in h.filters), (
        "django.request log lines would have no reference"
    )


@pytest.mark.urls(ERRORS_URLCONF)
@pytest.mark.parametrize("who", ["anonymous", "family", "worker_a"])
def test_error_page_still_works_when_the_database_goes_away(failing_client, who, request):
    """A database that goes away is a passing fault: our 503 page (with Retry-After), not 500."""
    if who != "anonymous":
        sign_in(failing_client, request.getfixturevalue(who))
    try:
        response = failing_client.get("/test-errors/database-gone/")
    finally:
        mock.patch.stopall()

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "This site is having a short break" in title_of(response)
    assert reference_on_page(response) == response["X-Request-Id"]
    assert PRIVATE_DETAIL not in text_of(response)


def test_error_pages_render_without_the_database_or_the_user():
    request = RequestFactory().get("/somewhere/")
    request.user = SimpleLazyObject(  # type: ignore[assignment]
        lambda: pytest.fail("error pages must not load the user")
    )
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        for view in (errors.page_not_found, errors.permission_denied, errors.bad_request):
            assert view(request).status_code in {400, 403, 404}
        assert errors.server_error(request).status_code == 500
        assert errors.too_many_requests(request).status_code == 429
        assert errors.csrf_failure(request, reason="no token").status_code == 403


# --- 400 and 403 ------------------------------------------------------------------------------


def test_a_bad_host_gets_our_400_page():
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Something in that request didn" in title_of(response)
    assert reference_on_page(response) == response["X-Request-Id"]


@pytest.mark.urls(ERRORS_URLCONF)
def test_permission_denied_gets_our_403_page():
    response = Client().get("/test-errors/forbidden/")
    assert response.status_code == 403
    assert title_of(response) == full_title("You can't do that here")
    assert reference_on_page(response) == response["X-Request-Id"]
    assert PRIVATE_DETAIL not in text_of(response)


# --- CSRF -------------------------------------------------------------------------------------


def test_a_form_without_its_token_gets_the_friendly_csrf_page():
    response = Client(enforce_csrf_checks=True).post("/notifications/read/")

    assert response.status_code == 403
    assert title_of(response) == full_title("This page had been open too long")
    assert "Nothing was saved" in text_of(response)
    assert reference_on_page(response) == response["X-Request-Id"]
    assert f'href="{settings.QUICK_EXIT_URL}"' in response.content.decode()


def test_a_csrf_failure_changes_nothing(family):
    note = notify(family, kind="reply", title="Someone replied to you")
    client = sign_in(Client(enforce_csrf_checks=True), family)

    response = client.post("/notifications/read/", {"id": [note.pk]})

    assert response.status_code == 403
    assert "This page had been open too long" in text_of(response)
    assert Notification.objects.get(pk=note.pk).is_unread


# --- 429 --------------------------------------------------------------------------------------


@pytest.fixture
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("fresh_rate_limits")
@override_settings(ACCOUNT_RATE_LIMITS={"login": "1/m/ip"})
def test_too_many_sign_in_attempts_get_our_429_page_with_retry_after():
    client = Client()
    form = {"login": "Robin Mum 7", "password": "not-the-password"}
    assert client.post("/accounts/login/", form).status_code == 200

    response = client.post("/accounts/login/", form)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert title_of(response) == full_title("Please wait a moment")
    assert reference_on_page(response) == response["X-Request-Id"]


def test_429_handler_sets_retry_after():
    response = errors.too_many_requests(RequestFactory().get("/"))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"


# --- every page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/healthz", "/no-such-page/", "/accounts/login/", "/notifications/"]
)
def test_every_response_carries_a_request_id(path):
    first = Client().get(path)
    second = Client().get(path)
    assert re.fullmatch(r"[0-9A-F]{8}", first["X-Request-Id"])
    assert first["X-Request-Id"] != second["X-Request-Id"]


@pytest.mark.parametrize("status", sorted(errors._PAGES))
def test_error_pages_never_say_prison(status):
    response = errors.render_error(RequestFactory().get("/"), status)
    assert response.status_code == status
    assert "prison" not in title_of(response).lower()
    assert "prison" not in visible_text(response).lower()


def test_csrf_page_never_says_prison():
    response = Client(enforce_csrf_checks=True).post("/notifications/read/")
    assert "prison" not in visible_text(response).lower()
