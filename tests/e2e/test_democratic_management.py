"""民主有序 in a browser, the issue's whole path: a group leader files a 合理化建议 for a
member on a phone; the workshop union adopts it and names who carries it out; it becomes a
提案 at a workshop congress that HQ approved; the congress, with its quorum, passes a
resolution with an owner; the owner reports it done with a photo, the workshop union
closes it (销号); HQ computes the assessment and the 民主有序 lines of the group's
scorecard read the suggestion and the resolution carried out on time."""

from datetime import timedelta
from decimal import Decimal

from accounts.models import Role
from accounts.services import user_create
from congresses import services as congresses
from congresses.models import Level, Session
from improvements.models import Improvement
from rectifications.models import Rectification
from scoring import services as scoring
from scoring.models import (
    AssessmentPeriod,
    Criterion,
    GroupResult,
    Indicator,
    IndicatorKind,
    RubricVersion,
    Rule,
    WhenMissing,
)
from tests import files
from tests.factories import PASSWORD, accepted_home, leader_user, today, workshop_user

# The two lines HQ added to 民主有序 for the year: from the new records, no data = no points.
LINES = [
    ("adoption", "合理化建议采纳率", "improvements.adoption_rate"),
    ("resolutions", "决议按期落实", "congresses.resolutions_on_time"),
]


def desk_page(browser, live_server, username):
    page = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    ).new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    return page


def test_a_suggestion_becomes_a_resolution_carried_out_and_scored(
    page, browser, live_server, log_in, org, leader_a1
):
    day = today()
    hq = user_create(username="hq_e2e", name="刘芳", password=PASSWORD, role=Role.HQ)
    ws_a = workshop_user(org.a, username="ws_a_e2e", name="王建国")
    owner = leader_user(org.A2, username="leader_a2_e2e", name="赵检修")
    term = congresses.term_create(
        by=ws_a,
        level=Level.WORKSHOP,
        workshop=org.a,
        name="第三届",
        starts_on=day.replace(month=1, day=1),
        ends_on=day.replace(year=day.year + 3),
    )
    for member in org.members["A1"] + org.members["A2"]:
        congresses.representative_add(by=ws_a, term=term, member=member)
    accepted_home(org.A1, org.A2)
    rubric = RubricVersion.objects.get(year=day.year)
    democracy = Criterion.objects.get(version=rubric, code="democracy")
    for order, (code, name, metric) in enumerate(LINES, start=20):
        Indicator.objects.create(
            criterion=democracy,
            code=code,
            name=name,
            kind=IndicatorKind.COMPUTED,
            metric=metric,
            share=Decimal(1),
            rule=Rule.LINEAR,
            target=Decimal(1),
            when_missing=WhenMissing.ZERO,
            sort_order=order,
        )
    period = AssessmentPeriod.objects.create(
        name=f"{day.year}年度", start=day.replace(month=1, day=1), end=day.replace(month=12, day=31)
    )
    scoring.score_compute(period=period, by=hq)
    before = GroupResult.objects.get(run__period=period, group=org.A1)

    # The group leader, on a phone, files a suggestion for a member of the group.
    member = org.members["A1"][0]
    log_in("leader_a1")
    page.goto("/improvements/new/")
    page.select_option("#id_member", str(member.pk))
    page.fill("#id_title", "给水泵检修增设快速拆装工装")
    page.fill("#id_problem", "给水泵检修拆装靠人力撬动，费时且易伤人。")
    page.fill("#id_proposal", "制作专用拆装工装，一次定位。")
    with page.expect_navigation():
        page.click("#file-improvement")
    suggestion = Improvement.objects.get()
    assert suggestion.member == member and suggestion.on_behalf

    # The workshop union adopts it and names who carries it out.
    desk = desk_page(browser, live_server, "ws_a_e2e")
    desk.goto(f"/improvements/{suggestion.pk}/")
    desk.fill("#id_adopt-responsible", "机电科")
    desk.fill("#id_adopt-due_on", (day + timedelta(days=30)).isoformat())
    with desk.expect_navigation():
        desk.click("#adopt")
    suggestion.refresh_from_db()
    assert suggestion.status == "adopted"

    # It plans the workshop congress and declares it to HQ …
    desk.goto("/congresses/new/workshop/")
    desk.fill("#id_title", "锅炉车间第三届第二次职工代表大会")
    desk.fill("#id_planned_on", day.isoformat())
    desk.fill("#id_agenda", "一、车间工作报告\n二、审议提案")
    with desk.expect_navigation():
        desk.get_by_role("button", name="保存").click()
    congress = Session.objects.get(level=Level.WORKSHOP)
    desk.goto(f"/congresses/{congress.pk}/")
    with desk.expect_navigation():
        desk.click("#declare")

    # … HQ approves it …
    office = desk_page(browser, live_server, "hq_e2e")
    office.goto(f"/congresses/{congress.pk}/")
    with office.expect_navigation():
        office.click("#approve")
    congress.refresh_from_db()
    assert congress.status == "approved"

    # … and on the day the workshop union takes the attendance (five of six: the quorum
    # of two thirds is met) and records the congress as held.
    desk.goto(f"/congresses/{congress.pk}/attendance/")
    for representative in (org.members["A1"] + org.members["A2"])[:5]:
        desk.check(f"input[name=present][value='{representative.pk}']")
    with desk.expect_navigation():
        desk.get_by_role("button", name="保存签到").click()
    with desk.expect_navigation():
        desk.click("#hold")
    congress.refresh_from_db()
    assert congress.status == "held" and congress.present_count == 5

    # The adopted suggestion becomes a motion, filed (立案) …
    desk.click("#add-motion")
    desk.check("input[name=source][value=improvement]")
    desk.select_option("#id_improvement", str(suggestion.pk))
    with desk.expect_navigation():
        desk.get_by_role("button", name="保存").click()
    motion = congress.motions.get()
    desk.goto(f"/congresses/motions/{motion.pk}/decide/")
    desk.check("input[name=decision][value=filed]")
    with desk.expect_navigation():
        desk.get_by_role("button", name="保存").click()

    # … and the congress passes a resolution on it, with an owner and a deadline.
    desk.goto(f"/congresses/{congress.pk}/resolutions/new/")
    desk.fill("#id_text", "年底前为各检修班配齐给水泵快速拆装工装。")
    desk.select_option("#id_motion", str(motion.pk))
    desk.fill("#id_owner_department", "机电科")
    desk.select_option("#id_owner_user", str(owner.pk))
    desk.fill("#id_due_on", day.isoformat())
    with desk.expect_navigation():
        desk.get_by_role("button", name="保存").click()
    item = Rectification.objects.get()
    assert item.owner_user == owner and item.status == "open"
    assert desk.locator(f"#resolution-{congress.resolutions.get().pk}").is_visible()

    # The owner, on a phone, reports it done with a photo …
    page.context.clear_cookies()
    log_in("leader_a2_e2e")
    page.goto(f"/rectifications/{item.pk}/")
    page.get_by_role("link", name="上传佐证、报告完成").click()
    page.fill("#id_report", "工装已制作完成，发放到各检修班。")
    photo = files.jpeg("工装.jpg")
    page.set_input_files(
        "#id_evidence_files",
        files=[{"name": "工装.jpg", "mimeType": "image/jpeg", "buffer": photo.read()}],
    )
    with page.expect_navigation():
        page.get_by_role("button", name="报告完成").click()
    item.refresh_from_db()
    assert item.status == "submitted"

    # … and the workshop union, which raised it, accepts and closes it.
    desk.goto(f"/rectifications/{item.pk}/")
    with desk.expect_navigation():
        desk.locator("#close-form button").click()
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_on_time

    # HQ computes the assessment again: the group's 民主有序 lines read the records.
    office.goto(f"/assessment/{period.pk}/")
    with office.expect_navigation():
        office.get_by_role("button", name="计算考核结果").click()
    after = GroupResult.objects.filter(run__period=period, group=org.A1).latest("run__version")
    lines = _lines(after)
    assert lines["adoption"] == lines["resolutions"] == Decimal(1)
    assert _lines(before)["adoption"] is None and _lines(before)["resolutions"] is None
    assert after.total > before.total
    office.goto(f"/assessment/{period.pk}/groups/{org.A1.pk}/")
    card = office.locator("#breakdown")
    assert card.locator("tr", has_text="合理化建议采纳率").is_visible()
    assert "100" in card.locator("tr", has_text="决议按期落实").inner_text()
    for context in (desk.context, office.context):
        context.close()


def _lines(result) -> dict:
    """The figures of a group's result, by indicator code (None: no data)."""
    return {
        line["code"]: None if line["value"] is None else Decimal(line["value"])
        for criterion in result.breakdown["criteria"]
        for line in criterion["indicators"]
    }
