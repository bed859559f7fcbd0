"""The demo's democratic management, once the suggestions, congresses and disclosures of
the year are seeded: this year's assessment is computed again so that its scorecards read
them, and the star levels the workshop unions reach are logged."""

from collections import Counter

from scoring import services as scoring
from scoring.models import AssessmentPeriod, PeriodStatus
from unionhome.demo import DemoContext

from .selectors import star_year


def seed(context: DemoContext) -> None:
    hq = context.shared["users"]["hq"]
    current = (
        AssessmentPeriod.objects.filter(name=f"{context.today.year}年度")
        .exclude(status=PeriodStatus.PUBLISHED)
        .first()
    )
    if current is not None:
        scoring.score_compute(period=current, by=hq)
    rows = star_year(user=hq, year=context.today.year, today=context.today)
    # Workshop unions per number of stars: one line at any size.
    stars = dict(sorted(Counter(row.stars for row in rows).items()))
    context.log(f"  democratic management {context.today.year}: workshop unions by stars {stars}")
