"""The organisation's background jobs: a member import above HQ's row count runs in the
background, all or nothing, with every problem named by its row on the job's page; a
member export above its row count is made in the background and downloaded from there."""

import io

from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import RoleAssignment
from groups.import_views import IMPORT_SESSION_KEY
from groups.models import Member
from jobs.models import Job, JobSettings, JobStatus
from jobs.tasks import ProgressWriter
from tests.factories import MemberFactory
from tests.spreadsheets import member_row, upload, xlsx_bytes


def preview(client, rows, name="成员.xlsx"):
    page = client.post(reverse("groups:member_import"), {"file": upload(xlsx_bytes(rows), name)})
    assert page.status_code == 200 and page.context["plan"].ok
    return page


class TestLargeMemberImport:
    def test_above_the_row_count_the_import_runs_in_the_background(
        self, org, workshop_a, login, django_capture_on_commit_callbacks, monkeypatch
    ):
        JobSettings(member_import_rows=2).save()
        client = login(workshop_a)
        page = preview(client, [member_row(f"8200{n}") for n in range(1, 4)], "大名册.xlsx")
        assert 'id="import-in-background"' in page.content.decode()
        waiting = client.session[IMPORT_SESSION_KEY]["path"]
        reported = []
        original = ProgressWriter.__call__

        def record(self, done, total, **kwargs):
            reported.append((done, total))
            original(self, done, total, **kwargs)

        monkeypatch.setattr(ProgressWriter, "__call__", record)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        job = Job.objects.get(user=workshop_a)
        assert response["Location"] == reverse("jobs:detail", args=[job.pk])
        # Reading the 3 rows is half the bar, writing them the other half.
        assert (job.kind, job.status, job.done, job.total) == (
            "groups.member_import",
            JobStatus.DONE,
            6,
            6,
        )
        assert (3, 6) in reported and reported[-1] == (6, 6)
        assert any(3 <= done < 6 for done, _total in reported[reported.index((3, 6)) + 1 :])
        # The upload was moved to the job's own name.
        assert not default_storage.exists(waiting)
        assert Member.objects.filter(employee_no__startswith="8200").count() == 3
        assert "3" in job.message
        assert not job.input_file  # the roster (identity numbers) is gone once imported
        body = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert job.message in body
        assert IMPORT_SESSION_KEY not in client.session

    def test_every_problem_is_on_the_job_page_by_row_and_nothing_is_imported(
        self, org, workshop_a, login, django_capture_on_commit_callbacks
    ):
        JobSettings(member_import_rows=2).save()
        client = login(workshop_a)
        preview(client, [member_row(f"8300{n}") for n in range(1, 5)])
        # Meanwhile workshop union B enrols two of the 工号 (rows 3 and 5).
        MemberFactory(group=org.B1, employee_no="83002")
        MemberFactory(group=org.B1, employee_no="83004")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        job = Job.objects.get(user=workshop_a)
        assert job.status == JobStatus.FAILED
        assert "2" in job.message
        assert len(job.details) == 2
        assert "3" in job.details[0] and "83002" in job.details[0]
        assert "5" in job.details[1] and "83004" in job.details[1]
        assert not Member.objects.filter(employee_no__in=["83001", "83003"]).exists()
        body = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert 'id="job-details"' in body and "83004" in body and 'id="retry-form"' in body
        # The file waits with the job: once B's union has the two back, retry imports all.
        assert job.input_file.name.startswith("jobs/input/")
        Member.objects.filter(employee_no__in=["83002", "83004"]).delete()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("jobs:retry", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == JobStatus.DONE
        assert Member.objects.filter(employee_no__startswith="8300", group=org.A1).count() == 4

    def test_a_second_confirm_starts_no_second_job(
        self, org, workshop_a, login, django_capture_on_commit_callbacks
    ):
        JobSettings(member_import_rows=2).save()
        client = login(workshop_a)
        preview(client, [member_row(f"8500{n}") for n in range(1, 4)])
        stale_session = dict(client.session[IMPORT_SESSION_KEY])
        with django_capture_on_commit_callbacks(execute=False):
            client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        # A second request that still had the old session: the file is the job's now.
        session = client.session
        session[IMPORT_SESSION_KEY] = stale_session
        session.save()
        response = client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        assert response["Location"] == reverse("groups:member_import")
        assert Job.objects.count() == 1

    def test_a_roster_gone_from_storage_fails_the_job_clearly(
        self, org, workshop_a, login, django_capture_on_commit_callbacks
    ):
        JobSettings(member_import_rows=2).save()
        client = login(workshop_a)
        preview(client, [member_row(f"8600{n}") for n in range(1, 4)])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        job = Job.objects.get(user=workshop_a)
        default_storage.delete(job.input_file.name)
        for callback in callbacks:
            callback()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert job.message in {
            "上传的文件已不在，请重新上传。",
            "The uploaded file is gone; upload it again.",
        }
        assert not Member.objects.filter(employee_no__startswith="8600").exists()

    def test_a_role_removed_before_the_run_imports_nothing(
        self, org, workshop_a, login, django_capture_on_commit_callbacks
    ):
        JobSettings(member_import_rows=2).save()
        client = login(workshop_a)
        preview(client, [member_row(f"8700{n}") for n in range(1, 4)])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        RoleAssignment.objects.filter(user=workshop_a).delete()
        for callback in callbacks:
            callback()
        job = Job.objects.get(user=workshop_a)
        assert job.status == JobStatus.FAILED
        assert not Member.objects.filter(employee_no__startswith="8700").exists()

    def test_at_the_row_count_the_import_stays_on_the_page(self, org, workshop_a, login):
        JobSettings(member_import_rows=2).save()
        client = login(workshop_a)
        page = preview(client, [member_row("84001"), member_row("84002")])
        assert 'id="import-in-background"' not in page.content.decode()
        response = client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        assert response["Location"] == reverse("groups:member_list")
        assert not Job.objects.exists()
        assert Member.objects.filter(employee_no__in=["84001", "84002"]).count() == 2


def _rows(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))[1:]


class TestBigExport:
    def test_above_the_row_count_the_export_is_made_in_the_background(
        self, org, hq, login, django_capture_on_commit_callbacks
    ):
        JobSettings(export_rows=5).save()
        client = login(hq)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("groups:member_export", args=["xlsx"]))
        job = Job.objects.get(user=hq)
        assert response["Location"] == reverse("jobs:detail", args=[job.pk])
        assert (job.kind, job.status, job.done, job.total) == (
            "groups.member_export",
            JobStatus.DONE,
            12,
            12,
        )
        assert job.file_name.endswith(".xlsx")
        download = client.get(reverse("jobs:download", args=[job.pk]))
        rows = _rows(b"".join(download.streaming_content))
        assert sorted(r[0] for r in rows) == sorted(
            Member.objects.values_list("employee_no", flat=True)
        )

    def test_the_background_export_keeps_the_filter_and_the_users_scope(
        self, org, workshop_a, login, django_capture_on_commit_callbacks
    ):
        JobSettings(export_rows=2).save()
        client = login(workshop_a)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("groups:member_export", args=["csv"]) + f"?group={org.A2.pk}")
        job = Job.objects.get(user=workshop_a)
        assert job.status == JobStatus.DONE
        text = job.file.read().decode("utf-8-sig")
        assert job.file_name.endswith(".csv")
        expected = {m.employee_no for m in org.members["A2"]}
        assert {line.split(",")[0] for line in text.splitlines()[1:]} == expected

    def test_a_small_export_is_still_served_at_once(self, org, hq, login):
        JobSettings(export_rows=5).save()
        response = login(hq).get(
            reverse("groups:member_export", args=["xlsx"]), {"group": org.B1.pk}
        )
        assert response.status_code == 200
        assert len(_rows(response.content)) == 3
        assert not Job.objects.exists()

    def test_a_followed_link_starts_nothing_and_a_second_click_reuses_the_job(
        self, org, hq, login, django_capture_on_commit_callbacks
    ):
        JobSettings(export_rows=5).save()
        client = login(hq)
        url = reverse("groups:member_export", args=["xlsx"])
        response = client.get(url, {"status": "active"})
        assert response["Location"] == reverse("groups:member_list") + "?status=active"
        assert not Job.objects.exists()
        with django_capture_on_commit_callbacks(execute=False):
            first = client.post(url + "?status=active")
            second = client.post(url + "?status=active")
            other = client.post(reverse("groups:member_export", args=["csv"]))
        jobs = list(Job.objects.filter(user=hq).order_by("pk"))
        assert len(jobs) == 2
        assert first["Location"] == second["Location"] == reverse("jobs:detail", args=[jobs[0].pk])
        assert other["Location"] == reverse("jobs:detail", args=[jobs[1].pk])

    def test_the_list_offers_the_export_as_a_form_with_its_filter(self, org, hq, login):
        body = login(hq).get(reverse("groups:member_list"), {"q": "1"}).content.decode()
        action = reverse("groups:member_export", args=["xlsx"]) + "?q=1"
        assert f'<form method="post" class="inline" action="{action}">' in body
        assert "csrfmiddlewaretoken" in body

    def test_a_role_removed_before_the_run_exports_nothing(
        self, org, workshop_a, login, django_capture_on_commit_callbacks
    ):
        JobSettings(export_rows=2).save()
        client = login(workshop_a)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(reverse("groups:member_export", args=["csv"]))
        RoleAssignment.objects.filter(user=workshop_a).delete()
        for callback in callbacks:
            callback()
        job = Job.objects.get(user=workshop_a)
        assert job.status == JobStatus.FAILED and not job.file
