"""Pictures members put in their messages (from trust level 1). Each is a JPEG re-encoded
without metadata (core.images), kept outside MEDIA_ROOT and served only by community:picture,
to those who may read the message it is in. A message names its pictures in its markdown as
![description](/community/pictures/<id>/)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone

from homeward.core.storage import PrivateStorage


def picture_storage() -> FileSystemStorage:
    return PrivateStorage("community", served_by="community:picture")


class PostPicture(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_pictures"
    )
    # Set in the same transaction as the message is saved (empty only inside it).
    post = models.ForeignKey(
        "community.Post",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pictures",
    )
    # A random file name (never the uploaded one).
    file = models.FileField(storage=picture_storage, max_length=100)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    description = models.CharField(max_length=300)  # the alt text, as the member wrote it
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"picture {self.pk}"
