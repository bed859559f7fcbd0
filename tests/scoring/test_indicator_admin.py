"""HQ edits an indicator's steps as rows of two numbers, never as JSON."""

from decimal import Decimal

from django.utils import translation

from scoring.forms import IndicatorAdminForm
from scoring.models import Criterion, Indicator, RubricVersion


def form_data(criterion, **rows):
    data = {
        "criterion": criterion.pk,
        "code": "monthly",
        "name": "月均活动",
        "kind": "computed",
        "metric": "activities.per_month",
        "share": "1",
        "rule": "steps",
        "when_missing": "zero",
        "sort_order": "0",
        "is_active": "on",
    }
    data.update(rows)
    return data


def test_steps_are_rows_of_value_and_share(db):
    criterion = Criterion.objects.first()
    form = IndicatorAdminForm(
        data=form_data(
            criterion,
            steps_0="1",
            steps_1="30",
            steps_2="4",
            steps_3="100",
            steps_4="2.5",
            steps_5="60",
        )
    )
    assert form.is_valid(), form.errors
    indicator = form.save()
    assert indicator.steps == [[4, 1], [2.5, 0.6], [1, 0.3]]
    # Shown again as the rows HQ typed, highest first, shares in per cent.
    html = str(IndicatorAdminForm(instance=Indicator.objects.get(pk=indicator.pk))["steps"])
    assert 'value="4"' in html and 'value="100"' in html and 'value="60"' in html
    assert Decimal(str(indicator.steps[1][1])) == Decimal("0.6")


def test_a_half_filled_row_or_no_row_is_refused_by_the_field(db):
    criterion = Criterion.objects.first()
    with translation.override("zh-hans"):
        half = IndicatorAdminForm(data=form_data(criterion, steps_0="3"))
        assert not half.is_valid()
        assert half.errors["steps"] == ["第 1 行：请同时填写数值和所得分数比例。"]
        empty = IndicatorAdminForm(data=form_data(criterion))
        assert not empty.is_valid()
        assert empty.errors["steps"] == ["请至少填写一档。"]


def test_the_criteria_page_says_what_the_weights_add_up_to(db, login):
    """The seven default criteria add up to 100; raising one by 10 makes 110, and HQ is
    told so on the page where the weights are edited."""
    from accounts.models import Role
    from accounts.services import hq_group_sync_permissions, user_create

    hq_group_sync_permissions()
    client = login(
        user_create(username="hq_admin", name="刘芳", password="x-Long-pass-1", role=Role.HQ)
    )
    rubric = RubricVersion.objects.get()
    url = f"/admin/scoring/rubricversion/{rubric.pk}/change/"
    page = client.get(url).content.decode()
    assert "2026年度考核细则在用的考核条件合计 100 分。" in page
    first = Criterion.objects.filter(is_active=True).first()
    Criterion.objects.filter(pk=first.pk).update(weight=first.weight + 10)
    page = client.get(url).content.decode()
    assert "在用的考核条件合计 110 分，不是 100 分" in page
