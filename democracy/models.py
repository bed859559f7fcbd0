"""The yearly 星级 of each workshop union's democratic management: the levels and their
thresholds are data HQ edits; a year's ratings are computed from the other apps' figures
and, once the year is over, confirmed by HQ and kept as they were."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from accounts.scoping import VIEW, Reach, ScopedQuerySet
from groups.models import WorkshopUnion

CONFIRM = "confirm"

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def star_marks(stars: int) -> str:
    """★★★☆☆: the stars reached out of five, as a union's certificate prints them."""
    return "★" * stars + "☆" * (5 - stars)


class StarLevel(models.Model):
    """One star level and what a workshop union's year must show to reach it."""

    stars = models.PositiveSmallIntegerField(
        _("stars"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40)
    min_sessions_held = models.PositiveSmallIntegerField(
        _("workshop congresses held in the year, at least"),
        default=2,
        help_text=_(
            "What the star level asks for; the congresses a workshop union plans each year "
            "are set apart, in the congress settings."
        ),
    )
    min_resolutions_on_time = models.DecimalField(
        _("resolutions carried out on time, at least (%)"),
        max_digits=5,
        decimal_places=2,
        default=80,
        validators=PERCENT,
        help_text=_("A year without resolutions falling due meets this."),
    )
    min_disclosures_per_quarter = models.PositiveSmallIntegerField(
        _("disclosures posted in every quarter, at least"),
        default=1,
        help_text=_(
            "Counts the workshop union's and its groups' disclosures; only quarters that "
            "have ended are judged."
        ),
    )
    min_feedback_on_time = models.DecimalField(
        _("employees' feedback answered on time, at least (%)"),
        max_digits=5,
        decimal_places=2,
        default=80,
        validators=PERCENT,
        help_text=_(
            "On time means within the days set in the disclosure settings. A year without "
            "feedback meets this."
        ),
    )

    class Meta:
        verbose_name = _("star level")
        verbose_name_plural = _("star levels")
        ordering = ["stars"]

    def __str__(self):
        return self.name

    @property
    def marks(self) -> str:
        return star_marks(self.stars)


class StarRatingQuerySet(ScopedQuerySet):
    """A workshop union reads its own ratings, a group leader their workshop union's, HQ and
    the evaluators every one; HQ confirms a year's."""

    group_lookup = None
    workshop_lookup = "workshop"
    policy = {
        VIEW: {
            Role.HQ: Reach.ALL,
            Role.EVALUATOR: Reach.ALL,
            Role.WORKSHOP: Reach.WORKSHOP,
            Role.GROUP_LEADER: Reach.GROUP,
        },
        CONFIRM: {Role.HQ: Reach.ALL},
    }


class StarRating(models.Model):
    """A workshop union's confirmed star rating of one year, with the figures it rested on."""

    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        related_name="star_ratings",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    level_name = models.CharField(_("star level"), max_length=40, blank=True)
    sessions_held = models.PositiveSmallIntegerField(_("congresses held"), default=0)
    sessions_target = models.PositiveSmallIntegerField(_("congresses planned"), default=0)
    resolutions_due = models.PositiveIntegerField(_("resolutions due"), default=0)
    resolutions_on_time = models.PositiveIntegerField(_("carried out on time"), default=0)
    fewest_disclosures = models.PositiveIntegerField(
        _("disclosures in the leanest quarter"), null=True, blank=True
    )
    feedback_total = models.PositiveIntegerField(_("feedback received"), default=0)
    feedback_on_time = models.PositiveIntegerField(_("answered on time"), default=0)
    suggestions_filed = models.PositiveIntegerField(_("suggestions filed"), default=0)
    suggestions_adopted = models.PositiveIntegerField(_("suggestions adopted"), default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    objects = StarRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["-year", "workshop__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "year"], name="star_rating_once_a_year")
        ]

    def __str__(self):
        return f"{self.workshop} · {self.year}"

    @property
    def scope_ids(self):
        return self.workshop_id, None

    @property
    def marks(self) -> str:
        return star_marks(self.stars)
