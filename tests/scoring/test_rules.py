"""Each rule as a union office writes it, from the rubric's numbers (scoring/rules.py)."""

from django.utils import translation

from scoring import engine
from scoring.rules import in_words


def test_every_kind_of_rule_in_chinese(scheme):
    """The small scheme (tests/scoring/conftest.py): a1 linear to 2 a month (max 20); a2
    steps ≥1 → half, ≥3 → all (max 20); b1 survey approval linear to 1 (a rate, max 20);
    b2 manual (max 10); c1 median days, full at ≤10, none at ≥40, full without data (30)."""
    lines = {
        i["code"]: i
        for c in engine.scheme_of(scheme["criteria"][0].version)
        for i in c["indicators"]
    }
    with translation.override("zh-hans"):
        words = {code: in_words(line) for code, line in lines.items()}
    assert words == {
        "a1": "每月 2 次 及以上得满分 20.00 分，不足按比例计分。",
        "a2": "3 及以上得 20.00 分；1 及以上得 10.00 分；不足 1 不得分。",
        "b1": "100% 及以上得满分 20.00 分，不足按比例计分。",
        "b2": "考核员评 0–10.00 分，取平均分。",
        "c1": "10 天 及以下得满分 30.00 分，40 天 及以上不得分，其间按比例计分。无数据时得满分。",
    }


def test_the_scorecard_shows_the_rule_in_words(org, scheme, period, hq, login):
    from scoring import services
    from tests.factories import accepted_home, publish

    accepted_home(org.A1)
    services.score_compute(period=period, by=hq)
    publish(period, hq)
    page = login(hq).get(f"/assessment/{period.pk}/groups/{org.A1.pk}/").content.decode()
    assert "不足 1 不得分" in page
