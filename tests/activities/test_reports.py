"""The monthly report workflow: 草稿 → 已提交 → 已通过, or 退回 and back to 草稿."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import services
from activities.models import MonthlyReport, ReportEvent, ReportStatus
from activities.periods import report_deadline
from activities.selectors import ReportRow, overdue_rows, report_rows
from tests.factories import ActivityFactory, leader_user, workshop_user

JANUARY = date(2026, 1, 1)


def submit(group, by, month=JANUARY, version=0, summary="本月完成学习和练兵。"):
    return services.report_submit(group=group, month=month, by=by, version=version, summary=summary)


@pytest.fixture
def submitted(org, leader_a1):
    ActivityFactory(
        group=org.A1,
        held_on=date(2026, 1, 10),
        participants=org.members["A1"][:2],
        recorded_by=leader_a1,
    )
    return submit(org.A1, leader_a1)


class TestDraftAndSubmit:
    def test_saving_creates_the_draft_once_and_records_the_step(self, org, leader_a1):
        report = services.report_save(
            group=org.A1, month=JANUARY, by=leader_a1, version=0, summary="草稿"
        )
        again = services.report_save(
            group=org.A1, month=JANUARY, by=leader_a1, version=report.version, summary="草稿二"
        )
        assert again.pk == report.pk and again.summary == "草稿二"
        assert MonthlyReport.objects.count() == 1
        assert list(again.events.values_list("action", flat=True)) == ["saved", "saved"]

    def test_submitting_freezes_the_figures(self, org, leader_a1, submitted):
        assert submitted.status == ReportStatus.SUBMITTED
        assert submitted.figures["activities"] == 1
        assert submitted.figures["own_participants"] == 2
        # A record added later does not change the submitted report.
        ActivityFactory(group=org.A1, held_on=date(2026, 1, 20), recorded_by=leader_a1)
        submitted.refresh_from_db()
        assert submitted.figures["activities"] == 1
        assert (submitted.submitted_by, submitted.first_submitted_at) == (
            leader_a1,
            submitted.submitted_at,
        )

    def test_submitting_twice_is_refused(self, org, leader_a1, submitted):
        with pytest.raises(ValidationError):
            submit(org.A1, leader_a1, version=submitted.version)

    def test_a_summary_is_needed_to_submit(self, org, leader_a1):
        with pytest.raises(ValidationError) as error:
            submit(org.A1, leader_a1, summary="  ")
        assert "summary" in error.value.error_dict
        assert not MonthlyReport.objects.filter(status=ReportStatus.SUBMITTED).exists()

    def test_the_running_month_cannot_be_submitted(self, org, leader_a1):
        this_month = timezone.localdate().replace(day=1)
        with pytest.raises(ValidationError):
            submit(org.A1, leader_a1, month=this_month)

    def test_a_future_month_cannot_be_opened(self, org, leader_a1):
        next_year = timezone.localdate().replace(day=1, year=timezone.localdate().year + 1)
        with pytest.raises(ValidationError):
            services.report_save(group=org.A1, month=next_year, by=leader_a1, version=0)

    def test_a_leader_cannot_file_another_groups_report(self, org, leader_a1):
        with pytest.raises(PermissionDenied):
            submit(org.A2, leader_a1)
        assert not MonthlyReport.objects.exists()


class TestReview:
    def test_workshop_approves(self, org, workshop_a, submitted):
        report = services.report_approve(report=submitted, by=workshop_a, version=submitted.version)
        assert (report.status, report.reviewed_by) == (ReportStatus.APPROVED, workshop_a)
        assert report.events.last().action == ReportEvent.Action.APPROVED

    def test_return_needs_a_reason_and_reopens_the_draft(
        self, org, workshop_a, leader_a1, submitted
    ):
        with pytest.raises(ValidationError):
            services.report_return(
                report=submitted, by=workshop_a, version=submitted.version, reason=" "
            )
        report = services.report_return(
            report=submitted, by=workshop_a, version=submitted.version, reason="照片不全"
        )
        assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "照片不全")
        assert report.is_editable
        # Back with the leader: the figures compile again until the next submission.
        ActivityFactory(group=org.A1, held_on=date(2026, 1, 25), recorded_by=leader_a1)
        again = submit(org.A1, leader_a1, version=report.version)
        assert again.figures["activities"] == 2
        assert again.first_submitted_at < again.submitted_at
        assert list(again.events.values_list("action", flat=True)) == [
            "submitted",
            "returned",
            "submitted",
        ]

    def test_a_leader_cannot_approve_their_own_report(self, org, leader_a1, submitted):
        with pytest.raises(PermissionDenied):
            services.report_approve(report=submitted, by=leader_a1, version=submitted.version)

    def test_nobody_reviews_what_they_submitted(self, org, workshop_a):
        report = submit(org.A1, workshop_a)  # the workshop filled it in for the group
        with pytest.raises(ValidationError):
            services.report_approve(report=report, by=workshop_a, version=report.version)

    def test_another_workshop_cannot_review(self, org, submitted):
        outsider = workshop_user(org.b)
        with pytest.raises(PermissionDenied):
            services.report_approve(report=submitted, by=outsider, version=submitted.version)

    def test_a_draft_cannot_be_approved(self, org, leader_a1, workshop_a):
        draft = services.report_save(group=org.A1, month=JANUARY, by=leader_a1, version=0)
        with pytest.raises(ValidationError):
            services.report_approve(report=draft, by=workshop_a, version=draft.version)

    def test_an_approved_report_cannot_be_changed(self, org, leader_a1, workshop_a, submitted):
        services.report_approve(report=submitted, by=workshop_a, version=submitted.version)
        with pytest.raises(ValidationError):
            services.report_save(
                group=org.A1,
                month=JANUARY,
                by=leader_a1,
                version=submitted.version + 1,
                summary="改",
            )


class TestTwoPeopleAtOnce:
    def test_the_second_reviewer_is_told_and_nothing_changes(self, org, workshop_a, hq, submitted):
        seen = submitted.version  # both opened the page at this version
        services.report_approve(report=submitted, by=workshop_a, version=seen)
        with pytest.raises(services.ConcurrentChange) as error:
            services.report_return(report=submitted, by=hq, version=seen, reason="重写")
        assert workshop_a.name in str(error.value)
        submitted.refresh_from_db()
        assert submitted.status == ReportStatus.APPROVED

    def test_two_first_saves_of_a_new_report(self, org, leader_a1, workshop_a):
        services.report_save(group=org.A1, month=JANUARY, by=leader_a1, version=0, summary="甲")
        with pytest.raises(services.ConcurrentChange):
            services.report_save(
                group=org.A1, month=JANUARY, by=workshop_a, version=0, summary="乙"
            )
        assert MonthlyReport.objects.get().summary == "甲"


class TestDeadline:
    @pytest.fixture
    def today(self, monkeypatch):
        def set_today(day):
            monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

        return set_today

    def test_the_deadline_is_the_fifth_of_next_month_by_default(self, settings):
        assert report_deadline(date(2026, 1, 1)) == date(2026, 2, 5)
        assert report_deadline(date(2026, 12, 1)) == date(2027, 1, 5)
        settings.UNIONHOME = {**settings.UNIONHOME, "REPORT_DEADLINE_DAY": 10}
        assert report_deadline(date(2026, 1, 1)) == date(2026, 2, 10)

    def test_overdue_only_after_the_deadline_and_until_submitted(self, org, today):
        row = ReportRow(org.A1, JANUARY, None)
        today(date(2026, 2, 5))
        assert not row.is_overdue
        today(date(2026, 2, 6))
        assert row.is_overdue
        row.report = MonthlyReport(group=org.A1, month=JANUARY, status=ReportStatus.RETURNED)
        assert row.is_overdue
        row.report.status = ReportStatus.SUBMITTED
        assert not row.is_overdue

    def test_on_time_is_the_first_submission_by_the_deadline(self, org):
        late = timezone.make_aware(datetime(2026, 2, 6, 9, 0))
        report = MonthlyReport(group=org.A1, month=JANUARY, first_submitted_at=late)
        assert ReportRow(org.A1, JANUARY, report).on_time is False
        report.first_submitted_at = late - timedelta(days=1)
        assert ReportRow(org.A1, JANUARY, report).on_time is True

    def test_overdue_lists_show_each_user_their_own_part(
        self, org, leader_a1, workshop_a, hq, today
    ):
        today(date(2026, 3, 20))
        submit(org.A1, leader_a1, month=date(2026, 2, 1))
        for user, expected in [
            (hq, {("A1", 1), ("A2", 1), ("A2", 2), ("B1", 1), ("B1", 2), ("B2", 1), ("B2", 2)}),
            (workshop_a, {("A1", 1), ("A2", 1), ("A2", 2)}),
            (leader_a1, {("A1", 1)}),
        ]:
            rows = overdue_rows(user=user, months=2)
            assert {(r.group.code, r.month.month) for r in rows} == expected, user

    def test_a_new_group_owes_no_report_for_the_months_before_it_was_set_up(self, org, hq, today):
        """A group entered on 10 February owes February's report on, not January's."""
        from activities.metrics import reports_on_time
        from activities.selectors import overdue_counts
        from tests.factories import UnionGroupFactory

        entered = timezone.make_aware(datetime(2026, 2, 10, 9, 0))
        new = UnionGroupFactory(workshop=org.a, code="NEW", created_at=entered)
        today(date(2026, 4, 20))  # January to March are past their deadlines
        rows = [r for r in overdue_rows(user=hq, months=3) if r.group == new]
        assert [r.month.month for r in rows] == [3, 2]
        assert not ReportRow(new, JANUARY, None).is_overdue
        assert ReportRow(new, date(2026, 2, 1), None).is_overdue
        # The dashboard's counts agree with the rows, group by group.
        everyone = overdue_rows(user=hq, months=3)
        counts = overdue_counts(user=hq, months=3)
        assert counts[org.a.pk] == sum(1 for r in everyone if r.group.workshop_id == org.a.pk)
        assert counts[org.b.pk] == sum(1 for r in everyone if r.group.workshop_id == org.b.pk)
        # A report handed in for a month before the group existed owes nothing and
        # lowers no count.
        submit(new, hq, month=JANUARY)
        assert overdue_counts(user=hq, months=3) == counts
        MonthlyReport.objects.filter(group=new, month=JANUARY).delete()
        # On time: one of the two months it owed, not one of three.
        submit(new, hq, month=date(2026, 2, 1))
        MonthlyReport.objects.filter(group=new).update(
            first_submitted_at=timezone.make_aware(datetime(2026, 3, 2, 9, 0))
        )
        rates = reports_on_time(group_ids=[new.pk], start=JANUARY, end=date(2026, 3, 31))
        assert rates == {new.pk: 0.5}

    def test_the_month_table_counts_every_group_and_lists_the_chosen_status(
        self, org, leader_a1, hq, today
    ):
        from activities.selectors import month_table
        from tests.factories import UnionGroupFactory

        february = date(2026, 2, 1)
        UnionGroupFactory(
            workshop=org.a, code="NEW", created_at=timezone.make_aware(datetime(2026, 3, 2))
        )
        submit(org.A1, leader_a1, month=february)
        today(date(2026, 3, 5))  # the deadline day: nothing is overdue yet
        table = month_table(user=hq, month=february)
        groups = list(table.groups)
        assert table.listed == len(groups) == len(report_rows(user=hq, month=february))
        assert table.counts["submitted"] == 1
        assert table.counts["missing"] == len(groups) - 1
        assert table.counts["overdue"] == 0
        assert not month_table(user=hq, month=february, status="overdue").groups.exists()
        today(date(2026, 3, 6))
        overdue = month_table(user=hq, month=february, status="overdue")
        # Every group but the one that handed it in and the one set up in March.
        expected = {g.code for g in groups} - {"A1", "NEW"}
        assert {g.code for g in overdue.groups} == expected
        assert overdue.listed == overdue.counts["overdue"] == len(expected)
        submitted = month_table(user=hq, month=february, status="submitted")
        assert [g.code for g in submitted.groups] == ["A1"]
        [row] = submitted.rows(list(submitted.groups), february)
        assert row.report.status == ReportStatus.SUBMITTED
        mine = month_table(user=leader_a1, month=february)
        assert [g.code for g in mine.groups] == ["A1"]

    def test_on_time_is_judged_by_the_local_day_of_the_deadline(self, org, hq, today):
        from activities.metrics import reports_on_time
        from activities.periods import report_deadline

        today(date(2026, 4, 20))
        submit(org.A1, hq, month=JANUARY)
        deadline = report_deadline(JANUARY)
        last_minute = timezone.make_aware(datetime.combine(deadline, datetime.min.time()))
        for moment, rate in [
            (last_minute + timedelta(hours=23, minutes=59), 1.0),  # 23:59 北京时间: on time
            (last_minute + timedelta(days=1), 0.0),  # midnight after: late
        ]:
            MonthlyReport.objects.filter(group=org.A1).update(first_submitted_at=moment)
            rates = reports_on_time(group_ids=[org.A1.pk], start=JANUARY, end=JANUARY)
            assert rates == {org.A1.pk: rate}, moment

    def test_report_rows_include_groups_without_a_report(self, org, workshop_a):
        rows = report_rows(user=workshop_a, month=JANUARY)
        assert [(r.group.code, r.report) for r in rows] == [("A1", None), ("A2", None)]


def test_leader_user_of_another_group_sees_no_row(org):
    leader_b1 = leader_user(org.B1)
    assert [r.group.code for r in report_rows(user=leader_b1, month=JANUARY)] == ["B1"]


def test_the_running_month_offers_a_draft_and_says_when_it_can_be_submitted(org, login):
    """The submit button shows only for a month that is over; the running month says why."""
    from django.urls import reverse

    from activities.periods import month_start, previous_month
    from tests.factories import leader_user, today

    client = login(leader_user(org.A1))
    running = month_start(today())
    page = client.get(
        reverse("activities:report_detail", args=[org.A1.pk, running.year, running.month])
    ).content.decode()
    submit = reverse("activities:report_submit", args=[org.A1.pk, running.year, running.month])
    assert submit not in page
    assert "本月尚未结束：现在可以先保存草稿，月底之后再提交。" in page
    last = previous_month(running)
    page = client.get(
        reverse("activities:report_detail", args=[org.A1.pk, last.year, last.month])
    ).content.decode()
    assert reverse("activities:report_submit", args=[org.A1.pk, last.year, last.month]) in page
    assert 'id="submit-later"' not in page


class TestReviewList:
    """待审核的月报: every report waiting for the reviewer, any month, approved in bulk."""

    @pytest.fixture
    def waiting(self, org, leader_a1):
        leader_a2 = leader_user(org.A2, username="leader_a2")
        return [
            submit(org.A1, leader_a1, month=JANUARY),
            submit(org.A1, leader_a1, month=date(2026, 2, 1)),
            submit(org.A2, leader_a2, month=date(2026, 2, 1)),
        ]

    def test_the_to_do_count_opens_a_list_of_exactly_those_reports(
        self, org, login, workshop_a, waiting
    ):
        from activities.todo import todo_items

        (label, count, url), *_ = todo_items(workshop_a)
        assert (label, count) == ("待审核的月报", 3)
        response = login(workshop_a).get(url)
        assert response.context["page"].paginator.count == 3
        assert response.content.decode().count("data-row") == 3
        assert "2026年1月" in response.content.decode()

    def test_ticked_reports_are_approved_each_at_its_version(
        self, org, login, workshop_a, hq, waiting
    ):
        first, second, third = waiting
        # HQ returns the third meanwhile: the reviewer's tick was for the version they saw.
        services.report_return(report=third, by=hq, version=third.version, reason="补充")
        response = login(workshop_a).post(
            "/reports/review/approve/",
            {"report": [f"{r.pk}:{r.version}" for r in waiting]},
            follow=True,
        )
        statuses = dict(MonthlyReport.objects.values_list("pk", "status"))
        assert statuses == {
            first.pk: ReportStatus.APPROVED,
            second.pk: ReportStatus.APPROVED,
            third.pk: ReportStatus.RETURNED,
        }
        text = response.content.decode()
        assert "已批准 2 份月报" in text
        assert "检修班，2026年2月：未批准" in text
        assert response.context["page"].paginator.count == 0

    def test_odd_ticks_are_ignored_and_said(self, login, workshop_a, waiting):
        client = login(workshop_a)
        for odd in (f"{waiting[0].pk}:²", "x:1", "99999999:1", f"{waiting[0].pk}:"):
            response = client.post("/reports/review/approve/", {"report": odd}, follow=True)
            assert response.status_code == 200, odd
        said = [str(m) for m in response.context["messages"]]
        assert said == ["请先勾选要批准的月报。"]
        response = client.post("/reports/review/approve/", {"report": "99999999:1"}, follow=True)
        assert [str(m) for m in response.context["messages"]] == [
            "勾选的月报都已不在待您审核之列。"
        ]
        assert not MonthlyReport.objects.filter(status=ReportStatus.APPROVED).exists()

    def test_a_changed_report_is_left_for_a_second_look(self, org, login, workshop_a, waiting):
        first = waiting[0]
        login(workshop_a).post(
            "/reports/review/approve/", {"report": f"{first.pk}:{first.version - 1}"}
        )
        first.refresh_from_db()
        assert first.status == ReportStatus.SUBMITTED

    def test_nothing_ticked_is_said_and_another_workshop_approves_nothing(
        self, org, login, waiting
    ):
        other = workshop_user(org.b, username="ws_b")
        response = login(other).post(
            "/reports/review/approve/", {"report": [f"{r.pk}:{r.version}" for r in waiting]}
        )
        assert response.status_code == 302
        assert not MonthlyReport.objects.filter(status=ReportStatus.APPROVED).exists()
        assert login(other).get("/reports/review/").context["page"].paginator.count == 0
        response = login(other).post("/reports/review/approve/", {}, follow=True)
        assert "请先勾选要批准的月报" in response.content.decode()

    def test_the_list_runs_the_same_queries_however_many_wait(
        self, org, login, workshop_a, waiting, django_assert_num_queries
    ):
        client = login(workshop_a)
        # session, user, roles, the menu's small-home links (2), count, page of reports with
        # group, workshop and submitter
        with django_assert_num_queries(7):
            client.get("/reports/review/")
        leader_a2 = leader_user(org.A2, username="leader_a2b")
        for month in (3, 4, 5):
            submit(org.A2, leader_a2, month=date(2026, month, 1))
        with django_assert_num_queries(7):
            assert client.get("/reports/review/").context["page"].paginator.count == 6

    def test_a_leader_has_no_review_list(self, login, leader_a1, waiting):
        assert login(leader_a1).get("/reports/review/").status_code == 403
