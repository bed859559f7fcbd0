"""Files on a monthly report: the group adds a sign-in sheet photo or the minutes while the
report is editable; the report's readers (its reviewer included) see and download them
through a scoped view; a bad file is refused next to the field."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities import services
from activities.models import ReportAttachment, ReportFileKind
from tests import files
from tests.factories import leader_user

FEBRUARY = date(2026, 2, 1)


def report_url(group, suffix=""):
    name = f"activities:report_{suffix}" if suffix else "activities:report_detail"
    return reverse(name, args=[group.pk, 2026, "02"])


@pytest.fixture
def sheet(org, leader_a1):
    return services.report_file_add(
        group=org.A1,
        month=FEBRUARY,
        by=leader_a1,
        uploaded=files.jpeg("签到表.jpg"),
        kind=ReportFileKind.SIGNIN,
    )


class TestAdding:
    def test_the_leader_adds_a_photo_from_the_phone(self, org, leader_a1, login):
        client = login(leader_a1)
        page = client.get(report_url(org.A1)).content.decode()
        assert 'capture="environment"' in page and 'accept="image/*"' in page
        response = client.post(
            report_url(org.A1, "file_add"), {"kind": "signin", "photo": files.jpeg("签到.jpg")}
        )
        assert response.status_code == 302
        paper = ReportAttachment.objects.get()
        assert paper.is_image and paper.thumbnail and paper.original_name == "签到.jpg"
        assert paper.report.group == org.A1 and paper.report.month == FEBRUARY
        assert paper.uploaded_by == leader_a1
        # The report was opened as a draft by the upload.
        assert paper.report.status == "draft" and paper.report.version == 1

    def test_the_minutes_as_a_document(self, org, leader_a1, login):
        login(leader_a1).post(
            report_url(org.A1, "file_add"), {"kind": "minutes", "file": files.docx()}
        )
        paper = ReportAttachment.objects.get()
        assert not paper.is_image and not paper.thumbnail and paper.kind == "minutes"

    def test_a_bad_file_is_refused_next_to_the_field(self, org, leader_a1, login):
        response = login(leader_a1).post(
            report_url(org.A1, "file_add"), {"kind": "signin", "file": files.exe_named_jpg()}
        )
        assert response.status_code == 200
        assert response.context["file_form"].errors["file"]
        assert not ReportAttachment.objects.exists()

    def test_nothing_chosen_says_so(self, org, leader_a1, login):
        response = login(leader_a1).post(report_url(org.A1, "file_add"), {"kind": "signin"})
        assert "file" in response.context["file_form"].errors

    def test_a_submitted_report_takes_no_file_until_returned(self, org, leader_a1, sheet):
        services.report_submit(
            group=org.A1, month=FEBRUARY, by=leader_a1, version=sheet.report.version, summary="小结"
        )
        with pytest.raises(ValidationError):
            services.report_file_add(
                group=org.A1, month=FEBRUARY, by=leader_a1, uploaded=files.jpeg()
            )
        with pytest.raises(ValidationError):
            services.report_file_remove(attachment=sheet, by=leader_a1)

    def test_adding_and_removing_are_in_the_reports_history(
        self, org, leader_a1, sheet, django_capture_on_commit_callbacks
    ):
        from activities.models import ReportEvent

        report = sheet.report
        assert report.version == 1
        second = services.report_file_add(
            group=org.A1, month=FEBRUARY, by=leader_a1, uploaded=files.jpeg("会议记录.jpg")
        )
        assert second.report.version == 2
        storage, name = second.file.storage, second.file.name
        with django_capture_on_commit_callbacks(execute=True):
            services.report_file_remove(attachment=second, by=leader_a1)
        assert not storage.exists(name)
        report.refresh_from_db()
        assert report.version == 3
        notes = list(
            ReportEvent.objects.filter(report=report, action=ReportEvent.Action.SAVED)
            .order_by("pk")
            .values_list("note", flat=True)
        )
        assert (
            "签到表.jpg" in notes[0] and "会议记录.jpg" in notes[1] and "会议记录.jpg" in notes[2]
        )

    def test_a_returned_report_takes_files_again(self, org, leader_a1, sheet, workshop_a):
        report = services.report_submit(
            group=org.A1, month=FEBRUARY, by=leader_a1, version=sheet.report.version, summary="小结"
        )
        services.report_return(
            report=report, by=workshop_a, version=report.version, reason="补签到表"
        )
        again = services.report_file_add(
            group=org.A1, month=FEBRUARY, by=leader_a1, uploaded=files.jpeg("补.jpg")
        )
        assert again.report_id == report.pk
        services.report_file_remove(attachment=sheet, by=leader_a1)

    def test_another_groups_leader_cannot_add(self, org, login):
        response = login(leader_user(org.B1)).post(
            report_url(org.A1, "file_add"), {"kind": "signin", "photo": files.jpeg()}
        )
        assert response.status_code in (403, 404)
        assert not ReportAttachment.objects.exists()


class TestReading:
    def test_an_evaluator_downloads_it(self, sheet, evaluator, login):
        response = login(evaluator).get(reverse("activities:report_file", args=[sheet.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"

    def test_the_reviewer_sees_and_downloads_it(self, org, sheet, workshop_a, login):
        client = login(workshop_a)
        page = client.get(report_url(org.A1)).content.decode()
        assert "签到表.jpg" in page
        assert reverse("activities:report_file_thumb", args=[sheet.pk]) in page
        response = client.get(reverse("activities:report_file", args=[sheet.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
        thumb = client.get(reverse("activities:report_file_thumb", args=[sheet.pk]))
        assert thumb.status_code == 200

    def test_never_through_a_public_url(self, org, sheet, workshop_a, login):
        page = login(workshop_a).get(report_url(org.A1)).content.decode()
        assert sheet.file.url not in page

    def test_out_of_reach_finds_nothing(self, org, sheet, login):
        response = login(leader_user(org.B1)).get(
            reverse("activities:report_file", args=[sheet.pk])
        )
        assert response.status_code == 404

    def test_removed_by_the_group(self, org, sheet, leader_a1, login):
        response = login(leader_a1).post(reverse("activities:report_file_remove", args=[sheet.pk]))
        assert response.status_code == 302
        assert not ReportAttachment.objects.exists()


def test_the_report_page_takes_the_same_queries_with_more_files(
    org, leader_a1, login, django_assert_num_queries
):
    client = login(leader_a1)
    services.report_file_add(group=org.A1, month=FEBRUARY, by=leader_a1, uploaded=files.jpeg())
    client.get(report_url(org.A1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(report_url(org.A1))
    for _ in range(6):
        services.report_file_add(group=org.A1, month=FEBRUARY, by=leader_a1, uploaded=files.pdf())
    with django_assert_num_queries(len(few)):
        page = client.get(report_url(org.A1)).content.decode()
    assert page.count("notice.pdf") >= 6
