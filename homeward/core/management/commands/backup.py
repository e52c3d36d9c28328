"""`manage.py backup`: a consistent copy of the whole database, encrypted when BACKUP_PASSPHRASE
is set. Restore it with `manage.py restore`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from homeward.core.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (SQLite: VACUUM INTO; PostgreSQL: pg_dump). Encrypted with BACKUP_PASSPHRASE."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", help="File to write (default: var/backups/<time>.<kind>).")
        parser.add_argument(
            "--plain",
            action="store_true",
            help="Write an unencrypted backup even if BACKUP_PASSPHRASE is unset (not for production).",
        )

    def handle(self, *args: Any, output: str | None, plain: bool, **options: Any) -> None:
        passphrase = os.environ.get("BACKUP_PASSPHRASE", "")
        if not passphrase and not plain:
            raise CommandError(
                "Set BACKUP_PASSPHRASE to encrypt the backup (it holds families' data), "
                "or pass --plain to write it unencrypted."
            )
        kind = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
        suffix = ".enc" if passphrase else ""
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        target = Path(
            output or settings.BASE_DIR / "var" / "backups" / f"homeward-{stamp}.{kind}{suffix}"
        )
        try:
            written = backup(target, passphrase)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = written.stat().st_size
        self.stdout.write(
            f"Backed up to {written} ({size:,} bytes{', encrypted' if passphrase else ''})."
        )
