"""/healthz tells a monitor whether the database answers and a background worker is alive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test import Client, override_settings

from homeward.core.models import WorkerHeartbeat
from homeward.core.tasks import send_notification_email

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 10, 0, 0, tzinfo=UTC)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def healthz(client: Client | None = None):
    response = (client or Client()).get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response, response.json()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_answers_json_about_database_and_worker(clock):
    response, body = healthz()

    assert response.status_code == 200
    assert body["database"] == {"status": "ok", "engine": connection.vendor}
    assert set(body["worker"]) == {"status", "last_seen", "queued", "oldest_queued_seconds"}
    assert body["status"] in {"ok", "degraded"}
    assert body["time"] == NOW.isoformat()


def test_without_a_heartbeat_the_worker_is_down_but_the_site_is_up(clock):
    response, body = healthz()

    assert response.status_code == 200
    assert body["worker"] == {
        "status": "down",
        "last_seen": None,
        "queued": 0,
        "oldest_queued_seconds": 0,
    }
    assert body["status"] == "degraded"


def test_a_fresh_heartbeat_means_the_worker_is_ok(clock):
    WorkerHeartbeat.objects.create(worker_id="box-1234", seen_at=NOW - timedelta(seconds=5))

    response, body = healthz()

    assert response.status_code == 200
    assert body["worker"]["status"] == "ok"
    assert body["worker"]["last_seen"] == (NOW - timedelta(seconds=5)).isoformat()
    assert body["status"] == "ok"


@pytest.mark.parametrize(
    ("age", "status"),
    [(29, "ok"), (30, "ok"), (31, "down"), (600, "down")],
)
def test_a_heartbeat_older_than_thirty_seconds_means_down(clock, age, status):
    WorkerHeartbeat.objects.create(worker_id="box-1234")  # seen now
    clock.shift(timedelta(seconds=age))

    _, body = healthz()

    assert body["worker"]["status"] == status
    assert body["status"] == ("ok" if status == "ok" else "degraded")


def test_the_newest_of_several_heartbeats_counts(clock):
    WorkerHeartbeat.objects.create(worker_id="old-box", seen_at=NOW - timedelta(hours=3))
    WorkerHeartbeat.objects.create(worker_id="new-box", seen_at=NOW - timedelta(seconds=2))

    _, body = healthz()

    assert body["worker"]["status"] == "ok"
    assert body["worker"]["last_seen"] == (NOW - timedelta(seconds=2)).isoformat()


@override_settings(TASKS=DATABASE_TASKS)
def test_reports_how_many_tasks_wait_and_for_how_long(clock):
    send_notification_email.enqueue(101)
    clock.shift(timedelta(seconds=40))
    send_notification_email.enqueue(102)
    send_notification_email.using(run_after=NOW + timedelta(hours=1)).enqueue(103)  # not due
    clock.shift(timedelta(seconds=20))

    _, body = healthz()

    assert body["worker"]["queued"] == 2
    assert body["worker"]["oldest_queued_seconds"] == 60


def test_is_never_cached(clock):
    response, _ = healthz()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_answers_get(method):
    response = getattr(Client(), method)("/healthz")
    assert response.status_code == 405


def test_database_down_answers_503_without_details(clock):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("could not connect to server: secret")
    ):
        response, body = healthz()

    assert response.status_code == 503
    assert body["database"] == {"status": "error"}
    assert body["worker"] == {"status": "unknown"}
    assert body["status"] == "error"
    text = response.content.decode()
    assert "Traceback" not in text
    assert "secret" not in text
    assert "OperationalError" not in text


def test_database_failing_mid_query_answers_503(clock):
    failing = mock.MagicMock()
    failing.__enter__.return_value.execute.side_effect = OperationalError("server closed")
    with mock.patch.object(connection, "cursor", return_value=failing):
        response, body = healthz()

    assert response.status_code == 503
    assert body["database"] == {"status": "error"}
