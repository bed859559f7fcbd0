"""A 送温暖 campaign over the small organisation of tests/conftest.py (workshop unions A
and B; groups A1, A2, B1, B2; three members each), with an archive and members' flags
chosen so that the list can be checked by hand:

- A1[0] 深度困难 and a model worker: 800 (the highest of 800 and 300)
- A1[1] 相对困难: 500
- A1[2] model worker only: 300
- A2[0] 相对困难, last reviewed 13 months ago: not on the list (review overdue)
- A2[1] 深度困难 but left the archive: not on the list
- B1[0] 深度困难: 800
- B2[0] retired: not on the list (the campaign has no standard for retired members)
Workshop union A: 800 + 500 + 300 = 1,600; B: 800; the whole list 2,400.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from campaigns import services
from campaigns.models import CampaignKind, MemberCategory
from funds.models import Fund, FundBudget
from tests.factories import UserFactory, leader_user, workshop_user
from welfare import services as welfare
from welfare.models import HardshipClass, HardshipRecord


def year() -> int:
    return timezone.localdate().year


@pytest.fixture
def welfare_hq(db):
    return UserFactory(role=Role.HQ, handles_welfare=True, username="welfare_hq")


@pytest.fixture
def ws_a(org):
    return workshop_user(org.a, username="ws_a")


@pytest.fixture
def ws_b(org):
    return workshop_user(org.b, username="ws_b")


@pytest.fixture
def leader_a1(org):
    return leader_user(org.A1, username="leader_a1")


@pytest.fixture
def fund(db):
    return Fund.objects.get(code="union_funds")


def budget(fund, amount) -> None:
    FundBudget.objects.update_or_create(
        fund=fund, year=year(), defaults={"amount": Decimal(amount)}
    )


def open_record(by, member, code, *, reviewed_days_ago=30):
    record = welfare.hardship_open(
        by=by,
        member=member,
        hardship_class=HardshipClass.objects.get(code=code),
        household_situation="配偶无业，子女上学",
        causes=["education"],
        household_income="1800",
        household_size=3,
    )
    day = timezone.localdate() - timedelta(days=reviewed_days_ago)
    HardshipRecord.objects.filter(pk=record.pk).update(
        opened_on=day, last_reviewed_on=day, next_review_on=day + timedelta(days=365)
    )
    return record


@pytest.fixture
def archive(org, welfare_hq):
    m = org.members
    open_record(welfare_hq, m["A1"][0], "deep_hardship")
    open_record(welfare_hq, m["A1"][1], "relative_hardship")
    open_record(welfare_hq, m["A2"][0], "relative_hardship", reviewed_days_ago=400)
    left = open_record(welfare_hq, m["A2"][1], "deep_hardship")
    welfare.hardship_exit(
        by=welfare_hq, record=left, exited_on=timezone.localdate(), reason="家庭收入提高"
    )
    open_record(welfare_hq, m["B1"][0], "deep_hardship")
    for member in (m["A1"][0], m["A1"][2]):
        member.is_model_worker = True
        member.save(update_fields=["is_model_worker"])
    m["B2"][0].is_retired = True
    m["B2"][0].save(update_fields=["is_retired"])
    return m


def make_campaign(by, fund, **kwargs):
    campaign = services.campaign_create(
        by=by,
        kind=CampaignKind.objects.get(code="spring_festival"),
        year=year(),
        fund=fund,
        **kwargs,
    )
    services.standards_set(
        by=by,
        campaign=campaign,
        version=campaign.version,
        rows=[
            services.StandardRow(
                hardship_class=HardshipClass.objects.get(code="deep_hardship"), amount=Decimal(800)
            ),
            services.StandardRow(
                hardship_class=HardshipClass.objects.get(code="relative_hardship"),
                amount=Decimal(500),
            ),
            services.StandardRow(category=MemberCategory.MODEL_WORKER, amount=Decimal(300)),
        ],
    )
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def draft(welfare_hq, fund, archive):
    return make_campaign(welfare_hq, fund)


@pytest.fixture
def proposed(draft, welfare_hq):
    services.campaign_propose(by=welfare_hq, campaign=draft, version=draft.version)
    draft.refresh_from_db()
    return draft
