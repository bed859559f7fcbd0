"""Reporting an event makes its task at once; closing needs a photo and records the visit;
the to-do lists; who sees which tasks; the pages in a fixed number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caretasks import services
from caretasks.hooks import todo_items
from caretasks.models import CareTask, LifeEvent, TaskStatus
from groups.models import Member
from tests import files
from tests.factories import UserFactory, leader_user, today, workshop_user
from welfare.models import CareVisit, VisitKind

from .conftest import born, nobody_born_near


@pytest.fixture
def setup(org, occasions, posts):
    nobody_born_near(org)
    return org


def report(client, member, **data):
    return client.post(
        f"/care/events/new/?member={member.pk}",
        {"kind": "hospital", "happened_on": today().isoformat(), "note": "市医院骨科", **data},
    )


def close_data(**extra):
    return {
        "visited_on": today().isoformat(),
        "visitors": "王组长、李生活员",
        "gift_value": "300",
        "note": "送去水果",
        **extra,
    }


class TestReporting:
    def test_a_hospital_stay_makes_the_task_at_once_for_the_groups_officer(
        self, setup, leader_a1, login, posts
    ):
        member = setup.members["A1"][2]
        response = report(login(leader_a1), member)
        assert response.status_code == 302
        event = LifeEvent.objects.get()
        assert (event.member, event.group, event.kind, event.note, event.reported_by) == (
            member,
            setup.A1,
            "hospital",
            "市医院骨科",
            leader_a1,
        )
        task = CareTask.objects.get()
        assert (task.occasion.code, task.event, task.for_date, task.status) == (
            "hospital",
            event,
            today(),
            TaskStatus.OPEN,
        )
        assert task.due_on == today() + timedelta(days=3)
        assert (task.gift_standard, task.gift_description) == (Decimal("300.00"), "慰问金或营养品")
        assert task.assignee == posts["A1"]  # the 生活员
        assert task.hq is False

    def test_reported_late_the_days_count_from_the_report(self, setup, leader_a1):
        member = setup.members["A1"][2]
        services.event_report(
            by=leader_a1, member=member, kind="bereavement", happened_on=today() - timedelta(10)
        )
        task = CareTask.objects.get()
        assert (task.for_date, task.due_on) == (today() - timedelta(10), today() + timedelta(2))

    def test_the_same_event_cannot_be_reported_twice(self, setup, leader_a1, login):
        member = setup.members["A1"][2]
        client = login(leader_a1)
        report(client, member)
        response = report(client, member)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert (LifeEvent.objects.count(), CareTask.objects.count()) == (1, 1)

    def test_another_groups_leader_cannot_report(self, setup, login):
        member = setup.members["A1"][2]
        assert report(login(leader_user(setup.B1)), member).status_code == 404
        with pytest.raises(PermissionDenied):
            services.event_report(
                by=leader_user(setup.B1), member=member, kind="wedding", happened_on=today()
            )
        assert not LifeEvent.objects.exists()

    def test_the_member_page_offers_the_report_to_its_group(self, setup, leader_a1, login):
        member = setup.members["A1"][2]
        page = login(leader_a1).get(f"/members/{member.pk}/").content.decode()
        assert f"/care/events/new/?member={member.pk}" in page


@pytest.fixture
def hospital_task(setup, leader_a1):
    services.event_report(
        by=leader_a1, member=setup.members["A1"][2], kind="hospital", happened_on=today()
    )
    return CareTask.objects.get()


class TestClosing:
    def test_closing_needs_a_photo(self, hospital_task, leader_a1, login):
        response = login(leader_a1).post(f"/care/tasks/{hospital_task.pk}/close/", close_data())
        assert response.status_code == 200
        assert "photo" in response.context["form"].errors
        hospital_task.refresh_from_db()
        assert hospital_task.status == TaskStatus.OPEN
        assert not CareVisit.objects.exists()

    def test_a_document_is_not_a_photo(self, hospital_task, leader_a1):
        with pytest.raises(ValidationError) as error:
            services.task_close(
                by=leader_a1,
                task=hospital_task,
                visited_on=today(),
                visitors="王组长",
                photo=files.pdf(),
            )
        assert "photo" in error.value.error_dict
        assert not CareVisit.objects.exists()

    def test_closing_records_the_visit_and_keeps_the_photo(
        self, hospital_task, leader_a1, login, setup
    ):
        client = login(leader_a1)
        page = client.get(f"/care/tasks/{hospital_task.pk}/close/").content.decode()
        assert 'capture="environment"' in page and 'accept="image/*"' in page
        assert 'value="300.00"' in page  # the gift standard, prefilled
        response = client.post(
            f"/care/tasks/{hospital_task.pk}/close/", {**close_data(), "photo": files.jpeg()}
        )
        assert response.status_code == 302
        task = CareTask.objects.get()
        visit = CareVisit.objects.get()
        assert (task.status, task.visit, task.closed_by) == (TaskStatus.DONE, visit, leader_a1)
        assert (visit.member, visit.group, visit.kind, visit.gift_value, visit.visitors) == (
            setup.members["A1"][2],
            setup.A1,
            VisitKind.SICK_VISIT,
            Decimal("300.00"),
            "王组长、李生活员",
        )
        assert task.photo and task.photo_thumb and task.photo_mime == "image/jpeg"
        photo = client.get(f"/care/tasks/{task.pk}/photo")
        assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
        assert "no-store" in photo["Cache-Control"]
        assert client.get(f"/care/tasks/{task.pk}/photo?size=thumb").status_code == 200
        assert login(leader_user(setup.B1)).get(f"/care/tasks/{task.pk}/photo").status_code == 404
        # Closed once: the page sends the user back, the service refuses.
        assert client.get(f"/care/tasks/{task.pk}/close/").status_code == 302
        with pytest.raises(ValidationError):
            services.task_close(
                by=leader_a1, task=task, visited_on=today(), visitors="x", photo=files.jpeg()
            )
        assert CareVisit.objects.count() == 1


class TestToDo:
    def test_a_leader_sees_tasks_due_within_three_days_or_late(self, setup, leader_a1, occasions):
        members = setup.members["A1"]
        for member, days in ((members[0], 3), (members[1], 4), (members[2], -2)):
            CareTask.objects.create(
                group=setup.A1,
                member=member,
                occasion=occasions["wedding"],
                for_date=today(),
                due_on=today() + timedelta(days=days),
            )
        assert [(c, u) for _l, c, u in todo_items(leader_a1)] == [(2, "/care/tasks/?when=soon")]

    def test_the_workshop_union_sees_the_late_tasks_of_its_groups(
        self, setup, occasions, workshop_a, hq
    ):
        def task(group, days, member_index=0, hq_task=False):
            return CareTask.objects.create(
                group=group,
                member=setup.members[group.code][member_index],
                occasion=occasions["birthday"],
                for_date=today(),
                due_on=today() + timedelta(days=days),
                hq=hq_task,
            )

        task(setup.A1, -1)
        task(setup.A2, -5)
        task(setup.A2, 0, 1)  # due today: not late
        task(setup.B1, -3)  # another workshop union's
        task(setup.A1, -3, 1, hq_task=True)  # HQ's own
        assert [(c, u) for _l, c, u in todo_items(workshop_a)] == [(2, "/care/tasks/?when=late")]
        # HQ: its own task, late.
        assert [(c, u) for _l, c, u in todo_items(hq)] == [(1, "/care/tasks/?when=soon")]
        # A leader of A1: the open group task of A1 (late), not HQ's.
        assert [(c, u) for _l, c, u in todo_items(leader_user(setup.A1))] == [
            (1, "/care/tasks/?when=soon")
        ]


class TestScope:
    @pytest.fixture
    def spread(self, setup, occasions):
        """A birthday task in every group, and an HQ task for a model worker of A1."""
        for code, group in setup.groups.items():
            CareTask.objects.create(
                group=group,
                member=setup.members[code][0],
                occasion=occasions["birthday"],
                for_date=today(),
                due_on=today(),
            )
        CareTask.objects.create(
            group=setup.A1,
            member=setup.members["A1"][0],
            occasion=occasions["birthday"],
            for_date=today(),
            due_on=today(),
            hq=True,
        )
        return setup

    def shown(self, client, query=""):
        tasks = [row[0] for row in client.get("/care/tasks/" + query).context["rows"]]
        return sorted((t.group.code, t.hq) for t in tasks)

    def test_each_role_sees_its_own_part(self, spread, login, leader_a1, workshop_a, hq):
        assert self.shown(login(leader_a1)) == [("A1", False)]
        assert self.shown(login(workshop_a)) == [("A1", False), ("A2", False)]
        assert self.shown(login(workshop_user(spread.b))) == [("B1", False), ("B2", False)]
        # HQ: its own tasks, the overview of every workshop union, a workshop's on asking.
        response = login(hq).get("/care/tasks/")
        assert [(r[0].hq, r[0].group.code) for r in response.context["rows"]] == [(True, "A1")]
        assert [(r.workshop, r.open) for r in response.context["overview"]] == [
            ("锅炉车间", 2),
            ("汽机车间", 2),
        ]
        assert self.shown(login(hq), f"?workshop={spread.a.pk}") == [("A1", False), ("A2", False)]
        assert response["Cache-Control"].count("no-store") == 1

    def test_an_hq_task_is_out_of_the_groups_reach(self, spread, login, leader_a1, workshop_a):
        hq_task = CareTask.objects.get(hq=True)
        for user in (leader_a1, workshop_a):
            assert login(user).get(f"/care/tasks/{hq_task.pk}/close/").status_code == 404
        assert login(UserFactory()).get(f"/care/tasks/{hq_task.pk}/close/").status_code == 200

    def test_an_evaluator_and_a_member_have_no_tasks(self, spread, login, evaluator):
        assert login(evaluator).get("/care/tasks/").status_code == 403

    def test_the_group_page_links_its_tasks(self, spread, login, leader_a1):
        page = login(leader_a1).get(f"/org/groups/{spread.A1.pk}/").content.decode()
        assert f"/care/tasks/?group={spread.A1.pk}" in page
        assert self.shown(login(leader_a1), f"?group={spread.A1.pk}") == [("A1", False)]


class TestPages:
    def test_late_tasks_come_first_with_a_badge(self, setup, occasions, leader_a1, login):
        members = setup.members["A1"]
        for member, days in ((members[0], 5), (members[1], -4), (members[2], 1)):
            CareTask.objects.create(
                group=setup.A1,
                member=member,
                occasion=occasions["wedding"],
                for_date=today(),
                due_on=today() + timedelta(days=days),
            )
        response = login(leader_a1).get("/care/tasks/")
        rows = response.context["rows"]
        assert [(task.member, late) for task, late, _can in rows] == [
            (members[1], True),
            (members[2], False),
            (members[0], False),
        ]
        assert response.content.decode().count('class="badge danger"') == 1

    @pytest.mark.parametrize("count", [2, 12])
    def test_the_list_runs_a_fixed_number_of_queries(
        self, setup, occasions, workshop_a, login, django_assert_num_queries, count
    ):
        """session, user, roles, the inspection panels' grants and the notices (every page);
        the count and the page of tasks (with member, group, workshop, occasion, event and
        festival joined): 7 whatever the number of tasks."""
        client = login(workshop_a)
        for index in range(count):
            member = Member.objects.create(
                employee_no=f"9{index:04d}", name=f"成员{index}", gender="M", group=setup.A2
            )
            born(member, date(1990, 1, 1))
            CareTask.objects.create(
                group=setup.A2,
                member=member,
                occasion=occasions["birthday"],
                for_date=today(),
                due_on=today() - timedelta(days=index % 3),
            )
        client.get("/care/tasks/")
        with django_assert_num_queries(7):
            response = client.get("/care/tasks/")
        assert len(response.context["rows"]) == count

    @pytest.mark.parametrize("count", [1, 8])
    def test_hq_list_with_overview_runs_a_fixed_number_of_queries(
        self, setup, occasions, hq, login, django_assert_num_queries, count
    ):
        """session, user, roles, the panels' grants; the count and the page of HQ tasks;
        the overview: 7 whatever the number of tasks."""
        for index in range(count):
            group = list(setup.groups.values())[index % 4]
            for hq_task in (True, False):
                CareTask.objects.create(
                    group=group,
                    member=setup.members[group.code][index // 4],
                    occasion=occasions["birthday"],
                    for_date=today(),
                    due_on=today(),
                    hq=hq_task,
                )
        client = login(hq)
        client.get("/care/tasks/")
        with django_assert_num_queries(7):
            response = client.get("/care/tasks/")
        assert len(response.context["rows"]) == count
        assert sum(row.open for row in response.context["overview"]) == count
