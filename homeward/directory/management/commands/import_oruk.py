from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.directory.interchange import import_feed


class Command(BaseCommand):
    help = (
        "Import services from an Open Referral UK 3.0 feed: its base URL (https://…/api) or a "
        "folder of JSON files in the same shape. Safe to run again: records keep their ids."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="Base URL of the feed, or a folder of JSON files.")
        parser.add_argument("--timeout", type=float, default=20.0)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_feed(
                options["source"], progress=self.stdout.write, timeout=options["timeout"]
            )
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read the feed: {error}") from None
        for row, reason in report.failed:
            self.stderr.write(f"Failed {row}: {reason}")
        self.stdout.write(report.summary())
