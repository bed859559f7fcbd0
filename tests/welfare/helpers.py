"""One-line setups for welfare tests: papers on file, the notice ended, a case approved,
and payment through a funds batch closed by transfer."""

from datetime import date, timedelta
from decimal import Decimal

from funds import services as funds
from funds.models import Fund, FundBudget
from tests.factories import today
from welfare import services
from welfare.models import Publicity, RequiredDocument
from welfare.services import payments

# A stay of ¥60,000 of which insurance paid ¥30,000: ¥30,000 out of pocket, on which the
# 大病 rule (50 % above ¥10,000, at most ¥20,000) gives ¥10,000.
STAY = {
    "hospital": "市第一人民医院",
    "admitted_on": date(2026, 1, 5),
    "discharged_on": date(2026, 1, 25),
    "diagnosis": "冠心病支架术后",
    "total": Decimal("60000"),
    "reimbursed": Decimal("30000"),
}


def papers_on_file(case, by):
    """Every required paper of the case ticked as received on paper."""
    for requirement in RequiredDocument.objects.filter(case_type=case.case_type_id):
        services.case_receive_paper(case=case, by=by, requirement=requirement)
    return case


def review(case, by, **extra):
    papers_on_file(case, by)
    case.refresh_from_db()
    return services.case_workshop_review(
        case=case, by=by, version=case.version, approve=True, **extra
    )


def fund(code="mutual_aid"):
    return Fund.objects.get(code=code)


def approve(case, by, amount="8000", fund_code="mutual_aid", **extra):
    return services.case_approve(
        case=case,
        by=by,
        version=case.version,
        amount_approved=amount,
        fund=fund(fund_code),
        **extra,
    )


def end_notice(case):
    """The case's notice (公示) ran in the past and has ended."""
    Publicity.objects.filter(case=case).update(
        starts_on=today() - timedelta(days=10), ends_on=today() - timedelta(days=1)
    )


def budget(by, code="mutual_aid", amount="1000000", year=None):
    return funds.budget_set(by=by, fund=fund(code), year=year or today().year, amount=amount)


def pay(cases, by, paid_on=None, method="bank"):
    """Put approved cases (notice ended) into a new batch of their fund and close it."""
    cases = cases if isinstance(cases, list) else [cases]
    for case in cases:
        end_notice(case)
        case.refresh_from_db()
    code = cases[0].fund.code
    if not FundBudget.objects.filter(fund__code=code, year=today().year, amount__gt=0).exists():
        budget(by, code)
    batch = payments.cases_put_in_batch(
        by=by, cases=cases, fund=cases[0].fund, method=method, title="测试批次"
    )
    batch.refresh_from_db()
    funds.batch_close_by_transfer(
        by=by,
        batch=batch,
        version=batch.version,
        paid_on=paid_on or today(),
        bank_reference="BANK-001",
    )
    for case in cases:
        case.refresh_from_db()
    return cases[0] if len(cases) == 1 else cases


def pay_on(case, by, paid_on):
    """The case paid on `paid_on`, a past day: put into a batch of its fund today, and
    marked paid as funds' lines_paid does when the batch closes (a batch itself closes only
    on a day from its opening on)."""
    end_notice(case)
    case.refresh_from_db()
    if not FundBudget.objects.filter(fund=case.fund, year=today().year, amount__gt=0).exists():
        budget(by, case.fund.code)
    batch = payments.cases_put_in_batch(
        by=by, cases=[case], fund=case.fund, method="bank", title="帮扶救助发放"
    )
    payments.mark_paid(lines=list(batch.lines.all()), paid_on=paid_on, by=by)
    case.refresh_from_db()
    return case
