"""The 民主测评 ballots: one vote each, clear refusals, and no path back to a member."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse

from groups.models import Member
from scoring import metrics as survey_metrics
from scoring import services, survey
from scoring.models import Ballot, SurveyAnswer, SurveyQuestion
from tests.factories import publish, today, workshop_user


def answers(choice="satisfied"):
    """An answer to each question of the rubric's ballot."""
    return dict.fromkeys(SurveyQuestion.objects.values_list("code", flat=True), choice)


@pytest.fixture
def codes(org, period, hq):
    return services.ballots_issue(period=period, group=org.A1, by=hq)


def test_one_ballot_per_member_by_default_and_only_hashes_kept(org, period, codes):
    assert len(codes) == 3 and len(set(codes)) == 3
    stored = list(Ballot.objects.values_list("code_hash", flat=True))
    assert sorted(stored) == sorted(survey.code_hash(c) for c in codes)
    for code in codes:
        assert not Ballot.objects.filter(code_hash__contains=code).exists()


def test_a_ballot_counts_once(org, period, codes):
    services.ballot_submit(code=codes[0], answers=answers())
    with pytest.raises(services.BallotRefused) as refused:
        services.ballot_submit(code=codes[0], answers=answers("unsatisfied"))
    assert refused.value.code == "used"
    assert SurveyAnswer.objects.count() == 1


def test_a_code_is_read_forgivingly(org, period, codes):
    services.ballot_submit(code=" " + codes[1].lower() + " ", answers=answers())
    assert Ballot.objects.filter(used=True).count() == 1


@pytest.mark.parametrize("forged", ["ABCDEFGH", "", "23456789", "' OR 1=1 --"])
def test_a_forged_code_is_unknown(org, period, codes, forged):
    with pytest.raises(services.BallotRefused) as refused:
        services.ballot_lookup(forged)
    assert refused.value.code == "unknown"


def test_ballots_expire_when_the_survey_closes_or_the_period_is_published(org, period, codes, hq):
    period.survey_closes_on = today() - timedelta(days=1)
    period.save()
    with pytest.raises(services.BallotRefused) as refused:
        services.ballot_lookup(codes[0])
    assert refused.value.code == "expired"
    period.survey_closes_on = None
    period.save()
    services.ballot_lookup(codes[0])
    services.score_compute(period=period, by=hq)
    publish(period, hq)
    with pytest.raises(services.BallotRefused):
        services.ballot_lookup(codes[0])


def test_withdrawn_ballots_are_refused(org, period, codes, hq):
    services.ballot_submit(code=codes[0], answers=answers())
    services.ballots_issue(period=period, group=org.A1, by=hq, count=2, void_unused=True)
    with pytest.raises(services.BallotRefused) as refused:
        services.ballot_lookup(codes[1])
    assert refused.value.code == "voided"
    assert Ballot.objects.filter(voided=True).count() == 2


def test_every_question_must_be_answered(org, period, codes):
    partial = answers()
    partial.popitem()
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError, and nothing is written
        services.ballot_submit(code=codes[0], answers=partial)
    assert not Ballot.objects.filter(used=True).exists()


def test_nothing_leads_from_an_answer_or_a_ballot_to_a_member(org, period, codes):
    services.ballot_submit(code=codes[0], answers=answers(), comment="希望多组织活动")
    for model in (Ballot, SurveyAnswer):
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField):
                assert field.related_model is not Member, (model, field.name)
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"member", "ballot", "submitted_at", "created_at", "used_at"}
    answer = SurveyAnswer.objects.get()
    assert {f.name for f in SurveyAnswer._meta.concrete_fields} == {
        "id",
        "period",
        "group",
        "answers",
        "comment",
    }
    assert answer.comment == "希望多组织活动"


def test_turnout_and_approval(org, period, codes):
    services.ballot_submit(code=codes[0], answers=answers("satisfied"))
    services.ballot_submit(code=codes[1], answers=answers("unsatisfied"))
    group_ids = [org.A1.pk]
    assert survey_metrics.turnout(group_ids=group_ids, period_id=period.pk) == {org.A1.pk: 0.6667}
    assert survey_metrics.approval_rate(group_ids=group_ids, period_id=period.pk) == {
        org.A1.pk: 0.5
    }


def test_a_workshop_issues_ballots_only_for_its_groups(org, period):
    workshop = workshop_user(org.a)
    services.ballots_issue(period=period, group=org.A2, by=workshop, count=1)
    with pytest.raises(PermissionDenied):
        services.ballots_issue(period=period, group=org.B1, by=workshop, count=1)


class TestBallotPages:
    def test_the_ballot_needs_no_login_and_counts_once(self, org, period, codes, client):
        url = reverse("scoring:ballot", args=[codes[0]])
        page = client.get(url)
        assert page.status_code == 200 and "运行一班" in page.content.decode()
        missing = client.post(url, {})
        assert missing.status_code == 200 and missing.context["form"].errors
        client.post(url, {**answers("fairly"), "comment": "好"})
        assert SurveyAnswer.objects.get().answers == answers("fairly")
        again = client.get(url)
        assert again.status_code == 410
        assert "已经使用" in again.content.decode() or "already been used" in again.content.decode()

    def test_unknown_codes_get_a_clear_page(self, org, period, client):
        page = client.get(reverse("scoring:ballot", args=["NOTACODE"]))
        assert page.status_code == 404 and page.context["message"]

    def test_typing_the_code(self, org, period, codes, client):
        response = client.post(reverse("scoring:ballot_entry"), {"code": codes[2].lower()})
        assert response["Location"] == reverse("scoring:ballot", args=[codes[2]])

    def test_issuing_shows_printable_slips_with_qr_codes(self, org, period, hq, login):
        page = login(hq).post(
            reverse("scoring:ballots", args=[period.pk]), {"group": org.A1.pk, "count": 2}
        )
        slips = page.context["slips"]
        assert len(slips) == 2 and "<svg" in str(slips[0]["qr"])
        assert slips[0]["code"] in page.content.decode()
        assert Ballot.objects.count() == 2
