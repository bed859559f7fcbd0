"""Plan records for the permission matrix (tests/hardening/test_permission_matrix.py), made
on first use inside the test's transaction: an activity added by A1's leader to this
month's plan (A1's creation plan of this year is approved in the matrix's world)."""

from datetime import date

from activities.models import ContentArea
from plans import services
from tests.factories import today as local_today

HQ = {"hq", "welfare_hq", "hq_evaluator"}
WORKSHOPS = {"workshop_own", "workshop_other", "multi_own", "inspector"}
# Those whose scope holds A1: HQ, its workshop union, its leader (and B's chair who leads it).
OWN = HQ | {"workshop_own", "leader_own", "multi_own"}
# Those who read A1's records: its own part, evaluators, its panel's inspector.
A1_READERS = OWN | {"evaluator", "inspector"}
READERS = HQ | WORKSHOPS | {"leader_own", "leader_other", "evaluator"}


def plan_records(world):
    if not hasattr(world, "plans"):
        world.plans = {
            "item": services.item_add(
                by=world.users["leader_own"],
                group=world.org.A1,
                year=world.plan.year,
                planned_on=_item_day(world),
                area=ContentArea.objects.get(code="political_study"),
                title="读报会",
            )
        }
    return world.plans


def _item_day(world):
    today = local_today()
    return today if today.year == world.plan.year else date(world.plan.year, 12, 1)


def _item(world):
    return plan_records(world)["item"].pk


def _group_year(world):
    return f"/plans/groups/{world.org.A1.pk}/{world.plan.year}/"


def _group_month(world):
    """The month of the records' item: this month in the plan's year, else December."""
    return f"{_group_year(world)}{_item_day(world).month}/"


# The overview for every role that reads plans (a leader lands on their group's plan); A1's
# year and month pages for A1's readers; writing A1's plan and taking the steps on its items
# for A1's own part.
RULES = {
    "plans:overview": ("get", lambda w: "/plans/", None, READERS),
    "plans:year": ("get", _group_year, None, A1_READERS),
    "plans:month": ("get", _group_month, None, A1_READERS),
    "plans:item_new": ("get", lambda w: _group_year(w) + "items/new/", None, OWN),
    "plans:month_plan": (
        "post",
        lambda w: _group_month(w) + "arrangements/",
        {"arrangements": "本月召开小组会"},
        OWN,
    ),
    "plans:item_edit": ("get", lambda w: f"/plans/items/{_item(w)}/edit/", None, OWN),
    "plans:item_delete": ("post", lambda w: f"/plans/items/{_item(w)}/delete/", {}, OWN),
    "plans:item_hold": ("get", lambda w: f"/plans/items/{_item(w)}/hold/", None, OWN),
    "plans:item_tie": ("get", lambda w: f"/plans/items/{_item(w)}/tie/", None, OWN),
    "plans:item_not_held": ("get", lambda w: f"/plans/items/{_item(w)}/not-held/", None, OWN),
}
