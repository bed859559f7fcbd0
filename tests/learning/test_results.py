"""Competition results: a table of many members at once and an Excel import, both all or
nothing with a row number for every problem; who may record and read competitions."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.scoping import CHANGE, VIEW
from learning import services
from learning.models import Competition, CompetitionResult, Level
from learning.services import column
from tests.spreadsheets import upload, xlsx_bytes

from .conftest import competition, enter

RESULT_HEADERS = ["工号", "姓名", "成绩", "名次", "奖项", "备注"]


@pytest.fixture
def skills(org, people):
    """Workshop union A's 技术比武."""
    return competition(people.ws_a, workshop=org.a)


def test_a_table_of_results_is_kept_for_many_members_at_once(org, people, skills):
    a1, a2 = org.members["A1"], org.members["A2"]
    plan = enter(
        skills,
        people.ws_a,
        (a1[0].employee_no, "96.5", "1", "一等奖"),
        (a2[0].employee_no, "91", "第2名", "二等奖"),
        (a1[1].employee_no, "", "", ""),
    )
    assert plan.ok
    results = {r.member_id: r for r in CompetitionResult.objects.filter(competition=skills)}
    assert len(results) == 3
    first = results[a1[0].pk]
    assert (str(first.score), first.rank, first.award.name) == ("96.50", 1, "一等奖")
    assert results[a2[0].pk].rank == 2 and results[a2[0].pk].group_id == org.A2.pk
    assert results[a1[1].pk].score is None and results[a1[1].pk].award is None


def test_entering_again_replaces_a_members_result_and_can_remove_one(org, people, skills):
    a1 = org.members["A1"]
    enter(
        skills, people.ws_a, (a1[0].employee_no, "80", "2", ""), (a1[1].employee_no, "70", "", "")
    )
    plan = services.results_plan(
        competition=skills,
        by=people.ws_a,
        rows=[
            services.ResultRow(1, a1[0].employee_no, score="85", rank="1", award="三等奖"),
            services.ResultRow(2, a1[1].employee_no, remove=True),
        ],
    )
    services.results_apply(competition=skills, by=people.ws_a, plan=plan)
    kept = CompetitionResult.objects.get(competition=skills)
    assert (kept.member_id, kept.rank, kept.award.name) == (a1[0].pk, 1, "三等奖")


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_written(org, people, skills):
    a1 = org.members["A1"]
    plan = enter(
        skills,
        people.ws_a,
        (a1[0].employee_no, "95", "1", "一等奖"),  # fine
        ("999999", "90", "2", ""),  # unknown
        (org.members["B1"][0].employee_no, "90", "3", ""),  # another workshop union's
        (a1[1].employee_no, "九十", "4", ""),  # not a score
        (a1[2].employee_no, "88", "x", "特等奖"),  # bad rank and award
        (a1[0].employee_no, "70", "", ""),  # again
    )
    assert not plan.ok
    assert [(e.row, e.column) for e in plan.errors] == [
        (2, column("employee_no")),
        (3, column("employee_no")),
        (4, column("score")),
        (5, column("rank")),
        (5, column("award")),
        (6, column("employee_no")),
    ]
    assert a1[0].employee_no in plan.errors[-1].message
    assert not CompetitionResult.objects.exists()
    with pytest.raises(ValidationError):
        services.results_apply(competition=skills, by=people.ws_a, plan=plan)
    assert not CompetitionResult.objects.exists()


def test_a_name_that_differs_from_the_register_is_an_error(org, people, skills):
    member = org.members["A1"][0]
    plan = services.results_plan(
        competition=skills,
        by=people.ws_a,
        rows=[services.ResultRow(7, member.employee_no, name="别人", score="90")],
    )
    assert [(e.row, e.column) for e in plan.errors] == [(7, column("name"))]


def test_the_import_keeps_a_good_workbook(org, people, skills, login):
    a1 = org.members["A1"]
    content = xlsx_bytes(
        [
            [a1[0].employee_no, a1[0].name, 98, 1, "一等奖", "理论满分"],
            [a1[1].employee_no, a1[1].name, 87.5, "第3名", "三等奖", ""],
        ],
        headers=RESULT_HEADERS,
    )
    response = login(people.ws_a).post(
        f"/learning/competitions/{skills.pk}/import/", {"file": upload(content, "成绩.xlsx")}
    )
    assert response.status_code == 302
    results = CompetitionResult.objects.filter(competition=skills).order_by("rank")
    assert [(r.member_id, r.rank, str(r.score), r.note) for r in results] == [
        (a1[0].pk, 1, "98.00", "理论满分"),
        (a1[1].pk, 3, "87.50", ""),
    ]


def test_an_import_with_a_bad_row_writes_nothing_and_lists_rows(org, people, skills, login):
    a1 = org.members["A1"]
    content = xlsx_bytes(
        [
            [a1[0].employee_no, a1[0].name, 98, 1, "一等奖", ""],
            ["888888", "无名", 90, 2, "", ""],
            [a1[1].employee_no, a1[1].name, "缺考", 3, "", ""],
        ],
        headers=RESULT_HEADERS,
    )
    response = login(people.ws_a).post(
        f"/learning/competitions/{skills.pk}/import/", {"file": upload(content, "成绩.xlsx")}
    )
    assert response.status_code == 200
    errors = response.context["errors"]
    # The header is row 1 of the sheet: the data rows are 2, 3 and 4.
    assert [(e.row, e.column) for e in errors] == [(3, column("employee_no")), (4, column("score"))]
    assert "888888" in response.content.decode()
    assert not CompetitionResult.objects.exists()


def test_an_import_without_the_employee_no_column_says_so(org, people, skills, login):
    content = xlsx_bytes([["张三", 90]], headers=["姓名", "成绩"])
    response = login(people.ws_a).post(
        f"/learning/competitions/{skills.pk}/import/", {"file": upload(content, "成绩.xlsx")}
    )
    assert [e.column for e in response.context["errors"]] == [column("employee_no")]


def test_the_results_table_page_saves_all_rows_or_none(org, people, skills, login):
    a1 = org.members["A1"]
    client = login(people.ws_a)
    url = f"/learning/competitions/{skills.pk}/results/"
    assert client.get(url).status_code == 200
    data = {
        "rows": "3",
        "no_0": a1[0].employee_no,
        "score_0": "90",
        "rank_0": "1",
        "award_0": "一等奖",
        "no_1": a1[1].employee_no,
        "score_1": "abc",
        "no_2": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["error_count"] == 1
    assert response.context["rows"][1]["errors"]
    assert not CompetitionResult.objects.exists()
    data["score_1"] = "80"
    assert client.post(url, data).status_code == 302
    assert CompetitionResult.objects.filter(competition=skills).count() == 2


def test_a_group_competitions_table_lists_its_members(org, people, login):
    comp = competition(people.leader_a1, level=Level.GROUP, group=org.A1)
    assert comp.workshop_id == org.a.pk
    rows = login(people.leader_a1).get(f"/learning/competitions/{comp.pk}/results/").context["rows"]
    assert [r["employee_no"] for r in rows if r.get("fixed")] == sorted(
        m.employee_no for m in org.members["A1"]
    )
    # A member of another group cannot take part in a group's own competition.
    plan = enter(comp, people.leader_a1, (org.members["A2"][0].employee_no, "90", "", ""))
    assert [e.column for e in plan.errors] == [column("employee_no")]


# Scope -----------------------------------------------------------------------------------


def test_who_reads_which_competition(org, people, hq):
    workshop_a = competition(people.ws_a, workshop=org.a, title="甲车间比武")
    group_a1 = competition(people.leader_a1, level=Level.GROUP, group=org.A1, title="甲一比武")
    company = competition(hq, level=Level.HQ, title="安康杯")
    competition(people.ws_b, workshop=org.b, title="乙车间比武")

    def reads(user):
        return set(Competition.objects.restrict(user, VIEW).values_list("title", flat=True))

    assert reads(people.leader_a1) == {"甲车间比武", "甲一比武", "安康杯"}
    assert reads(people.leader_a2) == {"甲车间比武", "安康杯"}
    assert reads(people.leader_b1) == {"乙车间比武", "安康杯"}
    assert reads(people.ws_a) == {"甲车间比武", "甲一比武", "安康杯"}
    assert reads(people.evaluator) == {"甲车间比武", "甲一比武", "安康杯", "乙车间比武"}
    assert reads(people.member_a1) == set()
    # allows() gives the same answer for one loaded competition.
    from accounts.scoping import allows

    assert allows(people.leader_a2, VIEW, workshop_a)
    assert not allows(people.leader_a2, VIEW, group_a1)
    assert not allows(people.leader_b1, VIEW, workshop_a)
    assert allows(people.leader_b1, VIEW, company)
    assert not allows(people.member_a1, VIEW, company)
    assert {c.title for c in Competition.objects.restrict(people.leader_a1, CHANGE)} == {"甲一比武"}


def test_a_leader_cannot_record_a_workshop_competition_or_its_results(org, people, skills, login):
    with pytest.raises(PermissionDenied):
        competition(people.leader_a1, workshop=org.a)
    with pytest.raises(PermissionDenied):
        competition(people.ws_a, level=Level.HQ)
    client = login(people.leader_a1)
    assert client.get(f"/learning/competitions/{skills.pk}/").status_code == 200
    assert client.get(f"/learning/competitions/{skills.pk}/results/").status_code == 404
    assert login(people.leader_b1).get(f"/learning/competitions/{skills.pk}/").status_code == 404


def test_a_workshop_union_enters_only_members_of_its_own_workshop(org, people, hq):
    company = competition(hq, level=Level.HQ)
    plan = enter(company, people.ws_a, (org.members["B1"][0].employee_no, "90", "", ""))
    assert [e.column for e in plan.errors] == [column("employee_no")]
    assert enter(company, hq, (org.members["B1"][0].employee_no, "90", "", "")).ok


def test_a_competition_cannot_end_before_it_starts(org, people):
    with pytest.raises(ValidationError):
        competition(
            people.ws_a, workshop=org.a, starts_on=date(2026, 5, 2), ends_on=date(2026, 5, 1)
        )
