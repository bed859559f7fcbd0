"""Measures HQ composes from the records the apps offer (scoring/measures.py), worked out
by hand on the small organisation: A1 has three members in the union."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ActivityKind, ContentArea
from scoring import measures, services
from scoring.forms import MeasureAdminForm
from scoring.models import GroupResult, Indicator, Measure, MeasureKind, MeasurePer
from tests.factories import ActivityFactory, MemberFactory, UnionGroupFactory, accepted_home, area
from unionhome import metrics

Q1 = {"start": date(2026, 1, 1), "end": date(2026, 3, 31)}


def held(group, by, day, code="political_study", participants=()):
    return ActivityFactory(
        group=group, area=area(code), held_on=day, recorded_by=by, participants=list(participants)
    )


@pytest.fixture
def records(org, hq):
    """A1 in the first quarter: four 政治学习 activities and two 技能, its first two members
    taking part in the first, a member of A2 too."""
    a1_members = list(org.A1.members.all())
    a2_member = org.A2.members.first()
    first = held(org.A1, hq, date(2026, 1, 10), participants=[*a1_members[:2], a2_member])
    for day in (date(2026, 1, 20), date(2026, 2, 5), date(2026, 3, 1)):
        held(org.A1, hq, day)
    held(org.A1, hq, date(2026, 2, 10), "skills")
    held(org.A1, hq, date(2026, 3, 10), "skills")
    return first


def measure(**fields):
    values = {"code": "m", "name": "测试", "source": "activities.activity"} | fields
    return Measure.objects.create(**values)


def test_political_study_per_member(org, records):
    """4 political study activities ÷ 3 members = 1.3333; A2 has none: 0."""
    politics = measure(
        kind=MeasureKind.COUNT,
        option=f"area:{ContentArea.objects.get(code='political_study').pk}",
        per=MeasurePer.PER_MEMBER,
    )
    values = measures.evaluate(politics, group_ids=[org.A1.pk, org.A2.pk], **Q1)
    assert values == {org.A1.pk: 1.3333, org.A2.pk: 0.0}
    assert metrics.values("measure.m", group_ids=[org.A1.pk], **Q1) == {org.A1.pk: 1.3333}


def test_all_activities_per_month_and_in_all(org, records):
    """Six activities over the three months: 2 a month, 6 in all."""
    per_month = measure(kind=MeasureKind.COUNT, per=MeasurePer.PER_MONTH)
    assert measures.evaluate(per_month, group_ids=[org.A1.pk], **Q1) == {org.A1.pk: 2.0}
    per_month.per = MeasurePer.TOTAL
    assert measures.evaluate(per_month, group_ids=[org.A1.pk], **Q1) == {org.A1.pk: 6}


def test_share_of_members_who_took_part(org, records):
    """Two of A1's three members took part (A2's member does not count for A1): 0.6667."""
    share = measure(kind=MeasureKind.SHARE)
    assert measures.evaluate(share, group_ids=[org.A1.pk], **Q1) == {org.A1.pk: 0.6667}


def test_days_from_holding_to_recording_the_middle_value(org, hq):
    """Recorded 3, 7 and 11 days after: the middle value is 7."""
    for held_on, late in ((date(2026, 1, 10), 3), (date(2026, 2, 1), 7), (date(2026, 3, 1), 11)):
        activity = held(org.A1, hq, held_on)
        recorded = timezone.make_aware(datetime.combine(held_on, datetime.min.time()))
        Activity.objects.filter(pk=activity.pk).update(
            recorded_at=recorded + timezone.timedelta(days=late, hours=10)
        )
    days = measure(kind=MeasureKind.DAYS, span="held_to_recorded")
    assert measures.evaluate(days, group_ids=[org.A1.pk, org.A2.pk], **Q1) == {org.A1.pk: 7}


def test_an_indicator_scores_on_a_measure(org, scheme, period, hq, records):
    """a1 (max 20, linear to 2) on 政治学习 per member: 1.3333 ÷ 2 → 13.33 points."""
    measure(
        code="politics",
        kind=MeasureKind.COUNT,
        option=f"area:{ContentArea.objects.get(code='political_study').pk}",
        per=MeasurePer.PER_MEMBER,
    )
    Indicator.objects.filter(pk=scheme["a1"].pk).update(metric="measure.politics")
    accepted_home(org.A1)
    run = services.score_compute(period=period, by=hq)
    a1 = GroupResult.objects.get(run=run, group=org.A1)
    line = a1.breakdown["criteria"][0]["indicators"][0]
    assert (line["value"], line["points"]) == ("1.3333", "13.33")
    shown = next(i for c in run.scheme for i in c["indicators"] if i["code"] == "a1")
    assert shown["unit"] == "per_member"
    assert "政治学习" in shown["definition"]


def test_a_measure_a_frozen_rubric_uses_is_not_changed(org, scheme, period, hq):
    used = measure(code="used", kind=MeasureKind.COUNT, per=MeasurePer.TOTAL)
    Indicator.objects.filter(pk=scheme["a1"].pk).update(metric="measure.used")
    used.full_clean()  # the rubric is still a draft
    services.score_compute(period=period, by=hq)  # freezes it
    used.per = MeasurePer.PER_MEMBER
    with pytest.raises(ValidationError, match="已冻结的考核细则在使用此指标数据"):
        used.full_clean()


def test_the_form_refuses_choices_that_do_not_fit_the_records(db):
    kind = ActivityKind.objects.first()
    base = {"name": "测", "code": "x", "per": "total", "definition": ""}
    form = MeasureAdminForm({**base, "kind": "share", "source": "welfare.care_visit"})
    assert "kind" in form.errors
    form = MeasureAdminForm({**base, "kind": "days", "source": "welfare.care_visit"})
    assert "span" in form.errors
    form = MeasureAdminForm(
        {**base, "kind": "count", "source": "activities.report", "option": f"kind:{kind.pk}"}
    )
    assert "option" in form.errors
    assert MeasureAdminForm(
        {**base, "kind": "count", "source": "activities.activity", "option": f"kind:{kind.pk}"}
    ).is_valid()


def test_hq_previews_a_measure_before_saving_it(org, records, hq, login):
    url = reverse("scoring:measure_preview")
    query = {"kind": "share", "source": "activities.activity", "per": "total", "code": "x"}
    page = login(hq).get(url, query).content.decode()
    assert org.A1.name in page
    assert not Measure.objects.exists()
    broken = login(hq).get(url, {**query, "source": "welfare.care_visit"}).content.decode()
    assert "这类记录没有参与人" in broken and org.A1.name not in broken


def test_a_measure_takes_the_same_queries_for_few_and_many_groups(org, records):
    share = measure(kind=MeasureKind.SHARE)

    def queries(group_ids):
        with CaptureQueriesContext(connection) as captured:
            metrics.values("measure.m", group_ids=group_ids, **Q1)
        return len(captured)

    few = queries([org.A1.pk])
    more = [UnionGroupFactory(workshop=org.a) for _ in range(5)]
    for group in more:
        MemberFactory.create_batch(2, group=group)
    assert queries([org.A1.pk] + [g.pk for g in more]) == few
    assert share.metric_name == "measure.m"


def test_the_share_of_members_needs_members(org, hq):
    empty = UnionGroupFactory(workshop=org.a)
    share = measure(kind=MeasureKind.SHARE)
    assert measures.evaluate(share, group_ids=[empty.pk], **Q1) == {}
