"""Drill: the worker is killed (SIGKILL) in the middle of a job. The job stays "running" under a
dead worker until another worker's heartbeat sees it and queues it again; it then runs once more,
and only once, and its effect happens once. Real `manage.py worker` processes, real kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homeward.core.tests.drills.jobs import drill_job
from homeward.core.tests.drills.support import (
    TALLY,
    database_url_for_subprocess,
    raw_query,
)

pytestmark = pytest.mark.django_db(transaction=True)


def start_worker(database_url: str, files: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HOMEWARD_ENV": "test",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # The worker runs the scheduled jobs too, and the picture sweep deletes files no row
        # of *its* database names: uploads are kept under `files`, never the developer's var/.
        "MEDIA_ROOT": str(files / "media"),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.05", "--heartbeat", "0.2",
         "--orphan-after", "1.5", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_for(predicate, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def log_lines(workdir: Path) -> list[str]:
    log = workdir / "log"
    return log.read_text().splitlines() if log.exists() else []


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_job_cut_off_by_kill_9_runs_again_exactly_once(tmp_path):
    (tmp_path / "hold").touch()
    result = drill_job.enqueue(str(tmp_path), "k1")
    job_id = str(result.id)
    url = database_url_for_subprocess(str(tmp_path))

    def status() -> str:
        table = DBTaskResult._meta.db_table
        key = job_id.replace("-", "") if url.startswith("sqlite") else job_id
        rows = raw_query(url, f"SELECT status FROM {table} WHERE id = %s", (key,))
        return str(rows[0][0]) if rows else "missing"

    # A picture file no message names, two hours old, where the worker's uploads are: its
    # scheduled sweep deletes it there (and so never looked in the developer's var/).
    orphan = tmp_path / "private" / "community" / timezone.localdate().isoformat() / "o.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"not kept")
    two_hours_ago = time.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    first = start_worker(url, tmp_path)
    try:
        wait_for(lambda: any(line.startswith("start k1") for line in log_lines(tmp_path)),
                 what="the first worker to start the job")  # fmt: skip
        wait_for(lambda: not orphan.exists(), what="the worker's picture sweep in its own folder")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    TALLY["worker killed mid-job"] += 1
    assert status() == "RUNNING", "the killed worker's job should be left running"
    assert not (tmp_path / "done-k1").exists()

    (tmp_path / "hold").unlink()
    second = start_worker(url, tmp_path)
    try:
        wait_for(lambda: status() == "SUCCESSFUL", what="the job to be run again")
        time.sleep(1.0)  # give a second, wrong, run the time to happen
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            _, _stderr = second.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            second.kill()
            raise
    lines = log_lines(tmp_path)
    starts = [line for line in lines if line.startswith("start k1")]
    dones = [line for line in lines if line.startswith("done k1")]
    assert len(starts) == 2, lines
    assert len(dones) == 1, lines
    assert starts[0].split()[-1] == str(first.pid)
    assert dones[0].split()[-1] == str(second.pid)
    assert status() == "SUCCESSFUL"
    TALLY["jobs re-run after a kill"] += 1
