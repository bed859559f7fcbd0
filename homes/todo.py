"""What waits for a user in 小家 creation, each item linking to exactly what it counts."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE, VIEW

from .models import (
    ASSIGN,
    CONFIRM,
    REVIEW,
    CreationPlan,
    CreationYear,
    Declaration,
    DeclarationKind,
    DeclarationStatus,
    Inspection,
    Notice,
    Objection,
    PlanStatus,
)

DECLARATIONS = "homes:declarations"


def _link(name, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse(name) + (f"?{query}" if query else "")


def waiting_for(user) -> dict[str, Q]:
    """The declarations waiting for a step this user takes, by the name of the step (the
    to-do list counts them, the declarations list filters by them)."""
    steps = {}
    if Declaration.objects.may(user, REVIEW):
        steps["recommend"] = Q(status=DeclarationStatus.DECLARED)
    if Declaration.objects.may(user, ASSIGN):
        steps["assign"] = Q(status=DeclarationStatus.RECOMMENDED)
    if Declaration.objects.may(user, CONFIRM):
        steps["publish"] = Q(status=DeclarationStatus.ACCEPTED)
        steps["decide"] = Q(status=DeclarationStatus.SIGNED_OFF)
    own = Inspection.objects.filter(
        declaration=OuterRef("pk"), inspector=user, submitted_at__isnull=False
    )
    steps["inspect"] = Q(status=DeclarationStatus.INSPECTING, panel__members=user) & ~Q(Exists(own))
    submitted = Inspection.objects.filter(declaration=OuterRef("pk"), submitted_at__isnull=False)
    steps["sign_off"] = Q(status=DeclarationStatus.INSPECTING, panel__leader=user) & Q(
        Exists(submitted)
    )
    led = led_groups(user)
    if led:
        steps["self_assess"] = Q(status=DeclarationStatus.DRAFT, group_id__in=led)
    return steps


def led_groups(user) -> list[int]:
    """The groups the user leads: their own 小家's steps are theirs to take."""
    return sorted(Declaration.objects.scope(user, CHANGE).group_ids)


STEP_LABELS = {
    "recommend": _("Declarations to review and recommend"),
    "assign": _("Declarations waiting for an inspection panel"),
    "publish": _("Accepted small homes waiting for the public notice"),
    "decide": _("Re-checks waiting for a decision"),
    "inspect": _("Small homes for you to inspect"),
    "sign_off": _("Inspections for you to sign off as panel leader"),
    "self_assess": _("Self-assessments to finish and declare"),
}


# Whose reach a step's declarations are counted in.
STEP_ACTIONS = {"recommend": REVIEW, "assign": ASSIGN, "publish": CONFIRM, "decide": CONFIRM}


def _condition(user, step: str, step_q: Q) -> Q:
    scope = Declaration.objects.scope_q(user, STEP_ACTIONS.get(step, VIEW))
    return step_q if scope is None else step_q & scope


def declarations_waiting(user, step: str):
    steps = waiting_for(user)
    if step not in steps:
        return Declaration.objects.none()
    return Declaration.objects.filter(_condition(user, step, steps[step])).distinct()


def todo_items(user):
    """Every count in a fixed number of queries: one for the declarations (each step a
    conditional count), one for the years' limits, one for plans, two for HQ's notices."""
    found = []
    counts = {
        step: Count("pk", filter=_condition(user, step, step_q), distinct=True)
        for step, step_q in waiting_for(user).items()
    }
    stale = stale_condition(user)
    if stale is not None:
        counts["stale"] = Count("pk", filter=stale, distinct=True)
    counted = Declaration.objects.aggregate(**counts) if counts else {}
    for step, count in counted.items():
        if count and step != "stale":
            found.append((STEP_LABELS[step], count, _link(DECLARATIONS, waiting=step)))
    if counted.get("stale"):
        found.append(
            (
                _("Small home steps waiting longer than usual"),
                counted["stale"],
                _link(DECLARATIONS, waiting="stale"),
            )
        )
    led = led_groups(user)
    review_scope = CreationPlan.objects.scope_q(user, REVIEW)
    plans = CreationPlan.objects.aggregate(
        to_review=Count(
            "pk",
            filter=Q(status=PlanStatus.SUBMITTED)
            & ~Q(filed_by=user)
            & (Q() if review_scope is None else review_scope),
        ),
        returned=Count("pk", filter=Q(group_id__in=led, status=PlanStatus.RETURNED)),
        # Approved, the window open today, and no self-assessment started yet.
        to_declare=Count(
            "pk",
            filter=Q(
                group_id__in=led,
                status=PlanStatus.APPROVED,
                year__in=CreationYear.objects.filter(
                    declarations_open__lte=timezone.localdate(),
                    declarations_close__gte=timezone.localdate(),
                ).values("year"),
            )
            & ~Q(
                Exists(
                    Declaration.objects.filter(
                        group=OuterRef("group"),
                        year__year=OuterRef("year"),
                        kind=DeclarationKind.ACCEPTANCE,
                    )
                )
            ),
        ),
    )
    if plans["to_review"]:
        found.append(
            (
                _("Creation plans to review"),
                plans["to_review"],
                _link("homes:plans", status="submitted"),
            )
        )
    if plans["to_declare"]:
        found.append(
            (
                _("Plans approved: start the self-assessment"),
                plans["to_declare"],
                _link("homes:overview"),
            )
        )
    if plans["returned"]:
        found.append(
            (
                _("Creation plans returned to you"),
                plans["returned"],
                _link("homes:plans", status="returned"),
            )
        )
    if Notice.objects.may(user, CONFIRM):
        today = timezone.localdate()
        unanswered = Objection.objects.filter(answered_at__isnull=True).count()
        if unanswered:
            found.append((_("Objections to answer"), unanswered, _link("homes:notices")))
        to_name = (
            Notice.objects.filter(
                ends_on__lt=today, declarations__status=DeclarationStatus.IN_NOTICE
            )
            .distinct()
            .count()
        )
        if to_name:
            found.append(
                (_("Ended notices waiting for the naming"), to_name, _link("homes:notices"))
            )
    return found


def stale_condition(user) -> Q | None:
    """The declarations in the user's reach waiting at a reviewer's step for longer than
    the year allows (None when the user reviews nothing)."""
    if not (Declaration.objects.may(user, REVIEW) or Declaration.objects.may(user, CONFIRM)):
        return None
    now = timezone.now()
    waited = Q(pk__in=[])
    for year_id, days in CreationYear.objects.values_list("pk", "stale_after_days"):
        waited |= Q(year_id=year_id, last_step_at__lt=now - timedelta(days=days))
    q = waited & Q(status__in=REVIEWER_STEPS)
    scope = Declaration.objects.scope_q(user, VIEW)
    return q if scope is None else q & scope


REVIEWER_STEPS = [
    DeclarationStatus.DECLARED,
    DeclarationStatus.RECOMMENDED,
    DeclarationStatus.INSPECTING,
    DeclarationStatus.ACCEPTED,
    DeclarationStatus.SIGNED_OFF,
]


def stale_declarations(user):
    condition = stale_condition(user)
    return None if condition is None else Declaration.objects.filter(condition)
