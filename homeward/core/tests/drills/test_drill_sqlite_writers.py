"""Drill: SQLite (WAL, IMMEDIATE transactions, a 20 s busy timeout: homeward/env.py) with 20
writers at once. Each writer is a signed-in member in its own thread and connection, following
prisons and renaming themselves through the real site. No request fails, no "database is locked"
reaches anyone, and every row written is there afterwards."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from homeward.accounts import factories
from homeward.accounts.models import Role
from homeward.core.tests.drills.support import TALLY, database_url_for_subprocess
from homeward.prisons.factories import ensure_prisons
from homeward.prisons.models import Follow, Prison

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 20
PRISONS_EACH = 8


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')")
def test_twenty_concurrent_writers_lose_nothing_and_see_no_lock_errors(org_a, tmp_path):
    assert connection.vendor == "sqlite"
    ensure_prisons()
    codes = list(Prison.objects.order_by("code").values_list("code", flat=True)[:PRISONS_EACH])
    members = [factories.make_member(f"Writer {i}", org_a, Role.FAMILY) for i in range(WRITERS)]
    url = database_url_for_subprocess(str(tmp_path))
    path = url.removeprefix("sqlite:///")

    completed = subprocess.run(
        [sys.executable, "-m", "homeward.core.tests.drills.sqlite_writers",
         ",".join(str(m.pk) for m in members), ",".join(codes)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "HOMEWARD_ENV": "test", "DATABASE_URL": url,
             "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    requests = WRITERS * PRISONS_EACH * 2
    TALLY["sqlite concurrent writes: requests"] += requests
    assert report["errors"] == []
    assert report["statuses"] == {"302": requests}

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        follows = db.execute(
            f"SELECT user_id, COUNT(*) FROM {Follow._meta.db_table} GROUP BY user_id"
        ).fetchall()
        names = dict(
            db.execute(
                "SELECT id, display_name FROM accounts_user WHERE id IN "
                f"({','.join(str(m.pk) for m in members)})"
            ).fetchall()
        )
    assert sorted(follows) == sorted((m.pk, PRISONS_EACH) for m in members)
    assert names == {m.pk: f"Writer {m.pk} {PRISONS_EACH - 1}" for m in members}
