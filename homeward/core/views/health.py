"""/healthz: is the database answering, and is a background worker alive?"""

from __future__ import annotations

from datetime import timedelta

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# The worker writes a heartbeat every 10 seconds; three missed beats means it is gone.
WORKER_STALE_AFTER = timedelta(seconds=30)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    from django_tasks_db.models import DBTaskResult

    from homeward.core.models import WorkerHeartbeat

    body: dict[str, object] = {"time": timezone.now().isoformat()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        now = timezone.now()
        last = (
            WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        )
        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        queued = ready.count()
    except DatabaseError:
        body["database"] = {"status": "error"}
        body["worker"] = {"status": "unknown"}
        body["status"] = "error"
        return JsonResponse(body, status=503)

    body["database"] = {"status": "ok", "engine": connection.vendor}
    worker_ok = last is not None and now - last <= WORKER_STALE_AFTER
    body["worker"] = {
        "status": "ok" if worker_ok else "down",
        "last_seen": last.isoformat() if last else None,
        "queued": queued,
        "oldest_queued_seconds": int((now - oldest).total_seconds()) if oldest else 0,
    }
    body["status"] = "ok" if worker_ok else "degraded"
    return JsonResponse(body, status=200)
