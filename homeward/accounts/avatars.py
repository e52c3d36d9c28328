"""Profile pictures: check what was uploaded, then keep only a small square copy, re-encoded
as JPEG, turned the right way up and without any metadata (EXIF: camera, place, time)."""

from __future__ import annotations

import io
import warnings

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; bigger is refused before decoding
SIZE = 256
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class AvatarProblem(Exception):
    """A picture we can't use, with a message for the person who chose it."""


def process(upload: UploadedFile) -> bytes:
    """The JPEG bytes to keep, or AvatarProblem."""
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise AvatarProblem("That picture is too big. Choose one smaller than 5 MB.")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in FORMATS:
                    raise AvatarProblem("Choose a photo or picture (JPEG, PNG, WebP or GIF).")
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise AvatarProblem("That picture is too big. Choose a smaller one.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)  # the first frame of an animation
                upright = ImageOps.exif_transpose(image).convert("RGBA")
    except AvatarProblem:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise AvatarProblem(
            "We couldn't open that file as a picture. Choose a photo or picture (JPEG, PNG, WebP "
            "or GIF)."
        ) from None
    square = ImageOps.fit(upright, (SIZE, SIZE), Image.Resampling.LANCZOS)
    flat = Image.new("RGB", square.size, (255, 255, 255))
    flat.paste(square, mask=square.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=85, optimize=True)  # no exif= given: none is written
    return out.getvalue()
