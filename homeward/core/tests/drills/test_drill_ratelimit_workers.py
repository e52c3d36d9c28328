"""Drill: a rate limit holds across gunicorn's worker processes. Real gunicorn (3 worker processes,
2 threads each) serves a copy of this test's database; 12 threads guess join codes at once, 60
guesses in all, from one address. The join-code limit allows 20 wrong guesses per address per
window, counted in the database (core.RateCounter, RATE_LIMIT_STORE=database), so exactly 20 get
their "not found" answer and the other 40 get the plain 429 page with Retry-After, however the
guesses were spread over the workers. Counters kept in each worker's own memory would let up to
3 x 20 through."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.conf import settings

from homeward.accounts.models import generate_code
from homeward.core.ratelimit import rate_for
from homeward.core.tests.drills.support import TALLY, database_url_for_subprocess

pytestmark = pytest.mark.django_db(transaction=True)

GUESSES = 60
THREADS = 12
WORKERS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_serving(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped before it served anything"
        try:
            with urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # nosec B310
                return
        except HTTPError:
            return  # it answered (the worker heartbeat may be missing: 503 is fine here)
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start within 60 s")


def _guess(port: int) -> tuple[int, str | None]:
    url = f"http://127.0.0.1:{port}/join/{generate_code()}/"
    try:
        with urlopen(url, timeout=30) as response:  # nosec B310
            return response.status, response.headers.get("Retry-After")
    except HTTPError as error:
        return error.code, error.headers.get("Retry-After")


def test_the_join_code_limit_holds_across_worker_processes(tmp_path):
    assert settings.RATE_LIMIT_STORE == "database"
    allowed = rate_for("join_code").count
    assert WORKERS * allowed / 2 < GUESSES  # enough to show a per-worker count would leak
    port = _free_port()
    env = {
        **os.environ,
        "HOMEWARD_ENV": "test",
        "DATABASE_URL": database_url_for_subprocess(str(tmp_path)),
        "ALLOWED_HOSTS": "127.0.0.1",
        "RATE_LIMIT_STORE": "database",
    }
    server = subprocess.Popen(  # nosec B603
        [sys.executable, "-m", "gunicorn", "homeward.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--threads", "2",
         "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_until_serving(port, server)
        with ThreadPoolExecutor(THREADS) as pool:
            answers = list(pool.map(lambda _: _guess(port), range(GUESSES)))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            _, errors = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()
    statuses = Counter(status for status, _ in answers)
    TALLY["rate limit across workers: requests"] += GUESSES
    assert statuses == {404: allowed, 429: GUESSES - allowed}, (statuses, errors[-2000:])
    assert all(int(wait) > 0 for status, wait in answers if status == 429 and wait is not None)
    assert all(wait for status, wait in answers if status == 429), "a 429 without Retry-After"
    assert b"Traceback" not in errors
