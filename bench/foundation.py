"""Foundation benchmarks: server time, response size and SQL queries for the pages every
visitor and member of staff passes through. Run by `make bench` (never by `make test`).

It builds its own SQLite database under var/bench/, seeds it with the same factories as the
tests, and drives the pages in-process with Django's test client, so the time measured is the
server's own (routing, middleware, queries, templates), not the network's."""

from __future__ import annotations

from bench import harness

DB = harness.start("foundation")

from django.test import Client  # noqa: E402

from homeward.accounts import factories  # noqa: E402
from homeward.accounts.models import JoinBatch, Role  # noqa: E402
from homeward.core.notifications import notify  # noqa: E402


def build() -> dict[str, object]:
    harness.fresh_database(DB)
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
    results = [harness.measure_page(name, client, url) for name, client, url in pages]
    write(results)
    return 0


def write(results: list[harness.Result]) -> None:
    harness.write_section(
        "Foundation pages", [harness.conditions(), "", *harness.page_table(results)]
    )


if __name__ == "__main__":
    raise SystemExit(main())
