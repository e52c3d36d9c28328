"""Background work for the visiting guide (run by `manage.py worker`)."""

from __future__ import annotations

from django_tasks import task

from homeward.core.notifications import notify
from homeward.prisons.models import Follow


@task()
def tell_followers(prison_id: str, kind: str, title: str, url: str) -> int:
    """One notification to each active follower of a prison. Many members may follow a prison,
    so this runs on the worker, not in the request that made the change."""
    followers = Follow.objects.filter(prison_id=prison_id, user__is_active=True).select_related(
        "user"
    )
    told = 0
    for follow in followers.iterator(chunk_size=500):
        notify(follow.user, kind=kind, title=title, url=url)
        told += 1
    return told
