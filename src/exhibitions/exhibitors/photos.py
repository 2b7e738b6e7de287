"""Product photos: check an upload and re-encode it. Pure (bytes in, bytes out), no I/O.

Nothing of the upload is trusted or kept: not its name, not its declared type, not its
bytes. Pillow identifies the format from the content (only JPEG, PNG and WebP are tried,
so SVG, HTML or a PDF are never parsed as images), refuses pictures whose header
announces more pixels than a phone takes (a decompression bomb is refused before it is
decoded), decodes it in full (a truncated file fails here), turns it upright from its
EXIF orientation, and paints the pixels onto a new RGB image. That new image is what is
saved, as JPEG: EXIF (GPS position included), ICC profiles, comments and whatever was
appended after the picture (an HTML "polyglot") are left behind.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from exhibitions.errors import FieldError, InvalidInput

# A phone photo is 2-6 MB; a larger upload is refused while it is read.
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# 50 megapixels: more than any phone camera. A header announcing more is refused unread.
MAX_PIXELS = 50_000_000
LARGEST_SIDE = 1600
THUMBNAIL_SIDE = 320
JPEG_QUALITY = 85
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MEDIA_TYPE = "image/jpeg"


class PhotoTooLarge(InvalidInput):
    """A 413 that still names the field, as every bad input does."""

    status_code = 413
    problem = "too-large"
    title = "The upload is too large"


@dataclass(frozen=True)
class Photo:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    # A digest of the re-encoded image: in the photo's URL and its ETag.
    version: str
    media_type: str = MEDIA_TYPE


def refused(code: str, reason: str) -> InvalidInput:
    return InvalidInput.single("photo", code, reason)


def too_large() -> PhotoTooLarge:
    return PhotoTooLarge([FieldError("photo", "photo_too_large", f"a photo has at most {MAX_PHOTO_BYTES >> 20} MB")])


def _too_many_pixels() -> InvalidInput:
    return refused("photo_too_many_pixels", f"a photo has at most {MAX_PIXELS // 1_000_000} megapixels")


def _opened(data: bytes) -> Image.Image:
    # Pillow's own bomb guard warns at 89 Mpx and raises at twice that; ours is lower and
    # checked from the header alone, before any pixel is decoded.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise _too_many_pixels()
    return image


def _flattened(image: Image.Image) -> Image.Image:
    """The pixels alone, on a fresh RGB image (transparency on white): no metadata follows."""
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        # 16-bit greys (some scanners, editors): scaled to 8 bits, which a plain conversion
        # would clip, turning every pixel above 255 white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    rgba = image.convert("RGBA")
    clean = Image.new("RGB", rgba.size, (255, 255, 255))
    clean.paste(rgba, mask=rgba.getchannel("A"))
    return clean


def _jpeg(image: Image.Image, side: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    return copy


def _encoded(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def reencode(data: bytes) -> Photo:
    """A clean JPEG and its thumbnail from an uploaded image, or InvalidInput naming ``photo``."""
    if len(data) > MAX_PHOTO_BYTES:
        raise too_large()
    if not data:
        raise refused("photo_empty", "the file is empty")
    try:
        _opened(data).verify()  # structure and checksums, without decoding
        image = _opened(data)  # verify() leaves the image unusable: open it again
        if image.format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when that is still large enough: less memory.
            image.draft("RGB", (LARGEST_SIDE, LARGEST_SIDE))
        image.load()
        # Scaled down in place first, so that turning and flattening a 50-megapixel PNG
        # work on 2.5 megapixels, not on three full-size copies.
        image.thumbnail((LARGEST_SIDE, LARGEST_SIDE), Image.Resampling.LANCZOS)
        upright = ImageOps.exif_transpose(image)
        clean = _flattened(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        raise refused("photo_not_an_image", "send a JPEG, PNG or WebP photo") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
        raise refused("photo_damaged", "the photo could not be read; it may be damaged") from None
    large = _jpeg(clean, LARGEST_SIDE)
    encoded = _encoded(large)
    return Photo(
        image=encoded,
        thumbnail=_encoded(_jpeg(clean, THUMBNAIL_SIDE)),
        width=large.width,
        height=large.height,
        version=hashlib.sha256(encoded).hexdigest()[:16],
    )
