from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeward.directory.services import remind_stale


class Command(BaseCommand):
    help = (
        "Remind the managers of each listing not checked for three months (once per listing "
        "until it is checked again). Safe to run daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Reminded about {remind_stale()} listings.")
