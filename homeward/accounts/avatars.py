"""Profile pictures: check what was uploaded, then keep only a small square copy, re-encoded
as JPEG, turned the right way up and without any metadata (EXIF: camera, place, time). The
checking and re-encoding are core.images, shared with pictures in community posts."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps

from homeward.core import images

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SIZE = 256

AvatarProblem = images.PictureProblem


def process(upload: UploadedFile) -> bytes:
    """The JPEG bytes to keep, or AvatarProblem."""
    upright = images.open_upright(upload, max_bytes=MAX_UPLOAD_BYTES)
    square = ImageOps.fit(upright, (SIZE, SIZE), Image.Resampling.LANCZOS)
    return images.jpeg_bytes(square)
