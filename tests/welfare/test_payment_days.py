"""How fast the union pays is the union's own figure: on HQ's and the workshop unions'
dashboards, never in a group's rubric."""

from datetime import timedelta

import pytest

from scoring.forms import IndicatorAdminForm
from scoring.models import Indicator
from tests.factories import today
from welfare.models import CaseStatus, WelfareCase
from welfare.selectors import welfare_year


def paid_after(case, days):
    paid_on = today()
    WelfareCase.objects.filter(pk=case.pk).update(
        status=CaseStatus.PAID,
        applied_on=paid_on - timedelta(days=days),
        paid_on=paid_on,
        amount_approved=case.amount_requested,
        amount_paid=case.amount_requested,
        days_to_payment=days,
    )


@pytest.fixture
def paid(org, welfare_hq, file_case):
    """Paid after 4 and 10 days in workshop union A, after 30 days in B."""
    for member, days in (
        (org.members["A1"][0], 4),
        (org.members["A2"][0], 10),
        (org.members["B1"][0], 30),
    ):
        paid_after(file_case(welfare_hq, member), days)


def test_the_median_days_to_payment_per_workshop_union_and_in_all(
    org, welfare_hq, plain_hq, paid, login
):
    start, end = today().replace(month=1, day=1), today()
    figures = welfare_year(user=welfare_hq, start=start, end=end)
    assert figures.payment_days == 10  # the middle of 4, 10, 30
    assert figures.payment_days_per_workshop == {org.a.pk: 7, org.b.pk: 30}
    assert welfare_year(user=plain_hq, start=start, end=end).payment_days is None
    page = login(welfare_hq).get("/").content.decode()
    assert "发放用时中位数 10 天" in page


def test_the_payment_time_is_no_longer_a_group_indicator(db):
    retired = Indicator.objects.get(code="payment_days")
    assert retired.is_active is False
    data = {
        "criterion": retired.criterion_id,
        "code": retired.code,
        "name": retired.name,
        "kind": "computed",
        "metric": "welfare.median_days_to_payment",
        "share": "1",
        "rule": "linear_down",
        "target": "15",
        "limit": "60",
        "when_missing": "full",
        "sort_order": "0",
        "is_active": "on",
    }
    form = IndicatorAdminForm(data=data, instance=retired)
    assert not form.is_valid() and "metric" in form.errors
