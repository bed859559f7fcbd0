"""Real files for upload tests: good photos and documents, and bad ones in disguise."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg(name="photo.jpg", size=(640, 480), color=(200, 60, 60)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png(name="picture.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 120, 200, 128)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="notice.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="minutes.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def exe_named_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 500, content_type="image/jpeg")


def truncated_jpeg() -> SimpleUploadedFile:
    whole = jpeg().read()
    return SimpleUploadedFile("broken.jpg", whole[: len(whole) // 3], content_type="image/jpeg")


def plain_zip_named_docx() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.sh", "echo hi")
    return SimpleUploadedFile("report.docx", buffer.getvalue())


def html_named_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("notice.pdf", b"<html><script>alert(1)</script></html>")
