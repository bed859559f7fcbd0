"""Reading and writing spreadsheets (.xlsx through openpyxl, and CSV) for imports and exports.

CSV files saved by Chinese Excel are usually GBK; UTF-8 with or without a BOM is accepted too.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from math import ceil
from urllib.parse import quote

from django.core.files import File
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.xml.constants import ARC_CONTENT_TYPES
from openpyxl.xml.functions import fromstring

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class TableReadError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, wrong encoding, too large)."""


@dataclass
class ReadLimits:
    """How much of a file a reader takes: the rows below the header, the bytes a workbook
    may unpack to, and how far down the header row is looked for."""

    max_rows: int
    max_unpacked_bytes: int
    header_search_rows: int = 10


@dataclass
class Sheet:
    """A table being read: its header row, found below any title rows, and an iterator of
    the rows below it, read one by one (the file is never held as a whole)."""

    headers: list[str]  # the column titles as written, by column
    header_row: int  # its number in the spreadsheet
    title_rows: list[int]  # the non-blank rows above it, skipped
    # (row number as the user sees it in their spreadsheet, [cell values by column]);
    # blank rows skipped, a merged range's value in each of its cells.
    rows: Iterator[tuple[int, list]]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _title_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def open_table(uploaded, filename: str, *, limits: ReadLimits, is_title) -> Sheet:
    """Open the first sheet of an .xlsx file, or a CSV file, and find its header: the first
    of the top `header_search_rows` rows whose non-blank cells are mostly (three or more,
    or all of them) known column titles, `is_title(text)`; failing that, the first non-blank
    row. Rows above it are the file's title rows. More than `max_rows` rows below it, or a
    workbook that unpacks to more than `max_unpacked_bytes`, raise TableReadError while
    reading, before anything large is held."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(uploaded, limits)
    elif name.endswith(".csv"):
        raw = _csv_rows(uploaded)
    else:
        raise TableReadError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))

    looked_at: list[tuple[int, list]] = []
    header_at = None
    for number, values in raw:
        looked_at.append((number, values))
        cells = [_title_text(v) for v in values if not _blank(v)]
        known = sum(1 for text in cells if is_title(text))
        if cells and (known >= 3 or known == len(cells)):
            header_at = len(looked_at) - 1
            break
        if number >= limits.header_search_rows:
            break
    filled = [i for i, (_n, values) in enumerate(looked_at) if any(not _blank(v) for v in values)]
    if header_at is None:
        if not filled:
            raise TableReadError(_("The file is empty."))
        header_at = filled[0]
    header_row, header_values = looked_at[header_at]
    headers = [_title_text(v) for v in header_values]
    if not any(headers):
        raise TableReadError(_("The file has no row of column titles."))
    title_rows = [looked_at[i][0] for i in filled if i < header_at]
    rest = looked_at[header_at + 1 :]

    def rows():
        count = 0
        for number, values in itertools.chain(rest, raw):
            if all(_blank(v) for v in values):
                continue
            count += 1
            if count > limits.max_rows:
                raise TableReadError(_too_many_rows(limits.max_rows))
            yield number, [v.strip() if isinstance(v, str) else v for v in values]

    return Sheet(headers=headers, header_row=header_row, title_rows=title_rows, rows=rows())


def _too_many_rows(limit: int) -> str:
    return _(
        "The file has more than %(limit)s rows of members; one import takes at most "
        "%(limit)s. Split it (by workshop union, for example) and import the parts one "
        "after another."
    ) % {"limit": limit}


def _xlsx_rows(uploaded, limits: ReadLimits) -> Iterator[tuple[int, list]]:
    """The first sheet's rows, numbered, streamed by openpyxl's read-only mode; a merged
    range gives its top-left value to each of its cells (a 车间 merged down the rows of its
    groups means that 车间 for each of them)."""
    _check_unpacked_size(uploaded, limits.max_unpacked_bytes)
    try:
        # Before openpyxl opens it: without a declared used range it would parse the
        # whole sheet just to size it.
        with zipfile.ZipFile(uploaded) as archive:
            merged, row_count = _prescan(archive, _first_sheet_path(archive))
        uploaded.seek(0)
        if row_count > limits.max_rows + limits.header_search_rows:
            raise TableReadError(_too_many_rows(limits.max_rows))
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except TableReadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableReadError(_("The file is not a valid Excel workbook (.xlsx).")) from exc
    # Some programs write a wrong used range; read every cell there is.
    sheet.reset_dimensions()

    def rows():
        open_ranges: dict[tuple[int, int, int, int], object] = {}
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                values = list(values)
                blank = all(_blank(v) for v in values)
                for first_row, last_row, first_col, last_col in merged.get(number, ()):
                    top_left = values[first_col - 1] if first_col <= len(values) else None
                    open_ranges[(first_row, last_row, first_col, last_col)] = top_left
                if open_ranges and not blank:
                    # Rows made only of a merged range's copies stay blank.
                    for (_first, _last, first_col, last_col), value in list(open_ranges.items()):
                        if len(values) < last_col:
                            values.extend([None] * (last_col - len(values)))
                        for col in range(first_col, last_col + 1):
                            if _blank(values[col - 1]):
                                values[col - 1] = value
                for key in [key for key in open_ranges if key[1] <= number]:
                    del open_ranges[key]
                yield number, values
        except TableReadError:
            raise
        except Exception as exc:  # read-only mode parses while reading: a broken sheet
            raise TableReadError(_("The file is not a valid Excel workbook (.xlsx).")) from exc
        finally:
            workbook.close()

    return rows()


def _check_unpacked_size(uploaded, max_bytes: int) -> None:
    """Refuse a workbook by the sizes its archive declares, before anything is unpacked:
    a small file may inflate to a huge sheet. The declared sizes bind: Python's zip reader
    stops at them (and then fails the checksum)."""
    try:
        with zipfile.ZipFile(uploaded) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise TableReadError(_("The file is not a valid Excel workbook (.xlsx).")) from exc
    finally:
        uploaded.seek(0)
    if total > max_bytes:
        raise TableReadError(
            _(
                "The workbook unpacks to %(size)s MB; an import takes at most %(limit)s MB. "
                "Remove other sheets, pictures and formatting, or split the file."
            )
            % {"size": ceil(total / (1024 * 1024)), "limit": max_bytes // (1024 * 1024)}
        )


MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
# A row's opening tag, also with a namespace prefix (<x:row …>); counted at memchr speed.
ROW_TAGS = (b"<row>", b"<row ", b":row>", b":row ")


def _first_sheet_path(archive) -> str:
    """The first sheet's part in the archive, found as openpyxl finds it."""
    manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
    parser = WorkbookParser(archive, _find_workbook_part(manifest).PartName[1:])
    parser.parse()
    _sheet, rel = next(parser.find_sheets())
    return rel.target


def _prescan(archive, path: str) -> tuple[dict[int, list[tuple[int, int, int, int]]], int]:
    """The sheet's merged ranges by their first row, and how many rows it has. Read-only
    mode does not read merged ranges (they come after the cells), so the sheet's XML is
    scanned once, in pieces, at the speed of a regular expression; counting its rows there
    refuses a sheet far over the cap before a single cell is parsed."""
    found: dict[int, list[tuple[int, int, int, int]]] = {}
    rows = 0
    tail = b""
    with archive.open(path) as source:
        while True:
            chunk = source.read(1 << 20)
            data = tail + chunk
            # A tag cut in two by the piece boundary is scanned whole in the next round.
            cut = data.rfind(b"<") if chunk else -1
            tail = data[cut:] if cut >= 0 and len(data) - cut < 200 else b""
            body = data[: len(data) - len(tail)]
            rows += sum(body.count(tag) for tag in ROW_TAGS)
            for match in MERGE_RE.finditer(body) if b"mergeCell" in body else ():
                first_col, first_row = column_index_from_string(match[1].decode()), int(match[2])
                last_col = column_index_from_string(match[3].decode()) if match[3] else first_col
                last_row = int(match[4]) if match[4] else first_row
                found.setdefault(first_row, []).append((first_row, last_row, first_col, last_col))
            if not chunk:
                return found, rows


def _csv_rows(uploaded) -> Iterator[tuple[int, list]]:
    """CSV rows, numbered, read line by line. The encoding is decided on the first 64 KB:
    UTF-8 (with or without BOM) if they are UTF-8, else GB18030 (which includes GBK)."""
    head = uploaded.read(1 << 16)
    uploaded.seek(0)
    if b"\x00" in head[:4096]:
        raise TableReadError(_("The CSV file is neither UTF-8 nor GBK text."))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"

    def lines():
        decoder = codecs.getincrementaldecoder(encoding)()
        # Django's File splits on \n, \r\n and a lone \r alike, keeping the line ends
        # that the csv module needs inside quoted cells.
        for line in File(uploaded):
            try:
                yield decoder.decode(line)
            except UnicodeDecodeError as exc:
                raise TableReadError(_("The CSV file is neither UTF-8 nor GBK text.")) from exc

    reader = csv.reader(lines())

    def rows():
        try:
            for values in reader:
                yield reader.line_num, values
        except csv.Error as exc:
            raise TableReadError(
                _("The CSV file cannot be read at line %(line)s.") % {"line": reader.line_num}
            ) from exc

    return rows()


def safe_cell(value):
    """A value as written to a spreadsheet: text that would run as a formula is quoted, and
    control characters a workbook cannot hold are dropped."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None:
        return ""
    return value


def xlsx_response(
    *, filename: str, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """A one-sheet workbook with a bold, frozen header row; dates shown as yyyy-mm-dd."""
    return xlsx_workbook_response(filename=filename, sheets=[(sheet_title, headers, rows)])


def xlsx_workbook_response(
    *, filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]
) -> HttpResponse:
    """A workbook of several sheets, each (title, headers, rows), written as it streams."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        _write_sheet(workbook, title, headers, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(filename)
    return response


def _write_sheet(workbook, title, headers, rows) -> None:
    sheet = workbook.create_sheet(title=str(title)[:31])
    widths = [max(10, len(str(h)) * 2 + 2) for h in headers]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F3E3E3")
    header_cells = []
    for title_text in headers:
        cell = WriteOnlyCell(sheet, value=str(title_text))
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            value = safe_cell(value)
            if isinstance(value, date | datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            elif isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "#,##0.00"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)


class _Echo:
    def write(self, value):
        return value


def csv_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """UTF-8 with a BOM, so that Excel in a Chinese office opens it with the right characters."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([str(h) for h in headers])
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(filename)
    return response


def _csv_value(value):
    value = safe_cell(value)
    if isinstance(value, date | datetime):
        return value.strftime("%Y-%m-%d")
    return value


def _attachment(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
