"""The pipeline's figures, worked out by hand for four groups."""

from datetime import date

from groups.models import UnionGroup
from homes import selectors


def set_home(group, stage, level=""):
    UnionGroup.objects.filter(pk=group.pk).update(
        home_stage=stage,
        home_level=level,
        home_started_on=date(2024, 3, 1) if stage != "not_started" else None,
        home_accepted_on=date(2024, 12, 1) if level or stage in ("in_notice", "named") else None,
    )


def test_a_named_group_aiming_higher_counts_once(org, hq, year):
    """A1 named 合格; A2 accepted, in the notice; B1 holds 先进 and has declared for 模范;
    B2 is building. Three of four hold a 小家 (75 %), one is being built; of the two
    titles, both are 合格 or above and one (B1) 先进 or above."""
    set_home(org.A1, "named", "qualified")
    set_home(org.A2, "in_notice")
    set_home(org.B1, "declared", "advanced")
    set_home(org.B2, "building")
    pipeline = selectors.pipeline(user=hq, year=year)
    total = pipeline.total
    assert (total.groups, total.accepted, total.building, total.named) == (4, 3, 1, 2)
    assert (total.coverage, total.qualified_rate, total.advanced_rate, total.model_rate) == (
        0.75,
        1.0,
        0.5,
        0.0,
    )
    a, b = pipeline.rows
    assert (a.coverage, b.coverage) == (1.0, 0.5)
    assert dict(b.cells)["declared"] == 1 and dict(b.title_cells)["advanced"] == 1


def test_a_workshop_union_sees_its_own_row_only(org, people, year):
    rows = selectors.pipeline(user=people.ws_a, year=year).rows
    assert [row.workshop for row in rows] == [org.a]
