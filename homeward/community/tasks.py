"""Background work for the community (run by `manage.py worker`)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from homeward.community import linkfetch, moderation
from homeward.community.models import LinkPreview

log = logging.getLogger("homeward.tasks")


@task()
def fetch_link_title(url_hash: str) -> bool:
    """Fetch the title of a linked page (queued by previews.fetch_titles_later) and keep it.
    Runs once per queuing: a row already fetched is left alone. The address is not logged:
    it was written by a member."""
    row = LinkPreview.objects.filter(url_hash=url_hash, fetched_at__isnull=True).first()
    if row is None:
        return False
    try:
        title = linkfetch.fetch_title(row.url)
    except linkfetch.FetchRefused as refused:
        log.info("link title %s: none (%s)", url_hash[:12], refused)
        LinkPreview.objects.filter(pk=row.pk).update(failed=True, fetched_at=timezone.now())
        return False
    except Exception:
        LinkPreview.objects.filter(pk=row.pk).update(failed=True, fetched_at=timezone.now())
        raise
    # Watched words apply to a title as to a message: one that would be held or flagged is not
    # shown (failed: the address stays), censored words are replaced.
    shown = moderation.screen_title(title)
    LinkPreview.objects.filter(pk=row.pk).update(
        title=shown, failed=not shown, fetched_at=timezone.now()
    )
    return bool(shown)
