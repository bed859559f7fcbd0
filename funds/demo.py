"""Demo funds: this year's and last year's budgets of every fund, and bank accounts for a
few members (the welfare demo, which runs next, puts its cases into batches)."""

from decimal import Decimal

from groups.models import Member, MemberStatus
from unionhome.demo import DemoContext

from .models import BankAccount, Fund, FundBudget

BUDGETS = {
    "higher_union": ("200000", "上级工会年度帮扶资金"),
    "union_funds": ("150000", "职代会审议通过"),
    "donations": ("50000", "上年结转及年度捐款"),
    "mutual_aid": ("100000", "职工大病互助金"),
    "assistance_fund": ("0", "已并入本级经费"),
}
BANKS = ["中国工商银行矿区支行", "中国农业银行矿区支行", "中国建设银行矿区支行"]
PREFIXES = ["6222", "6228", "6217"]


def seed(context: DemoContext) -> None:
    if FundBudget.objects.exists():
        context.log("  funds: already there")
        return
    this_year = context.today.year
    budgets = []
    for fund in Fund.objects.all():
        amount, note = BUDGETS.get(fund.code, ("0", ""))
        for year in (this_year - 1, this_year):
            budgets.append(FundBudget(fund=fund, year=year, amount=Decimal(amount), note=note))
    FundBudget.objects.bulk_create(budgets)
    rng = context.rng
    members = list(
        Member.objects.filter(status=MemberStatus.ACTIVE).order_by("pk")[
            : 60 * context.scale if context.is_mine else 12
        ]
    )
    accounts = []
    for member in members:
        bank = rng.randrange(len(BANKS))
        number = PREFIXES[bank] + "".join(str(rng.randint(0, 9)) for _ in range(15))
        accounts.append(
            BankAccount(
                member=member, account_name=member.name, account_no=number, bank=BANKS[bank]
            )
        )
    BankAccount.objects.bulk_create(accounts, ignore_conflicts=True)
    context.log(f"  funds: {len(budgets)} budgets, {len(accounts)} bank accounts")
