"""core.ratelimit: named limits per IP or per user that answer our plain 429 page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client, override_settings
from django.urls import path

from conftest import sign_in
from homeward import urls as site
from homeward.core import ratelimit
from homeward.core.models import RateCounter
from homeward.core.ratelimit import Rate, rate_limit

LIMITS = {"attempt": "3/m", "per_user": "2/h", "either": "2/h", "guess": "2/m"}
START = 1_800_000_000  # a window boundary for 1 minute and for 1 hour


def _done(request: HttpRequest) -> HttpResponse:
    return HttpResponse("done")


def _check_code(request: HttpRequest, code: str) -> HttpResponse:
    """Like the join page: a right code answers 200, a wrong one 404."""
    return HttpResponse("welcome") if code == "RIGHT" else HttpResponse("no", status=404)


with override_settings(RATE_LIMITS=LIMITS):
    attempt = rate_limit("attempt")(_done)
    per_user = rate_limit("per_user", key="user")(_done)
    either = rate_limit("either", key="user_or_ip", methods=("GET", "POST"))(_done)
    guess = rate_limit("guess", methods=("GET", "POST"), failures_only=True)(_check_code)

# The real site plus three limited views (the urls marker below).
urlpatterns = [
    path("limited/attempt/", attempt),
    path("limited/per-user/", per_user),
    path("limited/either/", either),
    path("limited/code/<str:code>/", guess),
    *site.urlpatterns,
]
handler429 = site.handler429
handler404 = site.handler404

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture(autouse=True, params=["database", "cache"])
def clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """A clock the test moves by hand, and empty counters; every test runs with the counters
    in the database (the default) and in the cache (with Redis)."""
    now = [START]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    cache.clear()
    ratelimit._local.clear()
    with override_settings(RATE_LIMITS=LIMITS, RATE_LIMIT_STORE=request.param):
        yield now
    cache.clear()


def post(client: Client, url: str, ip: str = "203.0.113.7") -> HttpResponseBase:
    return client.post(url, REMOTE_ADDR=ip)


def test_rates_are_read_from_short_text() -> None:
    assert Rate.parse("20/10m") == Rate(20, 600)
    assert Rate.parse("5/h") == Rate(5, 3600)
    assert Rate.parse("30/s") == Rate(30, 1)
    for bad in ["", "20", "0/m", "ten/m", "5/d", "-1/m"]:
        with pytest.raises(ImproperlyConfigured):
            Rate.parse(bad)


def test_a_view_naming_a_limit_that_is_not_set_fails_at_import() -> None:
    with pytest.raises(ImproperlyConfigured, match="no limit called 'nope'"):
        rate_limit("nope")


def test_attempts_past_the_limit_get_the_plain_429_page_with_retry_after(
    client: Client, clock: list[int]
) -> None:
    clock[0] = START + 15  # 45 seconds before the window ends
    for _ in range(3):
        assert post(client, "/limited/attempt/").content == b"done"

    refused = post(client, "/limited/attempt/")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    html = refused.content.decode()
    assert "Please wait a moment" in html
    assert "Leave this site quickly" in html
    assert "Content-Security-Policy" in refused  # error pages keep the security headers


def test_the_view_does_not_run_once_the_limit_is_reached(client: Client) -> None:
    for _ in range(5):
        response = post(client, "/limited/attempt/")
    assert response.status_code == 429
    assert b"done" not in response.content


def test_limit_opens_again_when_the_window_ends(client: Client, clock: list[int]) -> None:
    for _ in range(4):
        post(client, "/limited/attempt/")
    assert post(client, "/limited/attempt/").status_code == 429

    clock[0] = START + 60

    assert post(client, "/limited/attempt/").status_code == 200


def test_each_address_has_its_own_count(client: Client) -> None:
    for _ in range(4):
        post(client, "/limited/attempt/", ip="203.0.113.7")

    assert post(client, "/limited/attempt/", ip="203.0.113.7").status_code == 429
    assert post(client, "/limited/attempt/", ip="198.51.100.2").status_code == 200


def test_looking_at_the_form_is_not_counted(client: Client) -> None:
    for _ in range(10):
        assert client.get("/limited/attempt/").status_code == 200
    assert post(client, "/limited/attempt/").status_code == 200


def test_per_user_limit_counts_each_member_apart_whatever_their_address(
    family, trusted_family
) -> None:
    robin = sign_in(Client(), family)
    willow = sign_in(Client(), trusted_family)
    post(robin, "/limited/per-user/", ip="203.0.113.1")
    post(robin, "/limited/per-user/", ip="203.0.113.2")

    assert post(robin, "/limited/per-user/", ip="203.0.113.3").status_code == 429
    assert post(willow, "/limited/per-user/", ip="203.0.113.1").status_code == 200


def test_per_user_limit_does_not_count_anonymous_requests(client: Client) -> None:
    # The view's own sign-in check answers them; the limit only counts members.
    for _ in range(5):
        assert post(client, "/limited/per-user/").status_code == 200


def test_user_or_ip_counts_members_by_account_and_visitors_by_address(family) -> None:
    member = sign_in(Client(), family)
    visitor = Client()
    for _ in range(2):
        member.get("/limited/either/", REMOTE_ADDR="203.0.113.9")
        visitor.get("/limited/either/", REMOTE_ADDR="203.0.113.9")

    assert member.get("/limited/either/", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert visitor.get("/limited/either/", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert Client().get("/limited/either/", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_addresses_are_not_kept_in_clear() -> None:
    ratelimit.hit("attempt", "ip:203.0.113.7")

    keys = [*cache._cache.keys(), *RateCounter.objects.values_list("bucket", flat=True)]
    assert len(keys) == 1
    assert not any("203.0.113.7" in key for key in keys)


def test_a_counted_request_costs_one_query_in_the_database_store(
    django_assert_num_queries,
) -> None:
    with override_settings(RATE_LIMIT_STORE="database"):
        with django_assert_num_queries(1):
            assert ratelimit.hit("attempt", "user:1") == 0
        with django_assert_num_queries(1):
            ratelimit.hit("attempt", "user:1")
        assert RateCounter.objects.get().count == 2


def test_a_new_window_reuses_the_row_and_starts_again_at_one(clock: list[int]) -> None:
    with override_settings(RATE_LIMIT_STORE="database"):
        for _ in range(4):
            ratelimit.hit("attempt", "user:1")
        assert ratelimit.used_up("attempt", "user:1")
        clock[0] = START + 60
        assert not ratelimit.used_up("attempt", "user:1")
        assert ratelimit.hit("attempt", "user:1") == 0
        assert RateCounter.objects.get().count == 1


def test_a_worker_local_limit_counts_in_memory_without_queries(
    django_assert_num_queries,
) -> None:
    with django_assert_num_queries(0):
        for _ in range(3):
            assert ratelimit.hit("attempt", "user:1", shared=False) == 0
        assert ratelimit.hit("attempt", "user:1", shared=False) > 0
    assert ratelimit.hit("attempt", "user:1") == 0  # the shared count is apart


def test_failures_only_lets_many_right_answers_through(client: Client) -> None:
    # Families behind one address (a visitors' centre's Wi-Fi) all joining with their cards.
    for _ in range(10):
        assert client.get("/limited/code/RIGHT/", REMOTE_ADDR="203.0.113.5").status_code == 200


def test_failures_only_stops_guessing_and_then_every_request(client: Client) -> None:
    for guess in ["AAAA", "AAAB"]:
        assert client.get(f"/limited/code/{guess}/", REMOTE_ADDR="203.0.113.5").status_code == 404

    refused = client.get("/limited/code/AAAC/", REMOTE_ADDR="203.0.113.5")
    right = client.get("/limited/code/RIGHT/", REMOTE_ADDR="203.0.113.5")

    assert refused.status_code == right.status_code == 429
    assert client.get("/limited/code/RIGHT/", REMOTE_ADDR="198.51.100.5").status_code == 200


@pytest.mark.parametrize("shared", [True, False])
def test_a_request_given_back_no_longer_counts_and_never_below_zero(shared: bool) -> None:
    ratelimit.give_back("attempt", "user:1", shared=shared)  # nothing counted yet: stays at 0
    for _ in range(3):
        assert ratelimit.hit("attempt", "user:1", shared=shared) == 0
    ratelimit.give_back("attempt", "user:1", shared=shared)
    assert ratelimit.hit("attempt", "user:1", shared=shared) == 0  # 3 again, within 3
    assert ratelimit.hit("attempt", "user:1", shared=shared) > 0  # the 4th is refused
