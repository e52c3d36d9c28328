"""Prison guide benchmarks: server time, response size and SQL queries for the list of prisons,
a prison's page (with tips) and a postcode search. Run by `make bench` (never by `make test`).

Like bench/foundation.py it builds its own SQLite database under var/bench/, imports the shipped
establishment data, adds families' tips and follows, and drives the pages in-process with
Django's test client, so the time measured is the server's own. Targets: median ≤ 10 ms and a
query count that does not grow with the data."""

from __future__ import annotations

from bench import harness

DB = harness.start("prisons")

from django.test import Client  # noqa: E402

from homeward.accounts import factories  # noqa: E402
from homeward.accounts.models import Role, User  # noqa: E402
from homeward.prisons import services  # noqa: E402
from homeward.prisons.importer import import_prisons  # noqa: E402
from homeward.prisons.models import Prison  # noqa: E402

TARGET_MS = 10.0


def build() -> User:
    harness.fresh_database(DB)
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
    results = [harness.measure_page(name, client, url) for name, client, url in pages]
    write(results)
    slow = [r.name for r in results[:4] if r.median_ms > TARGET_MS]
    if slow:
        print(f"Over the {TARGET_MS:.0f} ms median target: {', '.join(slow)}")
    return 0


def write(results: list[harness.Result]) -> None:
    harness.write_section(
        "Prison guide",
        [
            harness.conditions() + " Target: median ≤ 10 ms, queries constant as the data grows.",
            "",
            *harness.page_table(results),
        ],
    )


if __name__ == "__main__":
    raise SystemExit(main())
