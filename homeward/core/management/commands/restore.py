"""`manage.py restore FILE`: replace the whole database, and the uploaded files, with a backup
made by `manage.py backup`. Erasures recorded since the backup was taken must be replayed afterwards (docs/DATA-PROTECTION.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from homeward.core.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup from `manage.py backup` "
        "(BACKUP_PASSPHRASE if encrypted)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask to confirm."
        )

    def handle(self, *args: Any, file: str, interactive: bool, **options: Any) -> None:
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"This replaces everything in the database {name}, and the uploaded files. "
                "Type 'yes' to go on: "
            )
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            summary = restore(Path(file), os.environ.get("BACKUP_PASSPHRASE", ""))
        except BackupError as error:
            raise CommandError(str(error)) from None
        if summary.files is None:
            self.stdout.write(
                f"Restored the database {name} from {file}. This backup holds no uploaded files "
                "(it was made before backups held them, or with --no-files): case attachments "
                "and pictures were left as they are, and any the database names but the disk "
                "lacks are missing."
            )
        else:
            self.stdout.write(
                f"Restored the database {name} and {summary.files:,} uploaded files "
                f"({summary.file_bytes:,} bytes) from {file}."
            )
