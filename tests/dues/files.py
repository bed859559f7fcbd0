"""Payroll and payment workbooks as a union office receives them, built in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

PAYROLL_HEADERS = ["工号", "姓名", "部门", "基本工资", "应发工资"]


def workbook(rows, headers=PAYROLL_HEADERS, name="2026年10月工资表.xlsx", title=None):
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def csv_file(text, name="工资.csv", encoding="utf-8-sig"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def payroll_rows(members, pay=6850):
    """One row per member: 工号, 姓名, 部门, 基本工资, 应发工资 (the latter higher)."""
    return [[m.employee_no, m.name, m.group.name, pay, pay + 2100] for m in members]
