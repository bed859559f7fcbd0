"""公示 before payment, objections, and payment through the funds app's batches: the
notice blocks payment until it has ended with no open objection; an upheld objection
rejects the case; a closed batch marks its cases paid; a line taken out puts its case
back; a fund that cannot pay refuses with its balance."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from funds import services as funds
from funds.models import PaymentBatch
from tests.factories import UserFactory, member_user, today
from tests.welfare.helpers import approve, budget, end_notice, fund, pay, review
from welfare import services
from welfare.models import AccessLog, CaseEvent, CaseStatus, CaseType, Publicity, WelfareCase
from welfare.services import payments, publicity

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def approved(org, leader_a1, workshop_a, welfare_hq, file_case):
    """A 大病 case of ¥8,000 applied 10 days ago, approved today from 互助金: posted for
    the type's 5 days."""
    case = file_case(leader_a1, org.members["A1"][0], applied_on=today() - timedelta(days=10))
    return approve(review(case, workshop_a), welfare_hq)


def put(case, by, **extra):
    case.refresh_from_db()
    return payments.cases_put_in_batch(
        by=by, cases=[case], fund=case.fund, method="bank", title="大病互助发放", **extra
    )


def test_approval_posts_the_case_for_the_types_days(approved):
    notice = Publicity.objects.get(case=approved)
    assert (notice.starts_on, notice.ends_on) == (today(), today() + timedelta(days=4))


def test_payment_waits_for_the_notice_to_end(approved, welfare_hq):
    budget(welfare_hq)
    with pytest.raises(ValidationError) as error:
        put(approved, welfare_hq)
    (message,) = error.value.messages
    assert message.startswith(f"Case {approved.number}: The notice runs until ")
    assert not PaymentBatch.objects.filter(lines__isnull=False).exists()
    assert not payments.clear_to_pay(WelfareCase.objects.all()).exists()
    end_notice(approved)
    assert list(payments.clear_to_pay(WelfareCase.objects.all())) == [approved]


def test_an_open_objection_blocks_payment_until_answered(approved, welfare_hq, workshop_a):
    budget(welfare_hq)
    objection = publicity.objection_record(
        case=approved, by=welfare_hq, received_on=today(), content="其配偶另有收入", raised_by=""
    )
    end_notice(approved)
    with pytest.raises(ValidationError) as error:
        put(approved, welfare_hq)
    assert error.value.messages == [
        f"Case {approved.number}: An objection to the notice waits for its answer."
    ]
    approved.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        publicity.objection_answer(
            objection=objection, by=welfare_hq, version=approved.version, answer="", upheld=False
        )
    assert error.value.message_dict == {"answer": ["Write the answer."]}
    publicity.objection_answer(
        objection=objection,
        by=welfare_hq,
        version=approved.version,
        answer="经核实，配偶收入已计入家庭收入，符合条件。",
        upheld=False,
    )
    batch = put(approved, welfare_hq)
    assert batch.lines.get().amount == Decimal("8000.00")


def test_an_upheld_objection_rejects_the_case(approved, welfare_hq, workshop_a):
    objection = publicity.objection_record(
        case=approved, by=welfare_hq, received_on=today(), content="其家庭另有住房出租收入"
    )
    approved.refresh_from_db()
    publicity.objection_answer(
        objection=objection,
        by=welfare_hq,
        version=approved.version,
        answer="经核实情况属实，不符合条件。",
        upheld=True,
    )
    approved.refresh_from_db()
    assert approved.status == CaseStatus.REJECTED
    assert (
        approved.rejected_reason == "Objection to the notice upheld: 经核实情况属实，不符合条件。"
    )
    assert not Publicity.objects.current(today()).exists()  # off the notice board


def test_objections_are_for_hq_welfare_staff_only(approved, workshop_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        publicity.objection_record(
            case=approved, by=workshop_a, received_on=today(), content="异议"
        )


def test_the_notice_board_shows_name_workshop_type_and_amount_only(org, approved, login, leader_a1):
    member_login = member_user(org.members["B1"][0])
    for user in (member_login, leader_a1):
        response = login(user).get(reverse("welfare:publicity"))
        assert response.status_code == 200
        page = response.content.decode()
        assert approved.member.name in page and "职工大病互助" in page and "¥8,000.00" in page
        assert org.a.name in page
        for secret in ("住院手术", "配偶无业", "冠心病", approved.number):
            assert secret not in page
        assert "no-store" in response["Cache-Control"]
    printed = login(member_login).get(reverse("welfare:publicity"), {"print": "1"})
    assert approved.member.name in printed.content.decode()
    end_notice(approved)
    page = login(member_login).get(reverse("welfare:publicity")).content.decode()
    assert approved.member.name not in page  # the notice has ended


def test_the_notice_board_runs_a_fixed_number_of_queries(
    org, leader_a1, workshop_a, welfare_hq, file_case, login
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(leader_a1)

    def count():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("welfare:publicity")).content.decode()
        return len(captured.captured_queries), page.count("¥8,000.00")

    approve(review(file_case(leader_a1, org.members["A1"][0]), workshop_a), welfare_hq)
    few = count()
    filer = UserFactory(role=Role.HQ, handles_welfare=True)
    for member in org.members["A1"][1:] + org.members["A2"]:
        approve(review(file_case(filer, member), workshop_a), welfare_hq)
    # session, user, roles (3, a leader's), the notices with their cases, members,
    # workshops and types in one.
    assert (few, count()) == ((NOTICE_QUERIES, 1), (NOTICE_QUERIES, 6))


NOTICE_QUERIES = 6


# Batches ----------------------------------------------------------------------------------


def test_a_closed_batch_marks_its_cases_paid(
    approved, welfare_hq, org, leader_a1, workshop_a, file_case
):
    other = approve(
        review(file_case(leader_a1, org.members["A1"][1], amount="6000"), workshop_a),
        welfare_hq,
        amount="6000",
    )
    for case in (approved, other):
        end_notice(case)
    budget(welfare_hq)
    batch = payments.cases_put_in_batch(
        by=welfare_hq, cases=[approved, other], fund=fund(), method="bank", title="大病互助第1批"
    )
    assert sorted(batch.lines.values_list("reference", "amount", "kind", "category")) == sorted(
        [
            (approved.number, Decimal("8000.00"), "case", "职工大病互助"),
            (other.number, Decimal("6000.00"), "case", "职工大病互助"),
        ]
    )
    approved.refresh_from_db()
    assert approved.status == CaseStatus.APPROVED and approved.payment_line.batch == batch
    batch.refresh_from_db()
    funds.batch_close_by_transfer(
        by=welfare_hq, batch=batch, version=batch.version, paid_on=today(), bank_reference="B1"
    )
    approved.refresh_from_db()
    assert (approved.status, approved.amount_paid, approved.paid_on, approved.days_to_payment) == (
        CaseStatus.PAID,
        Decimal("8000.00"),
        today(),
        10,
    )
    assert approved.voucher_no == batch.number
    assert [e.step for e in approved.events.all()][-2:] == ["batched", "paid"]
    assert AccessLog.objects.filter(target=approved.number, summary="Paid").exists()


def test_a_case_is_in_one_batch_only(approved, welfare_hq):
    end_notice(approved)
    budget(welfare_hq)
    put(approved, welfare_hq)
    with pytest.raises(ValidationError) as error:
        put(approved, welfare_hq)
    assert error.value.messages == [f"Case {approved.number}: it is already in a payment batch"]


def test_a_line_taken_out_puts_the_case_back(approved, welfare_hq):
    end_notice(approved)
    budget(welfare_hq)
    batch = put(approved, welfare_hq)
    funds.batch_remove_line(by=welfare_hq, line=batch.lines.get())
    approved.refresh_from_db()
    assert (approved.status, approved.payment_line) == (CaseStatus.APPROVED, None)
    assert approved.events.last().step == CaseEvent.Step.UNBATCHED
    assert list(payments.clear_to_pay(WelfareCase.objects.all())) == [approved]


def test_a_fund_that_cannot_pay_refuses_with_its_balance(approved, welfare_hq):
    end_notice(approved)
    budget(welfare_hq, amount="5000")
    with pytest.raises(ValidationError) as error:
        put(approved, welfare_hq)
    assert error.value.messages == [
        f"Case {approved.number}: 互助金 has a balance of ¥5,000.00 for {today().year}, not "
        "enough to pay ¥8,000.00."
    ]
    assert not WelfareCase.objects.filter(payment_line__isnull=False).exists()


def test_a_batch_pays_from_the_fund_the_case_was_approved_from(approved, welfare_hq):
    end_notice(approved)
    other_fund = fund("union_funds")
    with pytest.raises(ValidationError) as error:
        payments.cases_put_in_batch(
            by=welfare_hq, cases=[approved], fund=other_fund, method="bank", title="x"
        )
    assert error.value.messages == [
        "A batch pays from one fund: choose cases approved from that fund."
    ]


def test_the_case_list_puts_cases_into_a_batch_and_shows_the_refusal(
    approved, welfare_hq, login_en
):
    client = login_en(welfare_hq)
    end_notice(approved)
    budget(welfare_hq, amount="1000")
    page = client.get(reverse("welfare:case_list")).content.decode()
    assert f'id="pay-{approved.pk}"' in page
    response = client.post(
        reverse("welfare:case_batch"),
        {"cases": [approved.pk], "method": "bank", "title": "第1批"},
        follow=True,
    )
    said = " ".join(str(m) for m in response.context["messages"])
    assert "互助金 has a balance of ¥1,000.00" in said and "not enough to pay ¥8,000.00" in said
    budget(welfare_hq, amount="100000")
    response = client.post(
        reverse("welfare:case_batch"), {"cases": [approved.pk], "method": "bank", "title": "第1批"}
    )
    batch = PaymentBatch.objects.get()
    assert response["Location"] == reverse("funds:batch_detail", args=[batch.pk])
    page = client.get(reverse("welfare:case_detail", args=[approved.pk])).content.decode()
    assert reverse("funds:batch_detail", args=[batch.pk]) in page and batch.number in page


def test_paid_helper_pays_through_a_batch(approved, welfare_hq):
    case = pay(approved, welfare_hq)
    assert case.status == CaseStatus.PAID and case.payment_line.batch.status == "closed"


def test_the_summary_by_type_adds_up_to_the_total_paid(
    org, leader_a1, workshop_a, welfare_hq, file_case
):
    """Both count the money paid in the span, by the day it was paid: a case applied for
    last December and paid this year is in this year's total and in its type's sum."""
    from welfare.selectors import welfare_year

    year = today().year
    late = file_case(leader_a1, org.members["A1"][0], applied_on=date(year - 1, 12, 20))
    pay(approve(review(late, workshop_a), welfare_hq, amount="7000"), welfare_hq)
    relief = services.case_create(
        by=leader_a1,
        member=org.members["A1"][1],
        case_type=CaseType.objects.get(code="relief"),
        reason="房屋受灾",
        amount_requested="1500",
    )
    pay(
        approve(review(relief, workshop_a), welfare_hq, amount="1500", fund_code="union_funds"),
        welfare_hq,
    )
    figures = welfare_year(user=welfare_hq, start=date(year, 1, 1), end=today())
    assert figures.paid_total == Decimal("8500.00")
    assert figures.cases_by_type == [
        ("职工大病互助", 1, Decimal("7000.00")),
        ("困难救济", 1, Decimal("1500.00")),
    ]
    assert sum(paid for _name, _n, paid in figures.cases_by_type) == figures.paid_total


def test_reading_a_batch_and_changing_a_bank_account_are_in_the_access_log(
    approved, welfare_hq, login
):
    """The funds pages hold welfare details (names, amounts, accounts): the welfare access
    log records each read and change, through the funds app's signal."""
    batch = pay(approved, welfare_hq).payment_line.batch
    client = login(welfare_hq)
    before = AccessLog.objects.count()
    assert client.get(reverse("funds:batch_detail", args=[batch.pk])).status_code == 200
    assert client.get(reverse("funds:batch_sheet", args=[batch.pk])).status_code == 200
    assert AccessLog.objects.count() == before + 2
    funds.account_save(
        by=welfare_hq,
        member=approved.member,
        account_name=approved.member.name,
        account_no="6222020200001234567",
        bank="工商银行",
    )
    line = AccessLog.objects.order_by("-pk").first()
    assert (line.user, line.member, line.action) == (welfare_hq, approved.member, "create")
