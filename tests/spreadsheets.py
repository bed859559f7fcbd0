"""Build real .xlsx and CSV files in memory for import tests."""

import csv
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADERS = [
    "工号",
    "姓名",
    "性别",
    "出生日期",
    "入会日期",
    "手机号",
    "车间工会",
    "工会小组",
    "困难职工",
    "劳模",
    "退休",
]


def member_row(
    employee_no,
    name="赵六",
    gender="男",
    birth=date(1988, 3, 2),
    joined="2010-07-01",
    phone="13912345678",
    workshop="锅炉车间",
    group="运行一班",
    hardship="否",
    model="否",
    retired="否",
):
    return [
        employee_no,
        name,
        gender,
        birth,
        joined,
        phone,
        workshop,
        group,
        hardship,
        model,
        retired,
    ]


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, encoding="utf-8") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row])
    return text.getvalue().encode(encoding)


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
