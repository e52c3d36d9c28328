"""Titles of pages on other websites that messages link to on a line of their own, fetched by
the worker (community/tasks.py) and shown as the link's text (community/previews.py)."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.db import models
from django.utils import timezone


def url_key(url: str) -> str:
    """The row's key: the SHA-256 of the address (addresses are too long to index well)."""
    return hashlib.sha256(url.encode()).hexdigest()


class LinkPreview(models.Model):
    """One web address and the title of its page. `queued_at` is when the worker was last asked
    to fetch it; `fetched_at` is empty until it has tried; `failed` says the last try found no
    title (refused, unreachable, not a web page), and an earlier title, if any, stays.
    `linked_at` is when a message last linked to it: a row no message has linked to for
    previews.KEEP_UNLINKED is removed (a daily job), and older messages show the address."""

    url_hash = models.CharField(max_length=64, unique=True)
    url = models.TextField()
    title = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    linked_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-queued_at"]

    def __str__(self) -> str:
        return self.title or self.url[:80]
