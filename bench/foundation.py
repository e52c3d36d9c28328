"""Foundation benchmarks: server time, response size and SQL queries for the pages every
visitor and member of staff passes through. Run by `make bench` (never by `make test`).

It builds its own SQLite database under var/bench/, seeds it with the same factories as the
tests, and drives the pages in-process with Django's test client, so the time measured is the
server's own (routing, middleware, queries, templates), not the network's."""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench" / "bench.sqlite3"
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
from homeward.accounts.models import JoinBatch, Role  # noqa: E402
from homeward.core.notifications import notify  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "200"))


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


def build() -> dict[str, object]:
    DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    org = factories.make_organisation("Bench Families", slug="bench")
    worker = factories.make_member("bench-worker", org, Role.SUPPORT_WORKER)
    family = factories.make_member("Bench Family 1", org, Role.FAMILY)
    for i in range(40):
        factories.make_join_batch(org, worker, distribution_point=f"Visitors' centre {i}", size=10)
    batch = JoinBatch.objects.filter(organisation=org).first()
    assert batch is not None
    for i in range(200):
        notify(family, kind="bench", title=f"Someone replied to your conversation ({i})", url="/")
    return {"worker": worker, "family": family, "batch": batch}


def main() -> int:
    setup_test_environment()  # allows the test client's host and keeps e-mail in memory
    world = build()
    anonymous = Client()
    member = factories.sign_in(Client(), world["family"])  # type: ignore[arg-type]
    staff = factories.sign_in(Client(), world["worker"])  # type: ignore[arg-type]
    batch = world["batch"]
    code = batch.codes.first().code  # type: ignore[attr-defined]
    pages: list[tuple[str, Client, str]] = [
        ("Home (visitor)", anonymous, "/"),
        ("Home (member)", member, "/"),
        ("Join from a card", anonymous, f"/join/{code}/"),
        ("Sign in", anonymous, "/accounts/login/"),
        ("Notifications (200 held)", member, "/notifications/"),
        ("Staff: join cards (40 batches)", staff, "/staff/join-cards/"),
        ("Staff: print 10 cards with QR codes", staff, f"/staff/join-cards/{batch.pk}/print/"),  # type: ignore[attr-defined]
        ("/healthz", anonymous, "/healthz"),
    ]
    results = [measure(name, client, url) for name, client, url in pages]
    write(results)
    return 0


def write(results: list[Result]) -> None:
    lines = [
        "## Foundation pages",
        "",
        f"In-process server time over {RUNS} requests each (Django test client, SQLite WAL, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores), "
        f"measured {time.strftime('%Y-%m-%d %H:%M %Z')}.",
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
    start = text.find("## Foundation pages")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text)
    print(section)


if __name__ == "__main__":
    raise SystemExit(main())
