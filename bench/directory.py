"""Directory benchmarks: finding help near a postcode and the Open Referral UK API over 50,000
services with locations. Run by `make bench` (never by `make test`).

It builds its own SQLite database under var/bench/ (bulk-inserted, seeded randomness, spread
over every real postcode district) and drives the searches, pages and API in-process with
Django's test client, so the time measured is the server's own."""

from __future__ import annotations

import csv
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time as clock
from datetime import timedelta
from typing import Any

from bench import harness

DB = harness.start("directory")

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from homeward.core import geo  # noqa: E402
from homeward.core import search as core_search  # noqa: E402
from homeward.directory import factories, search  # noqa: E402
from homeward.directory.models import (  # noqa: E402
    Address,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from homeward.directory.taxonomy import TERMS, term_id  # noqa: E402

SERVICES = int(os.environ.get("BENCH_SERVICES", "50000"))
RUNS = harness.RUNS
WORDS = ("family", "support", "group", "advice", "visits", "children", "counselling", "club")
DAY_SETS = ("MO,TU,WE,TH,FR", "MO,WE,FR", "TU,TH", "SA", "MO,TU,WE,TH,FR,SA,SU")


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    found: int


def _outcodes() -> list[tuple[str, float, float]]:
    with geo.DATA.open(newline="") as handle:
        return [
            (row["outcode"], float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        ]


def build() -> None:
    """SERVICES local services (bulk-inserted), plus the real national ones."""
    harness.fresh_database(DB)
    factories.seed_national_services()
    r = random.Random(20261123)
    places = _outcodes()
    codes = [code for code, _, _ in TERMS]
    today = timezone.localdate()
    orgs = [
        Organization(name=f"Bench organisation {i}", description="Demo", is_demo=True)
        for i in range(500)
    ]
    with transaction.atomic():
        Organization.objects.bulk_create(orgs)
        batch: dict[type[Any], list[Any]] = {}

        def add(obj: object) -> None:
            batch.setdefault(type(obj), []).append(obj)

        order = (
            Service, Location, ServiceAtLocation, Address, Schedule, Attribute, Phone,
            Language, ServiceArea,
        )  # fmt: skip

        def flush() -> None:
            for model in order:
                model.objects.bulk_create(batch.pop(model, []), batch_size=2000)

        for n in range(SERVICES):
            outcode, lat, lon = r.choice(places)
            words = " ".join(r.sample(WORDS, 3))
            children = r.random() < 0.4
            service = Service(
                id=uuid.uuid4(),
                organization=r.choice(orgs),
                name=f"{words.title()} {n} (demo)",
                description=f"A demo service: {words} in {outcode}.",
                minimum_age=4 if children else None,
                maximum_age=17 if children else None,
                assured_date=today - timedelta(days=r.randint(0, 200)),
                in_person=True,
                by_phone=r.random() < 0.5,
                online=r.random() < 0.3,
                is_free=r.random() < 0.85,
                is_demo=True,
            )
            add(service)
            location = Location(
                id=uuid.uuid4(),
                name=f"{outcode} hub",
                latitude=lat + r.uniform(-0.02, 0.02),
                longitude=lon + r.uniform(-0.03, 0.03),
                outcode=outcode,
            )
            add(location)
            add(ServiceAtLocation(id=uuid.uuid4(), service=service, location=location))
            add(
                Address(
                    id=uuid.uuid4(), location=location, address_1=f"{n % 200 + 1} High Street",
                    city=outcode, state_province="", postal_code=f"{outcode} 1AA",
                )
            )  # fmt: skip
            opens = clock(r.choice((0, 8, 9, 10)), 0)
            add(
                Schedule(
                    id=uuid.uuid4(), service=service, byday=r.choice(DAY_SETS), opens_at=opens,
                    closes_at=clock(23, 59) if opens.hour == 0 else clock(r.choice((15, 17)), 0),
                )
            )  # fmt: skip
            terms = r.sample(codes, 2) + (["children-young-people"] if children else [])
            for code in set(terms):
                add(Attribute(id=uuid.uuid4(), service=service, taxonomy_term_id=term_id(code)))
            add(Phone(id=uuid.uuid4(), service=service, number=f"01632 {n % 1000000:06d}"))
            add(Language(id=uuid.uuid4(), service=service, name="English", code="en"))
            add(ServiceArea(id=uuid.uuid4(), service=service, name=outcode))
            if n % 5000 == 4999:
                flush()
        flush()
    # Bulk inserts skip the listing services, so build the services' search documents as
    # `manage.py search_reindex` would (free-text search reads them).
    core_search.reindex([Service])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(name: str, action: Callable[[], int]) -> Result:
    for _ in range(5):
        action()
    times = []
    found = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        found = action()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        action()
    return Result(name, statistics.median(times), harness.p95(times), len(queries), found)


def main() -> int:
    started = time.perf_counter()
    build()
    built_s = time.perf_counter() - started
    client = Client()
    centre = geo.locate("BN7 1EA").point
    children = term_id("children-young-people")
    counselling = term_id("counselling-emotional-support")

    def nearest_with_filters() -> int:
        filters = search.Filters(term_ids=[children], age=8, open_at=timezone.now(), free_only=True)
        services = search.filter_services(Service.objects.filter(is_national=False), filters)
        return len(search.nearest(services, centre, 10 * geo.KM_PER_MILE, limit=20))

    def text_need_distance() -> int:
        filters = search.Filters(text="family support", term_ids=[counselling])
        services = search.filter_services(
            Service.objects.filter(is_national=False), filters, narrowed=True
        )
        return len(search.nearest(services, centre, 10 * geo.KM_PER_MILE, limit=20))

    def page(params: dict[str, str]) -> Callable[[], int]:
        def get() -> int:
            response = client.get("/directory/", params)
            assert response.status_code == 200
            return response.content.count(b'class="panel result"')

        return get

    def api_services() -> int:
        response = client.get("/api/oruk/services", {"per_page": "50", "page": "7"})
        assert response.status_code == 200
        return len(response.json()["contents"])

    def api_near() -> int:
        response = client.get(
            "/api/oruk/service_at_locations",
            {"postcode": "BN7 1EA", "proximity": "20000", "per_page": "50"},
        )
        assert response.status_code == 200
        return len(response.json()["contents"])

    results = [
        timed(
            "Nearest 20 to BN7 1EA: children, age 8, open now, free (10 miles)",
            nearest_with_filters,
        ),
        timed("Nearest 20 to BN7 1EA: words + need (10 miles)", text_need_distance),
        timed(
            "Page /directory/ near BN7 1EA: need + open now + age",
            page(
                {
                    "postcode": "BN7 1EA",
                    "radius": "10",
                    "need": "children-young-people",
                    "open_now": "on",
                    "age": "8",
                }
            ),
        ),
        timed(
            "Page /directory/ near BN7 1EA: words + need",
            page(
                {
                    "postcode": "BN7 1EA",
                    "radius": "10",
                    "q": "family support",
                    "need": "counselling-emotional-support",
                }
            ),
        ),
        timed(
            "Page /directory/: words only, best matches first (no postcode)",
            page({"q": "family support"}),
        ),
        timed("API /services?per_page=50 (fully nested, page 7)", api_services),
        timed("API /service_at_locations near BN7 1EA, 20 km, per_page=50", api_near),
    ]
    write(results, built_s)
    return 0


def write(results: list[Result], built_s: float) -> None:
    lines = [
        f"{SERVICES:,} local services, each with a location, schedule, phone and taxonomy terms, "
        f"spread over every UK postcode district, plus the real national services (built in "
        f"{built_s:.0f} s). " + harness.conditions(RUNS, "runs") + " Targets: nearest with "
        "filters p95 ≤ 15 ms; words + need + distance p95 ≤ 30 ms; API per_page=50 fully nested "
        "p95 ≤ 50 ms with a constant query count.",
        "",
        "| what | median ms | p95 ms | SQL queries | results |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {r.name} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.queries} | {r.found} |"
            for r in results
        ),
    ]
    harness.write_section("Directory", lines)


if __name__ == "__main__":
    raise SystemExit(main())
