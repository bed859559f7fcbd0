"""The 台账 binder: a group's year as one PDF, read through the reader's scope."""

import io
import os
import zipfile
from datetime import date

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from binders import services
from homes.models import HomeTitle, NamingDocument
from tests.factories import accepted_home, leader_user, workshop_user
from welfare.models import AccessLog

from .conftest import SECRET_REASON, YEAR, year_of_records

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_images(pdf: bytes) -> int:
    """The pictures placed on the pages (image XObjects in the pages' resources)."""
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for ref in xobjects.values():
            if ref.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


def test_binder_holds_the_groups_name_each_months_activity_and_its_photos(org, hq):
    year_of_records(org.A1, hq)
    pdf = services.group_binder_pdf(group=org.A1, year=YEAR, reader=hq)
    text = pdf_text(pdf)
    assert org.A1.name in text  # Chinese glyphs, not boxes: the text comes back
    assert org.a.name in text
    for month in range(1, 13):
        assert f"{month}月活动1" in text
        assert f"{month}月小结" in text  # the monthly report's text
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert f"of {pages}" in text or f"共 {pages} 页" in text  # page numbers in the footer
    assert pdf_images(pdf) >= 12  # one photo per activity, thumbnail or downscaled


def test_photos_are_downscaled_before_they_go_in(org, hq):
    """A 1600×1200 original goes in at most 800 px wide."""
    year_of_records(org.A1, hq)
    pdf = services.group_binder_pdf(group=org.A1, year=YEAR, reader=hq)
    widths = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in ((page.get("/Resources") or {}).get("/XObject") or {}).values():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image":
                widths.add(int(image["/Width"]))
    assert widths and max(widths) <= 800


class TestWelfareDetails:
    def test_a_reader_not_entitled_never_sees_a_cases_details(self, org, case_a1, leader_a1):
        """A1's leader sees that the case exists (as on welfare's list), not its reason."""
        built = services.build_group_binder(group=org.A1, year=YEAR, reader=leader_a1)
        text = pdf_text(built.pdf)
        assert case_a1.number in text
        assert SECRET_REASON not in text
        assert "家庭收入微薄" not in text
        assert not built.has_welfare_details
        assert not AccessLog.objects.exists()

    def test_hq_staff_without_the_welfare_flag_see_no_details(self, org, case_a1, plain_hq):
        text = pdf_text(services.group_binder_pdf(group=org.A1, year=YEAR, reader=plain_hq))
        assert SECRET_REASON not in text

    def test_an_entitled_reader_sees_them_and_the_access_is_logged(self, org, case_a1, welfare_hq):
        built = services.build_group_binder(
            group=org.A1, year=YEAR, reader=welfare_hq, address="10.0.0.8"
        )
        assert SECRET_REASON in pdf_text(built.pdf)
        assert built.has_welfare_details
        line = AccessLog.objects.get()
        assert (line.user, line.action, line.target, line.member, line.ip_address) == (
            welfare_hq,
            AccessLog.Action.PRINT,
            case_a1.number,
            case_a1.member,
            "10.0.0.8",
        )

    def test_the_download_with_details_is_never_cached(self, org, case_a1, welfare_hq, login):
        response = login(welfare_hq).get(f"/binders/groups/{org.A1.pk}/{YEAR}.pdf")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert AccessLog.objects.count() == 1


class TestDownload:
    def test_pdf_download_has_a_chinese_file_name(self, org, hq, login):
        response = login(hq).get(f"/binders/groups/{org.A1.pk}/{YEAR}.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert "filename*=UTF-8''" in disposition
        assert "%E8%BF%90%E8%A1%8C%E4%B8%80%E7%8F%AD" in disposition  # 运行一班
        # The roster and the assistance list: out of every cache, even without details.
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    def test_another_groups_leader_gets_404(self, org, login):
        other = leader_user(org.A2)
        assert login(other).get(f"/binders/groups/{org.A1.pk}/{YEAR}.pdf").status_code == 404

    def test_the_choosing_page_lists_only_groups_in_reach(self, org, leader_a1, login):
        page = login(leader_a1).get("/binders/").content.decode()
        assert org.A1.name in page
        assert org.B1.name not in page

    def test_someone_reaching_several_workshop_unions_chooses_one_first(self, org, hq, login):
        client = login(hq)

        def offered(**params):
            return {g.pk for g in client.get("/binders/", params).context["groups"]}

        assert offered() == set()
        assert "请先选择车间工会" in client.get("/binders/").content.decode()
        assert offered(workshop=org.a.pk) == {org.A1.pk, org.A2.pk}
        # A chosen group brings its workshop union's groups.
        assert org.B1.pk in offered(group=org.B1.pk)
        assert org.A1.pk not in offered(group=org.B1.pk)
        # A workshop union's chair sees their own groups at once.
        page = login(workshop_user(org.a)).get("/binders/")
        assert {g.pk for g in page.context["groups"]} == {org.A1.pk, org.A2.pk}
        assert 'id="binder-workshop"' not in page.content.decode()

    def test_a_leader_of_one_group_is_not_offered_a_workshop_zip(
        self, org, leader_a1, workshop_a, login
    ):
        assert 'id="workshop-binders"' not in login(leader_a1).get("/binders/").content.decode()
        page = login(workshop_a).get("/binders/").content.decode()
        assert f"/binders/workshops/{org.a.pk}/" in page
        assert f"/binders/workshops/{org.b.pk}/" not in page

    def test_the_choosing_page_runs_the_same_queries_for_more_groups(
        self, org, hq, login, django_assert_num_queries
    ):
        """Session, user, roles; the workshop unions to choose from; the workshop unions'
        zips, counted and paged; the menu's — the same for 4 groups as for 14."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import UnionGroupFactory

        client = login(hq)
        client.get("/binders/")
        with CaptureQueriesContext(connection) as few:
            client.get("/binders/")
        UnionGroupFactory.create_batch(10, workshop=org.a)
        with django_assert_num_queries(len(few)):
            client.get("/binders/")

    def test_choosing_a_group_opens_its_pdf(self, org, leader_a1, login):
        response = login(leader_a1).get(
            "/binders/", {"group": org.A1.pk, "year": YEAR, "build": "1"}
        )
        assert response["Location"] == f"/binders/groups/{org.A1.pk}/{YEAR}.pdf"
        refused = login(leader_a1).get(
            "/binders/", {"group": org.B1.pk, "year": YEAR, "build": "1"}
        )
        assert refused.status_code == 404


def test_the_workshop_zip_holds_one_pdf_per_group(org, workshop_a):
    data = services.workshop_binders_zip(workshop=org.a, year=YEAR, reader=workshop_a)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == 2  # A1 and A2
    assert all(name.endswith(".pdf") for name in names)
    assert any(org.A2.name in name for name in names)


def test_the_workshop_zip_holds_only_the_readers_groups(org, leader_a1):
    progress = []
    data = services.workshop_binders_zip(
        workshop=org.a, year=YEAR, reader=leader_a1, progress=lambda d, t: progress.append((d, t))
    )
    assert len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == 1
    assert progress == [(1, 1)]


def test_a_failed_zip_leaves_no_temporary_file(org, workshop_a, monkeypatch, tmp_path):
    """Whatever goes wrong while zipping, the half-written file is removed."""
    import tempfile
    from types import SimpleNamespace

    from binders.background import workshop_binders

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def broken(**kwargs):
        kwargs["out"].write(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "workshop_binders_zip", broken)
    job = SimpleNamespace(user=workshop_a, params={"workshop": org.a.pk, "year": YEAR})
    with pytest.raises(KeyboardInterrupt):
        workshop_binders(job, lambda done, total: None)
    assert list(tmp_path.iterdir()) == []


def test_the_background_runner_zips_the_groups_and_reports_progress(org, workshop_a):
    from types import SimpleNamespace

    from binders.background import workshop_binders

    job = SimpleNamespace(user=workshop_a, params={"workshop": org.a.pk, "year": YEAR})
    progress = []
    result = workshop_binders(job, lambda done, total: progress.append((done, total)))
    try:
        with open(result.path, "rb") as handle:
            assert len(zipfile.ZipFile(handle).namelist()) == 2
    finally:
        os.remove(result.path)  # the job would have moved it
    assert progress[-1] == (2, 2)


@pytest.fixture
def named(org, hq):
    accepted_home(org.A1)
    from homes.models import CreationYear

    creation_year = CreationYear.objects.create(
        year=YEAR, declarations_open=date(YEAR, 9, 1), declarations_close=date(YEAR, 11, 1)
    )
    document = NamingDocument.objects.create(
        year=creation_year, document_no="矿工发〔2025〕15号", named_on=date(YEAR, 12, 20)
    )
    return HomeTitle.objects.create(
        group=org.A1,
        level="advanced",
        year=YEAR,
        document=document,
        certificate_no="XJ-2025-001",
        named_on=date(YEAR, 12, 20),
    )


class TestWord:
    def _open(self, response):
        assert response.status_code == 200
        return docx.Document(io.BytesIO(response.content))

    def test_certificate_opens_in_word_with_the_group_and_a_chinese_font(
        self, org, named, leader_a1, login
    ):
        response = login(leader_a1).get(f"/binders/groups/{org.A1.pk}/{YEAR}/certificate.docx")
        document = self._open(response)
        text = "\n".join(p.text for p in document.paragraphs)
        assert org.A1.name in text and "XJ-2025-001" in text
        assert 'w:eastAsia="宋体"' in document.paragraphs[2].runs[0]._element.xml

    def test_naming_document_lists_the_group(self, org, named, hq, login):
        document = self._open(login(hq).get(f"/binders/groups/{org.A1.pk}/{YEAR}/naming.docx"))
        cells = [c.text for row in document.tables[0].rows for c in row.cells]
        assert org.A1.name in cells
        assert "矿工发〔2025〕15号" in document.paragraphs[0].text

    def test_no_title_that_year_is_404(self, org, named, hq, login):
        response = login(hq).get(f"/binders/groups/{org.A1.pk}/{YEAR - 1}/certificate.docx")
        assert response.status_code == 404


def test_the_build_runs_the_same_queries_whatever_the_data(org, hq, case_a1):
    """Two sizes: one activity a month with one photo, and three a month with two photos
    (and more members). The queries: the group; titles; steps; posts; the member count
    and list; the plan; activities with their photos (2); the reports; the group's
    meetings; care visits and tasks; the cases; the assessment period (the rest only
    when there is one)."""

    def count():
        with CaptureQueriesContext(connection) as queries:
            services.group_binder_pdf(group=org.A1, year=YEAR, reader=hq)
        return [q["sql"][:150] for q in queries]

    count()  # once to warm the caches a server keeps warm (the organisation's name …)
    year_of_records(org.A1, hq, per_month=1, photos=1)
    small = count()
    year_of_records(org.A1, hq, per_month=2, photos=2, start_day=20)
    from tests.factories import MemberFactory

    MemberFactory.create_batch(5, group=org.A1)
    large = count()
    assert len(large) == len(small), "\n".join(small)


def test_the_workshop_union_asks_for_its_zip_and_gets_it_from_the_job(
    org, workshop_a, login, django_capture_on_commit_callbacks
):
    """POST starts the job and opens its page; the worker (the test settings' immediate
    backend) zips one PDF a group and keeps the file."""
    from jobs.models import Job, JobStatus

    with django_capture_on_commit_callbacks(execute=True):
        response = login(workshop_a).post(f"/binders/workshops/{org.a.pk}/{YEAR}/")
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.params, job.user) == (
        "binders.workshop",
        {"workshop": org.a.pk, "year": YEAR},
        workshop_a,
    )
    assert job.status == JobStatus.DONE, job.message
    assert (job.done, job.total) == (2, 2)
    with job.file.open("rb") as handle:
        assert len(zipfile.ZipFile(handle).namelist()) == 2


def test_a_workshop_out_of_reach_is_404(org, workshop_a, login):
    assert login(workshop_a).post(f"/binders/workshops/{org.b.pk}/{YEAR}/").status_code == 404


def test_an_evaluator_reads_the_records_but_not_the_roster_or_the_care_log(org, evaluator, hq):
    """Evaluators read every group's 台账 (UnionGroup view) but not its members' records:
    the roster and the care log say so instead of naming members."""
    from welfare.models import CareVisit

    member = org.members["A1"][1]
    CareVisit.objects.create(
        member=member,
        group=org.A1,
        kind="birthday",
        visited_on=date(YEAR, 5, 1),
        visitors="组长",
        recorded_by=hq,
    )
    text = pdf_text(services.group_binder_pdf(group=org.A1, year=YEAR, reader=evaluator))
    assert org.A1.name in text
    assert member.name not in text
    assert member.employee_no not in text
    text = pdf_text(services.group_binder_pdf(group=org.A1, year=YEAR, reader=hq))
    assert member.name in text
