"""The pages: filing (a member for themselves, a leader for their group's member), the
screening forms with their refusals, the scope of the list, the detail and the files, the
public list, the register as a workbook, and fixed query counts."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from improvements import services
from improvements.models import AwardLevel, EffectKind, Improvement, Status
from tests import files
from tests.factories import MemberFactory

from .conftest import file, today


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _client(login, user):
    client = login(user)
    client.cookies["django_language"] = "en"
    return client


def test_a_member_files_for_themselves_without_choosing(member_login, member_a, login):
    client = _client(login, member_login)
    page = client.get("/improvements/new/")
    assert page.status_code == 200 and "member" not in page.context["form"].fields
    response = client.post(
        "/improvements/new/",
        {
            "title": "更衣室更换节能灯具",
            "problem": "灯管老化",
            "proposal": "换成LED",
            "attachments": [files.jpeg()],
        },
    )
    item = Improvement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/improvements/{item.pk}/"
    assert item.member == member_a and not item.on_behalf and item.attachments.count() == 1
    assert "no-store" in client.get(f"/improvements/{item.pk}/")["Cache-Control"]


def test_the_leader_chooses_among_their_groups_members(leader_a1, org, login):
    client = _client(login, leader_a1)
    page = client.get(f"/improvements/new/?member={org.members['A1'][1].pk}")
    choices = set(page.context["form"].fields["member"].queryset)
    assert choices == set(org.members["A1"])
    assert page.context["form"].initial["member"] == org.members["A1"][1].pk
    refused = client.post(
        "/improvements/new/",
        {"member": org.members["B1"][0].pk, "title": "x", "problem": "y", "proposal": "z"},
    )
    assert refused.status_code == 200 and "member" in refused.context["form"].errors
    done = client.post(
        "/improvements/new/",
        {
            "member": org.members["A1"][1].pk,
            "title": "绞车信号改为声光双信号",
            "problem": "听不清",
            "proposal": "加装信号灯",
            "filed_on": today().isoformat(),
        },
    )
    assert done.status_code == 302
    assert Improvement.objects.get().on_behalf


def test_a_missing_title_is_shown_next_to_the_field(leader_a1, org, login):
    response = _client(login, leader_a1).post(
        "/improvements/new/",
        {"member": org.members["A1"][1].pk, "title": "", "problem": "y", "proposal": "z"},
    )
    assert "title" in response.context["form"].errors
    assert not Improvement.objects.exists()


def test_screening_on_the_page_adopt_needs_responsible_and_due(ws_a, leader_a1, member_a, login):
    item = file(leader_a1, member_a)
    client = _client(login, ws_a)
    page = client.get(f"/improvements/{item.pk}/")
    assert page.context["may_screen"] and b'id="adopt"' in page.content
    response = client.post(f"/improvements/{item.pk}/adopt/", {"adopt-responsible": ""})
    form = response.context["adopt_form"]
    assert response.status_code == 200 and {"responsible", "due_on"} <= set(form.errors)
    due = today() + timedelta(days=20)
    response = client.post(
        f"/improvements/{item.pk}/adopt/",
        {"adopt-responsible": "机电科", "adopt-due_on": due.isoformat(), "adopt-public": "on"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.responsible, item.due_on, item.is_public) == (
        Status.ADOPTED,
        "机电科",
        due,
        True,
    )


def test_reject_without_a_reason_shows_the_error_then_with_one(ws_a, leader_a1, member_a, login):
    item = file(leader_a1, member_a)
    client = _client(login, ws_a)
    response = client.post(f"/improvements/{item.pk}/reject/", {"reject-reason": ""})
    assert "reason" in response.context["reject_form"].errors
    client.post(f"/improvements/{item.pk}/reject/", {"reject-reason": "已列入计划"})
    item.refresh_from_db()
    assert item.status == Status.REJECTED and item.is_public is False  # box left unticked


def test_turning_into_a_motion_on_the_page(ws_a, leader_a1, member_a, login):
    item = file(leader_a1, member_a)
    _client(login, ws_a).post(f"/improvements/{item.pk}/motion/", {"motion-public": "on"})
    item.refresh_from_db()
    assert item.status == Status.MOTION and item.is_public


def test_another_workshop_union_gets_404_and_a_leader_403_on_screening(
    ws_b, leader_a1, member_a, login
):
    item = file(leader_a1, member_a)
    for url in ("adopt", "reject", "motion"):
        assert _client(login, ws_b).post(f"/improvements/{item.pk}/{url}/").status_code == 404
        assert _client(login, leader_a1).post(f"/improvements/{item.pk}/{url}/").status_code == 403
    assert _client(login, ws_b).get(f"/improvements/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_implementation_award_and_public_toggle_on_the_page(ws_a, hq, member_a, login):
    item = services.improvement_adopt(
        by=ws_a,
        improvement=file(ws_a, member_a),
        responsible="机电科",
        due_on=today() + timedelta(days=9),
    )
    client = _client(login, ws_a)
    bad = client.post(
        f"/improvements/{item.pk}/implement/",
        {
            "implement-implemented_on": today().isoformat(),
            "implement-implementation": "已实施",
            "implement-yuan_saved": "-3",
        },
    )
    assert "yuan_saved" in bad.context["implement_form"].errors
    kind = EffectKind.objects.get(code="safety")
    client.post(
        f"/improvements/{item.pk}/implement/",
        {
            "implement-implemented_on": today().isoformat(),
            "implement-implementation": "已实施",
            "implement-yuan_saved": "1200.50",
            "implement-effect_kinds": [kind.pk],
        },
    )
    item.refresh_from_db()
    assert item.yuan_saved == Decimal("1200.50") and list(item.effect_kinds.all()) == [kind]
    level = AwardLevel.objects.get(code="first")
    client.post(f"/improvements/{item.pk}/award/", {"award-level": level.pk, "award-amount": ""})
    item.refresh_from_db()
    assert (item.award_level, item.award_amount) == (level, Decimal("2000.00"))
    client.post(f"/improvements/{item.pk}/public/", {"public": "0"})
    item.refresh_from_db()
    assert item.is_public is False


def test_the_list_shows_each_their_part(
    ws_a, ws_b, leader_a1, member_login, member_a, org, login, hq
):
    mine = file(member_login, member_a, title="我的建议")
    other_in_group = file(leader_a1, org.members["A1"][1], title="同组建议")
    other_group = file(ws_a, org.members["A2"][0], title="检修班建议")
    other_ws = file(ws_b, org.members["B1"][0], title="汽机建议")

    def listed(user, query=""):
        return {i.pk for i in _client(login, user).get(f"/improvements/{query}").context["rows"]}

    assert listed(member_login) == {mine.pk}
    assert listed(leader_a1) == {mine.pk, other_in_group.pk}
    assert listed(ws_a) == {mine.pk, other_in_group.pk, other_group.pk}
    assert listed(hq) == {mine.pk, other_in_group.pk, other_group.pk, other_ws.pk}
    assert listed(hq, f"?workshop={org.b.pk}") == {other_ws.pk}
    assert listed(hq, "?q=检修") == {other_group.pk}
    assert listed(hq, f"?q={member_a.name}") == {mine.pk}
    assert listed(hq, f"?year={today().year}&status=submitted") == {
        mine.pk,
        other_in_group.pk,
        other_group.pk,
        other_ws.pk,
    }
    assert listed(hq, "?status=adopted") == set()
    # The member reads their own detail, not their neighbour's.
    client = _client(login, member_login)
    assert client.get(f"/improvements/{mine.pk}/").status_code == 200
    assert client.get(f"/improvements/{other_in_group.pk}/").status_code == 404


def test_attachments_are_downloaded_within_scope_only(leader_a1, ws_b, member_a, login):
    item = file(leader_a1, member_a, attachments=[files.pdf()])
    attachment = item.attachments.get()
    response = _client(login, leader_a1).get(f"/improvements/files/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert _client(login, ws_b).get(f"/improvements/files/{attachment.pk}/").status_code == 404


def test_the_public_list_shows_decided_public_ones_to_every_login(
    ws_a, ws_b, leader_a1, member_login, member_a, org, login, evaluator
):
    shown = services.improvement_reject(
        by=ws_a, improvement=file(leader_a1, member_a, title="公示的建议"), reason="不可行"
    )
    hidden = services.improvement_to_motion(
        by=ws_a, improvement=file(leader_a1, member_a, title="不公示的"), public=False
    )
    waiting = file(ws_b, org.members["B1"][0], title="待审查的")
    for user in (member_login, evaluator, ws_b, leader_a1):
        rows = set(_client(login, user).get("/improvements/public/").context["rows"])
        assert rows == {shown}, user
    assert hidden.pk and waiting.pk


@pytest.mark.parametrize("year", ["99999", "0", "²", "123456789012345678901234"])
def test_a_year_out_of_range_on_the_public_list_narrows_nothing(ws_a, member_a, login, year):
    shown = services.improvement_reject(
        by=ws_a, improvement=file(ws_a, member_a, title="公示的建议"), reason="不可行"
    )
    page = _client(login, ws_a).get("/improvements/public/", {"year": year})
    assert page.status_code == 200 and page.context["year"] is None
    assert list(page.context["rows"]) == [shown]


@pytest.mark.parametrize("member", ["99999999999999999999", "0", "²", "x"])
def test_a_bad_member_id_on_the_new_page_chooses_nobody(leader_a1, login, member):
    page = _client(login, leader_a1).get("/improvements/new/", {"member": member})
    assert page.status_code == 200 and "member" not in page.context["form"].initial


def test_the_award_levels_read_their_amounts_in_yuan(ws_a, hq, member_a, login):
    from improvements.forms import AwardForm

    field = AwardForm().fields["level"]
    labels = [field.label_from_instance(level) for level in field.queryset]
    assert "一等奖 (¥2,000.00)" in labels and "鼓励奖 (¥200.00)" in labels


def test_hq_sets_the_number_prefix_in_the_admin_site(db, login):
    from accounts.models import Role
    from accounts.services import user_create
    from improvements.models import ImprovementSettings

    hq_admin = user_create(
        username="hq_admin", name="刘芳", password="Correct-Horse-42", role=Role.HQ
    )
    client = login(hq_admin)
    url = "/admin/improvements/improvementsettings/1/change/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"number_prefix": "H L"})
    assert refused.status_code == 200 and ImprovementSettings.current().number_prefix == "HL"
    assert client.post(url, {"number_prefix": "JY"}).status_code == 302
    assert ImprovementSettings.current().number_prefix == "JY"
    assert client.get("/admin/improvements/improvementsettings/add/").status_code == 403


def test_the_register_holds_the_filtered_rows_in_scope(ws_a, hq, leader_a1, org, login):
    level = AwardLevel.objects.get(code="second")
    item = services.improvement_adopt(
        by=ws_a,
        improvement=file(leader_a1, org.members["A1"][0], title="废旧钢丝绳改制索具"),
        responsible="机电科 李工",
        due_on=today() + timedelta(days=30),
    )
    services.improvement_implement(
        by=ws_a,
        improvement=item,
        implemented_on=today(),
        implementation="已改制",
        yuan_saved=Decimal("52600"),
        effect_kinds=[EffectKind.objects.get(code="cost")],
    )
    services.improvement_award(by=hq, improvement=item, level=level)
    file(ws_a, org.members["A2"][0], title="检修班建议")
    services.improvement_file(
        by=hq, member=org.members["B1"][0], title="汽机建议", problem="p", proposal="q"
    )
    response = _client(login, ws_a).get("/improvements/register.xlsx?status=adopted")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0] == (
        "Number",
        "Proposer",
        "Union group",
        "Workshop union",
        "Title",
        "Date proposed",
        "Status",
        "Responsible department or person",
        "Due on",
        "Implementation",
        "Yuan saved",
        "Award level",
        "Award (yuan)",
    )
    assert len(rows) == 2
    row = rows[1]
    assert row[:5] == (
        item.number,
        org.members["A1"][0].name,
        "运行一班",
        "锅炉车间",
        "废旧钢丝绳改制索具",
    )
    assert row[6] == str(Status.ADOPTED.label)
    assert row[7] == "机电科 李工" and "已改制" in row[9] and "降本增效" in row[9]
    assert row[10] == 52600 and row[11] == "二等奖" and row[12] == 1000
    everything = _client(login, ws_a).get("/improvements/register.xlsx")
    assert len(list(load_workbook(io.BytesIO(everything.content)).active.values)) == 3
    assert _client(login, hq).get("/improvements/register.xlsx").status_code == 200


def test_a_member_may_not_export_the_register(member_login, login):
    assert _client(login, member_login).get("/improvements/register.xlsx").status_code == 403


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_runs_a_fixed_number_of_queries(
    count, ws_a, org, login, django_assert_num_queries
):
    for index in range(count):
        member = MemberFactory(group=org.A1) if index else org.members["A1"][0]
        item = file(ws_a, member, title=f"建议{index}")
        if index % 2:
            services.improvement_adopt(
                by=ws_a, improvement=item, responsible="机电科", due_on=today()
            )
    client = _client(login, ws_a)
    client.get("/improvements/")  # warm the caches
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/improvements/?q=建议")
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 6])
def test_the_public_list_runs_a_fixed_number_of_queries(
    count, ws_a, org, member_login, login, django_assert_num_queries
):
    for index in range(count):
        services.improvement_to_motion(
            by=ws_a, improvement=file(ws_a, MemberFactory(group=org.A2), title=f"建议{index}")
        )
    client = _client(login, member_login)
    client.get("/improvements/public/")
    with django_assert_num_queries(PUBLIC_QUERIES):
        response = client.get("/improvements/public/")
    assert len(response.context["rows"]) == count


# The login and its grants; the workshop unions and years of the filters, the count and
# the rows (with member, group, workshop union and award level) — however many rows.
LIST_QUERIES = 9
# The login and its grants; the years, the count and the rows.
PUBLIC_QUERIES = 9


def test_files_are_added_while_waiting_and_refused_after_screening(
    ws_a, member_login, member_a, login
):
    item = file(member_login, member_a)
    client = _client(login, member_login)
    response = client.post(f"/improvements/{item.pk}/attach/", {"attach-attachments": files.png()})
    assert response.status_code == 302 and item.attachments.count() == 1
    services.improvement_reject(by=ws_a, improvement=item, reason="不可行")
    page = client.get(f"/improvements/{item.pk}/")
    assert page.context["may_attach"] is False and "不可行" in page.content.decode()
    refused = client.post(f"/improvements/{item.pk}/attach/", {"attach-attachments": files.png()})
    assert refused.status_code == 403 and item.attachments.count() == 1


def test_the_members_home_page_lists_their_suggestions(ws_a, member_login, member_a, login):
    item = services.improvement_to_motion(
        by=ws_a, improvement=file(member_login, member_a, title="提高夜班班中餐标准")
    )
    body = _client(login, member_login).get("/me/").content.decode()
    assert item.number in body and "提高夜班班中餐标准" in body
