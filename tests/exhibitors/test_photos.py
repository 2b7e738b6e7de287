"""exhibitors.photos: what comes back is always a clean, upright, bounded JPEG, and
anything that is not a photo, or too large, is refused naming the field."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from exhibitions.errors import InvalidInput
from exhibitions.exhibitors import photos
from tests.exhibitors.directory_data import HTML_TAIL, SVG, jpeg_with_gps, png_bomb, png_with_alpha


def _refusal(data: bytes) -> tuple[str, str, int]:
    with pytest.raises(InvalidInput) as caught:
        photos.reencode(data)
    [error] = caught.value.errors
    return error.field, error.code, caught.value.status_code


def test_a_camera_jpeg_comes_back_upright_without_exif_gps_or_comment() -> None:
    original = jpeg_with_gps(640, 480)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS position is there
    photo = photos.reencode(original)
    image = Image.open(io.BytesIO(photo.image))
    assert (image.format, image.size, (photo.width, photo.height)) == ("JPEG", (480, 640), (480, 640))
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert "comment" not in image.info
    assert "icc_profile" not in image.info
    assert b"PhoneMaker" not in photo.image
    assert b"secret note" not in photo.image
    thumbnail = Image.open(io.BytesIO(photo.thumbnail))
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (240, 320))
    assert photo.media_type == "image/jpeg"
    assert len(photo.version) == 16


def test_a_png_with_transparency_is_re_encoded_as_jpeg_on_white() -> None:
    photo = photos.reencode(png_with_alpha(300, 200))
    image = Image.open(io.BytesIO(photo.image))
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (300, 200))
    red, green, blue = image.getpixel((150, 100))  # type: ignore[misc]
    assert red > 100
    assert blue > 100
    assert green > 150


def test_a_16_bit_grey_png_keeps_its_tones() -> None:
    buffer = io.BytesIO()
    Image.new("I;16", (50, 40), 30000).save(buffer, format="PNG")
    image = Image.open(io.BytesIO(photos.reencode(buffer.getvalue()).image))
    assert [abs(channel - 30000 // 256) <= 2 for channel in image.getpixel((25, 20))] == [True] * 3  # type: ignore[union-attr]


def test_a_cmyk_jpeg_comes_back_in_rgb() -> None:
    buffer = io.BytesIO()
    Image.new("CMYK", (50, 40), (0, 255, 255, 0)).save(buffer, format="JPEG")
    image = Image.open(io.BytesIO(photos.reencode(buffer.getvalue()).image))
    red, green, blue = image.getpixel((25, 20))  # type: ignore[misc]
    assert (image.mode, red > 200, green < 60, blue < 60) == ("RGB", True, True, True)


def test_a_large_photo_is_scaled_down_to_1600_pixels() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 20, 30)).save(buffer, format="WEBP")
    photo = photos.reencode(buffer.getvalue())
    assert Image.open(io.BytesIO(photo.image)).size == (1600, 1200)
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (320, 240)


def test_the_same_photo_has_the_same_version() -> None:
    data = png_with_alpha()
    assert photos.reencode(data).version == photos.reencode(data).version


def test_a_text_file_named_jpg_is_refused() -> None:
    assert _refusal(b"just some text, whatever the file name says\n" * 10) == ("photo", "photo_not_an_image", 422)


def test_svg_and_gif_are_refused() -> None:
    assert _refusal(SVG) == ("photo", "photo_not_an_image", 422)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    assert _refusal(buffer.getvalue()) == ("photo", "photo_not_an_image", 422)


def test_an_oversized_file_is_refused_with_413() -> None:
    assert _refusal(b"\xff\xd8" + b"\x00" * photos.MAX_PHOTO_BYTES) == ("photo", "photo_too_large", 413)
    assert _refusal(b"") == ("photo", "photo_empty", 422)


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    bomb = png_bomb(20_000)
    assert len(bomb) < 200_000
    assert _refusal(bomb) == ("photo", "photo_too_many_pixels", 422)
    # Just over our limit, under Pillow's own: our check refuses it too.
    assert _refusal(png_bomb(8_000)) == ("photo", "photo_too_many_pixels", 422)


def test_a_truncated_photo_is_refused_or_completed_never_kept_as_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    truncated_png = png_with_alpha()[:-40]
    assert _refusal(truncated_png) == ("photo", "photo_damaged", 422)  # verify() checks every chunk
    truncated_jpeg = jpeg_with_gps()[:2800]
    # WeasyPrint, imported by the app, lets Pillow complete truncated pictures process-wide.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    assert _refusal(truncated_jpeg) == ("photo", "photo_damaged", 422)
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    completed = photos.reencode(truncated_jpeg)
    assert Image.open(io.BytesIO(completed.image)).size == (480, 640)


def test_a_polyglot_comes_back_as_a_clean_jpeg() -> None:
    polyglot = jpeg_with_gps() + HTML_TAIL
    photo = photos.reencode(polyglot)
    assert photo.image.startswith(b"\xff\xd8")
    assert photo.image.endswith(b"\xff\xd9")
    assert b"<script" not in photo.image
    assert b"<html" not in photo.image
    assert b"<script" not in photo.thumbnail
