"""Uploaded files: their type is read from their content, never from their name.

Accepted: photos (JPEG, PNG, GIF, WebP) and office files (PDF, Word, Excel, PowerPoint in
both the current and the old binary formats). A photo also gets a small JPEG thumbnail.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE = "image"
DOCUMENT = "document"
THUMBNAIL_SIZE = (480, 480)


@dataclass(frozen=True)
class FileType:
    kind: str
    mime: str
    extension: str


JPEG = FileType(IMAGE, "image/jpeg", "jpg")
PNG = FileType(IMAGE, "image/png", "png")
GIF = FileType(IMAGE, "image/gif", "gif")
WEBP = FileType(IMAGE, "image/webp", "webp")
PDF = FileType(DOCUMENT, "application/pdf", "pdf")
OOXML = {
    "word/": FileType(
        DOCUMENT,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xl/": FileType(
        DOCUMENT, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    "ppt/": FileType(
        DOCUMENT,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
# The old binary Office formats share one container; the name tells which program.
OLE_TYPES = {
    "doc": FileType(DOCUMENT, "application/msword", "doc"),
    "xls": FileType(DOCUMENT, "application/vnd.ms-excel", "xls"),
    "ppt": FileType(DOCUMENT, "application/vnd.ms-powerpoint", "ppt"),
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PIL_FORMATS = {"JPEG": JPEG, "PNG": PNG, "GIF": GIF, "WEBP": WEBP}


def accepted_types_text() -> str:
    return _("photos (JPG, PNG, GIF, WebP), PDF, Word, Excel or PowerPoint")


def sniff(uploaded) -> FileType | None:
    """The file's real type from its first bytes (and, for Office files, its parts)."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(OLE_MAGIC):
        suffix = PurePath(uploaded.name or "").suffix.lower().lstrip(".")
        return OLE_TYPES.get(suffix, OLE_TYPES["doc"])
    if head.startswith(b"PK\x03\x04"):
        return _sniff_ooxml(uploaded)
    return _sniff_image(uploaded)


def _sniff_ooxml(uploaded) -> FileType | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, file_type in OOXML.items():
        if any(name.startswith(prefix) for name in names):
            return file_type
    return None


def _sniff_image(uploaded) -> FileType | None:
    try:
        with Image.open(uploaded) as image:
            file_type = PIL_FORMATS.get(image.format)
            image.verify()  # structure and checksums
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image.load()  # decoding the pixels finds a truncated picture
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        uploaded.seek(0)
    return file_type


def validate_upload(uploaded) -> FileType:
    """Refuse a file that is too large or not of an accepted type; return its real type."""
    limit = settings.UPLOAD_MAX_FILE_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the largest file accepted is %(limit)s.")
            % {
                "name": uploaded.name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(limit),
            }
        )
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": uploaded.name})
    file_type = sniff(uploaded)
    if file_type is None:
        raise ValidationError(
            _("“%(name)s” is not one of the accepted kinds: %(kinds)s.")
            % {"name": uploaded.name, "kinds": accepted_types_text()}
        )
    return file_type


def validate_total(sizes: list[int]) -> None:
    total_limit = settings.UPLOAD_MAX_TOTAL_BYTES
    if sum(sizes) > total_limit:
        raise ValidationError(
            _("All files together may be at most %(limit)s.")
            % {"limit": filesizeformat(total_limit)}
        )
    if len(sizes) > settings.UPLOAD_MAX_FILES:
        raise ValidationError(
            _("At most %(count)s files can be attached.") % {"count": settings.UPLOAD_MAX_FILES}
        )


def thumbnail(uploaded, size: tuple[int, int] = THUMBNAIL_SIZE) -> ContentFile:
    """A small JPEG of a photo (at most `size`), turned upright as the camera held it, a
    transparent background made white."""
    uploaded.seek(0)
    with Image.open(uploaded) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(size)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            converted = image.convert("RGBA")
            background.paste(converted, mask=converted.split()[-1])
            image = background
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80, optimize=True)
    uploaded.seek(0)
    return ContentFile(buffer.getvalue())


def file_response(
    field, *, content_type: str, filename: str = "", inline: bool, private_cache: bool = True
) -> FileResponse:
    """Serve a stored upload to a user the caller has already found entitled to it: from
    the storage (a folder or S3 alike), under its original name. `private_cache=False`
    keeps sensitive papers out of every cache, the browser's included."""
    if not field:
        raise Http404
    response = FileResponse(
        field.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=filename or None,
    )
    response["Cache-Control"] = "private, max-age=3600" if private_cache else "private, no-store"
    return response


def emblem_png(uploaded, size: int = 512) -> ContentFile:
    """An emblem as the site keeps it: a PNG at most `size` pixels a side, transparency
    kept, so that serving it needs no decoding."""
    uploaded.seek(0)
    with Image.open(uploaded) as image:
        image = ImageOps.exif_transpose(image).convert("RGBA")
        image.thumbnail((size, size))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
    uploaded.seek(0)
    return ContentFile(buffer.getvalue(), name="emblem.png")
