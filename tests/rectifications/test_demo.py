"""The demo's 整改: items raised from the demo inspections, one closed with evidence, one
open, one overdue; a second run adds nothing."""

import random
from datetime import date

import pytest
from django.utils.module_loading import import_string

from rectifications.models import Kind, Rectification, Status
from unionhome.demo import DemoContext
from unionhome.extensions import feature_configs

pytestmark = pytest.mark.django_db


def test_demo_items():
    context = DemoContext(size="demo", rng=random.Random(1), today=date.today(), log=print)
    for config in feature_configs():
        if config.demo_seeder:
            import_string(config.demo_seeder)(context)
        if config.name == "rectifications":
            break
    items = list(Rectification.objects.filter(kind=Kind.INSPECTION).order_by("pk"))
    assert len(items) == 3
    closed = [i for i in items if i.status == Status.CLOSED]
    assert len(closed) == 1 and closed[0].evidence.count() == 2 and closed[0].closed_on_time
    assert sum(1 for i in items if i.is_overdue) == 1
    assert all(i.source is not None for i in items)
    import_string("rectifications.demo.seed")(context)
    assert Rectification.objects.filter(kind=Kind.INSPECTION).count() == 3
