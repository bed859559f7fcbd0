"""Funds records and rules for the permission matrix
(tests/hardening/test_permission_matrix.py), made on first use inside the test's
transaction: this year's budget of 本级经费, an open cash batch of workshop union A with a
line for A1's member, an open bank batch of HQ, and a closed cash batch of A with its
signed sheet.

Who may do what: the funds, budgets, income and the statement are HQ's welfare staff's; a
workshop union sees its own batches, prints their 签领表 and uploads the signed scan; bank
batches, their workbook (whole account numbers) and their lines are HQ's; a member's bank
account is entered by HQ's welfare staff or the member's own workshop union."""

from decimal import Decimal

from django.utils import timezone

from funds import services
from funds.models import Fund, Method
from tests import files

BATCH_READERS = {"welfare_hq", "workshop_own", "workshop_other", "multi_own", "inspector"}
OWN_BATCH = {"welfare_hq", "workshop_own"}
HQ_WELFARE = {"welfare_hq"}


def funds_records(world):
    if not hasattr(world, "funds"):
        hq = world.users["welfare_hq"]
        fund = Fund.objects.get(code="union_funds")
        year = timezone.localdate().year
        services.budget_set(by=hq, fund=fund, year=year, amount=Decimal("10000"))

        def batch(method, workshop, title):
            made = services.batch_open(
                by=hq, fund=fund, method=method, title=title, workshop=workshop
            )
            line = services.batch_add_line(
                by=hq,
                batch=made,
                member=world.member,
                amount=Decimal("500"),
                kind="campaign",
                category=title,
                reference=title,
            )
            made.refresh_from_db()
            return made, line

        cash, _line = batch(Method.CASH, world.org.a, "元旦春节送温暖")
        bank, bank_line = batch(Method.BANK, None, "金秋助学")
        closed, _line = batch(Method.CASH, world.org.a, "夏季送清凉")
        services.batch_close_by_signed_sheet(
            by=hq,
            batch=closed,
            version=closed.version,
            paid_on=timezone.localdate(),
            uploaded=files.png("签领表.png"),
        )
        world.funds = {"cash": cash, "bank": bank, "bank_line": bank_line, "closed": closed}
    return world.funds


def batch_url(world, which: str, tail: str = "") -> str:
    return f"/funds/batches/{funds_records(world)[which].pk}/{tail}"


RULES = {
    "funds:overview": ("get", lambda w: "/funds/", None, HQ_WELFARE),
    "funds:budget_edit": ("get", lambda w: "/funds/budget/", None, HQ_WELFARE),
    "funds:income_create": ("get", lambda w: "/funds/income/", None, HQ_WELFARE),
    "funds:statement": ("get", lambda w: "/funds/statement/", None, HQ_WELFARE),
    "funds:statement_export": ("get", lambda w: "/funds/statement.xlsx", None, HQ_WELFARE),
    "funds:batch_list": ("get", lambda w: "/funds/batches/", None, BATCH_READERS),
    "funds:batch_open": ("post", lambda w: "/funds/batches/open/", {}, HQ_WELFARE),
    "funds:batch_detail": ("get", lambda w: batch_url(w, "cash"), None, OWN_BATCH),
    "funds:batch_sheet": ("get", lambda w: batch_url(w, "cash", "sheet/"), None, OWN_BATCH),
    "funds:batch_upload_sheet": (
        "post",
        lambda w: batch_url(w, "cash", "signed/"),
        {},
        OWN_BATCH,
    ),
    "funds:signed_sheet": (
        "get",
        lambda w: batch_url(w, "closed", "signed-sheet/"),
        None,
        OWN_BATCH,
    ),
    "funds:batch_workbook": (
        "get",
        lambda w: batch_url(w, "bank", "transfer.xlsx"),
        None,
        HQ_WELFARE,
    ),
    "funds:batch_close_transfer": (
        "post",
        lambda w: batch_url(w, "bank", "close/"),
        {},
        HQ_WELFARE,
    ),
    "funds:line_remove": (
        "post",
        lambda w: batch_url(w, "bank", f"lines/{funds_records(w)['bank_line'].pk}/remove/"),
        {},
        HQ_WELFARE,
    ),
    "funds:account": ("get", lambda w: f"/funds/accounts/{w.member.pk}/", None, OWN_BATCH),
}
