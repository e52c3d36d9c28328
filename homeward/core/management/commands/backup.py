"""`manage.py backup`: one archive holding a consistent copy of the whole database and every
uploaded file (casework attachments, pictures: core.backups), encrypted when BACKUP_PASSPHRASE is
set. Restore it with `manage.py restore`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from homeward.core.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: VACUUM INTO; PostgreSQL: pg_dump) and the uploaded files, "
        "in one archive, encrypted with BACKUP_PASSPHRASE."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", help="File to write (default: var/backups/homeward-<time>.tar[.enc])."
        )
        parser.add_argument(
            "--no-files",
            action="store_false",
            dest="with_files",
            help="Back up the database only, not the uploaded files.",
        )
        parser.add_argument(
            "--plain",
            action="store_true",
            help="Write an unencrypted backup even if BACKUP_PASSPHRASE is unset (not for production).",
        )

    def handle(
        self, *args: Any, output: str | None, plain: bool, with_files: bool, **options: Any
    ) -> None:
        passphrase = os.environ.get("BACKUP_PASSPHRASE", "")
        if not passphrase and not plain:
            raise CommandError(
                "Set BACKUP_PASSPHRASE to encrypt the backup (it holds families' data), "
                "or pass --plain to write it unencrypted."
            )
        suffix = ".enc" if passphrase else ""
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        target = Path(
            output or settings.BASE_DIR / "var" / "backups" / f"homeward-{stamp}.tar{suffix}"
        )
        try:
            summary = backup(target, passphrase, with_files=with_files)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = summary.path.stat().st_size
        files = (
            "the database only, no uploaded files"
            if summary.files is None
            else f"the database and {summary.files:,} uploaded files"
        )
        self.stdout.write(
            f"Backed up {files} to {summary.path} "
            f"({size:,} bytes{', encrypted' if passphrase else ''})."
        )
