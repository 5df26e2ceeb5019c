"""Uploaded images (case photos, the deployment's logo): the one place they are decoded.

An image is a small file that can stand for a very large picture: a 170 KB PNG of
6300 × 6300 pixels needs hundreds of megabytes once decoded. ``clean_image`` reads
the size from the file's header first (opening an image reads only its header) and
refuses anything above ``IMAGE_MAX_PIXELS``; what it accepts it decodes at a reduced
scale where the format allows (JPEG), shrinks to at most ``max_side`` pixels a side,
and writes again from pixels only, so no metadata (EXIF GPS, XMP, ICC, text) survives.
"""

import io
import warnings

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("JPEG", "PNG")


class ImageRefused(Exception):
    """The upload is not an image this deployment accepts; the message says why."""


def limit_decoders():
    """Lower Pillow's own decompression-bomb limit to the deployment's, for every decoder."""
    Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS


def clean_image(upload, max_bytes, max_side=None, not_image=None):
    """Return (bytes, "JPEG" or "PNG") of a cleaned copy of ``upload``, or raise ImageRefused.

    ``not_image`` is the caller's message for a file that is not a JPEG or PNG image."""
    max_side = max_side or settings.IMAGE_MAX_SIDE
    limit = settings.IMAGE_MAX_PIXELS
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ImageRefused(_("The image is too large: the limit is %(kb)s KB.") % {"kb": max_bytes // 1024})
    not_image = not_image or _("The file must be a JPEG or PNG image.")
    too_many = _("The image has too many pixels: the limit is %(mp)s megapixels.") % {
        "mp": f"{limit / 1_000_000:g}"
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=FORMATS) as probe:  # reads the header, not the pixels
                if probe.width * probe.height > limit:
                    raise ImageRefused(too_many)
                probe.verify()
            upload.seek(0)
            with Image.open(upload, formats=FORMATS) as image:
                fmt = "PNG" if image.format == "PNG" else "JPEG"  # phones' MPO photos are JPEGs
                if image.width * image.height > limit:
                    raise ImageRefused(too_many)
                if fmt == "JPEG":
                    image.draft("RGB", (max_side, max_side))  # decode at 1/2, 1/4 or 1/8 scale if enough
                image.thumbnail((max_side, max_side))
                image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant
                if fmt == "JPEG":
                    image = image.convert("RGB")
                elif image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                clean = Image.new(image.mode, image.size)  # pixels only: no metadata carried over
                clean.paste(image)
                out = io.BytesIO()
                clean.save(out, format=fmt, **({"quality": 85} if fmt == "JPEG" else {"optimize": True}))
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(too_many) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise ImageRefused(not_image) from None
    finally:
        upload.seek(0)
    return out.getvalue(), fmt
