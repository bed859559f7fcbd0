"""Demo welfare records: cases in every state, a hardship archive and care visits (demo),
or about 15,000 cases over three years in bulk (mine)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from funds.models import (
    BatchStatus,
    Fund,
    FundBudget,
    LineKind,
    Method,
    PaymentBatch,
    PaymentLine,
)
from groups.models import Member, MemberStatus
from unionhome.bulk import copy_rows
from unionhome.demo import DemoContext, random_date

from .models import (
    CareVisit,
    CaseEvent,
    CaseStatus,
    CaseType,
    FamilyMember,
    HardshipCause,
    HardshipClass,
    HardshipRecord,
    HardshipReview,
    MedicalBill,
    PaperReceipt,
    PaymentMethod,
    Publicity,
    VisitKind,
    WelfareCase,
)

REASONS = {
    "extreme_hardship": ("配偶长期患病，子女上学，家庭入不敷出。", "家庭三口人，仅本人有收入。"),
    "minimum_living": ("家庭人均收入低于当地最低生活保障标准。", "配偶无业，父母年迈。"),
    "education": ("子女考入大学，学费负担重。", "子女录取本科，学费每年六千元。"),
    "serious_illness": (
        "本人因病住院手术，自付医疗费用较高。",
        "住院二十天，医保报销后自付三万余元。",
    ),
    "relief": ("家中房屋受灾，生活临时困难。", "暴雨致房屋漏水受损。"),
}
TYPE_WEIGHTS = {
    "extreme_hardship": 2,
    "minimum_living": 1,
    "education": 2,
    "serious_illness": 2,
    "relief": 2,
}
BATCH = 5000


def seed(context: DemoContext) -> None:
    groups = context.shared["groups"]
    if WelfareCase.objects.filter(member__group__in=groups).exists():
        context.log("  welfare: already there")
        return
    # Only the fields used here: the federation's 100,000 members are held at once.
    members = list(
        Member.objects.filter(group__in=groups, status=MemberStatus.ACTIVE)
        .select_related("group")
        .only("name", "birth_date", "is_hardship", "group", "group__name", "group__workshop")
    )
    classes_of = _archive(context, members)
    _cases(context, members, classes_of)
    _visits(context, members)


def _when(day: date, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


FUNDS = {
    "serious_illness": "mutual_aid",
    "extreme_hardship": "higher_union",
    "minimum_living": "higher_union",
}


def _cases(context, members, classes_of) -> None:
    """Cases at every step, kept to the rules as the services would: papers on file from
    the review on, 特困/低保 only for archive members of the classes the type names, the
    bills of 大病 cases, the notice (公示) before payment, and every paid case in a payment
    batch of its fund closed on the day it was paid."""
    rng, today = context.rng, context.today
    types = {
        t.code: t for t in CaseType.objects.prefetch_related("required_classes", "requirements")
    }
    required = {code: {c.pk for c in t.required_classes.all()} for code, t in types.items()}
    funds = {f.code: f for f in Fund.objects.all()}
    codes = list(TYPE_WEIGHTS)
    weights = list(TYPE_WEIGHTS.values())
    leaders = context.shared["leader_users"]
    workshop_users = context.shared["workshop_users"]
    hq = context.shared["users"]["hq"]
    years = 3 if context.is_mine else 1
    count = 15_000 * context.scale if context.is_mine else 40
    start = today - timedelta(days=365 * years)
    plans = []
    sequence = {}
    # The demo shows a case at every step, the first ones in the demo leader's group.
    showcase = [] if context.is_mine else list(CaseStatus)
    first_group = context.shared["groups"][0].pk
    for index in range(count):
        member = rng.choice(members)
        if index < len(showcase):
            member = rng.choice([m for m in members if m.group_id == first_group] or members)
        code = rng.choices(codes, weights)[0]
        # The approved showcase case is on the notice board (公示) now.
        posted_now = index < len(showcase) and showcase[index] == CaseStatus.APPROVED
        if posted_now:
            code = "education"
        if required[code] and classes_of.get(member.pk) not in required[code]:
            code = "relief"  # not in the archive in a class the type names
        case_type = types[code]
        applied = random_date(rng, start, today)
        if index < len(showcase):
            applied = today - timedelta(days=rng.randint(20, 40))
        limit = case_type.limit or Decimal("3000")
        requested = Decimal(rng.randint(2, 40)) * (limit / 20)
        requested = min(requested, limit * Decimal("1.2")).quantize(Decimal("1"))
        age = (today - applied).days
        roll = rng.random()
        if index < len(showcase):
            status = showcase[index]
        elif age > 60:
            status = (
                CaseStatus.ARCHIVED
                if roll < 0.75
                else CaseStatus.PAID
                if roll < 0.93
                else CaseStatus.REJECTED
            )
        else:
            status = rng.choice(
                [
                    CaseStatus.APPLIED,
                    CaseStatus.WORKSHOP_REVIEWED,
                    CaseStatus.APPROVED,
                    CaseStatus.PAID,
                    CaseStatus.REJECTED,
                ]
            )
        posted = case_type.publicity_days if case_type.needs_publicity else 0
        if age < posted + 8 and status in (CaseStatus.PAID, CaseStatus.ARCHIVED):
            status = CaseStatus.APPROVED  # too recent to have been posted and paid
        year = applied.year
        sequence[year] = sequence.get(year, 0) + 1
        filer = leaders.get(member.group_id) if rng.random() < 0.5 or index < 3 else None
        reviewer = workshop_users.get(member.group.workshop_id, hq)
        filer = filer or reviewer
        reason, situation = REASONS[code]
        case = WelfareCase(
            number=f"BF{year}-{sequence[year]:05d}",
            member=member,
            case_type=case_type,
            applied_on=applied,
            filed_by=filer,
            reason=reason,
            situation=situation,
            amount_requested=requested,
            status=status,
        )
        steps = [(CaseEvent.Step.APPLIED, filer, applied, "", requested)]
        reviewed = min(applied + timedelta(days=rng.randint(1, 5)), today)
        approved = min(reviewed + timedelta(days=rng.randint(1, 6)), today)
        if posted_now:
            approved = today - timedelta(days=1)
        paid = approved + timedelta(days=posted + rng.randint(1, 10))
        if paid > today:
            paid = today
        case.demo = {"approved": approved, "paid": paid, "papers": status != CaseStatus.APPLIED}
        if status == CaseStatus.REJECTED:
            case.rejected_reason = "不符合申请条件。"
            steps.append((CaseEvent.Step.REJECTED, reviewer, reviewed, case.rejected_reason, None))
        if status not in (CaseStatus.APPLIED, CaseStatus.REJECTED):
            case.amount_suggested = requested
            steps.append((CaseEvent.Step.WORKSHOP_REVIEWED, reviewer, reviewed, "", requested))
        if status in (CaseStatus.APPROVED, CaseStatus.PAID, CaseStatus.ARCHIVED):
            case.amount_approved = min(requested, limit, case_type.yearly_cap_amount or limit)
            case.fund = funds.get(FUNDS.get(code, "union_funds"))
            steps.append((CaseEvent.Step.APPROVED, hq, approved, "", case.amount_approved))
        if status in (CaseStatus.PAID, CaseStatus.ARCHIVED):
            case.paid_on = paid  # moved to its batch's closing day below
        case.version = len(steps)
        plans.append((case, steps))
    _batches(context, [c for c, _ in plans if c.paid_on], hq)
    for case, steps in plans:
        if case.paid_on:
            case.amount_paid = case.amount_approved
            case.payment_method = PaymentMethod.BANK
            case.days_to_payment = (case.paid_on - case.applied_on).days
            steps.append((CaseEvent.Step.PAID, hq, case.paid_on, case.voucher_no, case.amount_paid))
        if case.status == CaseStatus.ARCHIVED:
            steps.append(
                (
                    CaseEvent.Step.ARCHIVED,
                    hq,
                    min(case.paid_on + timedelta(days=3), today),
                    "",
                    None,
                )
            )
        case.version = len(steps)
    WelfareCase.objects.bulk_create([c for c, _ in plans], batch_size=BATCH)
    if not plans[0][0].pk:
        by_number = dict(WelfareCase.objects.values_list("number", "pk"))
        for case, _ in plans:
            case.pk = by_number[case.number]
    copy_rows(
        CaseEvent,
        ("case_id", "step", "by_id", "comment", "amount"),
        (
            (case.pk, step, by.pk, comment, amount)
            for case, steps in plans
            for step, by, _, comment, amount in steps
        ),
    )
    _papers_and_notices(context, [c for c, _ in plans], types, hq)
    if not context.is_mine:
        for case, steps in plans:
            for event, (_, _, day, _, _) in zip(case.events.order_by("pk"), steps, strict=True):
                CaseEvent.objects.filter(pk=event.pk).update(at=_when(day, rng))
    context.log(f"  welfare cases: {len(plans)}")


def _batches(context, paid_cases, hq) -> None:
    """The paid cases' money in payment batches of their fund, one per fortnight, each
    closed (by bank transfer) on the last day one of its cases was paid; every fund's
    budget of the year covers what its batches paid."""
    groups = {}
    for case in paid_cases:
        half = 0 if case.paid_on.day <= 15 else 1
        groups.setdefault((case.fund.pk, case.paid_on.year, case.paid_on.month, half), []).append(
            case
        )
    numbers = {}
    for year in {key[1] for key in groups}:
        last = PaymentBatch.objects.filter(number__startswith=f"FF{year}-").order_by("-number")
        last = last.values_list("number", flat=True).first()
        numbers[year] = int(last.rsplit("-", 1)[1]) if last else 0
    batches = []
    for key in sorted(groups):
        fund_id, year, month, _half = key
        cases = groups[key]
        closed = max(c.paid_on for c in cases)
        numbers[year] += 1
        batch = PaymentBatch(
            number=f"FF{year}-{numbers[year]:04d}",
            fund_id=fund_id,
            year=year,
            method=Method.BANK,
            title=f"{year}年{month}月帮扶救助发放",
            status=BatchStatus.CLOSED,
            created_by=hq,
            closed_on=closed,
            closed_by=hq,
            bank_reference=f"ZH{closed:%Y%m%d}{numbers[year]:03d}",
        )
        batch.cases = cases
        batches.append(batch)
    PaymentBatch.objects.bulk_create(batches, batch_size=BATCH)
    if batches and not batches[0].pk:
        by_number = dict(PaymentBatch.objects.values_list("number", "pk"))
        for batch in batches:
            batch.pk = by_number[batch.number]
    lines = []
    for batch in batches:
        for case in batch.cases:
            case.paid_on = batch.closed_on
            case.voucher_no = batch.number
            line = PaymentLine(
                batch_id=batch.pk,
                member=case.member,
                workshop_id=case.member.group.workshop_id,
                group_name=case.member.group.name,
                amount=case.amount_approved,
                kind=LineKind.CASE,
                category=case.case_type.name,
                reference=case.number,
                added_by=hq,
            )
            line.case = case
            lines.append(line)
    PaymentLine.objects.bulk_create(lines, batch_size=BATCH)
    if lines and not lines[0].pk:
        by_reference = dict(
            PaymentLine.objects.filter(kind=LineKind.CASE).values_list("reference", "pk")
        )
        for line in lines:
            line.pk = by_reference[line.reference]
    for line in lines:
        line.case.payment_line_id = line.pk
    spent = {}
    for batch in batches:
        key = (batch.fund_id, batch.year)
        spent[key] = spent.get(key, 0) + sum(c.amount_approved for c in batch.cases)
    for (fund_id, year), amount in spent.items():
        budget, _created = FundBudget.objects.get_or_create(
            fund_id=fund_id, year=year, defaults={"amount": 0}
        )
        # Budgets in whole ten thousands, with room left for the year's open cases.
        needed = (Decimal(amount) * Decimal("1.3") / 10000).quantize(Decimal("1")) * 10000 + 10000
        if budget.amount < amount + 10000:
            FundBudget.objects.filter(pk=budget.pk).update(amount=budget.amount + needed)
    context.log(f"  welfare payment batches: {len(batches)}")


def _papers_and_notices(context, cases, types, hq) -> None:
    """Every paper received from the workshop's review on (the first showcase case, still
    waiting for it, lacks them); the bills of 大病 cases; the notices of approved cases of
    the posted types, ended before the payment."""
    requirements = {code: list(t.requirements.all()) for code, t in types.items()}
    copy_rows(
        PaperReceipt,
        ("case_id", "requirement_id", "by_id"),
        (
            (case.pk, requirement.pk, hq.pk)
            for case in cases
            if case.demo["papers"]
            for requirement in requirements[case.case_type.code]
        ),
    )
    bills = []
    for case in cases:
        if not case.case_type.needs_medical_bills:
            continue
        # Out of pocket: the threshold plus twice the request, so that the rule (50 % of
        # what is above the threshold) gives the amount asked for.
        pocket = (case.case_type.bill_threshold or 0) + 2 * case.amount_requested
        admitted = case.applied_on - timedelta(days=context.rng.randint(20, 60))
        bills.append(
            MedicalBill(
                case_id=case.pk,
                hospital=context.rng.choice(["市第一人民医院", "矿区总医院", "省肿瘤医院"]),
                admitted_on=admitted,
                discharged_on=admitted + timedelta(days=context.rng.randint(5, 18)),
                diagnosis=context.rng.choice(["冠心病支架术后", "肺部感染", "骨折内固定术后"]),
                total=pocket * 2,
                reimbursed=pocket,
            )
        )
    MedicalBill.objects.bulk_create(bills, batch_size=BATCH)
    notices = []
    for case in cases:
        if case.amount_approved is None or not case.case_type.needs_publicity:
            continue
        starts = case.demo["approved"]
        notices.append(
            Publicity(
                case_id=case.pk,
                starts_on=starts,
                ends_on=starts + timedelta(days=case.case_type.publicity_days - 1),
            )
        )
    Publicity.objects.bulk_create(notices, batch_size=BATCH)


def _id_number(sequence: int, birth: date) -> str:
    from groups.idnumbers import check_digit

    first17 = f"370802{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


FAMILY = [
    ("配偶", "慢性病，无固定收入", "待业", (0, 800), (35, 55)),
    ("子女", "健康", "在读高中", (0, 0), (15, 18)),
    ("父亲", "高血压", "退休", (600, 1500), (65, 82)),
]


def _archive(context, members) -> dict:
    rng, today = context.rng, context.today
    hq = context.shared["users"]["hq"]
    classes = list(HardshipClass.objects.filter(is_current=True))
    chosen = [m for m in members if m.is_hardship or rng.random() < 0.02]
    records, families = [], []
    # The sequence digits count the records born on each day: no two open entries share a
    # number (a federation has thousands of records, many born on the same day).
    born_on: dict[date, int] = {}
    for member in chosen:
        opened = random_date(rng, today - timedelta(days=900), today - timedelta(days=30))
        reviewed = opened
        while reviewed + timedelta(days=365) < today - timedelta(days=rng.randint(0, 60)):
            reviewed += timedelta(days=365)
        birth = member.birth_date or date(1980, 1, 1)
        born_on[birth] = sequence = born_on.get(birth, 0) + 1
        own = Decimal(rng.randint(18, 36) * 100)
        family = [("本人", member.name, "本人身体状况一般", "在岗职工", own, None)]
        for relation, health, work, (low, high), (young, old) in FAMILY[: rng.randint(1, 3)]:
            family.append(
                (
                    relation,
                    f"{member.name[0]}某",
                    health,
                    work,
                    Decimal(rng.randint(low, high)),
                    rng.randint(young, old),
                )
            )
        families.append(family)
        records.append(
            HardshipRecord(
                member=member,
                hardship_class=rng.choice(classes),
                id_number=_id_number(sequence, birth),
                household_size=len(family),
                household_income=sum((f[4] for f in family), Decimal(0)),
                causes=rng.sample([c.value for c in HardshipCause], k=rng.randint(1, 2)),
                household_situation="配偶无固定收入，子女在读。",
                health="本人身体状况一般。",
                opened_on=opened,
                last_reviewed_on=reviewed,
                next_review_on=reviewed.replace(year=reviewed.year + 1)
                if not (reviewed.month == 2 and reviewed.day == 29)
                else date(reviewed.year + 1, 2, 28),
                recorded_by=hq,
            )
        )
    HardshipRecord.objects.bulk_create(records, batch_size=BATCH)
    saved = {r.member_id: r for r in HardshipRecord.objects.filter(member__in=chosen)}
    FamilyMember.objects.bulk_create(
        [
            FamilyMember(
                record=saved[record.member_id],
                relation=relation,
                name=name,
                health=health,
                school_or_work=work,
                monthly_income=income,
                age=age,
            )
            for record, family in zip(records, families, strict=True)
            for relation, name, health, work, income, age in family
        ],
        batch_size=BATCH,
    )
    HardshipReview.objects.bulk_create(
        [
            HardshipReview(
                record=r,
                kind=HardshipReview.Kind.OPENED,
                reviewed_on=r.opened_on,
                hardship_class_id=r.hardship_class_id,
                by=hq,
            )
            for r in saved.values()
        ],
        batch_size=BATCH,
    )
    Member.objects.filter(pk__in=[m.pk for m in chosen]).update(is_hardship=True)
    context.log(f"  hardship archive: {len(saved)} members")
    return {member_id: r.hardship_class_id for member_id, r in saved.items()}


def _visits(context, members) -> None:
    rng, today = context.rng, context.today
    leaders = context.shared["leader_users"]
    hq = context.shared["users"]["hq"]
    years = 3 if context.is_mine else 1
    kinds = list(VisitKind)
    gifts = [None, Decimal(100), Decimal(200), Decimal(300)]

    def visits():
        for member in members:
            recorder = leaders.get(member.group_id, hq)
            for _ in range(rng.randint(0, 2 * years)):
                yield (
                    member.pk,
                    member.group_id,
                    rng.choice(kinds),
                    random_date(rng, today - timedelta(days=365 * years), today),
                    recorder.name,
                    recorder.pk,
                    rng.choice(gifts),
                )

    count = copy_rows(
        CareVisit,
        ("member_id", "group_id", "kind", "visited_on", "visitors", "recorded_by_id", "gift_value"),
        visits(),
    )
    context.log(f"  care visits: {count}")
