"""The year plan's activities go to the workshop union with the creation plan; a planned
activity becomes held when recorded (or tied to what was recorded), or is not held with a
reason; the monthly report shows planned against held; leaders are reminded the day
before."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from activities import services as activity_services
from activities.models import Activity, ActivityGroup, ActivityLevel, MonthlyReport, ReportStatus
from homes import services as homes
from homes.models import PlanStatus
from plans import selectors, services
from plans.hooks import record_panels, todo_items
from plans.models import MonthPlan, PlannedActivity
from tests import files
from tests.factories import ActivityFactory, area, today

from .conftest import plan_item, write_plan


def report_url(group, day):
    return reverse("activities:report_detail", args=[group.pk, day.year, day.month])


class TestTheYearPlanIsApprovedWithItsActivities:
    def test_the_workshop_union_reads_and_approves_the_plan_with_its_activities(
        self, org, people, year, login
    ):
        plan = write_plan(org, people.leader, year)
        first = plan_item(people.leader, org.A1, today(), title="学习工会法")
        second = plan_item(people.leader, org.A1, today(), title="拔河比赛", code="recreation")
        assert not first.added_after_approval and not second.added_after_approval
        plan = homes.plan_submit(plan=plan, by=people.leader, version=plan.version)

        page = login(people.ws_a).get(reverse("homes:plan", args=[plan.pk])).content.decode()
        panel = page.split('id="planned-activities"')[1].split("</section>")[0]
        assert "学习工会法" in panel and "拔河比赛" in panel

        response = login(people.ws_a).post(
            reverse("homes:plan_approve", args=[plan.pk]), {"version": plan.version, "note": ""}
        )
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.status == PlanStatus.APPROVED
        assert list(selectors.year_plan(org.A1, year).items) == [first, second]

    def test_a_leader_cannot_change_the_activities_once_the_plan_is_submitted(
        self, org, people, year, login
    ):
        plan = write_plan(org, people.leader, year)
        item = plan_item(people.leader, org.A1, today(), title="学习工会法")
        homes.plan_submit(plan=plan, by=people.leader, version=plan.version)
        with translation.override("en"), pytest.raises(ValidationError, match="workshop union"):
            plan_item(people.leader, org.A1, today(), title="新增")
        with pytest.raises(ValidationError):
            services.item_remove(by=people.leader, item=item)
        response = login(people.leader).post(
            reverse("plans:item_edit", args=[item.pk]),
            {"planned_on": today().isoformat(), "area": area().pk, "title": "改过的"},
        )
        assert response.status_code == 200
        with translation.override(response.wsgi_request.LANGUAGE_CODE):
            refused = gettext("This planned activity can no longer be changed.")
        assert response.context["form"].errors == {"__all__": [refused]}
        item.refresh_from_db()
        assert item.title == "学习工会法"
        year_page = login(people.leader).get(reverse("plans:year", args=[org.A1.pk, year]))
        assert reverse("plans:item_edit", args=[item.pk]) not in year_page.content.decode()

    def test_a_returned_plan_opens_its_activities_again(self, org, people, year):
        plan = write_plan(org, people.leader, year)
        item = plan_item(people.leader, org.A1, today(), title="学习工会法")
        plan = homes.plan_submit(plan=plan, by=people.leader, version=plan.version)
        homes.plan_return(plan=plan, by=people.ws_a, version=plan.version, reason="活动太少")
        services.item_change(
            by=people.leader, item=item, planned_on=today(), area=area(), title="学习工会章程"
        )
        assert plan_item(people.leader, org.A1, today(), title="补充").added_after_approval is False

    def test_no_activity_is_planned_without_a_creation_plan(self, org, people, year):
        with translation.override("en"), pytest.raises(ValidationError, match="creation plan"):
            plan_item(people.leader, org.A1, today())

    def test_after_approval_the_leader_adds_to_a_months_plan(self, org, people, approved, login):
        added = plan_item(people.leader, org.A1, today(), title="临时加一次安全学习")
        assert added.added_after_approval
        # The year plan's own items stay as approved.
        with pytest.raises(ValidationError):
            services.item_change(
                by=people.leader,
                item=approved.item,
                planned_on=today(),
                area=area(),
                title="改",
            )
        # A day gone by is refused, next to the date (checked before the year: deterministic
        # on the 1st of January too).
        with pytest.raises(ValidationError) as refused:
            services.item_add(
                by=people.leader,
                group=org.A1,
                year=today().year,
                planned_on=today() - timedelta(days=1),
                area=area(),
                title="补一次",
            )
        assert list(refused.value.error_dict) == ["planned_on"]
        # The workshop union sees the addition on the group's month page and in its overview.
        month = today().replace(day=1)
        page = login(people.ws_a).get(
            reverse("plans:month", args=[org.A1.pk, month.year, month.month])
        )
        assert "临时加一次安全学习" in page.content.decode()
        overview = login(people.ws_a).get(reverse("plans:overview") + f"?year={month.year}")
        row = next(r for r in overview.context["rows"] if r.group == org.A1)
        assert (row.planned, row.added) == (2, 1)

    def test_the_leader_writes_this_months_plan(self, org, people, approved, login):
        month = today().replace(day=1)
        url = reverse("plans:month_plan", args=[org.A1.pk, month.year, month.month])
        login(people.leader).post(url, {"arrangements": "本月召开小组会，组织一次健步走。"})
        assert MonthPlan.objects.get(group=org.A1, month=month).arrangements.startswith("本月")
        page = login(people.ws_a).get(report_url(org.A1, month)).content.decode()
        assert "组织一次健步走" in page


class TestPlannedAgainstHeld:
    def test_the_report_lists_held_not_held_with_reason_and_unplanned(
        self, org, people, approved, login
    ):
        held = ActivityFactory(group=org.A1, title="工会法学习会", recorded_by=people.leader)
        unplanned = ActivityFactory(group=org.A1, title="临时慰问", recorded_by=people.leader)
        services.item_tie(by=people.leader, item=approved.item, activity=held)
        called_off = plan_item(people.leader, org.A1, today(), title="登山活动")
        services.item_not_held(by=people.leader, item=called_off, reason="暴雨，活动取消")
        ahead = plan_item(people.leader, org.A1, today(), title="健步走")

        summary = selectors.month_summary(org.A1, today())
        assert summary.held == [approved.item] and summary.held[0].activity == held
        assert summary.not_held == [called_off]
        assert summary.not_held[0].reason_not_held == "暴雨，活动取消"
        assert summary.ahead == [ahead]
        assert summary.unplanned == [unplanned]

        page = login(people.ws_a).get(report_url(org.A1, today())).content.decode()
        panel = page.split('id="planned-vs-held"')[1].split("</section>")[0]

        def part(name):
            return panel.split(f'id="plan-{name}"')[1].split("</ul>")[0]

        assert "工会法学习会" in part("held")
        assert reverse("activities:activity_detail", args=[held.pk]) in part("held")
        assert "登山活动" in part("not-held") and "暴雨，活动取消" in part("not-held")
        assert "临时慰问" in part("unplanned") and "工会法学习会" not in part("unplanned")
        assert "健步走" in part("ahead")

    def test_a_deleted_activity_holds_nothing(self, org, people, approved):
        held = ActivityFactory(group=org.A1, recorded_by=people.leader)
        services.item_tie(by=people.leader, item=approved.item, activity=held)
        activity_services.activity_delete(activity=held, by=people.hq)
        summary = selectors.month_summary(org.A1, today())
        assert summary.held == [] and summary.ahead == [approved.item]

    def test_an_item_ties_only_to_its_groups_free_activity_of_the_month(
        self, org, people, approved
    ):
        other_group = ActivityFactory(group=org.A2, recorded_by=people.hq)
        with pytest.raises(ValidationError):
            services.item_tie(by=people.leader, item=approved.item, activity=other_group)
        held = ActivityFactory(group=org.A1, recorded_by=people.leader)
        services.item_tie(by=people.leader, item=approved.item, activity=held)
        second = plan_item(people.leader, org.A1, today(), title="第二项")
        with pytest.raises(ValidationError):
            services.item_tie(by=people.leader, item=second, activity=held)

    def test_holding_from_the_plan_records_the_activity_with_participants_and_photo(
        self, org, people, approved, login
    ):
        client = login(people.leader)
        url = reverse("plans:item_hold", args=[approved.item.pk])
        form = client.get(url).context["form"]
        assert form.initial["title"] == "读书会" and form.initial["held_on"] == today()
        members = org.members["A1"][:2]
        response = client.post(
            url,
            {
                "area": area().pk,
                "title": "读书会",
                "held_on": today().isoformat(),
                "participants": [m.pk for m in members],
                "guests_count": "0",
                "files": [files.jpeg()],
            },
        )
        approved.item.refresh_from_db()
        activity = approved.item.activity
        assert response.status_code == 302
        assert response.url == reverse("activities:activity_detail", args=[activity.pk])
        assert set(activity.participants.all()) == set(members)
        assert [a.is_image for a in activity.attachments.all()] == [True]
        assert activity.group == org.A1 and activity.recorded_by == people.leader
        # Held once: the page now leads to the activity.
        assert client.get(url).url == response.url

    def test_a_mistake_in_the_form_records_nothing(self, org, people, approved, login):
        response = login(people.leader).post(
            reverse("plans:item_hold", args=[approved.item.pk]),
            {"area": area().pk, "title": "", "held_on": today().isoformat()},
        )
        assert response.status_code == 200 and response.context["form"].errors["title"]
        approved.item.refresh_from_db()
        assert approved.item.activity is None and not Activity.objects.exists()

    def test_a_reason_is_required_to_say_not_held(self, org, people, approved, login):
        url = reverse("plans:item_not_held", args=[approved.item.pk])
        response = login(people.leader).post(url, {"reason": "  "})
        assert response.status_code == 200 and response.context["form"].errors["reason"]
        login(people.leader).post(url, {"reason": "设备抢修"})
        approved.item.refresh_from_db()
        assert approved.item.reason_not_held == "设备抢修"


class TestReminders:
    def test_the_leader_is_reminded_the_day_before(self, org, people, year):
        tomorrow = today() + timedelta(days=1)
        item = PlannedActivity.objects.create(
            group=org.A1,
            year=tomorrow.year,
            month=tomorrow.replace(day=1),
            planned_on=tomorrow,
            area=area(),
            title="健步走",
            created_by=people.leader,
        )
        PlannedActivity.objects.create(
            group=org.A1,
            year=tomorrow.year,
            month=(tomorrow + timedelta(days=1)).replace(day=1),
            planned_on=tomorrow + timedelta(days=1),
            area=area(),
            title="后天的活动",
            created_by=people.leader,
        )
        [(what, count, url)] = todo_items(people.leader)
        assert "健步走" in what and "后天的活动" not in what and count == 1
        assert (
            url
            == reverse("plans:month", args=[org.A1.pk, tomorrow.year, tomorrow.month])
            + f"#item-{item.pk}"
        )
        assert todo_items(people.leader_b1) == []
        assert todo_items(people.ws_a) == []
        PlannedActivity.objects.filter(pk=item.pk).update(reason_not_held="改期")
        assert todo_items(people.leader) == []


class TestScope:
    @pytest.mark.parametrize("name", ["item_edit", "item_hold", "item_tie", "item_not_held"])
    def test_another_groups_leader_gets_404_on_an_item(self, org, people, approved, login, name):
        url = reverse(f"plans:{name}", args=[approved.item.pk])
        assert login(people.leader_b1).get(url).status_code == 404

    def test_another_groups_leader_gets_404_on_the_groups_pages(self, org, people, approved, login):
        month = today()
        client = login(people.leader_b1)
        for url in (
            reverse("plans:year", args=[org.A1.pk, month.year]),
            reverse("plans:month", args=[org.A1.pk, month.year, month.month]),
            reverse("plans:item_new", args=[org.A1.pk, month.year]),
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("plans:item_delete", args=[approved.item.pk])).status_code == 404
        assert PlannedActivity.objects.filter(pk=approved.item.pk).exists()

    def test_the_other_workshop_union_sees_neither_panel(self, org, people, approved, login):
        client = login(people.ws_b)
        assert client.get(reverse("homes:plan", args=[approved.plan.pk])).status_code == 404
        assert client.get(report_url(org.A1, today())).status_code == 404
        month = today().replace(day=1)
        assert record_panels(people.ws_b, "activities.report", group=org.A1, month=month) == []
        assert record_panels(people.ws_b, "homes.plan", plan=approved.plan) == []
        rows = client.get(reverse("plans:overview")).context["rows"]
        assert {row.group for row in rows} == {org.B1, org.B2}
        # Its own workshop union opens the report's panel.
        page = login(people.ws_a).get(report_url(org.A1, today())).content.decode()
        assert 'id="planned-vs-held"' in page and "读书会" in page


class TestQueryCounts:
    def grow(self, org, people, n):
        for i in range(n):
            PlannedActivity.objects.create(
                group=org.A1,
                year=today().year,
                month=today().replace(day=1),
                planned_on=today(),
                area=area(),
                title=f"活动{i}",
                created_by=people.leader,
                activity=ActivityFactory(group=org.A1, recorded_by=people.leader)
                if i % 2
                else None,
                reason_not_held="下雨" if i % 3 == 0 else "",
            )
            ActivityFactory(group=org.A1, recorded_by=people.leader, title=f"计划外{i}")
            ActivityFactory(group=org.A2, recorded_by=people.leader, held_on=today())

    def test_month_summary_runs_three_queries(
        self, org, people, approved, django_assert_num_queries
    ):
        # the month's items with areas and activities, the activities no item claims,
        # the month's arrangements
        with django_assert_num_queries(3):
            selectors.month_summary(org.A1, today())
        self.grow(org, people, 8)
        with django_assert_num_queries(3):
            summary = selectors.month_summary(org.A1, today())
        assert summary.planned_count == 9 and len(summary.unplanned) == 8

    def test_the_pages_run_the_same_queries_however_many_items(
        self, org, people, approved, login, django_assert_num_queries
    ):
        client = login(people.ws_a)
        month = today()
        # Each page starts with the session, the user, their roles and the menu's two
        # small-home queries (5).
        pages = {
            # the group, the creation plan, its items, its monthly plans, the content areas
            reverse("plans:year", args=[org.A1.pk, month.year]): 10,
            # the group, the month's items, its unplanned activities, its arrangements, the
            # creation plan
            reverse("plans:month", args=[org.A1.pk, month.year, month.month]): 10,
            # the workshop unions, the groups counted, a page of them, their figures, their
            # creation plans
            reverse("plans:overview") + f"?year={month.year}": 10,
            # the creation plan, the content areas, and the items' panel (one query)
            reverse("homes:plan", args=[approved.plan.pk]): 8,
        }
        for url, expected in pages.items():
            with django_assert_num_queries(expected):
                assert client.get(url).status_code == 200
        self.grow(org, people, 12)
        for url, expected in pages.items():
            with django_assert_num_queries(expected):
                assert client.get(url).status_code == 200


def test_a_leader_of_one_group_lands_on_its_year_plan(org, people, approved, login):
    response = login(people.leader).get(reverse("plans:overview"))
    assert response.url == reverse("plans:year", args=[org.A1.pk, today().year])


def test_a_month_gone_by_keeps_its_arrangements(org, people, approved):
    gone_by = today().replace(day=1) - timedelta(days=1)
    with pytest.raises(ValidationError):
        services.month_plan_save(by=people.leader, group=org.A1, month=gone_by, arrangements="补写")
    assert not MonthPlan.objects.exists()


# The reviewer's round: dates, the monthly report's lock, above-group activities, counts. --


def march(day=1):
    return date(today().year, 3, day)


def old_item(org, people, day, **extra):
    """An item written straight to the table (the services refuse a day gone by)."""
    return PlannedActivity.objects.create(
        group=org.A1,
        year=day.year,
        month=day.replace(day=1),
        planned_on=day,
        area=area(),
        title=extra.pop("title", "读书会"),
        created_by=people.leader,
        **extra,
    )


class TestDatesAndTheMonth:
    def test_an_activity_held_outside_the_items_month_is_refused(
        self, org, people, approved, login
    ):
        client = login(people.leader)
        url = reverse("plans:item_hold", args=[approved.item.pk])
        field = client.get(url).context["form"].fields["held_on"]
        month = approved.item.month
        assert field.widget.attrs["min"] == month.isoformat()
        outside = month - timedelta(days=1)
        with pytest.raises(ValidationError) as refused:
            services.item_hold(
                by=people.leader, item=approved.item, area=area(), title="读书会", held_on=outside
            )
        assert list(refused.value.error_dict) == ["held_on"]
        response = client.post(
            url,
            {
                "area": area().pk,
                "title": "读书会",
                "held_on": outside.isoformat(),
                "participants": [org.members["A1"][0].pk],
                "guests_count": "0",
            },
        )
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["held_on"], response.context["form"].errors
        approved.item.refresh_from_db()
        assert approved.item.activity is None and not Activity.objects.exists()

    def test_a_day_gone_by_is_refused_when_an_edit_moves_an_item(self, org, people, year, login):
        write_plan(org, people.leader, year)
        item = plan_item(people.leader, org.A1, today())
        form = login(people.leader).get(reverse("plans:item_new", args=[org.A1.pk, year]))
        assert form.context["form"].fields["planned_on"].widget.attrs["min"] == (
            today().isoformat()
        )
        with pytest.raises(ValidationError) as refused:
            services.item_change(
                by=people.leader,
                item=item,
                planned_on=today() - timedelta(days=1),
                area=area(),
                title="改期",
            )
        assert list(refused.value.error_dict) == ["planned_on"]
        # An item already dated in the past keeps its day when other words change.
        PlannedActivity.objects.filter(pk=item.pk).update(
            planned_on=today().replace(day=1), month=today().replace(day=1)
        )
        item.refresh_from_db()
        services.item_change(
            by=people.leader, item=item, planned_on=item.planned_on, area=area(), title="改名"
        )

    def test_forms_that_cannot_be_saved_are_not_opened(self, org, people, year, login):
        plan = write_plan(org, people.leader, year)
        item = plan_item(people.leader, org.A1, today())
        homes.plan_submit(plan=plan, by=people.leader, version=plan.version)
        client = login(people.leader)
        year_url = reverse("plans:year", args=[org.A1.pk, year])
        assert client.get(reverse("plans:item_new", args=[org.A1.pk, year])).url == year_url
        assert client.get(reverse("plans:item_edit", args=[item.pk])).url == year_url


class TestTheMonthStaysOpenUntilItIsOver:
    def test_an_item_gone_by_awaits_its_record_until_the_month_is_over(self, org, people, year):
        item = old_item(org, people, march(10))
        during = selectors.month_summary(org.A1, march(), today=march(20))
        assert during.not_held == [] and during.ahead == [item] and during.awaiting == [item]
        before = selectors.month_summary(org.A1, march(), today=march(5))
        assert before.ahead == [item] and before.awaiting == []
        after = selectors.month_summary(org.A1, march(), today=date(year, 4, 1))
        assert after.not_held == [item] and after.ahead == []

    def test_a_submitted_report_closes_the_month(self, org, people, year):
        item = old_item(org, people, march(10))
        report = MonthlyReport.objects.create(group=org.A1, month=march())
        assert selectors.month_summary(org.A1, march(), today=march(20)).ahead == [item]
        MonthlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
        assert selectors.month_summary(org.A1, march(), today=march(20)).not_held == [item]

    def test_the_overview_counts_held_and_not_held(self, org, people, year):
        old_item(org, people, march(3), reason_not_held="下雨")  # not held, a reason
        old_item(org, people, march(10))  # awaiting its record in March, not held after
        held = old_item(
            org, people, march(12), activity=ActivityFactory(group=org.A1, held_on=march(12))
        )
        gone = old_item(
            org, people, march(14), activity=ActivityFactory(group=org.A1, held_on=march(14))
        )
        Activity.objects.filter(pk=gone.activity_id).update(deleted_at=held.created_at)
        old_item(org, people, date(year, 5, 2), added_after_approval=True)  # ahead

        def counts(day):
            groups = org.A1.__class__.objects.filter(pk=org.A1.pk)
            [row] = selectors.overview_rows(
                selectors.overview(groups=groups, year=year, today=day), year
            )
            return row.planned, row.held, row.not_held, row.added

        assert counts(march(20)) == (5, 1, 1, 1)
        assert counts(date(year, 4, 1)) == (5, 1, 3, 1)
        MonthlyReport.objects.create(group=org.A1, month=march(), status=ReportStatus.APPROVED)
        assert counts(march(20)) == (5, 1, 3, 1)


class TestTheReportedMonthIsKept:
    def test_no_step_once_the_monthly_report_is_submitted(self, org, people, approved, login):
        month = today().replace(day=1)
        activity = ActivityFactory(group=org.A1, recorded_by=people.leader)
        MonthlyReport.objects.create(group=org.A1, month=month, status=ReportStatus.SUBMITTED)
        item = approved.item
        for step, kwargs in (
            (services.item_tie, {"activity": activity}),
            (services.item_not_held, {"reason": "设备抢修"}),
            (services.item_hold, {"area": area(), "title": "读书会", "held_on": today()}),
        ):
            with translation.override("en"), pytest.raises(ValidationError, match="monthly report"):
                step(by=people.leader, item=item, **kwargs)
        with translation.override("en"), pytest.raises(ValidationError, match="monthly report"):
            services.month_plan_save(
                by=people.leader, group=org.A1, month=month, arrangements="补写"
            )
        client = login(people.leader)
        month_url = reverse("plans:month", args=[org.A1.pk, month.year, month.month])
        for name in ("item_hold", "item_tie", "item_not_held"):
            assert client.get(reverse(f"plans:{name}", args=[item.pk])).url == month_url
        item.refresh_from_db()
        assert item.activity is None and item.reason_not_held == ""

    def test_a_refused_arrangement_is_shown_again_with_its_message(
        self, org, people, approved, login
    ):
        month = today().replace(day=1)
        url = reverse("plans:month_plan", args=[org.A1.pk, month.year, month.month])
        response = login(people.leader).post(url, {"arrangements": "   "})
        assert response.status_code == 200
        assert response.context["month_form"].errors["arrangements"]
        MonthlyReport.objects.create(group=org.A1, month=month, status=ReportStatus.APPROVED)
        response = login(people.leader).post(url, {"arrangements": "本月召开小组会"})
        assert response.status_code == 200
        assert response.context["month_form"].non_field_errors()
        assert "本月召开小组会" in response.content.decode()
        assert not MonthPlan.objects.exists()


class TestActivitiesAboveTheGroup:
    def test_a_meeting_the_group_took_part_in_counts_and_ties(self, org, people, approved):
        meeting = ActivityFactory(
            group=None,
            level=ActivityLevel.WORKSHOP,
            host_workshop=org.a,
            title="小组长会议",
            recorded_by=people.ws_a,
        )
        elsewhere = ActivityFactory(
            group=None,
            level=ActivityLevel.WORKSHOP,
            host_workshop=org.a,
            title="另一次会议",
            recorded_by=people.ws_a,
        )
        ActivityGroup.objects.create(activity=meeting, group=org.A1)
        ActivityGroup.objects.create(activity=elsewhere, group=org.A2)
        assert list(services.tie_choices(approved.item)) == [meeting]
        assert selectors.month_summary(org.A1, today()).unplanned == [meeting]
        with pytest.raises(ValidationError):
            services.item_tie(by=people.leader, item=approved.item, activity=elsewhere)
        services.item_tie(by=people.leader, item=approved.item, activity=meeting)
        summary = selectors.month_summary(org.A1, today())
        assert summary.held == [approved.item] and summary.unplanned == []

    def test_each_group_that_took_part_may_claim_the_meeting_once(self, org, people, approved):
        meeting = ActivityFactory(
            group=None,
            level=ActivityLevel.WORKSHOP,
            host_workshop=org.a,
            title="小组长会议",
            recorded_by=people.ws_a,
        )
        for group in (org.A1, org.A2):
            ActivityGroup.objects.create(activity=meeting, group=group)
        services.item_tie(by=people.leader, item=approved.item, activity=meeting)
        day = today()
        theirs = PlannedActivity.objects.create(
            group=org.A2,
            year=day.year,
            month=day.replace(day=1),
            planned_on=day,
            area=area("political_study"),
            title="小组长会议",
            created_by=people.ws_a,
        )
        another_of_ours = PlannedActivity.objects.create(
            group=org.A1,
            year=day.year,
            month=day.replace(day=1),
            planned_on=day,
            area=area("political_study"),
            title="又一次会议",
            created_by=people.leader,
        )
        # A2 may still claim it; A1 has claimed it already, with its first item.
        assert meeting in services.tie_choices(theirs)
        assert meeting not in services.tie_choices(another_of_ours)
        theirs.activity = meeting
        theirs.save()
        assert selectors.month_summary(org.A2, day).unplanned == []


class TestADeletedActivity:
    def test_the_item_is_open_again_and_reminded(self, org, people, approved):
        tomorrow = today() + timedelta(days=1)
        item = old_item(org, people, tomorrow, added_after_approval=True)
        held = ActivityFactory(group=org.A1, recorded_by=people.leader)
        PlannedActivity.objects.filter(pk=item.pk).update(activity=held)
        assert selectors.due_tomorrow(group_ids=[org.A1.pk]) == []
        activity_services.activity_delete(activity=held, by=people.hq)
        assert selectors.due_tomorrow(group_ids=[org.A1.pk]) == [item]

    def test_an_addition_tied_to_a_deleted_activity_can_be_changed(self, org, people, approved):
        added = plan_item(people.leader, org.A1, today(), title="临时加一次")
        held = ActivityFactory(group=org.A1, recorded_by=people.leader)
        added = services.item_tie(by=people.leader, item=added, activity=held)
        assert not services.item_editable(added, approved.plan)
        activity_services.activity_delete(activity=held, by=people.hq)
        added = PlannedActivity.objects.select_related("activity").get(pk=added.pk)
        assert services.item_editable(added, approved.plan)
        services.item_change(
            by=people.leader, item=added, planned_on=today(), area=area(), title="改过"
        )
