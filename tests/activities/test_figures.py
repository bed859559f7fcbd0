"""The monthly figures, checked against an example worked out by hand."""

from datetime import date

import pytest
from django.utils import timezone

from activities.models import ActivityKind, ContentArea
from activities.selectors import compile_figures, month_figures
from groups.models import GroupMembership
from tests.factories import ActivityFactory, MemberFactory, area


@pytest.fixture
def february(org, hq):
    """Group A1 in February 2026.

    Members: m1, m2, m3 (since 2020), m4 (joined 20 Feb), m5 (left the group 10 Feb).
    Activities: 3 Feb 政治学习 (m1, m5, 2 guests); 15 Feb 岗位成才 (m1, m2 and x of B1);
    25 Feb 政治学习 (m4); plus one on 1 March and one deleted, which do not count.
    """
    m1, m2, m3 = org.members["A1"]
    m4 = MemberFactory(group=org.A1, membership=date(2026, 2, 20))
    m5 = MemberFactory(group=org.A1)
    GroupMembership.objects.filter(member=m5).update(ended_on=date(2026, 2, 10))
    x = org.members["B1"][0]
    ActivityFactory(
        group=org.A1,
        held_on=date(2026, 2, 3),
        participants=[m1, m5],
        guests_count=2,
        recorded_by=hq,
    )
    ActivityFactory(
        group=org.A1,
        held_on=date(2026, 2, 15),
        area=area("skills"),
        participants=[m1, m2, x],
        recorded_by=hq,
    )
    ActivityFactory(group=org.A1, held_on=date(2026, 2, 25), participants=[m4], recorded_by=hq)
    ActivityFactory(group=org.A1, held_on=date(2026, 3, 1), participants=[m3], recorded_by=hq)
    ActivityFactory(
        group=org.A1,
        held_on=date(2026, 2, 20),
        participants=[m3],
        recorded_by=hq,
        deleted_at=timezone.now(),
    )
    return org


def test_month_figures_match_the_hand_count(february):
    figures = month_figures(group_ids=[february.A1.pk], month=date(2026, 2, 1))[february.A1.pk]
    assert figures["activities"] == 3
    per_area = {a["code"]: a["count"] for a in figures["areas"]}
    assert per_area == {
        "political_study": 2,
        "skills": 1,
        "warm_service": 0,
        "mutual_help": 0,
        "care_talks": 0,
        "recreation": 0,
    }
    assert figures["areas_covered"] == 2
    # Everybody who took part: m1, m5, m2, x, m4.
    assert figures["participants"] == 5
    # Members on 28 Feb: m1, m2, m3, m4 (m5 left on the 10th).
    assert figures["members"] == 4
    assert figures["counted_on"] == "2026-02-28"
    # Of those, m1, m2 and m4 took part: 3 / 4.
    assert figures["own_participants"] == 3
    assert figures["participation_rate"] == 0.75
    assert figures["guests"] == 2


def test_groups_without_records_have_zero_activities_and_no_rate_without_members(org):
    empty = org.B2
    GroupMembership.objects.filter(group=empty).delete()
    figures = compile_figures(
        group_ids=[empty.pk, org.B1.pk],
        start=date(2026, 2, 1),
        end=date(2026, 2, 28),
        day=date(2026, 2, 28),
    )
    assert figures[empty.pk]["activities"] == 0
    assert figures[empty.pk]["participation_rate"] is None
    assert figures[org.B1.pk]["participation_rate"] == 0


def test_figures_for_many_groups_take_a_fixed_number_of_queries(
    february, django_assert_num_queries
):
    # activities per area, areas, participants, members on the day, care visits (welfare)
    with django_assert_num_queries(5) as captured:
        month_figures(group_ids=[february.A1.pk], month=date(2026, 2, 1))
    few = len(captured)
    ids = [g.pk for g in february.groups.values()]
    with django_assert_num_queries(few):
        month_figures(group_ids=ids, month=date(2026, 2, 1))


class TestAreasAndKinds:
    def test_the_six_areas_exist_after_migrate_in_order_with_descriptions(self, db):
        areas = list(ContentArea.objects.all())
        assert [a.name for a in areas] == [
            "政治学习",
            "岗位成才",
            "温馨服务「三个一，两常备」",
            "互帮互助「六互」",
            "谈心慰问",
            "文体活动",
        ]
        assert all(a.description and a.is_active for a in areas)
        assert "一杯热茶" in areas[2].description

    def test_the_other_record_kinds_exist_as_data(self, db):
        names = set(ActivityKind.objects.values_list("name", flat=True))
        assert {
            "小组会议",
            "职代会/民主管理",
            "班务公开",
            "合理化建议",
            "QC活动",
            "技术比武",
            "劳动竞赛",
            "安全教育",
        } <= names
        assert set(
            ActivityKind.objects.filter(counts_as_democratic=True).values_list("code", flat=True)
        ) == {"group_meeting", "democratic_management", "affairs_disclosure"}

    def test_a_retired_area_keeps_its_records_and_shows_in_old_figures(self, february):
        study = area("political_study")
        study.is_active = False
        study.save()
        figures = month_figures(group_ids=[february.A1.pk], month=date(2026, 2, 1))
        assert {a["code"] for a in figures[february.A1.pk]["areas"]} == {
            "political_study",
            "skills",
            "warm_service",
            "mutual_help",
            "care_talks",
            "recreation",
        }
        assert study.activities.count() == 4  # including the deleted one, kept for the audit
        empty = month_figures(group_ids=[february.B1.pk], month=date(2026, 2, 1))
        assert "political_study" not in {a["code"] for a in empty[february.B1.pk]["areas"]}
