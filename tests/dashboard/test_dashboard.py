"""Home pages by role, the to-do list, reminders and the annual summary."""

import io
import json
import threading
from datetime import date, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from activities import services as activity_services
from dashboard.figures import overview
from dashboard.models import ReminderChannel, ReminderDelivery
from dashboard.reminders import send_reminders
from groups.models import HomeStage, UnionGroup
from tests.factories import ActivityFactory, area, publish, today, workshop_user

THIS_YEAR = today().year


@pytest.fixture
def year_data(org, hq):
    """This year: A1 has 3 activities (two areas) with 2 of its 3 members taking part; B1
    has 1 activity with 1 member; A1's small home is being built."""
    early = date(THIS_YEAR, 1, 10)
    ActivityFactory(group=org.A1, held_on=early, recorded_by=hq, participants=org.members["A1"][:2])
    ActivityFactory(group=org.A1, held_on=early, recorded_by=hq, area=area("skills"))
    ActivityFactory(
        group=org.A1, held_on=early + timedelta(days=31), recorded_by=hq, area=area("skills")
    )
    ActivityFactory(group=org.B1, held_on=early, recorded_by=hq, participants=org.members["B1"][:1])
    ActivityFactory(
        group=org.B1,
        held_on=date(THIS_YEAR - 1, 6, 1),
        recorded_by=hq,
        participants=org.members["B1"],
    )  # last year: does not count
    # A1's small home is accepted (it counts in the coverage); B2's is being built.
    UnionGroup.objects.filter(pk=org.A1.pk).update(
        home_stage=HomeStage.ACCEPTED, home_started_on=early, home_accepted_on=early
    )
    UnionGroup.objects.filter(pk=org.B2.pk).update(
        home_stage=HomeStage.BUILDING, home_started_on=early
    )
    return org


class TestFigures:
    def test_hq_figures_against_the_hand_count(self, year_data, hq):
        o = overview(user=hq, year=THIS_YEAR)
        # 1 of 4 groups has an accepted small home (B2's is being built, beside it);
        # 3 of 12 members took part.
        assert (o.coverage, o.participants, o.members, o.participation) == (0.25, 3, 12, 0.25)
        assert o.tree.building_count == 1
        assert o.homes.total.stages == {"accepted": 1, "building": 1, "not_started": 2}
        assert o.activities.total == 4
        assert {a.code: n for a, n in o.activities.areas}["skills"] == 2
        assert o.activities.months[0] == (date(THIS_YEAR, 1, 1), 3)
        rows = {row.workshop.code: row for row in o.rows}
        assert (rows["A"].activities, rows["A"].participants, rows["A"].coverage) == (3, 2, 0.5)
        assert (rows["B"].activities, rows["B"].participants) == (1, 1)

    def test_a_workshop_never_sees_anothers_figures(self, year_data, workshop_a, login):
        page = login(workshop_a).get("/")
        o = page.context["o"]
        assert o.activities.total == 3 and o.members == 6
        assert [row.workshop.code for row in o.rows] == ["A"]
        assert {row.group.code for row in page.context["groups"]} == {"A1", "A2"}
        assert "汽机车间" not in page.content.decode()

    def test_a_leader_sees_their_group_only(self, year_data, leader_a1, login):
        page = login(leader_a1).get("/")
        assert "dashboard/leader_home.html" in [t.name for t in page.templates]
        counts = {a.code: n for a, n in page.context["areas"]}
        assert counts == {
            "political_study": 1,
            "skills": 2,
            "warm_service": 0,
            "mutual_help": 0,
            "care_talks": 0,
            "recreation": 0,
        }
        assert "运行甲班" not in page.content.decode()

    def test_a_leaders_home_reads_as_many_queries_whatever_the_organisations_size(
        self, year_data, leader_a1, hq, login, django_assert_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import MemberFactory, UnionGroupFactory, WorkshopUnionFactory

        client = login(leader_a1)
        client.get("/")
        with CaptureQueriesContext(connection) as few:
            assert client.get("/").status_code == 200
        for _ in range(3):
            group = UnionGroupFactory(workshop=WorkshopUnionFactory())
            members = MemberFactory.create_batch(3, group=group)
            ActivityFactory(
                group=group, held_on=date(THIS_YEAR, 3, 1), recorded_by=hq, participants=members
            )
        ActivityFactory(group=year_data.A1, held_on=date(THIS_YEAR, 3, 2), recorded_by=hq)
        with django_assert_num_queries(len(few)):
            page = client.get("/")
        # The group's own areas, counted once more for the new activity.
        assert sum(n for _area, n in page.context["areas"]) == 4

    def test_a_returned_report_comes_first_with_its_reason_until_resubmitted(
        self, org, leader_a1, workshop_a, login
    ):
        month = date(THIS_YEAR - 1, 11, 1)
        report = activity_services.report_submit(
            group=org.A1, month=month, by=leader_a1, version=0, summary="总结"
        )
        activity_services.report_return(
            report=report, by=workshop_a, version=report.version, reason="缺少活动照片"
        )
        text = login(leader_a1).get("/").content.decode()
        assert f"{THIS_YEAR - 1}年11月的月报被退回" in text
        assert text.index("缺少活动照片") < text.index('class="stats"')
        report.refresh_from_db()
        activity_services.report_submit(
            group=org.A1, month=month, by=leader_a1, version=report.version, summary="补充"
        )
        assert "被退回" not in login(leader_a1).get("/").content.decode()

    def test_the_same_numbers_three_ways(self, year_data, hq, login):
        """The dashboard, the activity list behind it and the summary workbook agree."""
        client = login(hq)
        home = client.get("/").context["o"]
        listed = client.get(
            reverse("activities:activity_list"),
            {"start": home.start.isoformat(), "end": home.end.isoformat()},
        )
        workbook = load_workbook(
            io.BytesIO(client.get(reverse("dashboard:summary_export"), {"year": THIS_YEAR}).content)
        )
        figures = dict(workbook["关键数据"].iter_rows(min_row=2, values_only=True))
        assert (
            home.activities.total == listed.context["page"].paginator.count == figures["活动"] == 4
        )
        assert figures["参与率"] == "25%" and figures["小家覆盖率"] == "25%"
        summary = client.get(reverse("dashboard:summary"), {"year": THIS_YEAR})
        assert summary.context["s"].overview.activities.total == 4
        by_area = dict(workbook["活动内容统计"].iter_rows(min_row=2, values_only=True))
        assert by_area["岗位成才"] == 2

    def test_dashboard_queries_do_not_grow_with_the_organisation(
        self, year_data, hq, login, django_assert_num_queries, django_capture_on_commit_callbacks
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import MemberFactory, UnionGroupFactory, WorkshopUnionFactory

        client = login(hq)
        client.get("/")  # the year's first view counts it into the summary tables
        # As if committed: the figures cached by the visit before are computed afresh.
        with django_capture_on_commit_callbacks(execute=True):
            ActivityFactory(group=year_data.A1, held_on=date(THIS_YEAR, 2, 1), recorded_by=hq)
        with CaptureQueriesContext(connection) as few:
            client.get("/")
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(3):
                workshop = WorkshopUnionFactory()
                for _ in range(2):
                    group = UnionGroupFactory(workshop=workshop)
                    members = MemberFactory.create_batch(3, group=group)
                    ActivityFactory(
                        group=group,
                        held_on=date(THIS_YEAR, 2, 1),
                        recorded_by=hq,
                        participants=members,
                    )
        with django_assert_num_queries(len(few)):
            client.get("/")
        workshop = workshop_user(year_data.a)
        with CaptureQueriesContext(connection) as few:
            login(workshop).get("/")
        with django_capture_on_commit_callbacks(execute=True):
            UnionGroupFactory(workshop=year_data.a)
        with django_assert_num_queries(len(few)):
            login(workshop).get("/")


class TestTodo:
    def test_each_role_sees_what_waits_for_them(self, org, leader_a1, workshop_a, hq, login):
        month = date(today().year, today().month, 1) - timedelta(days=1)
        month = month.replace(day=1)
        ActivityFactory(group=org.A1, held_on=month, recorded_by=leader_a1)
        activity_services.report_submit(
            group=org.A1, month=month, by=leader_a1, version=0, summary="总结"
        )
        labels = [label for label, _, _ in login(workshop_a).get("/todo/").context["todo"]]
        assert "待审核的月报" in labels
        other = [label for label, _, _ in login(workshop_user(org.b)).get("/todo/").context["todo"]]
        assert "待审核的月报" not in other


class Robot(BaseHTTPRequestHandler):
    received = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Robot.received.append((self.path, json.loads(body)))
        self.send_response(Robot.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    server = HTTPServer(("127.0.0.1", 0), Robot)
    Robot.received = []
    Robot.status = 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class TestReminders:
    @pytest.fixture(autouse=True)
    def _local_robots(self, settings):
        """The test robot listens on this machine over http, which only a setting allows."""
        settings.UNIONHOME = {
            **settings.UNIONHOME,
            "WEBHOOK_ALLOW_HTTP": True,
            "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"],
        }

    @pytest.fixture
    def waiting(self, org, leader_a1, workshop_a):
        workshop_a.email = "ws@example.cn"
        workshop_a.save()
        month = (date(today().year, today().month, 1) - timedelta(days=1)).replace(day=1)
        activity_services.report_submit(
            group=org.A1, month=month, by=leader_a1, version=0, summary="总结"
        )
        return workshop_a

    def test_email_and_robot_digests_go_out_once_a_day(self, org, waiting, robot):
        ReminderChannel.objects.create(
            name="锅炉车间群", kind="wecom", url=robot + "/wecom", workshop=org.a
        )
        ReminderChannel.objects.create(
            name="钉钉", kind="dingtalk", url=robot + "/ding", workshop=org.a
        )
        report = send_reminders(base_url="https://union.example.cn")
        assert (report["emails"], report["robots"], report["failed"]) == (1, 2, 0)
        [message] = mail.outbox
        assert message.to == ["ws@example.cn"] and "待审核的月报" in message.body
        assert "https://union.example.cn/reports/" in message.body
        paths = dict(Robot.received)
        assert "待审核的月报" in paths["/wecom"]["markdown"]["content"]
        assert paths["/ding"]["markdown"]["title"]
        again = send_reminders()
        assert (again["emails"], again["robots"], again["skipped"]) == (0, 0, 3)
        assert len(mail.outbox) == 1

    def test_a_failing_channel_is_logged_retried_and_stops_nothing(
        self, org, waiting, robot, caplog
    ):
        broken = ReminderChannel.objects.create(
            name="坏的", kind="wecom", url="http://127.0.0.1:9/nothing-here", workshop=org.a
        )
        ReminderChannel.objects.create(name="好的", kind="wecom", url=robot + "/ok", workshop=org.a)
        report = send_reminders()
        assert (report["emails"], report["robots"], report["failed"]) == (1, 1, 1)
        failed = ReminderDelivery.objects.get(channel=broken)
        assert not failed.sent and failed.error and failed.attempts == 1
        assert "reminder to" in caplog.text
        broken.url = robot + "/fixed"
        broken.save()
        report = send_reminders()
        assert (report["robots"], report["skipped"]) == (1, 2)
        failed.refresh_from_db()
        assert failed.sent and failed.attempts == 2

    def test_a_robot_that_refuses_counts_as_failed(self, org, waiting, robot):
        ReminderChannel.objects.create(name="拒绝", kind="wecom", url=robot + "/x", workshop=org.a)
        original = Robot.do_POST

        def refuse(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode": 93000, "errmsg": "invalid webhook url"}')

        Robot.do_POST = refuse
        try:
            report = send_reminders()
        finally:
            Robot.do_POST = original
        assert report["failed"] == 1
        assert "93000" in ReminderDelivery.objects.get(channel__isnull=False).error


class TestSummary:
    def test_summary_scope(self, year_data, leader_a1, workshop_a, hq, login):
        assert login(leader_a1).get(reverse("dashboard:summary")).status_code == 403
        page = login(workshop_a).get(reverse("dashboard:summary"))
        assert page.context["s"].scope_name == "锅炉车间"  # a workshop sees only its own
        other = login(workshop_a).get(reverse("dashboard:summary"), {"workshop": year_data.b.pk})
        assert other.status_code == 404
        assert (
            login(hq)
            .get(reverse("dashboard:summary"), {"workshop": year_data.b.pk})
            .context["s"]
            .overview.activities.total
            == 1
        )

    def test_the_printed_register_is_a_workshop_unions_the_organisations_is_in_the_workbook(
        self, year_data, hq, login
    ):
        client = login(hq)
        whole = client.get(reverse("dashboard:summary"))
        groups = UnionGroup.objects.filter(is_active=True).count()
        assert whole.context["s"].groups == []
        assert whole.context["s"].group_count == groups
        assert 'id="summary-register"' in whole.content.decode()
        one = client.get(reverse("dashboard:summary"), {"workshop": year_data.a.pk})
        listed = {g.name for g in one.context["s"].groups}
        assert listed == set(
            UnionGroup.objects.filter(workshop=year_data.a, is_active=True).values_list(
                "name", flat=True
            )
        )
        assert 'id="summary-register"' not in one.content.decode()
        book = load_workbook(io.BytesIO(client.get(reverse("dashboard:summary_export")).content))
        register = book["小组名册"]
        assert register.max_row == groups + 1

    def test_summary_holds_the_years_assessment_and_titles(self, org, hq, login):
        from homes.models import CreationYear, HomeTitle
        from scoring import services as scoring
        from scoring.models import AssessmentPeriod, GroupResult, Level

        period = AssessmentPeriod.objects.create(
            name=f"{THIS_YEAR}年上半年", start=date(THIS_YEAR, 1, 1), end=date(THIS_YEAR, 6, 30)
        )
        scoring.score_compute(period=period, by=hq)
        run = publish(period, hq)
        GroupResult.objects.filter(run=run, group=org.A1).update(
            level=Level.MODEL, total=Decimal("95")
        )
        CreationYear.objects.create(
            year=THIS_YEAR,
            declarations_open=date(THIS_YEAR, 1, 1),
            declarations_close=date(THIS_YEAR, 12, 31),
        )
        HomeTitle.objects.create(
            group=org.A1,
            level="model",
            year=THIS_YEAR,
            certificate_no="MF-1",
            named_on=date(THIS_YEAR, 7, 1),
        )
        GroupResult.objects.filter(run=run, group=org.A1).update(top_ten=True)
        client = login(hq)
        page = client.get(reverse("dashboard:summary"), {"year": THIS_YEAR})
        assert "MF-1" in page.content.decode()
        assert page.context["s"].assessment.period == period
        # The whole organisation's page reads the top ten alone; a workshop union's, its own.
        assert [r.group for r in page.context["s"].top_ten] == [org.A1]
        for workshop, expected in [(org.a, [org.A1]), (org.b, [])]:
            one = client.get(
                reverse("dashboard:summary"), {"year": THIS_YEAR, "workshop": workshop.pk}
            )
            assert [r.group for r in one.context["s"].top_ten] == expected

    def test_the_summary_reads_as_many_queries_whatever_the_organisations_size(
        self, org, hq, login, django_assert_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from scoring import services as scoring
        from scoring.models import AssessmentPeriod
        from tests.factories import MemberFactory, UnionGroupFactory, WorkshopUnionFactory

        period = AssessmentPeriod.objects.create(
            name=f"{THIS_YEAR}年上半年", start=date(THIS_YEAR, 1, 1), end=date(THIS_YEAR, 6, 30)
        )
        scoring.score_compute(period=period, by=hq)
        publish(period, hq)
        client = login(hq)
        urls = [
            (reverse("dashboard:summary"), {"year": THIS_YEAR}),
            (reverse("dashboard:summary"), {"year": THIS_YEAR, "workshop": org.a.pk}),
        ]
        counted = []
        for url, params in urls:
            client.get(url, params)  # the year's first view counts it into the summary tables
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            counted.append(len(queries))
        for _ in range(3):
            workshop = WorkshopUnionFactory()
            for group in (UnionGroupFactory(workshop=workshop), UnionGroupFactory(workshop=org.a)):
                MemberFactory.create_batch(3, group=group)
        scoring.score_compute(period=period, by=hq)
        publish(period, hq)
        for (url, params), expected in zip(urls, counted, strict=True):
            client.get(url, params)
            with django_assert_num_queries(expected):
                assert client.get(url, params).status_code == 200


def test_hq_adds_a_reminder_channel_in_the_admin_site_and_reads_the_deliveries(org, login):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    staff = UserFactory(role="hq", is_staff=True)
    staff.groups.add(Group.objects.get(name="工会干事"))
    client = login(staff)
    assert client.get("/admin/dashboard/reminderchannel/add/").status_code == 200
    response = client.post(
        "/admin/dashboard/reminderchannel/add/",
        {
            "name": "锅炉车间群",
            "kind": "wecom",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
            "workshop": org.a.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = ReminderChannel.objects.get(name="锅炉车间群")
    ReminderDelivery.objects.create(day=today(), channel=channel, error="timeout", attempts=1)
    page = client.get("/admin/dashboard/reminderdelivery/").content.decode()
    assert "timeout" in page
    assert client.get("/admin/dashboard/reminderdelivery/add/").status_code == 403
