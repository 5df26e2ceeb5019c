"""Uploaded images: a small file that stands for a huge picture is refused from its header."""

import io
import struct
import tracemalloc
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lifeline.cases.services import CaseError, clean_photo
from lifeline.core.forms import BrandingForm
from lifeline.core.images import ImageRefused, clean_image

BRANDING = {
    "product_name": "Lifeline",
    "primary_colour": "#0b5394",
    "accent_colour": "#e69138",
    "streams": "host",
    "languages": ["en"],
}


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def big_png(width, height):
    """A valid grey PNG of width × height black pixels, written row by row: a few tens of KB."""
    packer = zlib.compressobj(6)
    row = b"\x00" * (width + 1)  # filter byte, then one byte a pixel
    block = row * 100
    data = b"".join(packer.compress(block) for _ in range(height // 100))
    data += packer.compress(row * (height % 100)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def peak_while(function):
    tracemalloc.start()
    try:
        function()
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_a_photo_of_too_many_pixels_is_refused_from_its_header():
    data = big_png(5100, 5100)  # 26 megapixels, above the 25 the settings allow
    assert len(data) < 200_000
    upload = SimpleUploadedFile("p.png", data, content_type="image/png")
    errors = []

    def clean():
        with pytest.raises(CaseError) as caught:
            clean_photo(upload)
        errors.append(str(caught.value))

    assert peak_while(clean) < 5 * 1024 * 1024
    assert errors == ["The image has too many pixels: the limit is 25 megapixels."]


def test_pillow_refuses_a_bomb_anywhere_else_too(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS == 25_000_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(big_png(8000, 8000)))  # over twice the limit: refused on opening


def test_an_allowed_large_image_is_kept_small(settings):
    settings.IMAGE_MAX_SIDE = 500
    data, fmt = clean_image(io.BytesIO(big_png(3000, 1000)), 5 * 1024 * 1024)
    assert fmt == "PNG"
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (500, 167)


def test_not_an_image_is_refused_with_the_callers_message():
    with pytest.raises(ImageRefused, match="Not a picture"):
        clean_image(io.BytesIO(b"GIF89a" + b"\0" * 100), 1024, not_image="Not a picture")


def test_a_logo_of_too_many_pixels_is_refused(db):
    upload = SimpleUploadedFile("logo.png", big_png(5100, 5100), content_type="image/png")
    form = BrandingForm(
        data=BRANDING,
        files={"logo": upload},
    )
    assert not form.is_valid()
    assert form.errors["logo"] == ["The image has too many pixels: the limit is 25 megapixels."]


def test_a_logo_is_stored_as_a_cleaned_smaller_copy(db):
    source = io.BytesIO()
    Image.new("RGB", (2000, 1000), "#0b5394").save(source, format="PNG", pnginfo=_text("Author", "x"))
    upload = SimpleUploadedFile("whatever.png", source.getvalue(), content_type="image/png")
    form = BrandingForm(
        data=BRANDING,
        files={"logo": upload},
    )
    form.is_valid()
    assert "logo" not in form.errors
    logo = form.cleaned_data["logo"]
    assert logo.name == "logo.png"
    with Image.open(logo) as image:
        assert image.size == (1024, 512) and "Author" not in image.info


def _text(key, value):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(key, value)
    return info


def test_a_phones_multi_picture_jpeg_is_kept_as_a_plain_jpeg():
    source = io.BytesIO()
    frames = [Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")]
    frames[0].save(source, format="MPO", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(source.getvalue())).format == "MPO"
    data, fmt = clean_image(io.BytesIO(source.getvalue()), 5 * 1024 * 1024)
    with Image.open(io.BytesIO(data)) as image:
        assert fmt == image.format == "JPEG" and image.size == (40, 30)
