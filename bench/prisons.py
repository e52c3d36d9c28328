"""Prison guide benchmarks: server time, response size and SQL queries for the list of prisons,
a prison's page (with tips) and a postcode search. Run by `make bench` (never by `make test`).

Like bench/foundation.py it builds its own SQLite database under var/bench/, imports the shipped
establishment data, adds families' tips and follows, and drives the pages in-process with
Django's test client, so the time measured is the server's own. Targets: median ≤ 10 ms and a
query count that does not grow with the data."""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench" / "prisons.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("HOMEWARD_ENV", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
os.environ["EMAIL_URL"] = "dummy://"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from homeward.accounts import factories  # noqa: E402
from homeward.accounts.models import Role, User  # noqa: E402
from homeward.prisons import services  # noqa: E402
from homeward.prisons.importer import import_prisons  # noqa: E402
from homeward.prisons.models import Prison  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
TARGET_MS = 10.0
SECTION = "## Prison guide"


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    size_kb: float
    queries: int


def measure(name: str, client: Client, url: str) -> Result:
    for _ in range(10):  # warm caches and template loaders
        client.get(url)
    times = []
    size = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        size = len(response.content)
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return Result(
        name=name,
        median_ms=statistics.median(times),
        p95_ms=times[int(len(times) * 0.95) - 1],
        size_kb=size / 1024,
        queries=len(queries),
    )


def build() -> User:
    DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    # The development settings serve static files through a manifest: include prisons.css.
    call_command("collectstatic", interactive=False, verbosity=0)
    import_prisons()
    org = factories.make_organisation("Bench Families", slug="bench")
    moderator = factories.make_member("Bench Moderator", org, Role.PEER_MODERATOR)
    family = factories.make_member("Bench Family 1", org, Role.FAMILY)
    lewes = Prison.objects.get(code="LWI")
    for i in range(40):
        tip = services.add_tip(moderator, lewes, f"A practical tip about visiting, number {i}.")
        if i % 3 == 0:
            services.mark_helpful(family, tip)
    for prison in Prison.objects.open().order_by("code")[:5]:
        services.follow(family, prison)
    return family


def main() -> int:
    setup_test_environment()  # allows the test client's host and keeps e-mail in memory
    family = build()
    anonymous = Client()
    member = factories.sign_in(Client(), family)
    pages: list[tuple[str, Client, str]] = [
        ("Prison list, by region (126 open)", anonymous, "/prisons/"),
        ("Prison page: Lewes, 40 tips (visitor)", anonymous, "/prisons/LWI/"),
        ("Prison page: Lewes, 40 tips (member)", member, "/prisons/LWI/"),
        ("Postcode search: BN7 1EA", anonymous, "/prisons/search/?postcode=BN7+1EA"),
        ("Name search: 'wood'", anonymous, "/prisons/search/?q=wood"),
        ("My prisons (5 followed)", member, "/prisons/mine/"),
    ]
    results = [measure(name, client, url) for name, client, url in pages]
    write(results)
    slow = [r.name for r in results[:4] if r.median_ms > TARGET_MS]
    if slow:
        print(f"Over the {TARGET_MS:.0f} ms median target: {', '.join(slow)}")
    return 0


def write(results: list[Result]) -> None:
    lines = [
        SECTION,
        "",
        f"In-process server time over {RUNS} requests each (Django test client, SQLite WAL, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores), "
        f"measured {time.strftime('%Y-%m-%d %H:%M %Z')}. Target: median ≤ {TARGET_MS:.0f} ms, "
        "queries constant as the data grows.",
        "",
        "| page | median ms | p95 ms | size KB | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.size_kb:.1f} | {r.queries} |"
        )
    section = "\n".join(lines) + "\n"
    out = ROOT / "BENCHMARKS.md"
    header = (
        "# Benchmarks\n\nWritten by `make bench` (never part of `make test`). Each section is replaced "
        "when its benchmark runs again.\n\n"
    )
    text = out.read_text() if out.exists() else header
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text)
    print(section)


if __name__ == "__main__":
    raise SystemExit(main())
