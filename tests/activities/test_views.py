"""Activity and report pages: scope for every page and file, forms, and fixed queries."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities import services
from activities.models import Activity, Attachment, MonthlyReport, ReportStatus
from tests import files
from tests.factories import ActivityFactory, UnionGroupFactory, area, leader_user, today

JANUARY = date(2026, 1, 1)


def report_url(group, month=JANUARY, suffix=""):
    """The report's page, or one of its actions (print, save, submit, return, approve)."""
    name = f"activities:report_{suffix}" if suffix else "activities:report_detail"
    return reverse(name, args=[group.pk, month.year, f"{month.month:02d}"])


@pytest.fixture
def records(org, hq):
    """An activity with a photo in every group, and a submitted January report for A1."""
    made = {}
    for key, group in org.groups.items():
        activity = ActivityFactory(
            group=group,
            held_on=date(2026, 1, 12),
            recorded_by=hq,
            participants=org.members[key][:2],
        )
        photo = services.attachment_stage(uploaded=files.jpeg(), by=hq)
        photo.activity = activity
        photo.save()
        made[key] = (activity, photo)
    leader = leader_user(org.A1, username="leader_for_records")
    services.report_submit(group=org.A1, month=JANUARY, by=leader, version=0, summary="总结")
    return made


def pages_of(activity, photo, group):
    return [
        reverse("activities:activity_detail", args=[activity.pk]),
        reverse("activities:attachment", args=[photo.pk]),
        reverse("activities:attachment_thumb", args=[photo.pk]),
        reverse("activities:calendar", args=[group.pk]),
        report_url(group),
        report_url(group, suffix="print"),
    ]


def change_pages_of(activity):
    return [
        reverse("activities:activity_edit", args=[activity.pk]),
        reverse("activities:activity_delete", args=[activity.pk]),
    ]


class TestScope:
    def test_anonymous_is_sent_to_log_in_everywhere(self, org, records, client):
        activity, photo = records["A1"]
        for url in [
            reverse("activities:activity_list"),
            reverse("activities:activity_create"),
            reverse("activities:deleted_list"),
            reverse("activities:report_list"),
            reverse("activities:report_overdue"),
            reverse("activities:report_export"),
            *pages_of(activity, photo, org.A1),
            *change_pages_of(activity),
        ]:
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url

    def test_group_leader_cannot_reach_another_groups_records_or_files(
        self, org, records, leader_a1, login
    ):
        client = login(leader_a1)
        for key in ("A2", "B1"):
            activity, photo = records[key]
            for url in pages_of(activity, photo, org.groups[key]) + change_pages_of(activity):
                assert client.get(url).status_code == 404, url
        activity, photo = records["A1"]
        for url in pages_of(activity, photo, org.A1) + change_pages_of(activity):
            assert client.get(url).status_code == 200, url

    def test_workshop_user_reaches_its_workshop_only(self, org, records, workshop_a, login):
        client = login(workshop_a)
        activity, photo = records["B1"]
        for url in pages_of(activity, photo, org.B1) + change_pages_of(activity):
            assert client.get(url).status_code == 404, url
        activity, photo = records["A2"]
        for url in pages_of(activity, photo, org.A2) + change_pages_of(activity):
            assert client.get(url).status_code == 200, url

    def test_evaluator_reads_records_but_changes_nothing(self, org, records, evaluator, login):
        client = login(evaluator)
        activity, photo = records["B1"]
        for url in pages_of(activity, photo, org.B1):
            assert client.get(url).status_code == 200, url
        for url in [
            *change_pages_of(activity),
            reverse("activities:activity_create"),
            reverse("activities:deleted_list"),
        ]:
            assert client.get(url).status_code == 403, url

    def test_lists_and_export_hold_only_the_users_part(self, org, records, leader_a1, login):
        client = login(leader_a1)
        listed = {a.pk for a in client.get(reverse("activities:activity_list")).context["page"]}
        assert listed == {records["A1"][0].pk}
        reports = client.get(reverse("activities:report_list")).context["rows"]
        assert {r.group.code for r in reports} == {"A1"}

    def test_export_holds_the_users_groups(self, org, records, workshop_a, login):
        response = login(workshop_a).get(reverse("activities:report_export"), {"month": "2026-01"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
            "运行一班",
            "检修班",
        ]

    def test_files_of_a_deleted_activity_are_gone(self, org, records, hq, login):
        activity, photo = records["A1"]
        services.activity_delete(activity=activity, by=hq)
        client = login(hq)
        assert client.get(reverse("activities:attachment", args=[photo.pk])).status_code == 404
        assert (
            client.get(reverse("activities:activity_detail", args=[activity.pk])).status_code == 404
        )

    def test_a_pending_upload_is_served_only_to_its_uploader(self, org, leader_a1, hq, login):
        pending = services.attachment_stage(uploaded=files.jpeg(), by=leader_a1)
        url = reverse("activities:attachment_thumb", args=[pending.pk])
        assert login(leader_a1).get(url).status_code == 200
        assert login(hq).get(url).status_code == 404

    def test_a_leader_cannot_restore_another_groups_activity(self, org, records, hq, login):
        activity, _ = records["A2"]
        services.activity_delete(activity=activity, by=hq)
        response = login(leader_user(org.A1)).post(
            reverse("activities:activity_restore", args=[activity.pk])
        )
        assert response.status_code == 404


class TestActivityForms:
    def form_data(self, org, **extra):
        return {
            "area": area().pk,
            "title": "安全教育学习",
            "held_on": today().isoformat(),
            "guests_count": 0,
            "participants": [m.pk for m in org.members["A1"]],
            **extra,
        }

    def test_leader_records_an_activity_with_photos(self, org, leader_a1, login):
        response = login(leader_a1).post(
            reverse("activities:activity_create"),
            {
                **self.form_data(org),
                "files": [files.jpeg(), files.pdf()],
                "other_participants": org.members["B1"][0].employee_no,
            },
        )
        activity = Activity.objects.get()
        assert response["Location"] == reverse("activities:activity_detail", args=[activity.pk])
        assert activity.group == org.A1
        assert activity.participants.count() == 4
        assert sorted(a.kind for a in activity.attachments.all()) == ["document", "image"]

    def test_a_bad_file_is_refused_and_nothing_else_is_lost(self, org, leader_a1, login):
        client = login(leader_a1)
        response = client.post(
            reverse("activities:activity_create"),
            {
                **self.form_data(org),
                "files": [files.jpeg(), files.exe_named_jpg()],
            },
        )
        assert response.status_code == 200
        assert "files" in response.context["form"].errors
        page = response.content.decode()
        assert 'value="安全教育学习"' in page
        [kept] = response.context["pending"]
        assert kept.mime == "image/jpeg"
        assert not Activity.objects.exists()
        # The user fixes nothing else and saves: the good photo comes with the activity.
        response = client.post(
            reverse("activities:activity_create"), {**self.form_data(org), "pending": [kept.pk]}
        )
        assert Activity.objects.get().attachments.get() == kept

    def test_a_mistake_elsewhere_keeps_the_uploaded_photo(self, org, leader_a1, login):
        response = login(leader_a1).post(
            reverse("activities:activity_create"),
            {
                **self.form_data(org, title=""),
                "files": [files.jpeg()],
            },
        )
        assert "title" in response.context["form"].errors
        assert len(response.context["pending"]) == 1
        assert 'name="pending"' in response.content.decode()

    def test_unknown_employee_numbers_are_named(self, org, leader_a1, login):
        response = login(leader_a1).post(
            reverse("activities:activity_create"),
            {
                **self.form_data(org),
                "other_participants": "99999, 88888",
            },
        )
        assert "99999" in str(response.context["form"].errors["other_participants"])

    def test_hq_chooses_the_group_first(self, org, hq, login):
        client = login(hq)
        chooser = client.get(reverse("activities:activity_create"))
        assert "activities/choose_group.html" in [t.name for t in chooser.templates]
        form = client.get(reverse("activities:activity_create"), {"group": org.B1.pk})
        assert set(form.context["form"].fields["participants"].queryset) == set(org.members["B1"])

    def test_edit_removes_a_file_and_adds_another(self, org, records, hq, login):
        activity, photo = records["A1"]
        client = login(hq)
        client.post(
            reverse("activities:activity_edit", args=[activity.pk]),
            {
                **self.form_data(org, title="改过的标题"),
                "remove": [photo.pk],
                "files": [files.docx()],
            },
        )
        activity.refresh_from_db()
        assert activity.title == "改过的标题"
        assert [a.mime.split("/")[0] for a in activity.attachments.all()] == ["application"]
        assert not Attachment.objects.filter(pk=photo.pk).exists()

    def test_delete_and_restore_through_the_pages(self, org, records, workshop_a, login):
        activity, _ = records["A1"]
        client = login(workshop_a)
        client.post(reverse("activities:activity_delete", args=[activity.pk]), {"reason": "重复"})
        deleted = client.get(reverse("activities:deleted_list")).content.decode()
        assert activity.title in deleted and "重复" in deleted
        client.post(reverse("activities:activity_restore", args=[activity.pk]))
        activity.refresh_from_db()
        assert activity.deleted_at is None

    def test_filters(self, org, records, hq, login):
        ActivityFactory(
            group=org.B2,
            area=area("recreation"),
            held_on=date(2026, 2, 3),
            title="拔河比赛",
            recorded_by=hq,
        )
        client = login(hq)

        def titles(**params):
            return {
                a.title
                for a in client.get(reverse("activities:activity_list"), params).context["page"]
            }

        assert titles(area=area("recreation").pk) == {"拔河比赛"}
        assert titles(month="2026-02") == {"拔河比赛"}
        assert titles(workshop=org.a.pk) == {records["A1"][0].title, records["A2"][0].title}
        assert titles(start="2026-01-13") == {"拔河比赛"}
        assert titles(month="不是月份") == set()


class TestReportPages:
    def test_leader_saves_then_submits(self, org, leader_a1, login):
        client = login(leader_a1)
        client.post(report_url(org.A1, suffix="save"), {"summary": "草稿", "version": 0})
        report = MonthlyReport.objects.get()
        client.post(
            report_url(org.A1, suffix="submit"),
            {"summary": "定稿", "problems": "无", "version": report.version},
        )
        report.refresh_from_db()
        assert (report.status, report.summary) == (ReportStatus.SUBMITTED, "定稿")

    def test_the_second_person_is_told_and_keeps_their_text(self, org, leader_a1, login):
        url = report_url(org.A1, suffix="save")
        login(leader_a1).post(url, {"summary": "第一个人", "version": 0})
        other = leader_user(org.A1)
        response = login(other).post(url, {"summary": "第二个人的长文", "version": 0})
        assert response.status_code == 200
        page = response.content.decode()
        assert "第二个人的长文" in page  # nothing the second person typed is lost
        assert leader_a1.name in str(response.context["text_form"].non_field_errors())
        assert MonthlyReport.objects.get().summary == "第一个人"

    def test_workshop_returns_and_approves(self, org, records, workshop_a, login):
        report = MonthlyReport.objects.get()
        client = login(workshop_a)
        returning = report_url(org.A1, suffix="return")
        response = client.post(returning, {"reason": "", "version": report.version})
        assert "reason" in response.context["review_form"].errors
        client.post(returning, {"reason": "补充照片", "version": report.version})
        report.refresh_from_db()
        assert report.status == ReportStatus.RETURNED

    def test_leader_gets_no_review_buttons_and_cannot_post_them(self, org, records, login):
        leader = leader_user(org.A1)
        client = login(leader)
        page = client.get(report_url(org.A1))
        assert not page.context["can_review"]
        report = MonthlyReport.objects.get()
        response = client.post(report_url(org.A1, suffix="approve"), {"version": report.version})
        assert response.status_code == 403
        assert MonthlyReport.objects.get().status == ReportStatus.SUBMITTED

    def test_the_submitted_report_shows_frozen_figures_and_its_steps(self, org, records, hq, login):
        ActivityFactory(group=org.A1, held_on=date(2026, 1, 20), recorded_by=hq)
        response = login(hq).get(report_url(org.A1))
        assert response.context["frozen"]
        assert response.context["figures"]["activities"] == 1
        assert len(response.context["activities"]) == 2  # the list itself is live

    def test_a_future_month_is_not_found(self, org, hq, login):
        assert (
            login(hq)
            .get(reverse("activities:report_detail", args=[org.A1.pk, 2999, 1]))
            .status_code
            == 404
        )

    def test_print_page_is_a_standalone_a4_sheet(self, org, records, hq, login):
        page = login(hq).get(report_url(org.A1, suffix="print")).content.decode()
        assert "print.css" in page and "总结" in page


def _panel_queries(user, group, month) -> int:
    """Queries the later apps' panels make on the report page (the record_panels hook):
    theirs to keep fixed; this page's own are counted here."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from unionhome import extensions

    extensions.record_panels(user, "activities.report", group=group, month=month)  # roles read
    with CaptureQueriesContext(connection) as captured:
        extensions.record_panels(user, "activities.report", group=group, month=month)
    return len(captured)


class TestQueryCounts:
    """Same number of queries with few records as with many."""

    def grow(self, org, hq, n):
        for i in range(n):
            group = UnionGroupFactory(workshop=org.a)
            ActivityFactory(
                group=org.A1,
                held_on=date(2026, 1, 1 + i % 28),
                recorded_by=hq,
                participants=org.members["A1"],
            )
            services.report_save(group=group, month=JANUARY, by=hq, version=0)
        reviewer = leader_user(UnionGroupFactory(workshop=org.a))
        MonthlyReport.objects.update(reviewed_by=reviewer, submitted_by=hq)
        for i in range(n):
            photo = services.attachment_stage(uploaded=files.png(), by=hq)
            photo.activity = Activity.objects.order_by("pk")[i]
            photo.save()

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            # session, user, roles (2), count, page of activities, workshop choices, areas,
            # kinds (HQ reaches several workshop unions: no group is offered, and none read,
            # until one is chosen)
            (reverse("activities:activity_list"), 9),
            # session, user, roles (2), workshop choices, the groups counted per status, a
            # page of groups, their reports of the month, the count of reports to review
            (reverse("activities:report_list") + "?month=2026-01", 9),
        ],
    )
    def test_lists(self, org, records, hq, login, django_assert_num_queries, url, expected):
        client = login(hq)
        with django_assert_num_queries(expected):
            client.get(url)
        self.grow(org, hq, 12)
        with django_assert_num_queries(expected):
            client.get(url)

    def test_report_and_calendar_pages(self, org, records, hq, login, django_assert_num_queries):
        client = login(hq)
        pages = {
            # session, user, roles (2), group, report with steps and files (3), activities of the
            # month, and the report's change history (HQ) with the names of the people it
            # mentions; plus the panels other apps add to the report page (plans' month)
            report_url(org.A1): 11,
            # the same with no report yet, and the live figures (5 queries) instead
            report_url(org.A2): 12,
            # session, user, roles (2), group, activities of the month
            reverse("activities:calendar", args=[org.A1.pk]) + "?month=2026-01": 6,
            # session, user, roles (2), activity, kinds, groups taking part, participants,
            # attachments, change history
            reverse("activities:activity_detail", args=[records["A1"][0].pk]): 10,
        }
        # The panels of later apps on the report page (a hook) count once, whatever the size.
        panels = _panel_queries(hq, org.A1, JANUARY)
        counted = {}
        for url, expected in pages.items():
            extra = panels if url.startswith("/reports/") else 0
            with django_assert_num_queries(expected + extra) as captured:
                assert client.get(url).status_code == 200
            counted[url] = len(captured)
        self.grow(org, hq, 12)
        for url in pages:
            with django_assert_num_queries(counted[url]):
                client.get(url)


def test_a_periods_reports_export_one_row_per_group_and_month(org, records, hq, login):
    response = login(hq).get(
        reverse("activities:report_export"), {"start": "2026-01", "end": "2026-03"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4 * 3
    a1_january = next(r for r in rows if r[0] == "2026-01" and r[2] == "运行一班")
    assert a1_january[3] == "已提交"
    assert a1_january[6] == 1  # activities, frozen at submission


def test_hq_keeps_content_areas_in_the_admin_site(db, login):
    from accounts.services import user_create

    hq = user_create(username="hqadmin", name="刘芳", password="Correct-Horse-42", role="hq")
    client = login(hq)
    assert client.get("/admin/activities/contentarea/").status_code == 200
    assert client.get("/admin/activities/contentarea/add/").status_code == 200
    assert client.get("/admin/groups/workshopunion/add/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403


def test_group_page_links_to_its_activities_and_reports(org, records, workshop_a, evaluator, login):
    page = login(workshop_a).get(reverse("groups:group_detail", args=[org.A1.pk]))
    urls = [url for _, url in page.context["links"]]
    assert reverse("activities:calendar", args=[org.A1.pk]) in urls
    reports = login(workshop_a).get(reverse("activities:report_list"), {"group": org.A1.pk})
    assert [r.month for r in reports.context["rows"]][1:3] != []
    assert (
        login(workshop_a).get(reverse("activities:report_list"), {"group": org.B1.pk}).status_code
        == 404
    )


def test_a_leader_is_not_offered_places_to_filter_by(org, login, leader_a1, workshop_a):
    """A leader sees one group's activities: no workshop union or group to choose, and the
    secondary filters fold under 更多筛选 (opened on a desk by the page's script)."""
    text = login(leader_a1).get(reverse("activities:activity_list")).content.decode()
    assert '<select name="group"' not in text and '<select name="workshop"' not in text
    assert "更多筛选" in text
    text = login(workshop_a).get(reverse("activities:activity_list")).content.decode()
    # The workshop union chooses among its own groups only.
    assert '<select name="group"' in text
    assert org.A2.name in text and org.B1.name not in text


def test_boxes_edited_in_an_admin_list_carry_their_column_and_row(admin_client):
    """Screen readers name each box of a list edited in place (order, active)."""
    page = admin_client.get("/admin/activities/contentarea/").content.decode()
    assert 'aria-label="排序 · 政治学习"' in page
