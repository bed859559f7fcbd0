"""Fixtures shared by the suite: a small organisation and a login for every role.

The organisation: workshop unions A and B, each with groups 1 and 2 (A1, A2, B1, B2),
three active members in each group.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Role
from unionhome import identity

from .factories import (
    MemberFactory,
    UnionGroupFactory,
    UserFactory,
    WorkshopUnionFactory,
    leader_user,
    workshop_user,
)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache. Its writes are rolled back, never committed,
    so the dashboard's figures token (renewed on commit) cannot tell one test's data from
    the next test's."""
    cache.clear()
    # As on a running server, the organisation's name and emblem come from the cache: pages
    # read them without a query (a test that saves the record drops it, as a server does).
    cache.set(identity.KEY, identity.default_identity())
    yield
    cache.clear()


@pytest.fixture
def org(db):
    a = WorkshopUnionFactory(name="锅炉车间", code="A")
    b = WorkshopUnionFactory(name="汽机车间", code="B")
    groups = {
        "A1": UnionGroupFactory(workshop=a, name="运行一班", code="A1"),
        "A2": UnionGroupFactory(workshop=a, name="检修班", code="A2"),
        "B1": UnionGroupFactory(workshop=b, name="运行甲班", code="B1"),
        "B2": UnionGroupFactory(workshop=b, name="点检班", code="B2"),
    }
    members = {key: MemberFactory.create_batch(3, group=group) for key, group in groups.items()}
    return SimpleNamespace(a=a, b=b, groups=groups, members=members, **groups)


@pytest.fixture
def hq(db):
    return UserFactory(role=Role.HQ, username="hq")


@pytest.fixture
def workshop_a(org):
    return workshop_user(org.a, username="ws_a")


@pytest.fixture
def leader_a1(org):
    return leader_user(org.A1, username="leader_a1")


@pytest.fixture
def evaluator(db):
    return UserFactory(role=Role.EVALUATOR, username="evaluator")


@pytest.fixture
def login():
    """login(user) -> a test client with that user logged in."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


# The data migrations that put reference data in place (content areas, record kinds,
# assistance types, assessment criteria). A test that commits (a browser test against the
# live server, a test across database connections) empties every table when it ends, so
# such a test puts that data back first.
REFERENCE_DATA = [
    ("activities.migrations.0002_seed_areas_and_kinds", "create"),
    ("funds.migrations.0002_seed_funds_and_layout", "create"),
    ("welfare.migrations.0002_case_types_and_append_only_log", "create_types"),
    ("welfare.migrations.0004_hardship_classes_and_family", "seed_classes"),
    ("welfare.migrations.0006_seed_case_rules", "seed"),
    ("welfare.migrations.0008_festival_gifts_are_campaigns", "retire"),
    ("tests.conftest", "default_rubric"),
    ("homes.migrations.0003_default_checklist", "create"),
    ("tests.conftest", "registration_lists"),
    ("dues.migrations.0002_default_rule", "create"),
    ("membership.migrations.0002_default_numbering_rule", "create"),
    ("caretasks.migrations.0002_default_occasions_and_festivals", "create"),
    ("campaigns.migrations.0002_seed_kinds", "create"),
    ("improvements.migrations.0002_seed_kinds_and_levels", "create"),
    ("democracy.migrations.0002_default_star_levels", "create"),
    ("congresses.migrations.0002_default_settings", "create"),
    ("disclosures.migrations.0002_seed_categories_and_rules", "create"),
    ("improvements.migrations.0004_default_settings", "create"),
    ("learning.migrations.0002_seed_kinds_and_levels", "create"),
]


def registration_lists(apps, schema_editor):
    """The registration lists (groups 0004), then the import's column titles and other ways
    of writing list entries (0006, which name those lists' entries), where not there yet
    (the first test that commits finds what the migrations left)."""
    import importlib

    if not apps.get_model("groups", "MemberOption").objects.exists():
        importlib.import_module("groups.migrations.0004_member_registration").seed_options(
            apps, schema_editor
        )
    if not apps.get_model("groups", "ImportHeader").objects.exists():
        importlib.import_module("groups.migrations.0006_import_roster").seed(apps, schema_editor)


def default_rubric(apps, schema_editor):
    """What scoring's migrations 0002 and 0010 leave: the default criteria and indicators
    in a draft rubric of 2026, with the survey's plain questions."""
    import importlib

    from scoring.models import Criterion, Indicator, RubricVersion, SurveyChoice, SurveyQuestion

    criteria_module = importlib.import_module("scoring.migrations.0002_default_criteria")
    rubric_module = importlib.import_module("scoring.migrations.0010_first_rubric")
    if RubricVersion.objects.exists():  # the migrations' own, before any flush
        return
    rubric = RubricVersion.objects.create(year=2026)
    criteria = {}
    for order, (code, name, weight, description) in enumerate(criteria_module.CRITERIA, 1):
        criteria[code] = Criterion.objects.create(
            version=rubric,
            code=code,
            name=name,
            weight=Decimal(weight),
            sort_order=order,
            description=description,
        )
    for order, row in enumerate(criteria_module.INDICATORS, 1):
        criterion, code, name, kind, metric, share, rule, target, limit, steps, missing = row
        Indicator.objects.create(
            criterion=criteria[criterion],
            code=code,
            name=name,
            kind=kind,
            metric=metric,
            share=Decimal(share),
            rule=rule,
            target=Decimal(target) if target else None,
            limit=Decimal(limit) if limit else None,
            steps=steps,
            when_missing=missing,
            sort_order=order,
        )
    # 0008 retired the payment-days indicator: a group does not control HQ's speed.
    Indicator.objects.filter(code="payment_days").update(is_active=False)
    guidance = importlib.import_module("scoring.migrations.0012_evaluator_guidance").GUIDANCE
    for code, text in guidance.items():
        Indicator.objects.filter(code=code).update(guidance=text)
    for order, (code, text) in enumerate(rubric_module.QUESTIONS, 1):
        SurveyQuestion.objects.create(version=rubric, code=code, text=text, sort_order=order)
    scale = importlib.import_module("scoring.migrations.0015_survey_choices").CHOICES
    for order, (code, label, approves) in enumerate(scale, 1):
        SurveyChoice.objects.create(
            version=rubric, code=code, label=label, approves=approves, sort_order=order
        )


@pytest.fixture
def reference_data(transactional_db):
    import importlib

    from django.apps import apps

    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)
