"""manage.py import_prisons [path]: bring the Prison guide in line with the establishment data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.prisons.importer import DEFAULT_PATH, ImportProblem, import_prisons


class Command(BaseCommand):
    help = (
        "Import prisons and their visiting information from a prisons.json file (default: the "
        "copy shipped in homeward/prisons/data/). Safe to run again: it reports what changed "
        "and tells followers of each changed prison."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_prisons(Path(options["path"]))
        except ImportProblem as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(report.summary())
        for label, codes in (
            ("New", report.new),
            ("Updated", report.updated),
            ("Closed", report.closed),
        ):
            if codes:
                self.stdout.write(f"{label}: {', '.join(codes)}")
        if report.notified:
            self.stdout.write(f"Told {report.notified} followers.")
