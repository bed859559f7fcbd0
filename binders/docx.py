"""The naming document and a title's certificate as Word files (.docx, python-docx), for
offices that edit and print in Word or WPS. The text is the printed pages' (homes); the
East Asian font is set on every run, so Word and WPS show 宋体 rather than a fallback."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from unionhome import identity
from unionhome.dates import day_label

# The East Asian font every office machine in China has, under its Word name.
CJK_FONT = "宋体"
LATIN_FONT = "SimSun"
HEADING_FONT = "黑体"


def _font(run, *, size=None, bold=False, east_asian=CJK_FONT):
    run.font.name = LATIN_FONT
    run.font.bold = bold
    if size:
        run.font.size = Pt(size)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _document() -> Document:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
    return document


def _paragraph(document, text="", *, size=14, bold=False, align=None, font=CJK_FONT, indent=False):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), size=size, bold=bold, east_asian=font)
    return paragraph


def _bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def small_home(level_label) -> str:
    return f"{level_label}{pgettext('after a title', 'small home')}"


def naming_docx(*, document, titles) -> bytes:
    """命名文件: the decision naming the small homes of `document` (the titles the reader
    may read, in the order of the printed page)."""
    doc = _document()
    _paragraph(doc, document.document_no, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        doc,
        _("Decision naming the %(year)s workers' small homes") % {"year": document.year.year},
        size=20,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        font=HEADING_FONT,
    )
    _paragraph(
        doc,
        _(
            "After self-assessment and declaration, recommendation by the workshop unions, "
            "acceptance by the inspection panels and public notice, the following union "
            "groups are named:"
        ),
        indent=True,
    )
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    heads = [
        _("Workshop union"),
        _("Union group"),
        pgettext("small home title", "Title"),
        _("Certificate no."),
    ]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        _font(cell.paragraphs[0].add_run(str(text)), size=12, bold=True, east_asian=HEADING_FONT)
    for title in titles:
        cells = table.add_row().cells
        values = [
            title.group.workshop.name,
            title.group.name,
            small_home(title.get_level_display()),
            title.certificate_no,
        ]
        for cell, text in zip(cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(str(text)), size=12)
    _paragraph(
        doc,
        _(
            "Titles are managed dynamically: each named small home is re-checked every year, "
            "and keeps, loses or lowers its title by the result."
        ),
        indent=True,
    )
    _paragraph(doc, identity.identity().name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, day_label(document.named_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _bytes(doc)


def certificate_docx(*, title) -> bytes:
    """荣誉证书 (the text of the plaque and certificate) for a title the group holds."""
    doc = _document()
    _paragraph(
        doc,
        f"{_('Certificate no.')} {title.certificate_no}",
        size=11,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _paragraph(
        doc,
        _("Certificate of honour"),
        size=28,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        font=HEADING_FONT,
    )
    _paragraph(doc, f"{title.group.workshop.name} {title.group.name}：", size=16)
    _paragraph(
        doc,
        _("Your union group is named the %(year)s “%(level)s workers' small home”.")
        % {"year": title.year, "level": title.get_level_display()},
        size=16,
        indent=True,
    )
    _paragraph(doc, _("This certificate is awarded in recognition."), size=16, indent=True)
    if title.document_id:
        _paragraph(doc, title.document.document_no, size=11)
    _paragraph(doc, identity.identity().name, size=16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, day_label(title.named_on), size=16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _bytes(doc)
