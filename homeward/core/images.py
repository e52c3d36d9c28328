"""Pictures people upload (profile pictures, pictures in community posts): checked before they
are decoded, turned the right way up, and re-encoded as JPEG without any metadata (EXIF:
camera, place, time). Only the first frame of an animation is kept."""

from __future__ import annotations

import io
import warnings
from collections.abc import Collection

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's name for each format we take → the name people know it by.
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; bigger is refused before decoding


class PictureProblem(Exception):
    """A picture we can't use, with a message for the person who chose it."""


def type_names(formats: Collection[str]) -> str:
    """ "JPEG, PNG, WebP or GIF", in our order, for messages and hints."""
    names = [label for name, label in FORMATS.items() if name in formats]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def open_upright(
    upload: UploadedFile,
    *,
    max_bytes: int,
    max_pixels: int = MAX_PIXELS,
    formats: Collection[str] = tuple(FORMATS),
    fit_within: int | None = None,
) -> Image.Image:
    """The picture's first frame, decoded and turned the right way up (RGB, or RGBA when it
    has transparency), or PictureProblem. Size, type and pixel count are checked from the file
    and its header before anything is decoded (a small file can claim a huge picture).
    `fit_within`: the longest side wanted; a large JPEG is then decoded at a reduced scale."""
    kinds = type_names(formats)
    if upload.size is None or upload.size > max_bytes:
        raise PictureProblem(
            f"That picture is too big. Choose one smaller than {megabytes(max_bytes)}."
        )
    data = upload.read(max_bytes + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in formats:
                    raise PictureProblem(f"Choose a photo or picture ({kinds}).")
                width, height = probe.size
                if width * height > max_pixels:
                    raise PictureProblem("That picture is too big. Choose a smaller one.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)  # the first frame of an animation
                if fit_within and image.format == "JPEG":
                    scale = fit_within / max(width, height)
                    image.draft("RGB", (int(width * scale) + 1, int(height * scale) + 1))
                upright = ImageOps.exif_transpose(image)
                clear = "A" in upright.getbands() or "transparency" in upright.info
                return upright.convert("RGBA" if clear else "RGB")
    except PictureProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureProblem("That picture is too big. Choose a smaller one.") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise PictureProblem(
            f"We couldn't open that file as a picture. Choose a photo or picture ({kinds})."
        ) from None


def jpeg_bytes(image: Image.Image) -> bytes:
    """The picture as JPEG, transparent parts on white, with no metadata at all."""
    if image.mode != "RGB":
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif= given: none is written
    return out.getvalue()
