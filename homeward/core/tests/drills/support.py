"""What the drills share: taking the database away for real, snapshots of every table, the URL
walker, and a tally of what each drill did (printed at the end of the run, see conftest.py)."""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from typing import Any

from django.db import connection
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver

from homeward.core.tests.drills.plugin import TALLY

__all__ = ["TALLY"]

# Tables that change on their own while a request runs (sessions, the cache table): a snapshot
# leaves them out.
# Not the site's data: sessions, the cache table, and the rate limits' attempt counters
# (core.ratelimit counts every attempt, a rejected or cut-off one too; that is the point).
VOLATILE_TABLES = frozenset({"django_session", "homeward_cache", "core_ratecounter"})

REFERENCE = re.compile(r'<span class="reference">([0-9A-F]{8})</span>')


def url_names(
    resolver: URLResolver | None = None, namespace: tuple[str, ...] = ()
) -> Iterator[str]:
    """Every named pattern in the URLconf, namespace-qualified ("community:topic")."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespace, pattern.name))


def site_url_names() -> list[str]:
    """Every named URL except the Django admin's (the admin has its own drills)."""
    return sorted(n for n in set(url_names()) if not n.startswith("admin:"))


def _access_log_filter(table: str) -> str:
    """Rows that record a read, not a write: the access log (core.audit.log_access) is written
    whenever staff open a sensitive record, including a form sent back with errors."""
    from homeward.core.models import AuditEvent

    if table == AuditEvent._meta.db_table:
        return f" WHERE action <> '{AuditEvent.VIEWED}'"
    return ""


def tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t not in VOLATILE_TABLES)


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows (in primary-key order where it has one)."""
    result = {}
    with connection.cursor() as cursor:
        for table in tables():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            result[table] = (len(rows), digest)
    return result


def row_counts() -> dict[str, int]:
    """Every table's row count in one query (access-log reads and sessions left out)."""
    with connection.cursor() as cursor:
        parts = [
            f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}{_access_log_filter(t)}"
            for t in tables()
        ]
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def counts(snap: dict[str, tuple[int, str]]) -> dict[str, int]:
    return {table: count for table, (count, _) in snap.items()}


def changed_tables(
    before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]
) -> list[str]:
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))


@contextmanager
def database_down() -> Iterator[None]:
    """The database stops answering: every new connection fails in the real driver (SQLite cannot
    open a file in a directory that does not exist; PostgreSQL finds no server on the socket).
    Use in `transaction=True` tests only. SQLite's in-memory test database would vanish if its
    connection closed, so that connection is set aside and put back afterwards."""
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    kept = None
    empty = tempfile.TemporaryDirectory(prefix="homeward-no-db-")
    if connection.vendor == "sqlite":
        kept, connection.connection = connection.connection, None
        settings_dict["NAME"] = f"{empty.name}/missing/homeward.sqlite3"
    else:
        connection.close()
        settings_dict["HOST"] = empty.name  # a socket directory with no server in it
        settings_dict["PORT"] = ""
    try:
        yield
    finally:
        if connection.connection is not None and connection.connection is not kept:
            connection.connection.close()
        connection.connection = None
        settings_dict.clear()
        settings_dict.update(saved)
        if kept is not None:
            connection.connection = kept
        empty.cleanup()


def page_text(response: Any) -> str:
    return unescape(response.content.decode(errors="replace"))


def assert_styled_503(response: Any, label: str) -> None:
    """Our 503 page: the site's layout, the request's reference (the same as in the header and
    the log), Retry-After, and nothing of the error itself."""
    assert response.status_code == 503, f"{label}: answered {response.status_code}, not 503"
    html = page_text(response)
    if not response["Content-Type"].startswith("text/html"):  # /healthz: JSON for monitors
        assert "Traceback" not in html and "Error" not in html, f"{label}: details leaked"
        return
    assert "This site is having a short break" in html, f"{label}: not our 503 page"
    assert 'class="quick-exit' in html or "Leave this site" in html, f"{label}: no site layout"
    match = REFERENCE.search(html)
    assert match, f"{label}: the 503 page shows no reference"
    assert match.group(1) == response["X-Request-Id"], f"{label}: reference differs from header"
    assert response["Retry-After"] == "60", f"{label}: no Retry-After"
    for leak in ("Traceback", "OperationalError", "unable to open", "connection", "socket"):
        assert leak not in html, f"{label}: the page shows {leak!r}"


def database_url_for_subprocess(workdir: str) -> str:
    """A DATABASE_URL through which another process sees this test's database. PostgreSQL's test
    database is a real one; SQLite's is in memory, so it is copied into a file (VACUUM INTO) that
    the other process and `raw_query` then share."""
    if connection.vendor == "sqlite":
        path = f"{workdir}/shared.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM INTO '{path}'")
        return f"sqlite:///{path}"
    s = connection.settings_dict
    return f"postgres://{s['USER']}@/{s['NAME']}?host={s['HOST']}&conn_max_age=0"


def raw_query(database_url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the database another process is using (see database_url_for_subprocess)."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=20) as db:
            return list(db.execute(sql.replace("%s", "?"), params).fetchall())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


_HANDLER: ClientHandler | None = None


def shared_client(scene: Any, role: str) -> Client:
    """The named person's signed-in client, on one request handler per process (a new handler
    builds the middleware again, and WhiteNoise's rescans every static file). A crash in a view
    raises in the test, with its traceback."""
    global _HANDLER
    if _HANDLER is None:
        _HANDLER = ClientHandler(enforce_csrf_checks=False)
    client: Client = scene.people[role].client()
    client.handler = _HANDLER
    client.raise_request_exception = True
    return client
