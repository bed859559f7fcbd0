"""Campaign records for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: a 送温暖 campaign whose list is made,
with an entry of A1's member (and a visit with a photo) and one of B2's marker member; a
donation drive."""

from datetime import date
from decimal import Decimal

from campaigns.models import (
    Campaign,
    CampaignEntry,
    CampaignKind,
    CampaignStatus,
    CampaignVisit,
    CampaignWorkshop,
    DonationDrive,
)
from funds.models import Fund
from groups.models import Member
from tests import files
from welfare.models import CareVisit

MARKER = "标记甲乙"


def campaign_records(world):
    if not hasattr(world, "campaigns"):
        hq = world.users["welfare_hq"]
        campaign = Campaign.objects.create(
            number="SW2026-01",
            kind=CampaignKind.objects.get(code="spring_festival"),
            year=2026,
            title="2026年元旦春节送温暖",
            fund=Fund.objects.get(code="union_funds"),
            status=CampaignStatus.PROPOSED,
            created_by=hq,
        )
        parts = {
            w.pk: CampaignWorkshop.objects.create(campaign=campaign, workshop=w)
            for w in (world.org.a, world.org.b)
        }
        entries = [
            CampaignEntry.objects.create(
                campaign=campaign,
                member=member,
                workshop_id=member.group.workshop_id,
                group_id=member.group_id,
                basis="深度困难",
                standard_amount=Decimal("800"),
                amount=Decimal("800"),
            )
            for member in (world.member, Member.objects.get(name=MARKER))
        ]
        care = CareVisit.objects.create(
            member=world.member,
            group=world.member.group,
            kind="festival",
            visited_on=date(2026, 1, 20),
            visitors="车间主席",
            recorded_by=hq,
        )
        visit = CampaignVisit(entry=entries[0], care_visit=care, mime="image/jpeg", recorded_by=hq)
        visit.photo.save("visit.jpg", files.jpeg(), save=False)
        visit.save()
        drive = DonationDrive.objects.create(
            title="2026年爱心捐款",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 2, 1),
            fund=Fund.objects.get(code="donations"),
            created_by=hq,
        )
        world.campaigns = {
            "campaign": campaign,
            "part": parts[world.org.a.pk],
            "entry": entries[0],
            "visit": visit,
            "drive": drive,
        }
    return world.campaigns


def _c(world, key):
    return campaign_records(world)[key].pk


WELFARE_HQ = {"welfare_hq"}
WORKSHOPS = {"workshop_own", "workshop_other", "multi_own", "inspector"}
READERS = WELFARE_HQ | WORKSHOPS | {"leader_own", "leader_other"}
VISITORS = {"welfare_hq", "workshop_own", "leader_own", "multi_own"}
EVERY_LOGIN = {
    "hq",
    "welfare_hq",
    "workshop_own",
    "workshop_other",
    "leader_own",
    "leader_other",
    "evaluator",
    "multi_own",
    "hq_evaluator",
    "inspector",
    "member",
}

# 送温暖: HQ's welfare staff run campaigns; the workshop unions and group leaders open a
# campaign whose list is made (each sees its own part); a workshop union changes and
# confirms its own part; the visit (and its photo) by the member's group leader, workshop
# union or HQ welfare staff. 爱心捐款: every login reads the drives and their public
# accounts; HQ's welfare staff run them.
RULES = {
    "campaigns:list": ("get", lambda w: "/campaigns/", None, READERS),
    "campaigns:create": ("get", lambda w: "/campaigns/new/", None, WELFARE_HQ),
    "campaigns:detail": (
        "get",
        lambda w: f"/campaigns/{_c(w, 'campaign')}/",
        None,
        READERS,
    ),
    "campaigns:standards": (
        "get",
        lambda w: f"/campaigns/{_c(w, 'campaign')}/standards/",
        None,
        WELFARE_HQ,
    ),
    "campaigns:propose": (
        "post",
        lambda w: f"/campaigns/{_c(w, 'campaign')}/propose/",
        {},
        WELFARE_HQ,
    ),
    "campaigns:approve": (
        "post",
        lambda w: f"/campaigns/{_c(w, 'campaign')}/approve/",
        {},
        WELFARE_HQ,
    ),
    "campaigns:entry_add": (
        "get",
        lambda w: f"/campaigns/{_c(w, 'campaign')}/add/",
        None,
        WELFARE_HQ | WORKSHOPS,
    ),
    "campaigns:export": (
        "get",
        lambda w: f"/campaigns/{_c(w, 'campaign')}/export.xlsx",
        None,
        WELFARE_HQ,
    ),
    "campaigns:confirm": (
        "post",
        lambda w: f"/campaigns/parts/{_c(w, 'part')}/confirm/",
        {},
        {"workshop_own"},
    ),
    "campaigns:entry": (
        "get",
        lambda w: f"/campaigns/entries/{_c(w, 'entry')}/",
        None,
        {"welfare_hq", "workshop_own"},
    ),
    "campaigns:visit": (
        "get",
        lambda w: f"/campaigns/entries/{_c(w, 'entry')}/visit/",
        None,
        VISITORS,
    ),
    "campaigns:visit_photo": (
        "get",
        lambda w: f"/campaigns/visits/{_c(w, 'visit')}/photo/",
        None,
        VISITORS,
    ),
    "campaigns:drive_list": ("get", lambda w: "/donations/", None, EVERY_LOGIN),
    "campaigns:drive_create": ("get", lambda w: "/donations/new/", None, WELFARE_HQ),
    "campaigns:drive_detail": (
        "get",
        lambda w: f"/donations/{_c(w, 'drive')}/",
        None,
        WELFARE_HQ,
    ),
    "campaigns:drive_account": (
        "get",
        lambda w: f"/donations/{_c(w, 'drive')}/account/",
        None,
        EVERY_LOGIN,
    ),
    "campaigns:donation_add": (
        "post",
        lambda w: f"/donations/{_c(w, 'drive')}/donations/",
        {},
        WELFARE_HQ,
    ),
    "campaigns:grant_add": (
        "post",
        lambda w: f"/donations/{_c(w, 'drive')}/recipients/",
        {},
        WELFARE_HQ,
    ),
    "campaigns:grants_pay": (
        "post",
        lambda w: f"/donations/{_c(w, 'drive')}/pay/",
        {},
        WELFARE_HQ,
    ),
}
# A member's login reads the donation drives and their public accounts.
MEMBER_PAGES = {"campaigns:drive_list", "campaigns:drive_account"}
# The campaign page lists B2's marker member exactly to those whose scope holds B2.
LIST_MARKERS = {"campaigns:detail": {"welfare_hq", "workshop_other", "multi_own", "inspector"}}
