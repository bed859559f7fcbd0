"""The welfare case workflow: 申请 → 车间审核 → 工会审批 → 发放 → 归档, or 驳回."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tests import files
from tests.factories import UserFactory, leader_user, today, workshop_user
from tests.welfare.helpers import (
    approve,
    end_notice,
    fund,
    papers_on_file,
    pay,
    pay_on,
    review,
)
from welfare import services
from welfare.models import CaseEvent, CaseStatus, CaseType, WelfareCase
from welfare.services import payments


@pytest.fixture
def case(org, leader_a1, file_case):
    return file_case(leader_a1, org.members["A1"][0], applied_on=today() - timedelta(days=10))


class TestTheWholeWay:
    def test_each_step_records_who_when_and_the_days_to_payment(
        self, case, workshop_a, welfare_hq, leader_a1
    ):
        case = review(case, workshop_a, amount_suggested="7000.00", comment="情况属实")
        case = approve(case, welfare_hq, amount="7000")
        case = pay(case, welfare_hq)  # applied 10 days ago, paid today through a batch
        assert (case.status, case.amount_paid, case.days_to_payment) == (
            CaseStatus.PAID,
            Decimal("7000.00"),
            10,
        )
        case = services.case_archive(case=case, by=welfare_hq, version=case.version)
        assert case.status == CaseStatus.ARCHIVED
        steps = [(e.step, e.by) for e in case.events.exclude(step=CaseEvent.Step.CHECKED)]
        assert steps == [
            ("applied", leader_a1),
            ("workshop_reviewed", workshop_a),
            ("approved", welfare_hq),
            ("batched", welfare_hq),
            ("paid", welfare_hq),
            ("archived", welfare_hq),
        ]
        assert case.events.get(step="workshop_reviewed").comment == "情况属实"

    def test_case_numbers_count_up_within_the_year(self, org, leader_a1, file_case):
        first = file_case(leader_a1, org.members["A1"][0], applied_on=date(2026, 3, 1))
        second = file_case(leader_a1, org.members["A1"][1], applied_on=date(2026, 4, 1))
        earlier = file_case(leader_a1, org.members["A1"][1], applied_on=date(2025, 12, 1))
        assert (first.number, second.number, earlier.number) == (
            "BF2026-00001",
            "BF2026-00002",
            "BF2025-00001",
        )


class TestRefusals:
    def test_workshop_rejects_with_a_reason_only(self, case, workshop_a, welfare_hq):
        with pytest.raises(ValidationError):
            services.case_workshop_review(
                case=case, by=workshop_a, version=case.version, approve=False, comment=""
            )
        case = services.case_workshop_review(
            case=case, by=workshop_a, version=case.version, approve=False, comment="不符合条件"
        )
        assert (case.status, case.rejected_reason) == (CaseStatus.REJECTED, "不符合条件")
        with pytest.raises(ValidationError):
            approve(case, welfare_hq)

    def test_another_workshop_cannot_review(self, case, org):
        with pytest.raises(PermissionDenied):
            review(case, workshop_user(org.b))

    def test_nobody_reviews_their_own_application(self, org, workshop_a, welfare_hq, file_case):
        own = file_case(workshop_a, org.members["A1"][0])
        with pytest.raises(ValidationError):
            review(own, workshop_a)
        own = review(own, welfare_hq)  # HQ's welfare staff may take the workshop's step
        hq_own = file_case(welfare_hq, org.members["A1"][1])
        hq_own = review(hq_own, workshop_a)
        with pytest.raises(ValidationError):
            approve(hq_own, welfare_hq)

    def test_a_leader_cannot_review_or_approve(self, case, leader_a1):
        other_leader = leader_user(case.member.group)
        with pytest.raises(PermissionDenied):
            review(case, other_leader)

    def test_hq_staff_without_the_welfare_flag_cannot_approve(self, case, workshop_a, plain_hq):
        case = review(case, workshop_a)
        with pytest.raises(PermissionDenied):
            approve(case, plain_hq)

    def test_over_limit_approval_needs_hqs_reason(self, org, leader_a1, workshop_a, welfare_hq):
        CaseType.objects.filter(code="relief").update(yearly_cap_amount=None)
        relief = CaseType.objects.get(code="relief")  # limit ¥3,000, no yearly cap
        case = services.case_create(
            by=leader_a1,
            member=org.members["A1"][0],
            case_type=relief,
            reason="房屋受灾",
            amount_requested="4000",
        )
        case = review(case, workshop_a)
        with pytest.raises(ValidationError) as error:
            approve(case, welfare_hq, amount="3000.01", fund_code="union_funds")
        assert "amount_approved" in error.value.error_dict
        case = approve(
            case,
            welfare_hq,
            amount="4000",
            fund_code="union_funds",
            over_limit_reason="2026年第3次主席办公会研究同意",
        )
        assert case.amount_approved == Decimal("4000.00")
        assert "主席办公会" in case.events.get(step="approved").comment

    def test_the_workshop_cannot_approve_at_all(self, case, workshop_a):
        case = review(case, workshop_a)
        with pytest.raises(PermissionDenied):
            approve(case, workshop_a)

    def test_the_database_refuses_paid_above_approved_too(self, case):
        with pytest.raises(IntegrityError), transaction.atomic():
            WelfareCase.objects.filter(pk=case.pk).update(
                amount_approved=Decimal("100"), amount_paid=Decimal("200"), paid_on=today()
            )

    def test_steps_out_of_order_are_refused(self, case, welfare_hq):
        with pytest.raises(ValidationError):
            approve(case, welfare_hq)
        with pytest.raises(ValidationError):
            payments.cases_put_in_batch(by=welfare_hq, cases=[case], fund=None, method="bank")
        with pytest.raises(ValidationError):
            services.case_archive(case=case, by=welfare_hq, version=case.version)

    def test_archive_needs_every_paper_even_one_allowed_to_follow(
        self, case, workshop_a, welfare_hq
    ):
        requirements = list(case.case_type.requirements.all())
        services.case_waive_paper(
            case=case,
            by=welfare_hq,
            requirement=requirements[1],
            reason="医院尚未出具",
            due_on=today() + timedelta(days=30),
        )
        for requirement in requirements[:1] + requirements[2:]:
            services.case_receive_paper(case=case, by=workshop_a, requirement=requirement)
        case.refresh_from_db()
        case = services.case_workshop_review(
            case=case, by=workshop_a, version=case.version, approve=True
        )
        case = pay(approve(case, welfare_hq), welfare_hq)
        with pytest.raises(ValidationError) as error:
            services.case_archive(case=case, by=welfare_hq, version=case.version)
        assert "诊断证明" in str(error.value)
        services.case_add_document(
            case=case, by=workshop_a, uploaded=files.pdf("诊断.pdf"), requirement=requirements[1]
        )
        assert case.waivers.get().closed_at is not None
        services.case_archive(case=case, by=welfare_hq, version=case.version)

    def test_a_member_who_left_cannot_apply(self, org, leader_a1, file_case):
        member = org.members["A1"][0]
        member.status, member.left_on = "left", date(2025, 1, 1)
        member.save()
        with pytest.raises(ValidationError):
            file_case(leader_a1, member)

    def test_a_leader_cannot_apply_for_another_groups_member(self, org, leader_a1, file_case):
        with pytest.raises(PermissionDenied):
            file_case(leader_a1, org.members["A2"][0])

    def test_two_reviewers_at_once(self, case, workshop_a, welfare_hq):
        seen = case.version
        review(case, workshop_a)
        with pytest.raises(services.ConcurrentChange):
            services.case_workshop_review(
                case=case, by=welfare_hq, version=seen, approve=False, comment="重复"
            )
        case.refresh_from_db()
        assert case.status == CaseStatus.WORKSHOP_REVIEWED


class TestMoney:
    def test_amounts_are_yuan_with_two_places_rounded_half_up(self):
        assert services.money("1234.565") == Decimal("1234.57")
        assert services.money(Decimal("0.125")) == Decimal("0.13")
        assert services.money(100) == Decimal("100.00")

    def test_no_float_creeps_in(self, case):
        case.refresh_from_db()
        assert isinstance(case.amount_requested, Decimal)
        assert case.amount_requested == Decimal("8000.00")

    def test_a_zero_or_negative_request_is_refused(self, org, leader_a1, file_case):
        with pytest.raises(ValidationError):
            file_case(leader_a1, org.members["A1"][0], amount="0")

    @pytest.mark.parametrize(
        ("applied", "paid", "days"),
        [
            (date(2026, 1, 30), date(2026, 2, 2), 3),  # across a month end
            (date(2025, 12, 25), date(2026, 1, 5), 11),  # across a year end
            (date(2024, 2, 27), date(2024, 3, 1), 3),  # across 29 February
            (date(2026, 3, 1), date(2026, 3, 1), 0),  # paid the same day
        ],
    )
    def test_days_to_payment(
        self, org, leader_a1, workshop_a, welfare_hq, file_case, applied, paid, days
    ):
        case = file_case(leader_a1, org.members["A1"][0], applied_on=applied)
        case = pay_on(approve(review(case, workshop_a), welfare_hq), welfare_hq, paid)
        assert case.days_to_payment == days


def test_case_types_and_their_papers_are_data(db):
    names = list(CaseType.objects.values_list("name", flat=True))
    assert names[:7] == [
        "特困职工救助",
        "职工最低生活保障",
        "教育助学",
        "职工大病互助",
        "节日慰问",
        "家庭走访",
        "困难救济",
    ]
    assert CaseType.objects.get(code="serious_illness").requirements.count() == 5


def test_the_to_do_list_keeps_the_filers_own_case_at_the_steps_they_may_take(
    org, workshop_a, welfare_hq, file_case
):
    """Nobody reviews or approves their own application, but HQ's welfare staff who
    filed a case still pay it: the to-do list counts it for them at that step."""
    from django.utils import translation

    from accounts.models import Role
    from welfare.todo import todo_items as items

    other = UserFactory(role=Role.HQ, handles_welfare=True)
    own = review(file_case(welfare_hq, org.members["A1"][1]), workshop_a)
    with translation.override("en"):
        assert not any(label == "Welfare cases to approve" for label, _, _ in items(welfare_hq))
        own = approve(own, other)
        end_notice(own)
        assert ("Welfare cases to put into a payment batch", 1) in [
            (label, n) for label, n, _ in items(welfare_hq)
        ]


class TestWhatHappensNext:
    """After each step the message says what was done, what happens next and who acts."""

    def step(self, client, case, name, **data):
        case.refresh_from_db()
        response = client.post(
            f"/welfare/cases/{case.pk}/step/{name}/",
            {"version": case.version, **data},
            follow=True,
        )
        return " ".join(str(m) for m in response.context["messages"])

    def test_each_step_names_the_next(self, org, case, login, workshop_a, welfare_hq):
        papers_on_file(case, workshop_a)
        said = self.step(login(workshop_a), case, "workshop_review", amount="6000")
        assert said == f"案件 {case.number} 已经车间工会审核。现在等待公司工会审批。"
        page = login(welfare_hq).get(f"/welfare/cases/{case.pk}/").content.decode()
        assert "下一步：</strong> 现在等待公司工会审批。" in page
        client = login(welfare_hq)
        client.cookies["django_language"] = "en"
        said = self.step(
            client, case, "approve", amount_approved="5000", fund=fund("mutual_aid").pk
        )
        assert said.startswith(f"Case {case.number} is approved. ¥5,000.00 is approved;")
        assert "put it into a payment batch" in said and "The notice runs until" in said

    def test_a_rejection_says_the_case_is_closed(self, case, login, workshop_a):
        said = self.step(
            login(workshop_a), case, "workshop_review", reject="1", comment="不符合条件"
        )
        assert said == f"案件 {case.number} 已驳回。案件已结束，驳回理由已记入案件。"
