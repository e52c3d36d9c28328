"""What every benchmark shares: its own throwaway SQLite database under var/bench/, timing a
page in-process with Django's test client (so the time is the server's own: routing, middleware,
queries, templates), and replacing its own section of BENCHMARKS.md.

A benchmark calls `start(name)` before it imports anything from Django or Homeward."""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def start(name: str) -> Path:
    """Point Django at var/bench/<name>.sqlite3 and set it up; returns the database's path."""
    db = ROOT / "var" / "bench" / f"{name}.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("HOMEWARD_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    os.environ["EMAIL_URL"] = "dummy://"
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test client's host is allowed; e-mail stays in memory
    return db


def fresh_database(db: Path) -> None:
    """An empty, migrated database (and static files, which manifest storage needs)."""
    from django.core.management import call_command

    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    size_kb: float
    queries: int


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def measure_page(name: str, client: Any, url: str, runs: int = RUNS) -> Result:
    """Median and p95 server time over `runs` GETs (after 10 to warm up), the response size,
    and the SQL queries one request makes. Every answer must be a 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(10):
        client.get(url)
    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        size = len(response.content)
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return Result(name, statistics.median(times), p95(times), size / 1024, len(queries))


def conditions(runs: int = RUNS, what: str = "requests") -> str:
    return (
        f"In-process server time over {runs} {what} each (Django test client, SQLite WAL, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores), "
        f"measured {time.strftime('%Y-%m-%d %H:%M %Z')}."
    )


def page_table(results: list[Result]) -> list[str]:
    lines = [
        "| page | median ms | p95 ms | size KB | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r.name} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.size_kb:.1f} | {r.queries} |"
        for r in results
    ]
    return lines


def write_section(title: str, lines: list[str]) -> None:
    """Print a section and put it in BENCHMARKS.md in place of the old one with the same title
    (BENCH_DRY_RUN=1: print only)."""
    section = "\n".join([f"## {title}", "", *lines]) + "\n"
    print(section)
    if os.environ.get("BENCH_DRY_RUN"):
        return
    out = ROOT / "BENCHMARKS.md"
    header = (
        "# Benchmarks\n\nWritten by `make bench` (never part of `make test`). Each section is "
        "replaced when its benchmark runs again.\n"
    )
    text = out.read_text() if out.exists() else header
    start = text.find(f"## {title}\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text)
