"""Rebuild the search index from the registry: every registered model, or those named."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from homeward.core import search


class Command(BaseCommand):
    help = "Rebuild the search index (all registered models, or app_label.Model ...)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("models", nargs="*", metavar="app_label.Model")

    def handle(self, *args: Any, models: list[str], **options: Any) -> None:
        try:
            chosen = [search.model_for_label(label) for label in models] or None
        except LookupError as error:
            raise CommandError(str(error)) from None
        written = search.reindex(chosen)
        for label, count in written.items():
            self.stdout.write(f"{label}: {count} documents")
        if not written:
            self.stdout.write("Nothing is registered for search.")
