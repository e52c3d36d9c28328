"""A background job for the worker-kill drill. It writes each start and each finish to a log
file, and while a "hold" file exists it waits (as a job does on a slow mail server), so the drill
can kill the worker in the middle of it. Its effect (the "done" line) is idempotent: written once
per key, however many times the job runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def drill_job(workdir: str, key: str) -> str:
    folder = Path(workdir)
    with (folder / "log").open("a") as log:
        log.write(f"start {key} {os.getpid()}\n")
    deadline = time.monotonic() + 60
    while (folder / "hold").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    done = folder / f"done-{key}"
    try:
        done.touch(exist_ok=False)  # the effect, at most once
    except FileExistsError:
        return "already done"
    with (folder / "log").open("a") as log:
        log.write(f"done {key} {os.getpid()}\n")
    return "done"
