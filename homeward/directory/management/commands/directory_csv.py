from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.directory.interchange import csv_template, export_csv, import_csv


class Command(BaseCommand):
    help = (
        "Export every listed service to the directory's CSV template, write the empty template "
        "with an example row, or import a file in it (one service per row; bad rows are "
        "reported and the rest imported)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import", "template"])
        parser.add_argument("path", nargs="?", default="-", help="File, or - for stdout/stdin.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        if options["action"] in ("export", "template"):
            text = export_csv() if options["action"] == "export" else csv_template()
            if path == "-":
                self.stdout.write(text, ending="")
            else:
                Path(path).write_text(text)
            return
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text()
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error}") from None
        report = import_csv(text, progress=self.stdout.write)
        for row, reason in report.failed:
            self.stderr.write(f"Failed {row}: {reason}")
        self.stdout.write(report.summary())
