"""The daily run: birthdays (29 February included, model workers also for HQ), members not
visited for N days, archive members before a festival; idempotent, in a fixed number of
queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caretasks.models import CareTask, Festival, TaskStatus
from caretasks.services import make_due_tasks
from groups.models import Member, MemberStatus
from tests.factories import MemberFactory, UserFactory
from welfare.models import HardshipRecord, HardshipStatus
from welfare.services import visit_record

from .conftest import archive, born, entered, nobody_born_near

TODAY = date(2026, 11, 10)


@pytest.fixture
def quiet(org, occasions, posts):
    """Nobody's birthday near the test days and every record entered today."""
    nobody_born_near(org)
    return org


def tasks(code, **filters):
    return CareTask.objects.filter(occasion__code=code, **filters)


class TestBirthdays:
    def test_a_birthday_within_the_lead_days_makes_the_groups_task(self, quiet, occasions):
        member = born(quiet.members["A1"][2], date(1990, 11, 17))  # 7 days ahead
        later = born(quiet.members["A2"][1], date(1990, 11, 18))  # 8 days: not yet
        counts = make_due_tasks(TODAY)
        assert counts["birthday"] == 1
        task = tasks("birthday").get()
        assert (task.member, task.group, task.for_date, task.due_on, task.hq) == (
            member,
            quiet.A1,
            date(2026, 11, 17),
            date(2026, 11, 17),
            False,
        )
        # The standard of the day is copied: 100 yuan, a cake voucher.
        assert (task.gift_standard, task.gift_description) == (Decimal("100.00"), "生日蛋糕券一张")
        assert task.assignee == quiet.members["A1"][1].name  # A1's 生活员, not its leader
        make_due_tasks(TODAY + timedelta(days=1))
        assert tasks("birthday", member=later).get().assignee == quiet.members["A2"][0].name

    def test_a_group_without_leader_or_officer_gets_its_task_unassigned(self, quiet):
        born(quiet.members["B1"][0], date(1990, 11, 10))
        make_due_tasks(TODAY)
        assert tasks("birthday").get().assignee == ""

    def test_29_february_is_marked_on_28_february_in_other_years(self, quiet):
        leap = born(quiet.members["A1"][2], date(1988, 2, 29))
        make_due_tasks(date(2027, 2, 21))  # 28 Feb 2027 is 7 days ahead
        assert tasks("birthday", member=leap).get().for_date == date(2027, 2, 28)
        make_due_tasks(date(2028, 2, 21))  # 2028 is a leap year: 28 Feb is in the window
        assert not tasks("birthday", member=leap, for_date__year=2028).exists()
        make_due_tasks(date(2028, 2, 22))  # … and 29 Feb the next day
        assert tasks("birthday", member=leap, for_date__year=2028).get().for_date == date(
            2028, 2, 29
        )

    def test_a_model_worker_also_gets_an_hq_task(self, quiet, occasions):
        worker = born(quiet.members["B2"][1], date(1975, 11, 12))
        Member.objects.filter(pk=worker.pk).update(is_model_worker=True)
        counts = make_due_tasks(TODAY)
        assert counts["birthday"] == 2
        group_task, hq_task = tasks("birthday", member=worker).order_by("hq")
        assert (group_task.hq, group_task.gift_standard) == (False, Decimal("100.00"))
        assert (hq_task.hq, hq_task.gift_standard, hq_task.group) == (
            True,
            Decimal("200.00"),
            quiet.B2,
        )
        assert hq_task.gift_description == "鲜花一束、劳模生日贺卡一张"
        assert hq_task.assignee == ""

    def test_the_standard_is_copied_when_the_task_is_made(self, quiet, occasions):
        member = born(quiet.members["A1"][2], date(1990, 11, 12))
        make_due_tasks(TODAY)
        occasions["birthday"].gift_standard = Decimal("150")
        occasions["birthday"].save()
        assert tasks("birthday", member=member).get().gift_standard == Decimal("100.00")

    def test_members_who_left_get_no_task_and_their_open_tasks_are_cancelled(self, quiet):
        member = born(quiet.members["A1"][2], date(1990, 11, 12))
        make_due_tasks(TODAY)
        Member.objects.filter(pk=member.pk).update(
            status=MemberStatus.LEFT, left_on=TODAY, left_kind="resigned"
        )
        counts = make_due_tasks(TODAY + timedelta(days=1))
        assert counts["cancelled"] == 1
        assert tasks("birthday", member=member).get().status == TaskStatus.CANCELLED


class TestNotVisited:
    def test_a_member_without_a_visit_for_n_days_gets_a_task(self, quiet, occasions):
        assert occasions["not_visited"].interval_days == 180
        hq = UserFactory()
        members = quiet.members["A1"]
        for member in Member.objects.all():
            entered(member, 100, TODAY)  # entered recently: nobody is due for not being visited
        visit = {"by": hq, "kind": "talk", "visitors": "工会", "gift_value": None}
        for member, days in ((members[0], 181), (members[1], 180)):
            visit_record(member=member, visited_on=TODAY - timedelta(days=days), **visit)
        entered(members[2], 200, TODAY)  # never visited, on file for 200 days
        counts = make_due_tasks(TODAY)
        assert counts["not_visited"] == 2
        found = tasks("not_visited")
        assert {t.member for t in found} == {members[0], members[2]}
        assert {t.due_on for t in found} == {TODAY + timedelta(days=30)}

    def test_an_open_task_is_not_made_again_the_next_day(self, quiet):
        member = quiet.members["A2"][2]
        for each in Member.objects.all():
            entered(each, 10, TODAY)
        entered(member, 365, TODAY)
        assert make_due_tasks(TODAY)["not_visited"] == 1
        assert make_due_tasks(TODAY + timedelta(days=1))["not_visited"] == 0
        assert tasks("not_visited").count() == 1


class TestFestivals:
    def test_archive_members_get_a_task_before_each_festival(self, quiet, occasions):
        spring = Festival.objects.get(name="春节", date=date(2027, 2, 6))
        assert spring.visits_due_on == date(2027, 1, 30)  # 7 days before
        in_archive = quiet.members["B1"][2]
        archive(in_archive, UserFactory(handles_welfare=True))
        # Appears 14 days before the visits are due (the occasion's lead days).
        assert make_due_tasks(date(2027, 1, 15))["festival"] == 0
        assert make_due_tasks(date(2027, 1, 16))["festival"] == 1
        task = tasks("festival").get()
        assert (task.member, task.festival, task.for_date, task.due_on) == (
            in_archive,
            spring,
            date(2027, 2, 6),
            date(2027, 1, 30),
        )
        assert task.gift_standard == Decimal("300.00")
        # Until the festival itself, each day finds it made already.
        assert make_due_tasks(date(2027, 2, 6))["festival"] == 0
        assert make_due_tasks(date(2027, 2, 7))["festival"] == 0

    def test_a_member_who_left_the_archive_gets_none(self, quiet):
        record = archive(quiet.members["B1"][2], UserFactory(handles_welfare=True))
        HardshipRecord.objects.filter(pk=record.pk).update(
            status=HardshipStatus.EXITED, exited_on=date(2026, 12, 1), exit_reason="收入好转"
        )
        assert make_due_tasks(date(2027, 1, 20))["festival"] == 0


class TestTheRun:
    def test_running_twice_makes_nothing_twice(self, quiet):
        born(quiet.members["A1"][2], date(1990, 11, 12))
        archive(quiet.members["B1"][2], UserFactory(handles_welfare=True))
        day = date(2027, 1, 20)
        born(quiet.members["A2"][2], date(1990, 1, 22))
        first = make_due_tasks(day)
        assert first["birthday"] == 1 and first["festival"] == 1
        made = CareTask.objects.count()
        again = make_due_tasks(day)
        assert again == {"birthday": 0, "not_visited": 0, "festival": 0, "cancelled": 0}
        assert CareTask.objects.count() == made

    def test_the_command_runs_the_day_given(self, quiet, capsys):
        born(quiet.members["A1"][2], date(1990, 11, 12))
        call_command("make_care_tasks", "--date", "2026-11-10")
        assert "birthday: 1" in capsys.readouterr().out
        assert CareTask.objects.count() == 1

    @pytest.mark.parametrize("size", [2, 20])
    def test_a_fixed_number_of_queries_whatever_the_number_of_members(self, quiet, size):
        """The savepoint; occasions, assignees; birthdays; not visited; festivals, archive;
        what exists already; the insert; the cancellation; its release: 11 queries however
        many members."""
        hq = UserFactory(handles_welfare=True)
        day = date(2027, 1, 20)
        for index in range(size):
            member = MemberFactory(group=quiet.B2, birth_date=date(1990, 1, 22))
            entered(member, 400, day)
            if index % 2:
                archive(member, hq)
        with CaptureQueriesContext(connection) as queries:
            counts = make_due_tasks(day)
        assert counts["birthday"] == size
        assert counts["festival"] == size // 2
        assert len(queries) == 11, [q["sql"] for q in queries]
