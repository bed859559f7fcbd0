"""Demo joining and transfers: a joining link per workshop union, applications waiting and
one returned, employee counts for the last months, a member transferred out with a letter."""

from activities.periods import month_start, previous_month
from groups.models import Gender, Member, MemberStatus

from . import services
from .models import Application, ApplicationKind, EmployeeCount, JoinLink

WAITING = [
    ("90101", "邱晓燕", Gender.FEMALE, "锅炉运行工"),
    ("90102", "严志强", Gender.MALE, "检修钳工"),
    ("90103", "樊丽娟", Gender.FEMALE, "化验员"),
]


def seed(context) -> None:
    if JoinLink.objects.exists():
        context.log("  membership: already there")
        return
    workshops = context.shared["workshops"]
    groups = context.shared["groups"]
    hq = context.shared["users"]["hq"]
    links = {
        w.pk: services.join_link_create(by=hq, workshop=w)
        for w in workshops[: 5 * context.scale if context.is_mine else len(workshops)]
    }
    first_group = groups[0]
    link = links[first_group.workshop_id]
    for employee_no, name, gender, position in WAITING:
        services.application_submit_public(
            link=link,
            address=None,
            group=first_group,
            employee_no=employee_no,
            name=name,
            gender=gender,
            position=position,
            statement=True,
        )
    returned = services.application_submit_public(
        link=link,
        address=None,
        group=first_group,
        employee_no="90104",
        name="葛文斌",
        gender=Gender.MALE,
        statement=True,
    ).application
    services.application_return(
        application=returned,
        by=hq,
        reason="工号与人事系统不符，请核对后重新申请。",
    )
    _counts(context, workshops, hq)
    _transfer(context, groups, hq)
    context.log(
        f"  membership: {len(links)} joining links, "
        f"{Application.objects.filter(kind=ApplicationKind.NEW).count()} applications"
    )


def _counts(context, workshops, hq) -> None:
    """The last six months' employees per workshop union: members plus some not in the
    union (contract and dispatched workers not yet joined)."""
    members = {}
    for member in Member.objects.filter(status=MemberStatus.ACTIVE).values("group__workshop"):
        key = member["group__workshop"]
        members[key] = members.get(key, 0) + 1
    month = previous_month(month_start(context.today))
    rows = []
    for _step in range(6):
        for workshop in workshops:
            base = members.get(workshop.pk, 0)
            rows.append(
                EmployeeCount(
                    workshop=workshop,
                    month=month,
                    employees=base + context.rng.randint(1, max(2, base // 10)),
                    recorded_by=hq,
                )
            )
        month = previous_month(month)
    EmployeeCount.objects.bulk_create(rows)


def _transfer(context, groups, hq) -> None:
    member = (
        Member.objects.filter(group__in=groups[1:], status=MemberStatus.ACTIVE)
        .select_related("group__workshop")
        .order_by("pk")
        .first()
    )
    if member is None:
        return
    services.transfer_out(
        member=member,
        by=hq,
        to_organisation="华能集团某热电有限公司",
        to_union="华能某热电有限公司工会",
        transferred_on=context.today,
        reason="调动工作",
    )
