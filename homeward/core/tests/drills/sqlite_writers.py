"""Run by test_drill_sqlite_writers.py in its own process against a SQLite file: many threads,
each a signed-in member, write through the whole site (middleware, views, services) at the same
moment. Prints one JSON line: every status code seen and any error text."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections import Counter


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    django.setup()
    from django.db import connections
    from django.test import Client

    from homeward.accounts.factories import sign_in
    from homeward.accounts.models import User

    user_ids = [int(x) for x in sys.argv[1].split(",")]
    codes = sys.argv[2].split(",")
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(user_ids))

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR or "locked" in record.getMessage():
                with lock:
                    errors.append(record.getMessage()[:300])

    logging.getLogger().addHandler(Catch())
    logging.getLogger("django.request").addHandler(Catch())

    def writer(user_id: int) -> None:
        try:
            client = Client(raise_request_exception=False)
            start.wait()
            sign_in(client, User.objects.get(pk=user_id))
            for i, code in enumerate(codes):
                responses = [
                    client.post(f"/prisons/{code}/follow/"),
                    client.post(
                        "/settings/",
                        {"display_name": f"Writer {user_id} {i}", "email_frequency": "never"},
                    ),
                ]
                with lock:
                    for response in responses:
                        statuses[response.status_code] += 1
                        body = response.content.decode(errors="replace")
                        if response.status_code >= 500 or "locked" in body:
                            errors.append(f"{response.status_code} {body[:200]}")
        except Exception as error:  # a thread must report, not die quietly
            with lock:
                errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"statuses": statuses, "errors": errors}))


if __name__ == "__main__":
    main()
