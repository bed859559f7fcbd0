"""Assessment pages: scope for every page, publication and versions."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import GroupResult
from tests.factories import leader_user, publish, workshop_user


@pytest.fixture
def published(org, scheme, period, evaluators, hq):
    for group, points in ((org.A1, "10"), (org.A2, "5")):
        services.manual_score_set(
            period=period,
            group=group,
            indicator=scheme["b2"],
            by=evaluators[0],
            points=Decimal(points),
            max_points=Decimal("10"),
        )
    services.score_compute(period=period, by=hq)
    return publish(period, hq)


def urls(period, group):
    return {
        "detail": reverse("scoring:period_detail", args=[period.pk]),
        "ranking": reverse("scoring:ranking", args=[period.pk]),
        "export": reverse("scoring:ranking_export", args=[period.pk]),
        "card": reverse("scoring:scorecard", args=[period.pk, group.pk]),
    }


class TestScope:
    def test_a_leader_sees_only_their_own_published_card(self, org, period, published, login):
        client = login(leader_user(org.A1))
        mine = urls(period, org.A1)
        assert client.get(mine["card"]).status_code == 200
        assert client.get(mine["detail"])["Location"] == mine["card"]
        assert client.get(mine["ranking"])["Location"] == mine["card"]
        assert client.get(mine["export"]).status_code == 403
        assert client.get(urls(period, org.A2)["card"]).status_code == 404

    def test_nothing_unpublished_reaches_a_leader_or_a_workshop(
        self, org, scheme, period, hq, login
    ):
        services.score_compute(period=period, by=hq)
        client = login(leader_user(org.A1))
        for url in urls(period, org.A1).values():
            assert client.get(url).status_code == 404, url
        # The workshop sees the running period (it issues the ballots), not its results.
        client = login(workshop_user(org.a))
        assert client.get(urls(period, org.A1)["ranking"]).context["run"] is None
        assert client.get(urls(period, org.A1)["card"]).context["result"] is None

    def test_a_workshop_sees_its_groups_in_the_ranking(self, org, period, published, login):
        client = login(workshop_user(org.a))
        page = client.get(urls(period, org.A1)["ranking"])
        assert {r.group.code for r in page.context["ranking"].shown} == {"A1", "A2"}
        assert client.get(urls(period, org.B1)["card"]).status_code == 404

    def test_evaluators_only_see_their_periods(self, org, scheme, period, evaluators, login):
        from tests.factories import UserFactory

        outsider = UserFactory(role="evaluator")
        assert login(outsider).get(urls(period, org.A1)["detail"]).status_code == 404
        client = login(evaluators[0])
        assert client.get(reverse("scoring:evaluate", args=[period.pk])).status_code == 200
        assert client.get(reverse("scoring:ballots", args=[period.pk])).status_code == 403
        assert client.get(reverse("scoring:vetoes", args=[period.pk])).status_code == 403

    def test_only_hq_takes_the_periods_steps(self, org, scheme, period, login):
        client = login(workshop_user(org.a))
        response = client.post(
            reverse("scoring:period_action", args=[period.pk]), {"action": "compute"}
        )
        assert response.status_code == 403
        assert not period.runs.exists()


class TestPages:
    def test_the_scorecard_shows_the_breakdown_and_the_change(
        self, org, scheme, period, published, hq, evaluators, login
    ):
        from scoring.models import AssessmentPeriod

        later = AssessmentPeriod.objects.create(
            name="2026年第二季度", start=date(2026, 4, 1), end=date(2026, 6, 30)
        )
        later.evaluators.set(evaluators)
        services.manual_score_set(
            period=later,
            group=org.A1,
            indicator=scheme["b2"],
            by=evaluators[0],
            points=Decimal("4"),
            max_points=Decimal("10"),
        )
        services.score_compute(period=later, by=hq)
        publish(later, hq)
        page = login(leader_user(org.A1)).get(
            reverse("scoring:scorecard", args=[later.pk, org.A1.pk])
        )
        # First quarter: b2 10 + c1 30 = 40; second: b2 4 + c1 30 = 34.
        assert page.context["result"].total == Decimal("34.00")
        assert page.context["change"] == Decimal("-6.00")
        rows = {row["criterion"]["code"]: row for row in page.context["rows"]}
        assert rows["b"]["change"] == Decimal("-6.00")
        assert "linear" not in page.content.decode()  # rules are described in words

    def test_a_published_version_stays_readable_after_recomputing(
        self, org, scheme, period, published, hq, evaluators, login
    ):
        services.period_move(period=period, by=hq, to="scoring")
        services.manual_score_set(
            period=period,
            group=org.A1,
            indicator=scheme["b2"],
            by=evaluators[0],
            points=Decimal("0"),
            max_points=Decimal("10"),
        )
        draft = services.score_compute(period=period, by=hq)
        leader = login(leader_user(org.A1))
        card = leader.get(urls(period, org.A1)["card"])
        assert card.context["run"].version == 1 and card.context["result"].total == Decimal("40.00")
        hq_view = login(hq).get(urls(period, org.A1)["card"])
        assert hq_view.context["run"].version == 2
        assert hq_view.context["result"].total == Decimal("30.00")
        old = login(hq).get(urls(period, org.A1)["card"] + "?version=1")
        assert old.context["result"].total == Decimal("40.00")
        publish(period, hq)
        assert leader.get(urls(period, org.A1)["card"]).context["run"] == draft

    def test_ranking_filters_and_export(self, org, period, published, hq, login):
        import io

        from openpyxl import load_workbook

        client = login(hq)
        page = client.get(urls(period, org.A1)["ranking"], {"workshop": org.a.pk})
        assert {r.group.code for r in page.context["ranking"].shown} == {"A1", "A2"}
        level = GroupResult.objects.get(run=published, group=org.A1).level
        page = client.get(urls(period, org.A1)["ranking"], {"level": level})
        assert all(r.level == level for r in page.context["ranking"].shown)
        sheet = load_workbook(io.BytesIO(client.get(urls(period, org.A1)["export"]).content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("名次", "车间工会", "工会小组")
        assert {"加分", "减分"} <= set(rows[0])  # the columns add up to the total
        assert len(rows) == 5

    def test_assessment_pages_say_assessment_level_never_hardship_level(
        self, org, period, published, hq, login
    ):
        """ "Level" has two meanings: a small home's 考核等次 and a family's 困难类别."""
        import io

        from openpyxl import load_workbook

        client = login(hq)
        for name in ("ranking", "card"):
            page = client.get(urls(period, org.A1)[name]).content.decode()
            assert "考核等次" in page and "困难类别" not in page, name
        sheet = load_workbook(io.BytesIO(client.get(urls(period, org.A1)["export"]).content)).active
        header = next(sheet.iter_rows(values_only=True))
        assert "考核等次" in header and "困难类别" not in header
        # The annual summary and its workbook, where the top ten carry their level.
        year = {"year": period.end.year}
        summary = client.get(reverse("dashboard:summary"), year).content.decode()
        assert "考核等次" in summary and "困难类别" not in summary
        book = load_workbook(
            io.BytesIO(client.get(reverse("dashboard:summary_export"), year).content)
        )
        cells = {c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row}
        assert "考核等次" in cells and "困难类别" not in cells

    def test_evaluator_enters_points_with_comments(self, org, scheme, period, evaluators, login):
        client = login(evaluators[1])
        url = reverse("scoring:evaluate_group", args=[period.pk, org.B1.pk])
        field = f"points_{scheme['b2'].pk}"
        bad = client.post(url, {field: "11"})
        assert field in bad.context["form"].errors
        client.post(url, {field: "7.5", f"comment_{scheme['b2'].pk}": "台账齐全"})
        score = period.manual_scores.get()
        assert (score.fraction, score.comment) == (Decimal("0.75"), "台账齐全")


def test_ranking_and_scorecard_take_the_same_queries_for_few_and_many_groups(
    org, period, published, hq, login, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MemberFactory, UnionGroupFactory, WorkshopUnionFactory

    client = login(hq)
    pages = ("ranking", "card", "export")
    few = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(urls(period, org.A1)[page]).status_code == 200
        few[page] = len(queries)
    for _ in range(3):
        workshop = WorkshopUnionFactory()
        for _ in range(3):
            MemberFactory.create_batch(3, group=UnionGroupFactory(workshop=workshop))
    services.score_compute(period=period, by=hq)
    publish(period, hq)
    assert published.period.runs.latest("version").results.count() == 4 + 9
    for page in pages:
        with django_assert_num_queries(few[page]):
            assert client.get(urls(period, org.A1)[page]).status_code == 200


def test_the_ranking_is_paged_and_its_rates_count_every_group(
    org, period, published, hq, login, settings
):
    """A federation ranks thousands of groups: the rows are paged, the rates are not."""
    settings.UNIONHOME = {**settings.UNIONHOME, "PAGE_SIZE": 1}
    client = login(hq)
    first = client.get(urls(period, org.A1)["ranking"])
    second = client.get(urls(period, org.A1)["ranking"], {"page": 2})
    rows = [p.context["page"].object_list for p in (first, second)]
    assert [len(r) for r in rows] == [1, 1]
    assert rows[0][0].group_id != rows[1][0].group_id
    overall = first.context["ranking"].overall
    assert overall.groups + overall.unrated == len(first.context["ranking"].results) == 4
