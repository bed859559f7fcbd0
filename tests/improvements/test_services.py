"""Every transition of a 合理化建议 and every refusal, by the service functions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groups.models import MemberStatus
from improvements import selectors, services
from improvements.models import (
    AwardLevel,
    EffectKind,
    Improvement,
    ImprovementFile,
    ImprovementSettings,
    Status,
)
from tests import files

from .conftest import file, today


def adopted(by, member, **kwargs):
    item = file(by, member, **kwargs)
    return services.improvement_adopt(
        by=by, improvement=item, responsible="机电科", due_on=today() + timedelta(days=30)
    )


def implemented(by, member, **kwargs):
    item = adopted(by, member, **kwargs)
    return services.improvement_implement(
        by=by,
        improvement=item,
        implemented_on=today(),
        implementation="已加装，运行正常",
        yuan_saved=Decimal("38000"),
        effect_kinds=[EffectKind.objects.get(code="cost")],
    )


# Filing ------------------------------------------------------------------------------------


def test_a_member_files_their_own_suggestion_numbered_per_year(member_login, member_a):
    first = file(member_login, member_a)
    second = file(member_login, member_a, title="矿灯房充电架改造")
    year = today().year
    assert (first.number, second.number) == (f"HL{year}-0001", f"HL{year}-0002")
    assert first.filed_by == member_login and first.on_behalf is False
    assert (first.group_id, first.workshop_id) == (member_a.group_id, member_a.group.workshop_id)
    assert first.status == Status.SUBMITTED and first.is_public is False


def test_a_paper_suggestion_of_last_year_takes_last_years_number(leader_a1, member_a):
    earlier = today().replace(month=1, day=1) - timedelta(days=3)
    item = file(leader_a1, member_a, filed_on=earlier)
    assert item.number == f"HL{earlier.year}-0001"
    assert file(leader_a1, member_a).number == f"HL{today().year}-0001"


def test_the_number_prefix_is_the_one_hq_set(leader_a1, member_a):
    assert ImprovementSettings.current().number_prefix == "HL"  # the data migration's
    first = file(leader_a1, member_a)
    rules = ImprovementSettings.current()
    rules.number_prefix = "JY"
    rules.save()
    second = file(leader_a1, member_a)
    year = today().year
    assert (first.number, second.number) == (f"HL{year}-0001", f"JY{year}-0002")


def test_the_leader_files_on_behalf_of_a_member_of_their_group(leader_a1, org):
    item = file(leader_a1, org.members["A1"][2])
    assert item.on_behalf is True and item.filed_by == leader_a1


def test_the_leader_cannot_file_for_a_member_of_another_group(leader_a1, org):
    with pytest.raises(PermissionDenied):
        file(leader_a1, org.members["A2"][0])
    assert not Improvement.objects.exists()


def test_a_members_login_cannot_file_for_somebody_else(member_login, org):
    with pytest.raises(PermissionDenied):
        file(member_login, org.members["A1"][1])


def test_the_workshop_union_files_for_its_members_only(ws_a, org):
    assert file(ws_a, org.members["A2"][0]).on_behalf
    with pytest.raises(PermissionDenied):
        file(ws_a, org.members["B1"][0])


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("title", {"title": "  "}),
        ("problem", {"problem": ""}),
        ("proposal", {"proposal": ""}),
        ("filed_on", {"filed_on": date.today() + timedelta(days=2)}),
    ],
)
def test_filing_without_what_it_needs_is_refused_by_field(leader_a1, member_a, field, kwargs):
    with pytest.raises(ValidationError) as error:
        file(leader_a1, member_a, **kwargs)
    assert field in error.value.error_dict
    assert not Improvement.objects.exists()


def test_a_member_who_left_cannot_file(leader_a1, member_a):
    member_a.status, member_a.left_on, member_a.left_kind = MemberStatus.LEFT, today(), "quit"
    member_a.save(update_fields=["status", "left_on", "left_kind"])
    with pytest.raises(ValidationError) as error:
        file(leader_a1, member_a)
    assert "member" in error.value.error_dict


def test_attachments_are_stored_and_a_bad_file_writes_nothing(leader_a1, member_a):
    item = file(leader_a1, member_a, attachments=[files.jpeg(), files.pdf()])
    stored = list(item.attachments.order_by("pk"))
    assert [(f.name, f.mime) for f in stored] == [
        ("photo.jpg", "image/jpeg"),
        ("notice.pdf", "application/pdf"),
    ]
    with pytest.raises(ValidationError) as error:
        file(leader_a1, member_a, attachments=[files.exe_named_jpg()])
    assert "attachments" in error.value.error_dict
    assert Improvement.objects.count() == 1 and ImprovementFile.objects.count() == 2


def test_the_filer_adds_files_while_it_waits_and_not_after(leader_a1, ws_a, member_a):
    item = file(leader_a1, member_a)
    services.improvement_attach(by=leader_a1, improvement=item, files=[files.png()])
    services.improvement_adopt(
        by=ws_a, improvement=item, responsible="机电科", due_on=today() + timedelta(days=5)
    )
    with pytest.raises(PermissionDenied):
        services.improvement_attach(by=leader_a1, improvement=item, files=[files.png()])
    services.improvement_attach(by=ws_a, improvement=item, files=[files.docx()])
    assert item.attachments.count() == 2


# Screening ---------------------------------------------------------------------------------


def test_the_workshop_union_adopts_with_responsible_and_due(ws_a, leader_a1, member_a):
    item = file(leader_a1, member_a)
    due = today() + timedelta(days=30)
    item = services.improvement_adopt(
        by=ws_a, improvement=item, responsible="机电科 李工", due_on=due, note="尽快实施"
    )
    item.refresh_from_db()
    assert item.status == Status.ADOPTED
    assert (item.responsible, item.due_on, item.screened_by) == ("机电科 李工", due, ws_a)
    assert item.decided_on == today() and item.is_public is True


def test_adopting_without_responsible_or_due_is_refused(ws_a, leader_a1, member_a):
    item = file(leader_a1, member_a)
    with pytest.raises(ValidationError) as error:
        services.improvement_adopt(by=ws_a, improvement=item, responsible=" ", due_on=None)
    assert set(error.value.error_dict) == {"responsible", "due_on"}
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_another_workshop_union_may_not_screen_and_is_told_why(ws_b, leader_a1, member_a, org):
    item = file(leader_a1, member_a)
    with pytest.raises(PermissionDenied) as error:
        services.improvement_reject(by=ws_b, improvement=item, reason="不需要")
    assert org.a.name in str(error.value) and item.number in str(error.value)
    for screen in (services.improvement_adopt, services.improvement_to_motion):
        with pytest.raises(PermissionDenied):
            kwargs = (
                {"responsible": "x", "due_on": today()}
                if screen is services.improvement_adopt
                else {}
            )
            screen(by=ws_b, improvement=item, **kwargs)
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_the_leader_and_the_member_may_not_screen(leader_a1, member_login, member_a):
    item = file(member_login, member_a)
    for user in (leader_a1, member_login):
        with pytest.raises(PermissionDenied):
            services.improvement_reject(by=user, improvement=item, reason="不需要")


def test_rejecting_needs_a_reason(ws_a, leader_a1, member_a):
    item = file(leader_a1, member_a)
    with pytest.raises(ValidationError) as error:
        services.improvement_reject(by=ws_a, improvement=item, reason="  ")
    assert "reason" in error.value.error_dict
    item = services.improvement_reject(
        by=ws_a, improvement=item, reason="已列入年度计划", public=False
    )
    assert item.status == Status.REJECTED and item.reject_reason == "已列入年度计划"
    assert item.is_public is False


def test_hq_turns_a_suggestion_into_a_motion_and_it_cannot_be_screened_again(
    hq, leader_a1, member_a
):
    item = file(leader_a1, member_a)
    item = services.improvement_to_motion(by=hq, improvement=item, note="提交职代会")
    assert item.status == Status.MOTION and item.screened_by == hq
    with pytest.raises(ValidationError):
        services.improvement_reject(by=hq, improvement=item, reason="重复")


def test_mark_motion_moves_a_waiting_one_keeps_an_adopted_one_and_refuses_a_rejected_one(
    ws_a, leader_a1, member_a
):
    waiting = file(leader_a1, member_a)
    services.improvement_mark_motion(improvement=waiting)
    waiting.refresh_from_db()
    assert waiting.status == Status.MOTION and waiting.decided_on == today()
    taken = adopted(ws_a, member_a)
    services.improvement_mark_motion(improvement=taken)
    taken.refresh_from_db()
    assert taken.status == Status.ADOPTED
    rejected = services.improvement_reject(
        by=ws_a, improvement=file(leader_a1, member_a), reason="不可行"
    )
    with pytest.raises(ValidationError):
        services.improvement_mark_motion(improvement=rejected)


# Implementation, award, publication ---------------------------------------------------------


def test_implementation_is_recorded_with_yuan_saved_and_effects(ws_a, member_a):
    item = implemented(ws_a, member_a)
    item.refresh_from_db()
    assert item.yuan_saved == Decimal("38000.00") and item.implemented_on == today()
    assert [k.name for k in item.effect_kinds.all()] == ["降本增效"]


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("yuan_saved", {"yuan_saved": Decimal("-1")}),
        ("implemented_on", {"implemented_on": date.today() + timedelta(days=1)}),
        ("implemented_on", {"implemented_on": None}),
        ("implementation", {"implementation": ""}),
    ],
)
def test_a_bad_implementation_is_refused_by_field(ws_a, member_a, field, kwargs):
    item = adopted(ws_a, member_a)
    data = {"implemented_on": today(), "implementation": "已实施", "yuan_saved": None, **kwargs}
    with pytest.raises(ValidationError) as error:
        services.improvement_implement(by=ws_a, improvement=item, **data)
    assert field in error.value.error_dict
    item.refresh_from_db()
    assert item.implemented_on is None


def test_only_a_taken_up_suggestion_is_implemented(ws_a, leader_a1, member_a):
    item = file(leader_a1, member_a)
    with pytest.raises(ValidationError):
        services.improvement_implement(
            by=ws_a, improvement=item, implemented_on=today(), implementation="已实施"
        )


def test_another_workshop_union_may_not_record_the_implementation(ws_b, ws_a, member_a):
    item = adopted(ws_a, member_a)
    with pytest.raises(PermissionDenied):
        services.improvement_implement(
            by=ws_b, improvement=item, implemented_on=today(), implementation="已实施"
        )


def test_the_award_takes_the_levels_amount_unless_changed(ws_a, hq, member_a):
    item = implemented(ws_a, member_a)
    second = AwardLevel.objects.get(code="second")
    item = services.improvement_award(by=hq, improvement=item, level=second)
    assert (item.award_amount, item.awarded_on, item.awarded_by) == (Decimal("1000"), today(), hq)
    item = services.improvement_award(
        by=ws_a, improvement=item, level=second, amount=Decimal("800")
    )
    item.refresh_from_db()
    assert item.award_amount == Decimal("800.00")


def test_no_award_before_implementation_or_without_a_level(ws_a, leader_a1, member_a):
    level = AwardLevel.objects.get(code="third")
    item = adopted(ws_a, member_a)
    with pytest.raises(ValidationError):
        services.improvement_award(by=ws_a, improvement=item, level=level)
    rejected = services.improvement_reject(
        by=ws_a, improvement=file(leader_a1, member_a), reason="不可行"
    )
    with pytest.raises(ValidationError):
        services.improvement_award(by=ws_a, improvement=rejected, level=level)
    done = implemented(ws_a, member_a, title="另一条")
    with pytest.raises(ValidationError) as error:
        services.improvement_award(by=ws_a, improvement=done, level=None)
    assert "level" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.improvement_award(by=ws_a, improvement=done, level=level, amount=Decimal("-5"))
    assert "amount" in error.value.error_dict
    with pytest.raises(PermissionDenied):
        services.improvement_award(by=leader_a1, improvement=done, level=level)


def test_only_a_decided_suggestion_is_listed_publicly(ws_a, leader_a1, member_a):
    item = file(leader_a1, member_a)
    with pytest.raises(ValidationError):
        services.improvement_set_public(by=ws_a, improvement=item, public=True)
    item = adopted(ws_a, member_a)
    item = services.improvement_set_public(by=ws_a, improvement=item, public=False)
    assert item.is_public is False
    with pytest.raises(PermissionDenied):
        services.improvement_set_public(by=leader_a1, improvement=item, public=True)


# What other apps read ------------------------------------------------------------------------


def test_motion_candidates_are_the_workshops_taken_up_suggestions_in_reach(
    ws_a, ws_b, hq, leader_a1, org
):
    taken = adopted(ws_a, org.members["A1"][0])
    motion = services.improvement_to_motion(
        by=ws_a, improvement=file(leader_a1, org.members["A1"][1])
    )
    file(leader_a1, org.members["A1"][2])  # waiting
    services.improvement_reject(
        by=ws_a, improvement=file(leader_a1, org.members["A1"][2]), reason="x"
    )
    adopted(ws_b, org.members["B1"][0])  # another workshop union's
    found = set(selectors.motion_candidates(user=ws_a, workshop=org.a))
    assert found == {taken, motion}
    assert set(selectors.motion_candidates(user=hq, workshop=org.a.pk)) == {taken, motion}
    assert not selectors.motion_candidates(user=ws_b, workshop=org.a).exists()


def test_workshop_year_figures_count_filed_decided_and_adopted(ws_a, leader_a1, org):
    year = today().year
    last_year = date(year - 1, 12, 20)
    old = file(leader_a1, org.members["A1"][0], filed_on=last_year)
    services.improvement_adopt(by=ws_a, improvement=old, responsible="机电科", due_on=today())
    services.improvement_reject(
        by=ws_a, improvement=file(leader_a1, org.members["A1"][1]), reason="x"
    )
    services.improvement_to_motion(by=ws_a, improvement=file(ws_a, org.members["A2"][0]))
    file(leader_a1, org.members["A1"][2])
    figures = selectors.workshop_year_figures(year=year, workshop_ids=[org.a.pk, org.b.pk])
    assert figures == {
        org.a.pk: {"filed": 3, "decided": 3, "adopted": 2},
        org.b.pk: {"filed": 0, "decided": 0, "adopted": 0},
    }
    assert selectors.workshop_year_figures(year=year - 1) == {
        org.a.pk: {"filed": 1, "decided": 0, "adopted": 0}
    }
