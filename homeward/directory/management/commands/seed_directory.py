from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeward.core import search as fulltext
from homeward.core.models import SearchDocument
from homeward.directory import factories, services
from homeward.directory.models import Service


class Command(BaseCommand):
    help = (
        "Create or refresh the built-in taxonomy and the real national services; "
        "with --demo, also generated local services (marked as demo). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", type=int, default=0, help="How many demo local services.")

    def handle(self, *args: Any, **options: Any) -> None:
        services.seed_taxonomy()
        national = factories.seed_national_services()
        self.stdout.write(f"Taxonomy and {len(national)} national services are up to date.")
        if options["demo"]:
            made = factories.seed_demo_services(options["demo"])
            self.stdout.write(f"{made} demo local services are up to date.")
        # A database from before free-text search (or restored without its index): rebuild
        # the services' search documents once. Two counts when nothing is missing.
        documents = SearchDocument.objects.filter(model=Service._meta.label_lower).count()
        if documents < Service.objects.listed().count():
            written = fulltext.reindex([Service])[Service._meta.label_lower]
            self.stdout.write(f"Search documents rebuilt for {written} services.")
