"""What a review of the learning app asked for: results of members who left or moved stay
open to change, figures that add up for a moved member, an organiser change that would
strand results refused, a lesson recorded once, a scan's file kept in step with its record,
the results workbook's columns in the page's language."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from openpyxl import load_workbook

from groups.models import GroupMembership, Member, MemberStatus
from learning import selectors, services
from learning.models import CompetitionResult, LearningKind, LearningRecord, Level
from learning.services import column
from tests import files
from tests.factories import ActivityFactory
from tests.spreadsheets import upload, xlsx_bytes

from .conftest import competition, enter, record


@pytest.fixture
def skills(org, people):
    return competition(people.ws_a, workshop=org.a)


def _leave(member):
    Member.objects.filter(pk=member.pk).update(status=MemberStatus.LEFT, left_on=date(2026, 5, 1))


def _move(member, group):
    Member.objects.filter(pk=member.pk).update(group=group)
    GroupMembership.objects.filter(member=member, ended_on__isnull=True).update(
        ended_on=date(2026, 4, 30)
    )
    GroupMembership.objects.create(member=member, group=group, started_on=date(2026, 5, 1))


def test_a_result_of_a_member_who_left_or_moved_stays_open_to_change(org, people, skills):
    a1 = org.members["A1"]
    assert enter(
        skills,
        people.ws_a,
        (a1[0].employee_no, "90", "1", "一等奖"),
        (a1[1].employee_no, "80", "2", ""),
    ).ok
    _leave(a1[0])
    _move(a1[1], org.B1)  # out of workshop union A
    # The whole table is saved again: the two existing rows are accepted …
    plan = enter(
        skills,
        people.ws_a,
        (a1[0].employee_no, "91", "1", "一等奖"),
        (a1[1].employee_no, "81", "2", ""),
        (a1[2].employee_no, "70", "3", ""),
    )
    assert plan.ok, plan.errors
    scores = dict(CompetitionResult.objects.values_list("member_id", "score"))
    assert scores == {a1[0].pk: Decimal("91"), a1[1].pk: Decimal("81"), a1[2].pk: Decimal("70")}
    # … the moved member's result keeps the group it was recorded for …
    assert CompetitionResult.objects.get(member=a1[1]).group_id == org.A1.pk
    # … and one can be taken out.
    plan = services.results_plan(
        competition=skills,
        by=people.ws_a,
        rows=[services.ResultRow(1, a1[0].employee_no, remove=True)],
    )
    assert plan.ok
    services.results_apply(competition=skills, by=people.ws_a, plan=plan)
    assert not CompetitionResult.objects.filter(member=a1[0]).exists()
    # A new entry still follows the rule: a member who left cannot be entered.
    plan = enter(skills, people.ws_a, (a1[0].employee_no, "90", "", ""))
    assert [e.column for e in plan.errors] == [column("employee_no")]


def test_the_import_accepts_existing_results_of_a_member_who_left(org, people, skills, login):
    member = org.members["A1"][0]
    assert enter(skills, people.ws_a, (member.employee_no, "90", "1", "")).ok
    _leave(member)
    content = xlsx_bytes(
        [[member.employee_no, member.name, 95, 1, "一等奖", ""]],
        headers=["工号", "姓名", "成绩", "名次", "奖项", "备注"],
    )
    response = login(people.ws_a).post(
        f"/learning/competitions/{skills.pk}/import/", {"file": upload(content, "成绩.xlsx")}
    )
    assert response.status_code == 302
    assert CompetitionResult.objects.get(member=member).score == Decimal("95")


def test_the_template_names_its_columns_in_the_pages_language_and_imports_back(
    org, people, skills, login
):
    client = login(people.ws_a)
    response = client.get(f"/learning/competitions/{skills.pk}/template.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert headers == [column(f) for f in services.COLUMN_TITLES]
    member = org.members["A1"][0]
    for titles in (headers, ["Employee no.", "Name", "Score", "Rank", "Award", "Note"]):
        content = xlsx_bytes([[member.employee_no, member.name, 88, 2, "", ""]], headers=titles)
        response = client.post(
            f"/learning/competitions/{skills.pk}/import/", {"file": upload(content, "r.xlsx")}
        )
        assert response.status_code == 302
    assert CompetitionResult.objects.get(member=member).rank == 2


def test_changing_the_organiser_away_from_its_results_is_refused(org, people, hq, skills):
    member = org.members["A1"][0]
    assert enter(skills, people.ws_a, (member.employee_no, "90", "", "")).ok
    args = {
        "by": hq,
        "competition": skills,
        "title": skills.title,
        "kind": skills.kind,
        "starts_on": skills.starts_on,
        "ends_on": skills.ends_on,
    }
    with pytest.raises(ValidationError) as error:
        services.competition_save(**args, level=Level.WORKSHOP, workshop=org.b)
    assert "level" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.competition_save(**args, level=Level.GROUP, group=org.A2)
    assert "group" in error.value.message_dict
    # To the member's own group, or wider, is fine.
    services.competition_save(**args, level=Level.GROUP, group=org.A1)
    services.competition_save(**args, level=Level.HQ)


def test_a_competitions_activity_is_one_the_user_reads_within_its_dates(org, people, skills):
    args = {
        "by": people.ws_a,
        "competition": skills,
        "title": skills.title,
        "kind": skills.kind,
        "level": Level.WORKSHOP,
        "workshop": org.a,
        "starts_on": skills.starts_on,
        "ends_on": skills.ends_on,
    }
    inside = ActivityFactory(group=org.A1, held_on=date(2026, 4, 1))
    outside = ActivityFactory(group=org.A1, held_on=date(2026, 3, 1))
    elsewhere = ActivityFactory(group=org.B1, held_on=date(2026, 4, 1))
    for activity in (outside, elsewhere):
        with pytest.raises(ValidationError) as error:
            services.competition_save(**args, activity=activity)
        assert list(error.value.message_dict) == ["activity"]
    assert services.competition_save(**args, activity=inside).activity_id == inside.pk


def test_a_moved_members_figures_add_up_to_what_each_page_lists(org, people, login):
    member = org.members["A1"][0]
    record(member, people.leader_a1, "training", on=date(2026, 2, 1), hours=Decimal("9"))
    _move(member, org.A2)
    member.refresh_from_db()
    record(member, people.leader_a2, "training", on=date(2026, 6, 1), hours=Decimal("3"))
    # The new group's leader reads only the record of A2: the figures say so too.
    figures = selectors.member_learning([member.pk], 2026, user=people.leader_a2)[member.pk]
    assert figures.hours == Decimal("3")
    assert selectors.member_learning([member.pk], 2026)[member.pk].hours == Decimal("12")
    # A2's page counts what the member did in A2; A1's page lists the old record and can
    # take it back.
    a2 = selectors.group_learning(group=org.A2, year=2026)
    assert next(line for line in a2.lines if line.member == member).figures.hours == 3
    a1 = selectors.group_learning(group=org.A1, year=2026)
    old = LearningRecord.objects.get(group=org.A1, member=member)
    assert [r.pk for r in a1.former] == [old.pk]
    client = login(people.leader_a1)
    assert (
        f"/learning/records/{old.pk}/delete"
        in client.get(f"/learning/groups/{org.A1.pk}/?year=2026").content.decode()
    )
    response = client.post(f"/learning/records/{old.pk}/delete/", {"back": "group"})
    assert response.status_code == 302 and f"/learning/groups/{org.A1.pk}/" in response.url
    assert not LearningRecord.objects.filter(pk=old.pk).exists()


def test_a_lesson_is_recorded_once_a_day_per_topic(org, people):
    a, b, _c = org.members["A1"]
    args = {
        "group": org.A1,
        "by": people.leader_a1,
        "held_on": date(2026, 2, 3),
        "topic": "安全规程",
        "hours": Decimal("1"),
    }
    services.lesson_record(**args, members=[a])
    with pytest.raises(ValidationError) as error:
        services.lesson_record(**args, members=[b])
    assert list(error.value.message_dict) == ["held_on"]
    assert LearningRecord.objects.filter(lesson__isnull=False).count() == 1


def test_a_scans_file_goes_with_its_record(org, people, django_capture_on_commit_callbacks):
    member = org.members["A1"][0]
    cert = record(member, people.leader_a1, "certificate", upload=files.jpeg())
    storage, name = cert.file.storage, cert.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_delete(record=cert, by=people.leader_a1)
    assert storage.exists(name)  # not before the deletion is committed
    for callback in callbacks:
        callback()
    assert not storage.exists(name)
    # A record that cannot be written leaves no stored file behind.
    saved = []
    real_save = storage.save

    def save(*args, **kwargs):
        saved.append(real_save(*args, **kwargs))
        return saved[-1]

    with (
        mock.patch.object(storage, "save", save),
        mock.patch.object(LearningRecord, "save", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        record(member, people.leader_a1, "certificate", upload=files.jpeg())
    assert saved and not storage.exists(saved[0])


def test_a_kinds_mechanism_is_fixed_once_it_has_records(org, people, hq):
    admin = site._registry[LearningKind]
    request = RequestFactory().get("/")
    request.user = hq
    training = LearningKind.objects.get(code="training")
    assert admin.get_readonly_fields(request, training) == []
    record(org.members["A1"][0], people.leader_a1, "training")
    assert admin.get_readonly_fields(request, training) == ["mechanism"]
    assert admin.get_readonly_fields(request, None) == []
