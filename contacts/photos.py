"""Contact photos: checked, shrunk and re-encoded before they are stored.

Re-encoding to JPEG drops metadata (EXIF location) and anything that is not a picture; the size
and pixel limits keep a hostile upload (a decompression bomb) from eating the server.
"""

from __future__ import annotations

import io
import secrets

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_SOURCE_PIXELS = 40_000_000  # about 7,000 x 6,000
PHOTO_SIZE = 512


class PhotoError(ValueError):
    """A message for the user: why this file can't be their contact's photo."""


def photo_prepare(upload: UploadedFile) -> ContentFile:
    """Validate and shrink an uploaded picture to a square-ish JPEG at most 512 px wide."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise PhotoError(
            f"That picture is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    try:
        # Only the formats we name: never EPS and friends, which would run Ghostscript.
        with Image.open(upload, formats=["JPEG", "PNG", "GIF", "WEBP"]) as image:
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise PhotoError("That picture has too many pixels; please use a smaller one.")
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_SIZE, PHOTO_SIZE))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise PhotoError(
            "That file isn't a picture we can read (use JPEG, PNG, GIF or WebP)."
        ) from None
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(12)}.jpg")
