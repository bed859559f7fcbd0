"""Changes to members and groups: the rules each service keeps."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from groups import services
from groups.models import (
    GroupMembership,
    GroupPost,
    HomeLevel,
    HomeStage,
    Member,
    MemberStatus,
    Post,
    UnionGroup,
)
from tests.factories import MemberFactory, today


def open_stretches(member):
    return list(GroupMembership.objects.filter(member=member, ended_on__isnull=True))


class TestMemberCreate:
    def test_enrolment_starts_the_group_history_and_keeps_pinyin_initials(self, org, leader_a1):
        member = services.member_create(
            by=leader_a1,
            employee_no=" 90001 ",
            name="张三丰",
            gender="M",
            group=org.A1,
            birth_date=date(1990, 1, 2),
        )
        assert member.employee_no == "90001"
        assert member.name_initials == "zsf"
        [stretch] = open_stretches(member)
        assert (stretch.group, stretch.started_on, stretch.recorded_by) == (
            org.A1,
            today(),
            leader_a1,
        )

    def test_group_leader_cannot_enrol_into_another_group(self, org, leader_a1):
        with pytest.raises(PermissionDenied):
            services.member_create(
                by=leader_a1, employee_no="90002", name="李四", gender="M", group=org.A2
            )
        assert not Member.objects.filter(employee_no="90002").exists()

    def test_employee_no_is_unique(self, org, hq):
        taken = org.members["A1"][0].employee_no
        with pytest.raises(ValidationError) as error:
            services.member_create(by=hq, employee_no=taken, name="王五", gender="M", group=org.A1)
        assert "employee_no" in error.value.error_dict

    def test_database_refuses_a_duplicate_employee_no_too(self, org):
        taken = org.members["A1"][0].employee_no
        with pytest.raises(IntegrityError), transaction.atomic():
            Member.objects.create(employee_no=taken, name="重复", gender="M", group=org.A1)


class TestMemberUpdate:
    def test_update_changes_details_and_initials(self, org, leader_a1):
        member = org.members["A1"][0]
        services.member_update(member=member, by=leader_a1, name="欧阳娜娜", phone="13900001111")
        member.refresh_from_db()
        assert (member.name, member.name_initials, member.phone) == (
            "欧阳娜娜",
            "oynn",
            "13900001111",
        )

    def test_group_cannot_change_through_update(self, org, hq):
        with pytest.raises(ValueError):
            services.member_update(member=org.members["A1"][0], by=hq, group=org.A2)

    def test_leader_cannot_update_another_groups_member(self, org, leader_a1):
        with pytest.raises(PermissionDenied):
            services.member_update(member=org.members["B1"][0], by=leader_a1, name="改名")


class TestMemberMove:
    def test_move_closes_the_old_stretch_opens_a_new_one_and_vacates_posts(self, org, workshop_a):
        member = org.members["A1"][0]
        GroupPost.objects.create(
            group=org.A1, post=Post.LEADER, member=member, since=date(2021, 1, 1)
        )
        moved_on = today() - timedelta(days=3)
        services.member_move(
            member=member, to_group=org.A2, moved_on=moved_on, by=workshop_a, note="班组调整"
        )
        member.refresh_from_db()
        assert member.group == org.A2
        stretches = list(member.memberships.order_by("started_on"))
        assert [(s.group.code, s.ended_on) for s in stretches] == [("A1", moved_on), ("A2", None)]
        assert not GroupPost.objects.filter(member=member).exists()

    def test_workshop_user_cannot_move_into_another_workshop(self, org, workshop_a):
        with pytest.raises(PermissionDenied):
            services.member_move(
                member=org.members["A1"][0], to_group=org.B1, moved_on=today(), by=workshop_a
            )

    def test_group_leader_cannot_move_members(self, org, leader_a1):
        with pytest.raises(PermissionDenied):
            services.member_move(
                member=org.members["A1"][0], to_group=org.A2, moved_on=today(), by=leader_a1
            )

    def test_move_to_the_same_group_is_refused(self, org, hq):
        with pytest.raises(ValidationError):
            services.member_move(
                member=org.members["A1"][0], to_group=org.A1, moved_on=today(), by=hq
            )

    def test_move_cannot_date_before_joining_the_current_group(self, org, hq):
        with pytest.raises(ValidationError) as error:
            services.member_move(
                member=org.members["A1"][0], to_group=org.A2, moved_on=date(2019, 12, 31), by=hq
            )
        assert "moved_on" in error.value.error_dict

    def test_move_cannot_be_in_the_future(self, org, hq):
        with pytest.raises(ValidationError):
            services.member_move(
                member=org.members["A1"][0],
                to_group=org.A2,
                moved_on=today() + timedelta(days=1),
                by=hq,
            )


class TestLeaveAndRejoin:
    def test_leaving_marks_the_member_and_keeps_the_record(self, org, workshop_a):
        member = org.members["A1"][0]
        services.member_leave(member=member, left_on=today(), reason="调离", by=workshop_a)
        member.refresh_from_db()
        assert member.status == MemberStatus.LEFT
        assert member.left_on == today()
        assert open_stretches(member) == []
        assert Member.objects.filter(pk=member.pk).exists()
        assert Member.objects.active().filter(pk=member.pk).count() == 0

    def test_leaving_twice_is_refused(self, org, hq):
        member = org.members["A1"][0]
        services.member_leave(member=member, left_on=today(), reason="退休", by=hq)
        with pytest.raises(ValidationError):
            services.member_leave(member=member, left_on=today(), reason="退休", by=hq)

    def test_a_member_who_left_cannot_be_moved(self, org, hq):
        member = org.members["A1"][0]
        services.member_leave(member=member, left_on=today(), reason="调离", by=hq)
        with pytest.raises(ValidationError):
            services.member_move(member=member, to_group=org.A2, moved_on=today(), by=hq)

    def test_rejoin_opens_a_new_stretch(self, org, hq):
        member = org.members["A1"][0]
        services.member_leave(
            member=member, left_on=today() - timedelta(days=10), reason="调离", by=hq
        )
        services.member_rejoin(member=member, group=org.B1, rejoined_on=today(), by=hq)
        member.refresh_from_db()
        assert (member.status, member.group, member.left_on) == (MemberStatus.ACTIVE, org.B1, None)
        assert [s.group for s in open_stretches(member)] == [org.B1]

    def test_database_requires_a_date_for_a_member_who_left(self, org):
        member = org.members["A1"][0]
        member.status = MemberStatus.LEFT
        with pytest.raises(IntegrityError), transaction.atomic():
            member.save()


class TestPosts:
    def test_leader_fills_optional_posts_of_their_group(self, org, leader_a1):
        member = org.members["A1"][1]
        post = services.group_post_assign(
            group=org.A1, post=Post.PUBLICITY, member=member, since=today(), by=leader_a1
        )
        assert post.member == member

    def test_leader_post_is_appointed_by_the_workshop(self, org, leader_a1, workshop_a):
        member = org.members["A1"][0]
        with pytest.raises(PermissionDenied):
            services.group_post_assign(
                group=org.A1, post=Post.LEADER, member=member, since=today(), by=leader_a1
            )
        services.group_post_assign(
            group=org.A1, post=Post.LEADER, member=member, since=today(), by=workshop_a
        )
        assert GroupPost.objects.get(group=org.A1, post=Post.LEADER).member == member

    def test_post_holder_must_be_a_member_of_the_group(self, org, hq):
        with pytest.raises(ValidationError):
            services.group_post_assign(
                group=org.A1, post=Post.ORGANISER, member=org.members["A2"][0], since=today(), by=hq
            )

    def test_a_post_has_one_holder_and_can_fall_vacant(self, org, hq):
        first, second = org.members["A1"][:2]
        services.group_post_assign(
            group=org.A1, post=Post.WOMEN, member=first, since=today(), by=hq
        )
        services.group_post_assign(
            group=org.A1, post=Post.WOMEN, member=second, since=today(), by=hq
        )
        assert list(GroupPost.objects.filter(group=org.A1).values_list("member", flat=True)) == [
            second.pk
        ]
        services.group_post_assign(group=org.A1, post=Post.WOMEN, member=None, since=today(), by=hq)
        assert not GroupPost.objects.filter(group=org.A1).exists()


class TestHomeStageRules:
    """The stage and title on a group are the summary of its 小家's steps (homes app);
    the database keeps them consistent whoever writes them."""

    def test_a_title_needs_an_accepted_home(self, org):
        with pytest.raises(IntegrityError), transaction.atomic():
            UnionGroup.objects.filter(pk=org.A1.pk).update(home_level=HomeLevel.QUALIFIED)

    def test_a_named_home_holds_a_title(self, org):
        with pytest.raises(IntegrityError), transaction.atomic():
            UnionGroup.objects.filter(pk=org.A1.pk).update(
                home_stage=HomeStage.NAMED, home_started_on=date(2025, 1, 1)
            )

    def test_a_home_under_way_has_started(self, org):
        with pytest.raises(IntegrityError), transaction.atomic():
            UnionGroup.objects.filter(pk=org.A1.pk).update(home_stage=HomeStage.BUILDING)


def test_history_records_who_changed_a_member(org, hq):
    member = org.members["A1"][0]
    services.member_update(member=member, by=hq, phone="13811112222")
    latest = member.history.latest()
    assert latest.phone == "13811112222"
    assert latest.prev_record.phone != "13811112222"
    assert latest.history_user == hq


def test_member_age_counts_birthdays(org):
    member = MemberFactory.build(birth_date=date(1990, 6, 15))
    assert member.age_on(date(2026, 6, 14)) == 35
    assert member.age_on(date(2026, 6, 15)) == 36
