"""A year of each workshop union's democratic management, from the figures the
congresses, disclosures and improvements apps offer, and the star level it reaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts.scoping import VIEW
from congresses.selectors import workshop_year_figures as congress_figures
from disclosures.selectors import workshop_year_figures as disclosure_figures
from groups.models import WorkshopUnion
from improvements.selectors import workshop_year_figures as suggestion_figures
from unionhome.extensions import section_navigation

from .models import StarLevel, StarRating, star_marks

HUNDRED = Decimal(100)


def _percent(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) * HUNDRED / whole).quantize(Decimal("0.01"))


@dataclass
class WorkshopYear:
    """What one workshop union did in a year, and the star level that earns it."""

    workshop: WorkshopUnion
    sessions_held: int = 0
    sessions_target: int = 0
    resolutions_due: int = 0
    resolutions_on_time: int = 0
    # Disclosures per quarter that has ended (all four for a past year).
    quarters: tuple[int, ...] = ()
    feedback_total: int = 0
    feedback_on_time: int = 0
    suggestions_filed: int = 0
    suggestions_adopted: int = 0
    level: StarLevel | None = None
    confirmed: StarRating | None = None

    @property
    def resolutions_rate(self) -> Decimal | None:
        return _percent(self.resolutions_on_time, self.resolutions_due)

    @property
    def feedback_rate(self) -> Decimal | None:
        return _percent(self.feedback_on_time, self.feedback_total)

    @property
    def fewest_disclosures(self) -> int | None:
        return min(self.quarters) if self.quarters else None

    @property
    def stars(self) -> int:
        return self.level.stars if self.level else 0

    @property
    def marks(self) -> str:
        return star_marks(self.stars)

    def meets(self, level: StarLevel) -> bool:
        """Every threshold of the level; a rate with nothing to count, and the quarters of
        a year none of which has ended, meet it."""
        resolutions, feedback = self.resolutions_rate, self.feedback_rate
        return (
            self.sessions_held >= level.min_sessions_held
            and (resolutions is None or resolutions >= level.min_resolutions_on_time)
            and (feedback is None or feedback >= level.min_feedback_on_time)
            and (
                self.fewest_disclosures is None
                or self.fewest_disclosures >= level.min_disclosures_per_quarter
            )
        )


def quarters_ended(year: int, today: date) -> int:
    """How many quarters of the year have ended by `today`."""
    if year < today.year:
        return 4
    if year > today.year:
        return 0
    return (today.month - 1) // 3


def star_year(*, user, year: int, today: date | None = None) -> list[WorkshopYear]:
    """The workshop unions the user reaches, each with its year's figures and the level it
    reaches by HQ's rules; a confirmed year shows what HQ confirmed. A fixed number of
    queries, whatever the number of workshop unions."""
    today = today or timezone.localdate()
    workshops = list(
        WorkshopUnion.objects.restrict(user, VIEW).filter(is_active=True).order_by("sort_order")
    )
    ids = [w.pk for w in workshops]
    confirmed = {
        r.workshop_id: r for r in StarRating.objects.restrict(user, VIEW).filter(year=year)
    }
    levels = list(StarLevel.objects.order_by("-stars"))
    congresses = congress_figures(year=year, workshop_ids=ids)
    disclosures = disclosure_figures(year=year, workshop_ids=ids)
    suggestions = suggestion_figures(year=year, workshop_ids=ids)
    ended = quarters_ended(year, today)
    rows = []
    for workshop in workshops:
        c = congresses.get(workshop.pk, {})
        d = disclosures.get(workshop.pk, {})
        s = suggestions.get(workshop.pk, {})
        row = WorkshopYear(
            workshop=workshop,
            sessions_held=c.get("sessions_held", 0),
            sessions_target=c.get("sessions_target", 0),
            resolutions_due=c.get("resolutions_due", 0),
            resolutions_on_time=c.get("resolutions_closed_on_time", 0),
            quarters=tuple((d.get("disclosures_by_quarter") or [0, 0, 0, 0])[:ended]),
            feedback_total=d.get("feedback_total", 0),
            feedback_on_time=d.get("feedback_answered_on_time", 0),
            suggestions_filed=s.get("filed", 0),
            suggestions_adopted=s.get("adopted", 0),
            confirmed=confirmed.get(workshop.pk),
        )
        row.level = next((level for level in levels if row.meets(level)), None)
        rows.append(row)
    return rows


def confirmed_years(*, user) -> list[int]:
    return sorted(
        set(StarRating.objects.restrict(user, VIEW).values_list("year", flat=True)),
        reverse=True,
    )


SECTION = "democracy"


@dataclass
class Section:
    label: str
    url: str
    waiting: int


def sections(user) -> list[Section]:
    """The section's pages the user may open, each with what waits for them there (the
    app's own to-do items)."""
    found = []
    for config, label, url_name in section_navigation(user, SECTION):
        waiting = sum(count for _what, count, _url in config.todo_items(user))
        found.append(Section(str(label), reverse(url_name), waiting))
    return found


def sees_stars(user) -> bool:
    return StarRating.objects.may(user, VIEW)


def opens_overview(user) -> bool:
    return sees_stars(user) or bool(section_navigation(user, SECTION))
