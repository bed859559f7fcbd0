"""From the security review: every welfare page and export is kept out of caches, a PDF
paper opens in a sandbox, and a leader's case list shows no assistance type on the cases
they did not file. The lists run a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import files
from tests.factories import today
from tests.welfare.helpers import approve, end_notice, review
from welfare import services
from welfare.models import CaseType
from welfare.services import publicity
from welfare.views.common import no_store


@pytest.fixture
def world(org, leader_a1, workshop_a, welfare_hq, file_case):
    mine = file_case(leader_a1, org.members["A1"][0])
    theirs = services.case_create(
        by=workshop_a,
        member=org.members["A1"][1],
        case_type=CaseType.objects.get(code="education"),
        reason="子女上学",
        amount_requested="3000",
    )
    document = services.case_add_document(case=mine, by=leader_a1, uploaded=files.pdf("诊断.pdf"))
    record = services.hardship_open(
        by=workshop_a,
        member=org.members["A1"][2],
        hardship_class="relative_hardship",
        household_situation="子女上学",
        causes=["education"],
        family=[{"name": "张三", "relation": "本人", "monthly_income": "2000"}],
    )
    return {"mine": mine, "theirs": theirs, "document": document, "record": record}


def welfare_urls(world, org):
    case, record = world["mine"], world["record"]
    return [
        reverse("welfare:case_list"),
        reverse("welfare:case_detail", args=[case.pk]),
        reverse("welfare:case_print", args=[case.pk]),
        reverse("welfare:case_edit", args=[case.pk]),
        reverse("welfare:case_export"),
        reverse("welfare:document", args=[world["document"].pk]),
        reverse("welfare:archive_list"),
        reverse("welfare:archive_detail", args=[record.pk]),
        reverse("welfare:archive_edit", args=[record.pk]),
        reverse("welfare:archive_print", args=[record.pk]),
        reverse("welfare:archive_export"),
        reverse("welfare:access_log"),
        reverse("welfare:publicity"),
        reverse("welfare:care", args=[org.A1.pk]),
        reverse("welfare:case_create") + f"?member={org.members['A1'][0].pk}",
    ]


def test_every_welfare_page_and_export_is_kept_out_of_caches(world, org, welfare_hq, login):
    client = login(welfare_hq)
    for url in welfare_urls(world, org):
        response = client.get(url)
        assert response.status_code == 200, url
        cache = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache, (url, cache)
        assert "public" not in cache


def test_the_decorator_adds_no_store_private_to_any_response(rf):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=600"
        return response

    cache = {p.strip() for p in no_store(view)(rf.get("/"))["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache and "public" not in cache


def test_a_pdf_paper_opens_in_a_sandbox(world, welfare_hq, login):
    response = login(welfare_hq).get(reverse("welfare:document", args=[world["document"].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    # The pages keep the site's own policy (the middleware sets it when a view did not).
    page = login(welfare_hq).get(reverse("welfare:case_list"))
    assert "sandbox" not in page["Content-Security-Policy"]


class TestTheLeadersList:
    def test_shows_the_type_only_on_the_cases_they_filed(self, world, leader_a1, login):
        page = login(leader_a1).get(reverse("welfare:case_list")).content.decode()
        rows = {
            number: page.split(number, 1)[1].split("</tr>", 1)[0]
            for number in (world["mine"].number, world["theirs"].number)
        }
        assert "职工大病互助" in rows[world["mine"].number]
        assert "教育助学" not in rows[world["theirs"].number]

    def test_the_type_filter_cannot_reveal_another_case(self, world, leader_a1, login):
        education = CaseType.objects.get(code="education")
        page = (
            login(leader_a1)
            .get(reverse("welfare:case_list"), {"case_type": education.pk})
            .content.decode()
        )
        assert world["theirs"].number not in page

    def test_the_workshop_sees_every_type(self, world, workshop_a, login):
        page = login(workshop_a).get(reverse("welfare:case_list")).content.decode()
        assert "教育助学" in page and "职工大病互助" in page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_case_list_runs_a_fixed_number_of_queries(
    org, leader_a1, workshop_a, welfare_hq, file_case, login
):
    """For HQ's welfare staff, with the cases clear to pay and the open batches: the same
    count with 2 cases and with 8 (4 of them clear to pay)."""
    client = login(welfare_hq)
    url = reverse("welfare:case_list")

    def grow(n):
        for index in range(n):
            member = org.members["A1"][index % 3]
            case = file_case(leader_a1, member, amount="100")
            if index % 2:
                case = approve(review(case, workshop_a), welfare_hq, amount="100")
                end_notice(case)

    grow(2)
    few = queries(client, url)
    grow(6)
    assert queries(client, url) == few == LIST_QUERIES
    assert client.get(url).content.decode().count('name="cases"') == 4


# session, user, roles (2); the count and the page of cases; the totals; the type and
# workshop choices; the cases clear to pay (their ids, then the rows) and the open batches.
LIST_QUERIES = 12


def test_the_case_page_runs_a_fixed_number_of_queries(
    org, leader_a1, workshop_a, welfare_hq, file_case, login
):
    case = approve(review(file_case(leader_a1, org.members["A1"][0]), workshop_a), welfare_hq)
    client = login(welfare_hq)
    url = reverse("welfare:case_detail", args=[case.pk])
    few = queries(client, url)
    for _ in range(3):
        publicity.objection_record(case=case, by=welfare_hq, received_on=today(), content="异议")
        services.case_add_document(case=case, by=workshop_a, uploaded=files.pdf("补充.pdf"))
    assert queries(client, url) == few
    assert client.get(url).content.decode().count("异议") >= 3
