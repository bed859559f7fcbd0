"""Activities above the group: a workshop union's or HQ's activity with participants from
many groups counts once in each group that took part, shows in their calendars, and is
changed by its host alone."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import ngettext

from accounts.scoping import CHANGE, VIEW, allows
from activities import services
from activities.models import Activity, ActivityGroup, ActivityLevel
from activities.selectors import group_activities, month_figures
from groups.models import GroupMembership
from tests.factories import ActivityFactory, MemberFactory, UnionGroupFactory, area, leader_user
from tests.factories import workshop_user as make_workshop_user
from unionhome import metrics

MARCH = date(2026, 3, 1)
HELD = date(2026, 3, 12)


def _above(by, *, level, participants, host=None, title="小组长会议", **extra):
    return services.activity_create(
        by=by,
        level=level,
        host_workshop=host,
        area=area("skills"),
        title=title,
        held_on=HELD,
        participants=participants,
        **extra,
    )


@pytest.fixture
def meeting(org, workshop_a):
    """Workshop union A's 小组长会议: two members of A1, one of A2 (none of B1, B2)."""
    a1, a2 = org.members["A1"], org.members["A2"]
    return _above(
        workshop_a,
        level=ActivityLevel.WORKSHOP,
        host=org.a,
        participants=[a1[0], a1[1], a2[0]],
    )


@pytest.fixture
def contest(org, hq):
    """HQ's 安康杯 competition with members of A1 and B1."""
    return _above(
        hq,
        level=ActivityLevel.HQ,
        participants=[org.members["A1"][2], org.members["B1"][0]],
        title="安康杯知识竞赛",
    )


class TestCounting:
    def test_counted_once_in_each_group_that_took_part(self, org, meeting):
        figures = month_figures(group_ids=[g.pk for g in org.groups.values()], month=MARCH)
        # Two members of A1 took part: the activity counts once for A1.
        assert figures[org.A1.pk]["activities"] == 1
        assert figures[org.A2.pk]["activities"] == 1
        assert figures[org.B1.pk]["activities"] == 0
        # Each group's participants are its own members who took part.
        assert figures[org.A1.pk]["own_participants"] == 2
        assert figures[org.A1.pk]["participants"] == 2
        assert figures[org.A2.pk]["participants"] == 1
        assert figures[org.A1.pk]["participation_rate"] == round(2 / 3, 4)
        per_area = {a["code"]: a["count"] for a in figures[org.A1.pk]["areas"]}
        assert per_area["skills"] == 1

    def test_the_groups_taking_part_are_kept_once_each(self, org, meeting):
        assert sorted(ActivityGroup.objects.values_list("group_id", flat=True)) == sorted(
            [org.A1.pk, org.A2.pk]
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            ActivityGroup.objects.create(activity=meeting, group=org.A1)

    def test_a_member_who_moved_counts_for_the_group_of_the_day(self, org, meeting, hq):
        # A2's member moves to B1 after the meeting: the meeting, and their taking part,
        # stay with A2 (the group on the day), also when the activity is saved again.
        mover = org.members["A2"][0]
        GroupMembership.objects.filter(member=mover).update(started_on=date(2020, 1, 1))
        from groups.services import member_move

        member_move(member=mover, to_group=org.B1, moved_on=date(2026, 4, 2), by=hq)
        services.activity_update(
            activity=meeting,
            by=hq,
            area=meeting.area,
            title=meeting.title,
            held_on=HELD,
            participants=[org.members["A1"][0], mover],
        )
        assert set(meeting.group_links.values_list("group_id", flat=True)) == {
            org.A1.pk,
            org.A2.pk,
        }
        figures = month_figures(group_ids=[g.pk for g in org.groups.values()], month=MARCH)
        assert figures[org.A2.pk]["activities"] == 1
        assert figures[org.A2.pk]["participants"] == 1
        assert figures[org.B1.pk]["activities"] == 0
        assert figures[org.B1.pk]["participants"] == 0

    def test_a_members_participation_counts_once_per_activity(self, org, meeting, hq):
        # The same member in a group activity and the meeting: two activities, one member.
        m = org.members["A1"][0]
        ActivityFactory(group=org.A1, held_on=HELD, participants=[m], recorded_by=hq)
        figures = month_figures(group_ids=[org.A1.pk], month=MARCH)[org.A1.pk]
        assert figures["activities"] == 2
        assert figures["own_participants"] == 2

    def test_the_metrics_count_it_for_each_group_once(self, org, meeting, contest):
        ids = [g.pk for g in org.groups.values()]
        start, end = MARCH, date(2026, 3, 31)
        count = metrics.source("activities.activity").count(group_ids=ids, start=start, end=end)
        assert count.get(org.A1.pk) == 2  # the meeting and the contest
        assert count.get(org.A2.pk) == 1
        assert count.get(org.B1.pk) == 1
        assert count.get(org.B2.pk, 0) == 0
        takers = metrics.source("activities.activity").participants(
            group_ids=ids, start=start, end=end
        )
        assert takers[org.A1.pk] == 3
        assert takers[org.B1.pk] == 1

    def test_deleting_it_takes_it_out_of_every_group(self, org, meeting, workshop_a):
        services.activity_delete(activity=meeting, by=workshop_a)
        figures = month_figures(group_ids=[org.A1.pk, org.A2.pk], month=MARCH)
        assert figures[org.A1.pk]["activities"] == 0
        assert figures[org.A2.pk]["activities"] == 0

    def test_editing_the_participants_moves_the_groups(self, org, meeting, workshop_a):
        services.activity_update(
            activity=meeting,
            by=workshop_a,
            area=meeting.area,
            title=meeting.title,
            held_on=meeting.held_on,
            participants=[org.members["A2"][1]],
        )
        assert list(ActivityGroup.objects.values_list("group_id", flat=True)) == [org.A2.pk]


class TestGroupActivities:
    def test_the_groups_own_and_the_ones_it_took_part_in(self, org, meeting, contest, hq):
        own = ActivityFactory(group=org.A1, held_on=HELD, recorded_by=hq)
        ActivityFactory(group=org.B2, held_on=HELD, recorded_by=hq)
        found = list(group_activities([org.A1.pk], MARCH, date(2026, 3, 31)))
        assert set(found) == {own, meeting, contest}
        b2 = group_activities([org.B2.pk], MARCH, date(2026, 3, 31))
        assert [a.group for a in b2] == [org.B2]
        # Two groups that both took part: each activity once.
        both = list(group_activities([org.A1.pk, org.A2.pk], MARCH, date(2026, 3, 31)))
        assert len(both) == len(set(both)) == 3

    def test_shows_in_each_participating_groups_calendar_only(self, org, meeting, hq, login):
        client = login(hq)
        for group, shown in [(org.A1, True), (org.A2, True), (org.B1, False)]:
            page = client.get(
                reverse("activities:calendar", args=[group.pk]), {"month": "2026-03"}
            ).content.decode()
            assert ("小组长会议" in page) is shown, group.name


class TestScope:
    def test_who_reads_it(self, org, meeting, contest):
        leader_a2, leader_b2 = leader_user(org.A2), leader_user(org.B2)
        workshop_b = make_workshop_user(org.b)
        assert Activity.objects.restrict(leader_a2, VIEW).filter(pk=meeting.pk).exists()
        assert not Activity.objects.restrict(leader_b2, VIEW).filter(pk=meeting.pk).exists()
        assert not Activity.objects.restrict(workshop_b, VIEW).filter(pk=meeting.pk).exists()
        # B1 took part in the contest: its workshop union reads it, B2's leader does not.
        assert Activity.objects.restrict(workshop_b, VIEW).filter(pk=contest.pk).exists()
        assert not Activity.objects.restrict(leader_b2, VIEW).filter(pk=contest.pk).exists()
        assert allows(leader_a2, VIEW, meeting)
        assert not allows(leader_b2, VIEW, meeting)

    def test_only_the_host_changes_it(self, org, meeting, contest, workshop_a, hq):
        leader_a1 = leader_user(org.A1)
        workshop_b = make_workshop_user(org.b)
        assert allows(workshop_a, CHANGE, meeting)
        assert allows(hq, CHANGE, meeting)
        assert not allows(leader_a1, CHANGE, meeting)
        assert not allows(workshop_b, CHANGE, meeting)
        assert not allows(workshop_a, CHANGE, contest)
        assert not Activity.objects.restrict(leader_a1, CHANGE).filter(pk=meeting.pk).exists()
        assert not Activity.objects.restrict(workshop_a, CHANGE).filter(pk=contest.pk).exists()
        with pytest.raises(PermissionDenied):
            services.activity_delete(activity=meeting, by=leader_a1)

    def test_a_workshop_union_holds_none_for_another_workshop(self, org, workshop_a):
        with pytest.raises(PermissionDenied):
            _above(
                workshop_a,
                level=ActivityLevel.WORKSHOP,
                host=org.b,
                participants=[org.members["B1"][0]],
            )
        with pytest.raises(PermissionDenied):
            _above(workshop_a, level=ActivityLevel.HQ, participants=[org.members["A1"][0]])

    def test_it_needs_participants(self, org, workshop_a):
        with pytest.raises(ValidationError) as error:
            _above(workshop_a, level=ActivityLevel.WORKSHOP, host=org.a, participants=[])
        assert "participants" in error.value.error_dict

    def test_the_level_names_its_place(self, org, hq):
        with pytest.raises(IntegrityError), transaction.atomic():
            Activity.objects.create(
                level=ActivityLevel.GROUP,
                group=None,
                area=area(),
                title="x",
                held_on=HELD,
                recorded_by=hq,
            )


class TestPages:
    def test_a_workshop_union_records_one_picking_groups_then_members(self, org, workshop_a, login):
        client = login(workshop_a)
        chooser = client.get(reverse("activities:activity_create")).content.decode()
        assert 'id="choose-workshop"' in chooser and 'id="choose-hq"' not in chooser
        url = reverse("activities:activity_create") + (
            f"?level=workshop&workshop={org.a.pk}&groups={org.A1.pk}&groups={org.A2.pk}"
        )
        page = client.get(url).content.decode()
        assert org.members["A2"][0].name in page and org.members["B1"][0].name not in page
        response = client.post(
            url,
            {
                "level": "workshop",
                "workshop": org.a.pk,
                "area": area().pk,
                "title": "小组长会议",
                "held_on": "2026-03-12",
                "guests_count": 0,
                "participants": [org.members["A1"][0].pk, org.members["A2"][0].pk],
                "other_participants": org.members["B1"][0].employee_no,
            },
        )
        # A member of another workshop union's group is refused, next to the field.
        assert response.status_code == 200
        assert not Activity.objects.filter(title="小组长会议").exists()
        assert "other_participants" in response.context["form"].errors
        assert org.members["B1"][0].name in str(response.context["form"].errors)
        response = client.post(
            url,
            {
                "level": "workshop",
                "workshop": org.a.pk,
                "area": area().pk,
                "title": "小组长会议",
                "held_on": "2026-03-12",
                "guests_count": 0,
                "participants": [org.members["A1"][0].pk],
                "other_participants": org.members["A2"][0].employee_no,
            },
        )
        activity = Activity.objects.get(title="小组长会议")
        assert response.status_code == 302
        assert activity.level == ActivityLevel.WORKSHOP and activity.host_workshop == org.a
        assert set(activity.group_links.values_list("group_id", flat=True)) == {
            org.A1.pk,
            org.A2.pk,
        }
        detail = client.get(reverse("activities:activity_detail", args=[activity.pk]))
        assert 'id="groups-taking-part"' in detail.content.decode()

    def test_a_leader_cannot_open_the_workshop_form(self, org, leader_a1, login):
        response = login(leader_a1).get(
            reverse("activities:activity_create"), {"level": "workshop", "workshop": org.a.pk}
        )
        assert response.status_code == 403

    def test_the_group_filter_of_the_list_holds_it(self, org, meeting, hq, login):
        page = login(hq).get(reverse("activities:activity_list"), {"group": org.A2.pk})
        assert "小组长会议" in page.content.decode()
        page = login(hq).get(reverse("activities:activity_list"), {"group": org.B1.pk})
        assert "小组长会议" not in page.content.decode()

    def test_the_monthly_report_lists_it(self, org, meeting, hq, login):
        url = reverse("activities:report_detail", args=[org.A2.pk, 2026, 3])
        assert "小组长会议" in login(hq).get(url).content.decode()


def test_the_calendar_takes_the_same_queries_with_more_above_group_activities(
    org, hq, workshop_a, login, django_assert_num_queries
):
    client = login(hq)
    url = reverse("activities:calendar", args=[org.A1.pk]) + "?month=2026-03"
    _above(workshop_a, level=ActivityLevel.WORKSHOP, host=org.a, participants=org.members["A1"])
    client.get(url)
    # session, user, roles (2), group, activities of the month (with their counts)
    with django_assert_num_queries(6):
        client.get(url)
    for i in range(5):
        group = UnionGroupFactory(workshop=org.a)
        member = MemberFactory(group=group)
        GroupMembership.objects.filter(member=member).update(started_on=date(2020, 1, 1))
        _above(
            hq,
            level=ActivityLevel.HQ,
            participants=[member, org.members["A1"][i % 3]],
            title=f"读书活动{i}",
        )
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert "读书活动4" in page


def test_the_form_takes_the_same_queries_with_more_groups_and_members(
    org, hq, login, django_assert_num_queries
):
    client = login(hq)

    def url():
        ids = "&".join(f"groups={g.pk}" for g in UnionGroupFactory._meta.model.objects.all())
        return reverse("activities:activity_create") + f"?level=hq&{ids}"

    client.get(url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url()).status_code == 200
    for _ in range(4):
        MemberFactory.create_batch(5, group=UnionGroupFactory(workshop=org.b))
    with django_assert_num_queries(len(few)):
        page = client.get(url()).content.decode()
    assert page.count('name="participants"') == 4 * 3 + 4 * 5


def test_a_member_reads_it_with_their_groupmates_named_and_others_not(org, contest, login):
    from tests.factories import member_user

    a1, b1 = org.members["A1"][2], org.members["B1"][0]
    b1.name = "远方来客"
    b1.save()
    reader = member_user(org.members["A1"][0])
    page = login(reader).get(reverse("activities:activity_detail", args=[contest.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert a1.name in body and "远方来客" not in body


def test_the_calendar_counts_the_groups_own_participants(org, meeting, hq, login):
    from activities.selectors import month_activities

    counts = {a.pk: a.participant_count for a in month_activities(group=org.A2, month=MARCH)}
    assert counts[meeting.pk] == 1  # A2's one member, not the meeting's three
    page = login(hq).get(reverse("activities:calendar", args=[org.A2.pk]), {"month": "2026-03"})
    assert page.status_code == 200


def test_the_workshop_figures_count_who_took_part_as_the_organisation_does(org, contest, hq):
    from activities.selectors import activity_year

    end = date(2026, 12, 31)
    whole = activity_year(user=hq, start=date(2026, 1, 1), end=end)
    one = activity_year(user=hq, start=date(2026, 1, 1), end=end, workshop_id=org.a.pk)
    # HQ's contest had a member of A1: A's figure is the same filtered or not.
    assert one.participants.get(org.a.pk) == whole.participants.get(org.a.pk) == 1


def test_the_detail_names_only_the_groups_in_reach(org, contest, leader_a1, hq, login):
    page = login(leader_a1).get(reverse("activities:activity_detail", args=[contest.pk]))
    body = page.content.decode()
    taking_part = body.split('id="groups-taking-part"')[1].split("</dd>")[0]
    assert org.A1.name in taking_part and org.B1.name not in taking_part
    one_more = ngettext("%(counter)s other group", "%(counter)s other groups", 1)
    assert one_more % {"counter": 1} in taking_part
    body = login(hq).get(reverse("activities:activity_detail", args=[contest.pk])).content
    taking_part = body.decode().split('id="groups-taking-part"')[1].split("</dd>")[0]
    assert org.A1.name in taking_part and org.B1.name in taking_part
