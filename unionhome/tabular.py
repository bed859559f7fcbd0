"""Reading and writing spreadsheets (.xlsx through openpyxl, and CSV) for imports and exports.

CSV files saved by Chinese Excel are usually GBK; UTF-8 with or without a BOM is accepted too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class TableReadError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, wrong encoding, no header)."""


@dataclass
class Table:
    headers: list[str]
    # (row number as the user sees it in their spreadsheet, {header: value})
    rows: list[tuple[int, dict[str, object]]]


def _clean_header(value) -> str:
    return str(value or "").strip().replace("\n", "").replace(" ", "").replace("\u3000", "")


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableReadError(_("The CSV file is neither UTF-8 nor GBK text."))


def read_table(uploaded, filename: str) -> Table:
    """Read the first sheet of an .xlsx file or a CSV file into header-keyed rows.

    Blank rows are skipped; row numbers stay those of the spreadsheet (header is row 1).
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(uploaded)
    elif name.endswith(".csv"):
        rows = _csv_rows(uploaded)
    else:
        raise TableReadError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    try:
        header_row = next(rows)
    except StopIteration:
        raise TableReadError(_("The file is empty.")) from None
    headers = [_clean_header(v) for v in header_row]
    if not any(headers):
        raise TableReadError(_("The first row must hold the column titles."))
    table = Table(headers=headers, rows=[])
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        record = {}
        for header, value in zip(headers, values, strict=False):
            if header:
                record[header] = value.strip() if isinstance(value, str) else value
        table.rows.append((number, record))
    return table


def _xlsx_rows(uploaded) -> Iterator[Sequence]:
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableReadError(_("The file is not a valid Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]

    def rows():
        # read-only mode parses the sheet while it is read: a broken one fails here
        try:
            yield from sheet.iter_rows(values_only=True)
        except Exception as exc:
            raise TableReadError(_("The file is not a valid Excel workbook (.xlsx).")) from exc

    return rows()


def _csv_rows(uploaded) -> Iterator[Sequence]:
    raw = uploaded.read()
    if b"\x00" in raw[:4096]:
        raise TableReadError(_("The CSV file is neither UTF-8 nor GBK text."))
    # newline="" hands line ends to the csv module, which knows quoted ones and lone \r.
    reader = csv.reader(io.StringIO(_decode(raw), newline=""))

    def rows():
        try:
            yield from reader
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
