"""Figures computed from learning records and competition results, offered through
unionhome.metrics to the scoring engine and the dashboards. Each runs the four queries of
`selectors.group_figures` however many groups it is asked about."""

from django.utils.translation import gettext_lazy as _

from unionhome import metrics

from .selectors import group_figures


def _per_member(group_ids, start, end, attribute):
    figures = group_figures(group_ids, start, end)
    return {
        gid: float(f.per_member(getattr(f, attribute))) for gid, f in figures.items() if f.members
    }


@metrics.register(
    name="learning.hours_per_member",
    label=_("Learning hours per member"),
    definition=_(
        "Hours of weekly lessons and training the group's members recorded in the period, "
        "divided by the group's members at its end (or today, for a period not yet over)."
    ),
    unit="per_member",
)
def hours_per_member(*, group_ids, start, end, **_ignored):
    return _per_member(group_ids, start, end, "hours")


@metrics.register(
    name="learning.books_per_member",
    label=_("Books read per member"),
    definition=_(
        "Books the group's members read in the period (each with reading notes), divided "
        "by the group's members at its end (or today, for a period not yet over)."
    ),
    unit="per_member",
)
def books_per_member(*, group_ids, start, end, **_ignored):
    return _per_member(group_ids, start, end, "books")


@metrics.register(
    name="learning.certificates_per_member",
    label=_("Certificates per member"),
    definition=_(
        "Certificates the group's members gained in the period, divided by the group's "
        "members at its end (or today, for a period not yet over)."
    ),
    unit="per_member",
)
def certificates_per_member(*, group_ids, start, end, **_ignored):
    return _per_member(group_ids, start, end, "certificates")


@metrics.register(
    name="learning.awards_per_member",
    label=_("Competition awards per member"),
    definition=_(
        "Awards the group's members won in competitions that ended in the period, divided "
        "by the group's members at its end (or today, for a period not yet over)."
    ),
    unit="per_member",
)
def awards_per_member(*, group_ids, start, end, **_ignored):
    return _per_member(group_ids, start, end, "awards")


@metrics.register(
    name="learning.award_points",
    label=_("Competition award points"),
    definition=_(
        "The points of the awards the group's members won in competitions that ended in "
        "the period, each award level worth the points HQ set for it."
    ),
    unit="count",
)
def award_points(*, group_ids, start, end, **_ignored):
    return {gid: float(f.award_points) for gid, f in group_figures(group_ids, start, end).items()}


@metrics.register(
    name="learning.weekly_lessons",
    label=_("Weekly lessons held"),
    definition=_("Weekly lessons the group recorded in the period."),
    unit="count",
)
def weekly_lessons(*, group_ids, start, end, **_ignored):
    return {gid: f.lessons_held for gid, f in group_figures(group_ids, start, end).items()}
