"""Files with no public address (profile pictures, pictures in community posts): kept beside
MEDIA_ROOT, never in it, so a web server that serves /media/ never reaches them. Each kind is
served only by a view that checks who asks; url() refuses, so no template can link to one."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """<MEDIA_ROOT's parent>/private/<folder>, read when first used and again whenever
    MEDIA_ROOT changes (as in tests)."""

    def __init__(self, folder: str, served_by: str) -> None:
        super().__init__()
        self.folder = folder
        self.served_by = served_by

    @cached_property
    def base_location(self) -> str:
        return str(Path(settings.MEDIA_ROOT).parent / "private" / self.folder)

    def url(self, name: str | None) -> str:
        raise ValueError(f"these files are private: serve them through {self.served_by}")
