"""Private files on a case: never under MEDIA_URL, only served through a checked, logged view."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone

from homeward.core.storage import PrivateStorage


def private_storage() -> FileSystemStorage:
    """Beside MEDIA_ROOT, not inside it (a web server that serves /media/ never reaches it):
    <MEDIA_ROOT's parent>/private/casework, read when first used (core.storage), so it follows
    MEDIA_ROOT in tests and is where `manage.py backup` looks."""
    return PrivateStorage("casework", served_by="casework:attachment")


def _upload_to(instance: Any, filename: str) -> str:
    import uuid

    suffix = Path(filename).suffix.lower()[:8]
    return f"{instance.case.organisation_id}/{instance.case_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_upload_to, storage=private_storage, max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name
