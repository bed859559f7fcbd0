"""The evaluator's desk (guidance beside each score, the maximum beside the box, "save and
next group", progress) and the printable evaluation sheet."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring import services
from scoring.models import Indicator
from tests.factories import UnionGroupFactory, accepted_home, leader_user, publish


def desk(period, group):
    return reverse("scoring:evaluate_group", args=[period.pk, group.pk])


def test_the_desk_shows_guidance_the_maximum_and_progress(org, scheme, period, evaluators, login):
    Indicator.objects.filter(pk=scheme["b2"].pk).update(guidance="查看班组会议记录和照片")
    client = login(evaluators[0])
    page = client.get(desk(period, org.A1)).content.decode()
    assert "查看班组会议记录和照片" in page
    assert "/ 10.00 分" in page
    assert 'aria-describedby="max-' in page
    assert "已评 0 / 4 个小组" in page
    assert "保存并评下一个小组" in page


def test_save_and_next_goes_to_the_next_group_still_to_score(
    org, scheme, period, evaluators, login
):
    """Groups in order A1, A2, B1, B2. A2 is scored already: from A1 the next is B1; from
    B2 (the last), round to nothing left, back to the list with a word."""
    first = evaluators[0]
    field = f"points_{scheme['b2'].pk}"
    services.manual_score_set(
        period=period,
        group=org.A2,
        indicator=scheme["b2"],
        by=first,
        points=Decimal("8"),
        max_points=Decimal("10"),
    )
    client = login(first)
    response = client.post(desk(period, org.A1), {field: "9", "next": "1"})
    assert response.status_code == 302 and response.url == desk(period, org.B1)
    client.post(desk(period, org.B1), {field: "7", "next": "1"})
    response = client.post(desk(period, org.B2), {field: "6", "next": "1"}, follow=True)
    assert "每个小组都已由您评分" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("scoring:evaluate", args=[period.pk]))
    assert period.manual_scores.filter(evaluator=first).count() == 4


def test_a_score_above_the_maximum_is_refused_beside_its_box(
    org, scheme, period, evaluators, login
):
    client = login(evaluators[0])
    response = client.post(desk(period, org.A1), {f"points_{scheme['b2'].pk}": "12", "next": "1"})
    assert response.status_code == 200
    assert "确保该值小于或等于10" in response.content.decode()
    assert not period.manual_scores.exists()


def test_the_desk_takes_the_same_queries_for_few_and_many_groups(
    org, scheme, period, evaluators, login
):
    client = login(evaluators[0])

    def queries():
        client.get(desk(period, org.A1))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(desk(period, org.A1)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(6):
        UnionGroupFactory(workshop=org.a if n % 2 else org.b)
    assert queries() == few


def test_the_printed_sheet_holds_every_line_points_and_signature_lines(
    org, scheme, period, hq, login
):
    accepted_home(org.A1)
    services.score_compute(period=period, by=hq)
    publish(period, hq)
    url = reverse("scoring:sheet", args=[period.pk, org.A1.pk])
    page = login(leader_user(org.A1)).get(url).content.decode()
    for code in ("a1", "a2", "b1", "b2", "c1"):
        assert f"<td>{code}</td>" in page
    assert "每月 2 次 及以上得满分 20.00 分" in page
    assert "30.00" in page  # A1: only c1's full points for no case
    assert "考评人（签字）" in page and "考评小组组长（签字）" in page


def test_before_results_the_sheet_is_blank_for_scoring_on_site(
    org, scheme, period, evaluators, login
):
    url = reverse("scoring:sheet", args=[period.pk, org.A1.pk])
    response = login(evaluators[0]).get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<td>b2</td>" in page and "考评人（签字）" in page
    assert '<th>总分</th><td class="num"></td>' in page  # nothing computed yet
