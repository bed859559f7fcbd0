"""The assistance types' rules (issue 14), every refusal with its message and the money
checked by hand: eligibility from the archive, the 大病 rule on the bills, yearly caps per
type and overall (amount and count), the repeat warning, papers before the review and
后补, the approve form's pre-filled amount."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import today
from tests.welfare.helpers import STAY, approve, end_notice, fund, papers_on_file, review
from welfare import services
from welfare.forms import ApprovalForm
from welfare.models import CaseType, WelfareSettings
from welfare.services import rules

pytestmark = pytest.mark.usefixtures("english")


def kind(code):
    return CaseType.objects.get(code=code)


def in_archive(by, member, klass="deep_hardship", reviewed=None):
    reviewed = reviewed or today() - timedelta(days=30)
    return services.hardship_open(
        by=by,
        member=member,
        hardship_class=klass,
        household_situation="配偶患病",
        causes=["illness"],
        family=[{"name": member.name, "relation": "本人", "monthly_income": "900"}],
        opened_on=reviewed,
    )


def apply(by, member, code, amount, **extra):
    return services.case_create(
        by=by,
        member=member,
        case_type=kind(code),
        reason="生活困难",
        amount_requested=amount,
        **extra,
    )


def granted(case, workshop, hq, amount, code="higher_union"):
    """Reviewed (papers on file) and approved."""
    return approve(review(case, workshop), hq, amount=amount, fund_code=code)


def refusal(error) -> list[str]:
    return [m for messages in error.value.message_dict.values() for m in messages]


# The 大病 rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pocket", "amount"),
    [
        ("30000", "10000.00"),  # 50 % × (30,000 − 10,000)
        ("10000", "0.00"),  # nothing above the threshold
        ("9999.99", "0.00"),
        ("10001.01", "0.51"),  # 50 % × 1.01 = 0.505, half up
        ("50000", "20000.00"),  # 50 % × 40,000 = 20,000, at the cap
        ("55000", "20000.00"),  # 22,500 capped at 20,000
    ],
)
def test_the_serious_illness_rule(db, pocket, amount):
    assert rules.bill_rule_amount(kind("serious_illness"), Decimal(pocket)) == Decimal(amount)


def test_a_type_without_a_rule_gives_none(db):
    assert rules.bill_rule_amount(kind("relief"), Decimal("50000")) is None


def test_serious_illness_needs_the_bills(org, leader_a1):
    with pytest.raises(ValidationError) as error:
        apply(leader_a1, org.members["A1"][0], "serious_illness", "8000")
    assert refusal(error) == [
        "职工大病互助 is paid on the hospital bills: list each stay with its total and what "
        "insurance paid."
    ]


def test_the_bills_decide_what_is_offered_and_what_needs_a_reason(
    org, leader_a1, workshop_a, welfare_hq
):
    second = {**STAY, "hospital": "省肿瘤医院", "total": "15000", "reimbursed": "12000"}
    case = apply(leader_a1, org.members["A1"][0], "serious_illness", "15000", bills=[STAY, second])
    # Out of pocket 30,000 + 3,000 = 33,000; 50 % × 23,000 = 11,500.
    assert rules.case_bill_amount(case) == Decimal("11500.00")
    case = review(case, workshop_a)
    assert ApprovalForm(case=case).fields["amount_approved"].initial == Decimal("11500.00")
    with pytest.raises(ValidationError) as error:
        approve(case, welfare_hq, amount="12000")
    assert refusal(error) == [
        "¥12,000.00 is above the ¥11,500.00 the pay rule of 职工大病互助 gives on the bills; "
        "approve it only with the reason for going above it."
    ]
    case = approve(case, welfare_hq, amount="11500")
    assert case.amount_approved == Decimal("11500.00")


def test_bill_figures_are_checked(org, leader_a1):
    wrong = {**STAY, "reimbursed": "70000"}
    with pytest.raises(ValidationError) as error:
        apply(leader_a1, org.members["A1"][0], "serious_illness", "8000", bills=[wrong])
    assert "Insurance cannot pay back more than the total." in str(error.value)


# Eligibility ------------------------------------------------------------------------------


def test_extreme_hardship_needs_the_archive(org, leader_a1):
    member = org.members["A1"][0]
    with pytest.raises(ValidationError) as error:
        apply(leader_a1, member, "extreme_hardship", "2000")
    assert refusal(error) == [
        f"特困职工救助 is for members in the hardship archive (深度困难、相对困难、特困、困难); "
        f"{member.name} is not in the archive."
    ]


def test_a_class_the_type_does_not_name_is_refused(org, leader_a1, workshop_a):
    member = org.members["A1"][0]
    in_archive(workshop_a, member, klass="relative_hardship")
    with pytest.raises(ValidationError) as error:
        apply(leader_a1, member, "minimum_living", "1000")
    assert refusal(error) == [
        f"职工最低生活保障 is for the classes 深度困难、特困; {member.name} is in the archive as "
        "相对困难."
    ]


def test_the_archive_must_be_reviewed_within_the_types_months(org, leader_a1, workshop_a):
    member = org.members["A1"][0]
    reviewed = rules.months_before(today(), 13)
    in_archive(workshop_a, member, reviewed=reviewed)
    with pytest.raises(ValidationError) as error:
        apply(leader_a1, member, "extreme_hardship", "2000")
    (message,) = refusal(error)
    assert message.startswith(
        f"特困职工救助 needs an archive entry reviewed within 12 months; {member.name}'s was "
        "last reviewed on "
    )
    assert message.endswith("Record the yearly review first.")


def test_eligibility_is_checked_again_at_approval(org, leader_a1, workshop_a, welfare_hq):
    member = org.members["A1"][0]
    record = in_archive(workshop_a, member)
    case = review(apply(leader_a1, member, "extreme_hardship", "2000"), workshop_a)
    services.hardship_exit(record=record, by=workshop_a, exited_on=today(), reason="脱困")
    with pytest.raises(ValidationError) as error:
        approve(case, welfare_hq, amount="2000", fund_code="higher_union")
    assert refusal(error)[0].endswith(f"{member.name} is not in the archive.")


def test_months_before_keeps_the_month_end():
    assert rules.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert rules.months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


# Caps and the repeat warning --------------------------------------------------------------


def test_the_types_yearly_cap_with_the_numbers(org, leader_a1, workshop_a, welfare_hq):
    member = org.members["A1"][0]
    in_archive(workshop_a, member)
    first = granted(
        apply(leader_a1, member, "extreme_hardship", "3000"), workshop_a, welfare_hq, "3000"
    )
    # 特困: at most ¥5,000 a year; ¥3,000 given, so at most ¥2,000 now.
    with pytest.raises(ValidationError) as error:
        apply(leader_a1, member, "extreme_hardship", "2500")
    assert refusal(error) == [
        "特困职工救助: ¥3,000.00 received this year, the limit is ¥5,000.00, at most ¥2,000.00 "
        "this time."
    ]
    second = apply(leader_a1, member, "extreme_hardship", "2000")
    # Within the 180 days of the type's window: filed, with a warning naming the first case.
    assert second.repeat_warning.startswith(
        f"A repeat application: {member.name} applied for 特困职工救助 on "
    )
    assert f"(case {first.number}), within 180 days." in second.repeat_warning
    assert second.events.get().comment == second.repeat_warning
    granted(second, workshop_a, welfare_hq, "2000")
    # Two cases a year at most.
    with pytest.raises(ValidationError) as error:
        apply(leader_a1, member, "extreme_hardship", "100")
    assert refusal(error) == [
        f"{member.name} has had 2 cases of 特困职工救助 this year; the limit is 2 a year."
    ]


def test_the_cap_is_checked_again_at_approval(org, leader_a1, workshop_a, welfare_hq):
    member = org.members["A1"][0]
    # 困难救济: at most ¥3,000 a year. ¥1,000 given; two applications of ¥2,000 each fit
    # while neither is approved.
    granted(
        apply(leader_a1, member, "relief", "1000"), workshop_a, welfare_hq, "1000", "union_funds"
    )
    second = review(apply(leader_a1, member, "relief", "2000"), workshop_a)
    third = review(apply(leader_a1, member, "relief", "2000"), workshop_a)
    approve(second, welfare_hq, amount="1500", fund_code="union_funds")
    # Given 1,000 + 1,500 = 2,500: ¥500 left.
    assert ApprovalForm(case=third).fields["amount_approved"].initial == Decimal("500.00")
    with pytest.raises(ValidationError) as error:
        approve(third, welfare_hq, amount="600", fund_code="union_funds")
    assert refusal(error) == [
        "困难救济: ¥2,500.00 received this year, the limit is ¥3,000.00, at most ¥500.00 this time."
    ]
    assert approve(third, welfare_hq, amount="500", fund_code="union_funds").status == "approved"


def test_the_overall_yearly_cap_across_types(org, leader_a1, workshop_a, welfare_hq, file_case):
    WelfareSettings.objects.filter(pk=1).update(yearly_cap_amount=Decimal("10000"))
    member = org.members["A1"][0]
    granted(
        apply(leader_a1, member, "relief", "3000"), workshop_a, welfare_hq, "3000", "union_funds"
    )
    granted(
        apply(leader_a1, member, "education", "5000"), workshop_a, welfare_hq, "5000", "union_funds"
    )
    # 3,000 + 5,000 = 8,000 of the ¥10,000 overall: ¥2,000 left, tighter than 大病's ¥20,000.
    with pytest.raises(ValidationError) as error:
        file_case(leader_a1, member, amount="5000")
    assert refusal(error) == [
        "All assistance together: ¥8,000.00 received this year, the limit is ¥10,000.00, at "
        "most ¥2,000.00 this time."
    ]
    assert file_case(leader_a1, member, amount="2000").amount_requested == Decimal("2000.00")


def test_rejected_and_waiting_cases_do_not_count(org, leader_a1, workshop_a):
    member = org.members["A1"][0]
    apply(leader_a1, member, "relief", "3000")  # waiting
    rejected = apply(leader_a1, member, "relief", "3000")
    services.case_workshop_review(
        case=rejected, by=workshop_a, version=rejected.version, approve=False, comment="不符"
    )
    assert rules.received(member=member, year=today().year) == rules.Received(Decimal("0.00"), 0)


def test_education_once_a_year_with_proof_of_enrolment(org, leader_a1, workshop_a, welfare_hq):
    member = org.members["A1"][0]
    papers = list(kind("education").requirements.values_list("name", flat=True))
    assert "在读证明（学籍证明或录取通知书）" in papers
    granted(
        apply(leader_a1, member, "education", "3000"), workshop_a, welfare_hq, "3000", "union_funds"
    )
    with pytest.raises(ValidationError) as error:
        apply(leader_a1, member, "education", "1000")
    assert refusal(error) == [
        f"{member.name} has had 1 cases of 教育助学 this year; the limit is 1 a year."
    ]


def test_the_seeded_rules_are_data(db):
    illness = kind("serious_illness")
    assert (illness.bill_share, illness.bill_threshold, illness.bill_cap) == (
        Decimal("50.00"),
        Decimal("10000.00"),
        Decimal("20000.00"),
    )
    hardship = kind("extreme_hardship")
    assert [c.name for c in hardship.required_classes.order_by("sort_order")] == [
        "深度困难",
        "相对困难",
        "特困",
        "困难",
    ]
    assert (hardship.review_within_months, hardship.yearly_cap_amount) == (12, Decimal("5000.00"))
    assert WelfareSettings.current().yearly_cap_amount == Decimal("30000.00")


# The approve form -------------------------------------------------------------------------


def test_the_approve_form_offers_at_most_the_types_limit(org, leader_a1, workshop_a):
    CaseType.objects.filter(code="relief").update(yearly_cap_amount=None)
    case = review(apply(leader_a1, org.members["A1"][0], "relief", "4000"), workshop_a)
    # Asked 4,000; the type's limit is 3,000.
    assert ApprovalForm(case=case).fields["amount_approved"].initial == Decimal("3000.00")


# Papers before the review, and 后补 -------------------------------------------------------


def test_the_review_is_refused_until_the_papers_are_on_file(org, leader_a1, workshop_a):
    case = apply(leader_a1, org.members["A1"][0], "relief", "2000")
    with pytest.raises(ValidationError) as error:
        services.case_workshop_review(case=case, by=workshop_a, version=case.version, approve=True)
    assert error.value.messages == [
        "The papers must be on file before the workshop's review (uploaded, received on paper, "
        "or allowed to follow later by the union): 救济申请表、困难情况说明 is missing."
    ]


def test_hq_lets_a_paper_follow_later(org, leader_a1, workshop_a, welfare_hq, login_en):
    case = apply(leader_a1, org.members["A1"][0], "relief", "2000")
    application, situation = case.case_type.requirements.all()
    with pytest.raises(PermissionDenied):
        services.case_waive_paper(
            case=case, by=workshop_a, requirement=situation, reason="x", due_on=today()
        )
    with pytest.raises(ValidationError) as error:
        services.case_waive_paper(
            case=case,
            by=welfare_hq,
            requirement=situation,
            reason="",
            due_on=today() - timedelta(days=1),
        )
    assert error.value.message_dict == {
        "reason": ["Give the reason the paper follows later."],
        "due_on": ["The date the paper is due cannot be in the past."],
    }
    response = login_en(welfare_hq).post(
        reverse("welfare:case_waive", args=[case.pk]),
        {"requirement": situation.pk, "reason": "社区证明下周开具", "due_on": today().isoformat()},
    )
    assert response.status_code == 302
    services.case_receive_paper(case=case, by=workshop_a, requirement=application)
    case.refresh_from_db()
    case = services.case_workshop_review(
        case=case, by=workshop_a, version=case.version, approve=True
    )
    assert case.status == "workshop_reviewed"


def test_open_papers_to_follow_are_on_the_to_do_list(org, leader_a1, workshop_a, welfare_hq):
    from welfare.models import PaperWaiver
    from welfare.todo import todo_items

    first = apply(leader_a1, org.members["A1"][0], "relief", "1000")
    second = apply(leader_a1, org.members["A1"][1], "relief", "1000")
    for case, due in ((first, today()), (second, today() + timedelta(days=9))):
        services.case_waive_paper(
            case=case,
            by=welfare_hq,
            requirement=case.case_type.requirements.first(),
            reason="后补",
            due_on=due,
        )
    PaperWaiver.objects.filter(case=first).update(due_on=today() - timedelta(days=2))
    for user in (welfare_hq, workshop_a):
        items = {label: (n, url) for label, n, url in todo_items(user)}
        assert items["Cases with papers to follow later, 1 overdue"] == (
            2,
            "/welfare/cases/?waiting=papers",
        )
    assert not any("Papers" in label for label, _, _ in todo_items(leader_a1))
    # The paper comes in: the waiver closes.
    services.case_receive_paper(
        case=first, by=workshop_a, requirement=first.case_type.requirements.first()
    )
    items = {label: n for label, n, _ in todo_items(welfare_hq)}
    assert items["Cases with papers to follow later"] == 1


def test_the_review_is_refused_on_the_case_page_with_the_message(
    org, leader_a1, workshop_a, login_en
):
    case = apply(leader_a1, org.members["A1"][0], "relief", "2000")
    response = login_en(workshop_a).post(
        reverse("welfare:case_step", args=[case.pk, "workshop_review"]),
        {"version": case.version, "amount": "2000"},
    )
    assert "救济申请表、困难情况说明 is missing" in response.content.decode()


def test_papers_on_file_let_the_review_pass(org, leader_a1, workshop_a):
    case = papers_on_file(apply(leader_a1, org.members["A1"][0], "relief", "2000"), workshop_a)
    case.refresh_from_db()
    assert services.papers_missing(case, waived_count=False) == []
    end_notice(case)  # no notice for 困难救济: nothing happens
    assert fund("union_funds").is_active
