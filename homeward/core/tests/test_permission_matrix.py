"""Every named URL against every named person, generated from the URLconf.

The expectations live in matrix.py (and in any app's tests/matrix.py). A URL without an entry,
or an entry for a URL that has gone, fails the suite. For each page and person the GET answer
is checked (status, and where a redirect goes), then the number of SQL queries of every answer
that is a page (200) against the entry's ceiling; no page may answer 5xx, for anyone.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.client import ClientHandler
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from homeward.accounts import services
from homeward.accounts.models import JoinBatch, JoinCode, generate_code
from homeward.core.notifications import mark_read, notify
from homeward.core.tests import matrix
from homeward.core.tests.matrix import ROLES, Answer, Scene

ENTRIES, KNOWN_BUGS, ADMIN_QUERIES = matrix.collect()


def url_names(
    resolver: URLResolver | None = None, namespace: tuple[str, ...] = ()
) -> Iterator[str]:
    """Every named pattern in the URLconf, namespace-qualified ("accounts:cards_detail")."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespace, pattern.name))


ALL_NAMES = sorted(set(url_names()))
NAMES = [n for n in ALL_NAMES if not n.startswith("admin:")]
ADMIN_CHANGELISTS = [n for n in ALL_NAMES if n.startswith("admin:") and n.endswith("_changelist")]
ADMIN_PAGES = ["admin:index", *ADMIN_CHANGELISTS]


def known_bug(name: str, role: str, check: str) -> str | None:
    for bug in KNOWN_BUGS:
        if name in bug.names and role in bug.roles and check in bug.checks:
            return bug.reason
    return None


def marks(name: str, role: str, check: str) -> list[Any]:
    """xfail(strict) while a known bug makes this check fail; see matrix.KNOWN_BUGS."""
    reason = known_bug(name, role, check)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def params(check: str, names: list[str]) -> list[Any]:
    """(name, role) for every name and person, with readable ids: "accounts:cards_detail-worker_b"."""
    return [
        pytest.param(name, role, id=f"{name}-{role}", marks=marks(name, role, check))
        for name in names
        for role in ROLES
    ]


@pytest.fixture
def scene(people, org_a, org_b) -> Scene:
    return Scene(people, org_a, org_b)


def entry_for(name: str) -> matrix.Entry:
    entry = ENTRIES.get(name)
    if entry is None:
        pytest.fail(f"{name} has no entry in the permission matrix (homeward/*/tests/matrix.py)")
    return entry


def check_answer(response, expected: Answer, url: str, scene: Scene, label: str) -> None:
    status = response.status_code
    assert status < 500, f"{label}: {url} answered {status}"
    where = f" → {response.get('Location')}" if response.has_header("Location") else ""
    assert status == expected.status, (
        f"{label}: {url} answered {status}{where}, expected {expected}"
    )
    if expected.to is None:
        return
    location = urlsplit(response["Location"])
    assert location.path == expected.target(scene), f"{label}: {url} redirected{where}"
    query = parse_qs(location.query)
    assert query == ({"next": [url]} if expected.next_here else {}), (
        f"{label}: {url} redirected{where}, expected {expected}"
    )


def check_queries(queries: CaptureQueriesContext, ceiling: int | None, label: str) -> None:
    assert ceiling is not None, (
        f"{label} answers 200 but has no query ceiling: add its current count to the matrix"
    )
    sql = "\n".join(f"  {q['sql']}" for q in queries.captured_queries)
    assert len(queries) <= ceiling, f"{label}: {len(queries)} queries, ceiling {ceiling}\n{sql}"


@functools.cache
def _handler() -> ClientHandler:
    return ClientHandler(enforce_csrf_checks=False)


def client_for(scene: Scene, role: str) -> Client:
    """The person's signed-in client, sharing one request handler per process: each new handler
    builds the middleware again, and WhiteNoise's then rescans every static file (most of the
    time this module would otherwise take). The handler keeps no state between requests."""
    client: Client = scene.people[role].client()
    client.handler = _handler()
    return client


# The table itself ------------------------------------------------------------------------------


def test_roles_are_the_people_in_conftest(people):
    assert tuple(people) == ROLES


def test_every_url_name_has_an_entry():
    missing = [name for name in NAMES if name not in ENTRIES]
    assert not missing, (
        "URL patterns with no entry in the permission matrix (add one to homeward/<app>/tests/"
        "matrix.py saying what each person gets): " + ", ".join(missing)
    )


def test_every_entry_names_a_url_that_exists():
    stale = sorted(set(ENTRIES) - set(NAMES))
    assert not stale, "Matrix entries for URL names that no longer exist: " + ", ".join(stale)
    stale_admin = sorted(set(ADMIN_QUERIES) - set(ADMIN_PAGES))
    assert not stale_admin, "Admin query ceilings for pages that no longer exist: " + ", ".join(
        stale_admin
    )
    stale_bugs = sorted({n for bug in KNOWN_BUGS for n in bug.names} - set(ALL_NAMES))
    assert not stale_bugs, "Known bugs about URL names that no longer exist: " + ", ".join(
        stale_bugs
    )


def test_every_entry_answers_for_every_role():
    problems = []
    for name, entry in ENTRIES.items():
        tables = {"get": entry.get, "queries": entry.queries}
        if entry.post:
            tables["post"] = entry.post.answers
            if not entry.post.changes <= set(ROLES):
                problems.append(f"{name}: post.changes names unknown roles")
        for table_name, table in tables.items():
            if table_name != "queries" and set(table) != set(ROLES):
                problems.append(f"{name}: {table_name} answers for {sorted(table)}")
            if not set(table) <= set(ROLES):
                problems.append(f"{name}: {table_name} names unknown roles")
        if entry.wrong_method and entry.wrong_method.role not in ROLES:
            problems.append(f"{name}: wrong_method role {entry.wrong_method.role}")
    assert not problems, "\n".join(problems)


# GET: every page, every person -----------------------------------------------------------------

_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)


def check_title(response: Any, label: str) -> None:
    """An HTML page's title is plain words (a template block left open once put a whole form,
    CSRF token and all, in a browser tab's title)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    found = _TITLE.search(response.content)
    assert found, f"{label}: the page has no <title>"
    title = found.group(1).decode()
    assert title.strip() and "<" not in title, (
        f"{label}: the title is not plain words: {title[:120]!r}"
    )


@pytest.mark.parametrize(("name", "role"), params("matrix", NAMES))
def test_matrix(name, role, scene):
    entry = entry_for(name)
    if entry.setup:
        entry.setup(scene)
    url = entry.url(name, scene)
    client = client_for(scene, role)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    label = f"GET {name} as {role}"
    check_answer(response, entry.get[role], url, scene, label)
    if response.status_code == 200:
        check_queries(queries, entry.queries.get(role), label)
        check_title(response, label)
        if entry.absent:
            page = html.unescape(response.content.decode())
            for text in entry.absent(scene, role):
                assert text not in page, f"{label}: shows someone else's record {text!r}"


# Wrong HTTP method -----------------------------------------------------------------------------


def wrong_method_params() -> list[Any]:
    out = []
    for name in NAMES:
        entry = ENTRIES.get(name)
        if entry is None or entry.wrong_method is None:
            continue
        method, role = entry.wrong_method.method, entry.wrong_method.role
        out.append(
            pytest.param(
                name, id=f"{name}-{method.upper()}-{role}", marks=marks(name, role, "wrong_method")
            )
        )
    return out


@pytest.mark.parametrize("name", wrong_method_params())
def test_wrong_method(name, scene):
    entry = entry_for(name)
    assert entry.wrong_method is not None
    if entry.setup:
        entry.setup(scene)
    url = entry.url(name, scene)
    client = client_for(scene, entry.wrong_method.role)
    response = getattr(client, entry.wrong_method.method)(url)
    label = f"{entry.wrong_method.method.upper()} {name} as {entry.wrong_method.role}"
    check_answer(response, matrix.NOT_ALLOWED, url, scene, label)


# POST: state-changing actions ------------------------------------------------------------------


POST_NAMES = [name for name in NAMES if name in ENTRIES and ENTRIES[name].post is not None]


@pytest.mark.parametrize(("name", "role"), params("post", POST_NAMES))
def test_post(name, role, scene):
    """Who may do it gets it done; everyone else gets the matrix answer and changes nothing."""
    entry = entry_for(name)
    post = entry.post
    assert post is not None
    if entry.setup:
        entry.setup(scene)
    url = entry.url(name, scene)
    data = post.data(scene)
    before = post.state(scene)
    response = client_for(scene, role).post(url, data)
    check_answer(response, post.answers[role], url, scene, f"POST {name} as {role}")
    after = post.state(scene)
    if role in post.changes:
        assert after != before, f"POST {name} as {role} should have changed {before!r}"
    else:
        assert after == before, f"POST {name} as {role} changed {before!r} to {after!r}"


# Django admin: generated from the admin registry -----------------------------------------------


def test_admin_has_a_changelist_for_every_registered_model():
    registered = sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    )
    assert registered == ADMIN_CHANGELISTS


@pytest.mark.parametrize(("name", "role"), params("admin", ADMIN_PAGES))
def test_admin(name, role, scene):
    """Anonymous → sign in; signed in but not a platform admin → 404; platform admin → 200."""
    url = reverse(name)
    client = client_for(scene, role)
    label = f"GET {name} as {role}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if role == "anonymous":
        # Django's admin sends visitors to its own login page, which hands over to ours.
        check_answer(response, matrix.redirect("admin:login", next_here=True), url, scene, label)
        response = client.get(response["Location"])
        check_answer(response, matrix.TO_LOGIN, url, scene, label)
    elif role == "platform_admin":
        check_answer(response, matrix.OK, url, scene, label)
        if name == "admin:index":
            page = response.content.decode()
            unlisted = [n for n in ADMIN_CHANGELISTS if f'href="{reverse(n)}"' not in page]
            assert not unlisted, f"{label}: the index doesn't link to {unlisted}"
        check_queries(queries, ADMIN_QUERIES.get(name), label)
    else:
        check_answer(response, matrix.NOT_FOUND, url, scene, label)


# Query counts stay the same as lists grow ------------------------------------------------------


def grow_batches(scene: Scene, n: int) -> str:
    """Organisation A has n batches, made by different staff, some stopped or expired."""
    creators = [scene.user(role) for role in matrix.STAFF_A]
    have = JoinBatch.objects.filter(organisation=scene.org_a).count()
    for i in range(have, n):
        creator = creators[i % len(creators)]
        assert creator is not None
        batch = services.create_join_batch(
            creator,
            scene.org_a,
            distribution_point=f"Visitors' centre {i}",
            size=1,
            uses_per_code=1,
            expires_at=timezone.now() + timedelta(days=-1 if i % 5 == 3 else 90),
        )
        if i % 5 == 4:
            services.revoke_join_batch(creator, batch)
    return reverse("accounts:cards_list")


def _growing_batch(scene: Scene) -> JoinBatch:
    creator = scene.user("worker_a")
    assert creator is not None
    batch = JoinBatch.objects.filter(distribution_point="Growing").first()
    if batch is None:
        batch = services.create_join_batch(
            creator,
            scene.org_a,
            distribution_point="Growing",
            size=1,
            uses_per_code=2,
            expires_at=timezone.now() + timedelta(days=90),
        )
    return batch


def grow_codes(scene: Scene, n: int, name: str = "accounts:cards_detail") -> str:
    """A batch of n cards, some used."""
    batch = _growing_batch(scene)
    have = batch.codes.count()
    JoinCode.objects.bulk_create(
        JoinCode(batch=batch, code=generate_code(), uses=i % 3) for i in range(have, n)
    )
    JoinBatch.objects.filter(pk=batch.pk).update(code_count=n)
    return reverse(name, args=[batch.pk])


def grow_notes(scene: Scene, n: int) -> str:
    """The family member has n notifications, some read, some with a link."""
    family = scene.user("family")
    assert family is not None
    have = family.notifications.count()
    for i in range(have, n):
        note = notify(family, kind="reply", title=f"Reply {i}", url="/" if i % 2 else "")
        if i % 3 == 0:
            mark_read(family, [note.pk])
    return reverse("notifications")


GROWTH: dict[str, tuple[str, Callable[[Scene, int], str], str]] = {
    # name: (who looks, how the list grows, text the 30th item shows)
    "accounts:cards_list": ("worker_a", grow_batches, "Visitors' centre 29"),
    "accounts:cards_detail": ("worker_a", grow_codes, "30 (2 people can join with each)"),
    "accounts:cards_print": (
        "worker_a",
        lambda s, n: grow_codes(s, n, "accounts:cards_print"),
        # A third of the growing batch's cards are used up, and a reprint leaves them out.
        "20 cards for Growing",
    ),
    "notifications": ("family", grow_notes, "Reply 29"),
}


@pytest.mark.parametrize(
    ("name", "role"),
    [
        pytest.param(name, role, id=f"{name}-{role}", marks=marks(name, role, "growth"))
        for name, (role, _, _) in GROWTH.items()
    ],
)
def test_queries_constant_as_list_grows(name, role, scene):
    _, grow, thirtieth = GROWTH[name]
    client = client_for(scene, role)
    url = grow(scene, 1)
    assert client.get(url).status_code == 200  # warm: first-request work is not the list's
    counts = []
    for n in (1, 30):
        url = grow(scene, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, f"{name} with {n} items answered {response.status_code}"
        counts.append(len(queries))
    assert thirtieth in html.unescape(response.content.decode()), f"{name} lacks the 30th item"
    assert counts[0] == counts[1], f"{name}: {counts[0]} queries with 1 item, {counts[1]} with 30"
