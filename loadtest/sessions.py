"""Mint signed-in sessions for the load test's people (run by scripts/loadtest with the load
test's database). Sign-in itself is rate-limited per address, and every simulated person comes
from 127.0.0.1, so people start signed in, as returning visitors do. Staff sessions carry the
second factor. Writes {"role": [session keys]} as JSON to the path given."""

from __future__ import annotations

import json
import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client

    from homeward.accounts.factories import sign_in
    from homeward.accounts.models import User
    from homeward.accounts.policies import is_staff

    per_person = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    # Every demo family (seed_demo makes about 30) and the demo staff of organisation A: posting
    # limits are per person, so many people post, not three people very fast.
    sessions: dict[str, list[str]] = {"family": [], "staff": []}
    for user in User.objects.filter(is_active=True, is_platform_admin=False).order_by("pk"):
        role = "staff" if is_staff(user) else "family"
        if role == "staff" and user.username not in {"worker", "advocate", "manager"}:
            continue
        for _ in range(per_person if role == "family" else 10):
            client = Client()
            sign_in(client, user)
            sessions[role].append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    with open(sys.argv[1], "w") as out:
        json.dump({"cookie": settings.SESSION_COOKIE_NAME, "sessions": sessions}, out)
    print(f"minted {sum(len(v) for v in sessions.values())} sessions")


if __name__ == "__main__":
    main()
