"""Demo data: two organisations, a sign-in for every role, 30 families and join cards.
Safe to run again (it adds only what is missing); refuses to run in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from homeward.accounts import factories
from homeward.accounts.models import JoinCode, Organisation, Role
from homeward.core import search

DEMO_SIGN_INS = [
    ("family", Role.FAMILY, "a"),
    ("trusted", Role.FAMILY, "a"),
    ("moderator", Role.PEER_MODERATOR, "a"),
    ("worker", Role.SUPPORT_WORKER, "a"),
    ("advocate", Role.ADVOCATE, "a"),
    ("manager", Role.MANAGER, "a"),
    ("orgadmin", Role.ORG_ADMIN, "a"),
    ("worker-b", Role.SUPPORT_WORKER, "b"),
]


class Command(BaseCommand):
    help = "Create demo organisations, sign-ins for every role, families and join cards."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo sign-ins already exist.",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo makes accounts with a published password: not in production."
            )
        if if_empty and factories.User.objects.filter(
            username__in=[n for n, _, _ in DEMO_SIGN_INS]
        ).count() == len(DEMO_SIGN_INS):
            self.stdout.write("Demo data is already there.")
            search.reindex()  # a demo database seeded before search existed
            return
        with transaction.atomic():
            self._seed()

    def _seed(self) -> None:
        r = factories.rng()
        org_a = factories.make_organisation("Sussex Families Together", slug="sussex-families")
        org_b = factories.make_organisation(
            "Northgate Family Support Service",
            slug="northgate-family-support",
            kind=Organisation.Kind.PRISON_BASED,
        )
        orgs = {"a": org_a, "b": org_b}
        people = {
            name: factories.make_member(name, orgs[o], role) for name, role, o in DEMO_SIGN_INS
        }
        factories.make_member("admin", None, is_platform_admin=True)

        cards = [
            (org_a, people["worker"], "HMP Lewes visitors' centre", 20),
            (org_a, people["advocate"], "Brighton magistrates' court", 10),
            (org_b, people["worker-b"], "HMP Altcourse visitors' centre", 20),
        ]
        batches = [
            factories.make_join_batch(o, who, distribution_point=p, size=n)
            for o, who, p, n in cards
        ]

        families = 0
        while families < 30:
            name = factories.pseudonym(r)
            org = org_a if families % 3 else org_b
            factories.make_member(name, org, Role.FAMILY)
            families += 1
        # A few families joined with a card, as they would at a visitors' centre.
        for batch in batches:
            for code in JoinCode.objects.filter(batch=batch, uses=0)[:3]:
                name = factories.pseudonym(r)
                if not factories.User.objects.filter(username__iexact=name).exists():
                    from homeward.accounts.services import join_with_code

                    join_with_code(code.code, display_name=name, password=factories.DEMO_PASSWORD)
        # The one place that seeds every app's demo data (imported here, not at module level).
        from django.core.management import call_command

        from homeward.casework.factories import seed_casework
        from homeward.community.factories import seed_community, set_trust_level
        from homeward.community.models import TrustLevel
        from homeward.directory.factories import make_service
        from homeward.events.factories import seed_events
        from homeward.prisons.factories import seed_prisons

        # "trusted" has reached the level that opens private conversations (and publishes tips).
        set_trust_level(people["trusted"], TrustLevel.MEMBER)
        seed_prisons([people["family"], people["trusted"], people["moderator"]], people["worker"])
        seed_community(
            [people["family"], people["trusted"], people["moderator"]],
            [people["worker"], people["advocate"], people["manager"]],
        )
        call_command("seed_directory", demo=60, stdout=self.stdout)
        # A listing kept by organisation A, so "Request support" can be tried.
        make_service(
            "Sussex Families Together: family drop-in (demo)", outcode="BN1", owner=org_a, n=1
        )
        seed_events(org_a, people["worker"])
        seed_casework(org_a, people["worker"], people["advocate"], people["manager"])
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
