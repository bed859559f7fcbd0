"""The demo's learning: a workshop union's 技术比武 with results and awards, weekly
lessons, books with notes and a certificate with its scan; a second run adds nothing."""

import random
import time
from datetime import date

import pytest
from django.utils.module_loading import import_string

from learning.models import Competition, CompetitionResult, LearningRecord, Lesson
from unionhome.demo import DemoContext
from unionhome.extensions import feature_configs

pytestmark = pytest.mark.django_db


def test_demo_learning():
    context = DemoContext(size="demo", rng=random.Random(1), today=date.today(), log=print)
    for config in feature_configs():
        if config.name == "learning":
            break
        if config.demo_seeder:
            import_string(config.demo_seeder)(context)
    started = time.monotonic()
    import_string("learning.demo.seed")(context)
    assert time.monotonic() - started < 10
    assert Competition.objects.count() == 2
    assert CompetitionResult.objects.filter(award__isnull=False).count() == 7
    assert Lesson.objects.count() == 6
    books = LearningRecord.objects.filter(kind__mechanism="book")
    assert books.exists() and all(b.notes for b in books)
    assert (
        LearningRecord.objects.filter(kind__mechanism="certificate").exclude(file="").count() == 1
    )
    import_string("learning.demo.seed")(context)
    assert Competition.objects.count() == 2
