"""Demo welfare records: cases in every state, a hardship archive and care visits (demo),
or about 15,000 cases over three years in bulk (mine)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from groups.models import Member, MemberStatus
from unionhome.demo import DemoContext, random_date

from .models import (
    CareVisit,
    CaseEvent,
    CaseStatus,
    CaseType,
    FundSource,
    HardshipCause,
    HardshipLevel,
    HardshipRecord,
    HardshipReview,
    PaymentMethod,
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
    "festival": ("春节慰问困难职工。", ""),
    "family_visit": ("家庭走访慰问。", ""),
    "relief": ("家中房屋受灾，生活临时困难。", "暴雨致房屋漏水受损。"),
    "donation": ("职工爱心捐款帮扶。", ""),
}
TYPE_WEIGHTS = {
    "extreme_hardship": 2,
    "minimum_living": 1,
    "education": 2,
    "serious_illness": 2,
    "festival": 5,
    "family_visit": 3,
    "relief": 2,
    "donation": 1,
}
BATCH = 5000


def seed(context: DemoContext) -> None:
    groups = context.shared["groups"]
    if WelfareCase.objects.filter(member__group__in=groups).exists():
        context.log("  welfare: already there")
        return
    members = list(
        Member.objects.filter(group__in=groups, status=MemberStatus.ACTIVE).select_related("group")
    )
    _archive(context, members)
    _cases(context, members)
    _visits(context, members)


def _when(day: date, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


def _cases(context, members) -> None:
    rng, today = context.rng, context.today
    types = {t.code: t for t in CaseType.objects.all()}
    codes = list(TYPE_WEIGHTS)
    weights = list(TYPE_WEIGHTS.values())
    leaders = context.shared["leader_users"]
    workshop_users = context.shared["workshop_users"]
    hq = context.shared["users"]["hq"]
    years = 3 if context.is_mine else 1
    count = 15_000 if context.is_mine else 40
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
        case_type = types[code]
        applied = random_date(rng, start, today)
        if index < len(showcase):
            applied = today - timedelta(days=rng.randint(10, 40))
        limit = case_type.limit or Decimal("3000")
        requested = Decimal(rng.randint(2, 40)) * (limit / 20)
        requested = min(requested, limit * Decimal("1.2")).quantize(Decimal("1"))
        age = (today - applied).days
        roll = rng.random()
        if index < len(showcase):
            status = showcase[index]
        elif age > 45:
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
        reviewed = applied + timedelta(days=rng.randint(1, 5))
        approved = reviewed + timedelta(days=rng.randint(1, 6))
        paid = approved + timedelta(days=rng.randint(1, 14))
        if status == CaseStatus.REJECTED:
            case.rejected_reason = "不符合申请条件。"
            steps.append(
                (
                    CaseEvent.Step.REJECTED,
                    reviewer,
                    min(reviewed, today),
                    case.rejected_reason,
                    None,
                )
            )
        if status not in (CaseStatus.APPLIED, CaseStatus.REJECTED):
            case.amount_suggested = requested
            steps.append(
                (CaseEvent.Step.WORKSHOP_REVIEWED, reviewer, min(reviewed, today), "", requested)
            )
        if status in (CaseStatus.APPROVED, CaseStatus.PAID, CaseStatus.ARCHIVED):
            case.amount_approved = min(requested, limit)
            case.fund_source = (
                FundSource.MUTUAL_AID if code == "serious_illness" else FundSource.ASSISTANCE_FUND
            )
            steps.append(
                (CaseEvent.Step.APPROVED, hq, min(approved, today), "", case.amount_approved)
            )
        if status in (CaseStatus.PAID, CaseStatus.ARCHIVED):
            case.paid_on = min(paid, today)
            case.amount_paid = case.amount_approved
            case.payment_method = PaymentMethod.BANK
            case.voucher_no = f"记-{case.paid_on:%Y%m}-{rng.randint(1, 999):03d}"
            case.days_to_payment = (case.paid_on - applied).days
            steps.append((CaseEvent.Step.PAID, hq, case.paid_on, "", case.amount_paid))
        if status == CaseStatus.ARCHIVED:
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
        plans.append((case, steps))
    WelfareCase.objects.bulk_create([c for c, _ in plans], batch_size=BATCH)
    if not plans[0][0].pk:
        by_number = dict(WelfareCase.objects.values_list("number", "pk"))
        for case, _ in plans:
            case.pk = by_number[case.number]
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(case_id=case.pk, step=step, by=by, comment=comment, amount=amount)
            for case, steps in plans
            for step, by, _, comment, amount in steps
        ],
        batch_size=BATCH,
    )
    if not context.is_mine:
        for case, steps in plans:
            for event, (_, _, day, _, _) in zip(case.events.order_by("pk"), steps, strict=True):
                CaseEvent.objects.filter(pk=event.pk).update(at=_when(day, rng))
    context.log(f"  welfare cases: {len(plans)}")


def _id_number(rng, birth: date) -> str:
    from groups.idnumbers import check_digit

    first17 = f"370802{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + check_digit(first17)


def _archive(context, members) -> None:
    rng, today = context.rng, context.today
    hq = context.shared["users"]["hq"]
    chosen = [m for m in members if m.is_hardship or rng.random() < 0.02]
    records = []
    for member in chosen:
        opened = random_date(rng, today - timedelta(days=900), today - timedelta(days=30))
        reviewed = opened
        while reviewed + timedelta(days=365) < today - timedelta(days=rng.randint(0, 60)):
            reviewed += timedelta(days=365)
        birth = member.birth_date or date(1980, 1, 1)
        records.append(
            HardshipRecord(
                member=member,
                level=rng.choice(
                    [HardshipLevel.SEVERE, HardshipLevel.HARDSHIP, HardshipLevel.HARDSHIP]
                ),
                id_number=_id_number(rng, birth),
                household_size=rng.randint(2, 5),
                household_income=Decimal(rng.randint(1200, 4200)),
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
    saved = list(HardshipRecord.objects.filter(member__in=chosen))
    HardshipReview.objects.bulk_create(
        [
            HardshipReview(
                record=r,
                kind=HardshipReview.Kind.OPENED,
                reviewed_on=r.opened_on,
                level=r.level,
                by=hq,
            )
            for r in saved
        ],
        batch_size=BATCH,
    )
    Member.objects.filter(pk__in=[m.pk for m in chosen]).update(is_hardship=True)
    context.log(f"  hardship archive: {len(saved)} members")


def _visits(context, members) -> None:
    rng, today = context.rng, context.today
    leaders = context.shared["leader_users"]
    hq = context.shared["users"]["hq"]
    years = 3 if context.is_mine else 1
    visits = []
    for member in members:
        recorder = leaders.get(member.group_id, hq)
        for _ in range(rng.randint(0, 2 * years)):
            visited = random_date(rng, today - timedelta(days=365 * years), today)
            kind = rng.choice(list(VisitKind))
            visits.append(
                CareVisit(
                    member=member,
                    group_id=member.group_id,
                    kind=kind,
                    visited_on=visited,
                    visitors=recorder.name,
                    recorded_by=recorder,
                    gift_value=Decimal(rng.choice([0, 100, 200, 300])) or None,
                )
            )
    CareVisit.objects.bulk_create(visits, batch_size=BATCH)
    context.log(f"  care visits: {len(visits)}")
