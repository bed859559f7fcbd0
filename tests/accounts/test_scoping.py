"""The scope rule: what each role reaches, decided in accounts.scoping for every model."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Role, RoleAssignment
from accounts.scoping import CHANGE, VIEW, allows
from groups.models import MANAGE, Member, UnionGroup, WorkshopUnion
from tests.factories import UserFactory, leader_user, workshop_user


def visible_groups(user, action=VIEW):
    return set(UnionGroup.objects.restrict(user, action).values_list("code", flat=True))


def visible_member_groups(user, action=VIEW):
    return set(Member.objects.restrict(user, action).values_list("group__code", flat=True))


def test_hq_sees_and_changes_every_group_and_member(org, hq):
    assert visible_groups(hq) == {"A1", "A2", "B1", "B2"}
    assert visible_member_groups(hq, CHANGE) == {"A1", "A2", "B1", "B2"}
    assert Member.objects.restrict(hq).count() == 12


def test_workshop_user_reaches_only_its_workshop(org, workshop_a):
    assert visible_groups(workshop_a) == {"A1", "A2"}
    assert visible_member_groups(workshop_a, CHANGE) == {"A1", "A2"}
    assert visible_member_groups(workshop_a, MANAGE) == {"A1", "A2"}
    assert set(WorkshopUnion.objects.restrict(workshop_a).values_list("code", flat=True)) == {"A"}


def test_group_leader_reaches_only_their_group(org, leader_a1):
    assert visible_groups(leader_a1) == {"A1"}
    assert visible_member_groups(leader_a1) == {"A1"}
    assert visible_member_groups(leader_a1, CHANGE) == {"A1"}
    # Moving members and leaving the union are the workshop union's decisions.
    assert visible_member_groups(leader_a1, MANAGE) == set()
    # The leader sees their own workshop union's name, and no other.
    assert set(WorkshopUnion.objects.restrict(leader_a1).values_list("code", flat=True)) == {"A"}


def test_evaluator_sees_the_structure_but_no_member(org, evaluator):
    assert visible_groups(evaluator) == {"A1", "A2", "B1", "B2"}
    assert visible_groups(evaluator, CHANGE) == set()
    assert Member.objects.restrict(evaluator).count() == 0


def test_anonymous_and_inactive_users_reach_nothing(org, hq):
    assert Member.objects.restrict(AnonymousUser()).count() == 0
    hq.is_active = False
    assert Member.objects.restrict(hq).count() == 0


def test_superuser_without_role_reaches_everything(org):
    admin = UserFactory(role="", is_superuser=True)
    assert Member.objects.restrict(admin, MANAGE).count() == 12


def test_user_without_role_reaches_nothing(org):
    user = UserFactory(role="")
    assert Member.objects.restrict(user).count() == 0
    assert UnionGroup.objects.restrict(user).count() == 0


def test_allows_agrees_with_restrict_for_every_role_and_object(
    org, hq, workshop_a, leader_a1, evaluator
):
    members = list(Member.objects.select_related("group"))
    groups = list(UnionGroup.objects.all())
    for user in (hq, workshop_a, leader_a1, evaluator):
        for action in (VIEW, CHANGE, MANAGE):
            in_scope = set(Member.objects.restrict(user, action).values_list("pk", flat=True))
            assert {m.pk for m in members if allows(user, action, m)} == in_scope
            in_scope = set(UnionGroup.objects.restrict(user, action).values_list("pk", flat=True))
            assert {g.pk for g in groups if allows(user, action, g)} == in_scope
        workshops = list(WorkshopUnion.objects.all())
        in_scope = set(WorkshopUnion.objects.restrict(user).values_list("pk", flat=True))
        assert {w.pk for w in workshops if allows(user, VIEW, w)} == in_scope


@pytest.mark.parametrize(
    ("role", "needs"),
    [(Role.WORKSHOP, "workshop"), (Role.GROUP_LEADER, "group")],
)
def test_a_scoped_role_must_name_its_place(db, role, needs):
    user = UserFactory(role="")
    with pytest.raises(ValidationError) as refused:
        RoleAssignment(user=user, role=role).full_clean()
    assert needs in refused.value.message_dict


def test_database_refuses_a_leader_without_a_group(db):
    user = UserFactory(role="")
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, role=Role.GROUP_LEADER)


def test_an_organisation_wide_role_names_no_workshop(org):
    user = UserFactory(role="")
    with pytest.raises(ValidationError) as refused:
        RoleAssignment(user=user, role=Role.HQ, workshop=org.a).full_clean()
    assert set(refused.value.message_dict) == {"workshop"}


def test_the_same_role_twice_in_one_place_is_refused(org):
    user = workshop_user(org.a)
    with pytest.raises(ValidationError):
        RoleAssignment(user=user, role=Role.WORKSHOP, workshop=org.a).full_clean()
    RoleAssignment(user=user, role=Role.WORKSHOP, workshop=org.b).full_clean()


class TestSeveralRoles:
    """A user reaches the union of what their roles reach: no role switching."""

    def test_a_workshop_chair_who_leads_a_group_elsewhere(self, org):
        user = UserFactory(
            role="", roles=[(Role.WORKSHOP, org.a, None), (Role.GROUP_LEADER, None, org.B1)]
        )
        assert visible_groups(user) == {"A1", "A2", "B1"}
        assert visible_member_groups(user, CHANGE) == {"A1", "A2", "B1"}
        # Moving members is the workshop union's decision: in A, not in B1.
        assert visible_member_groups(user, MANAGE) == {"A1", "A2"}
        assert set(WorkshopUnion.objects.restrict(user).values_list("code", flat=True)) == {
            "A",
            "B",
        }

    def test_hq_staff_who_also_evaluate_keep_everything(self, org):
        user = UserFactory(role=Role.HQ, roles=[(Role.EVALUATOR, None, None)])
        assert Member.objects.restrict(user).count() == 12
        evaluator_only = UserFactory(role=Role.EVALUATOR)
        assert Member.objects.restrict(evaluator_only).count() == 0

    def test_allows_agrees_with_restrict_for_a_user_with_several_roles(self, org):
        user = UserFactory(
            role="", roles=[(Role.WORKSHOP, org.b, None), (Role.GROUP_LEADER, None, org.A1)]
        )
        for model in (Member, UnionGroup, WorkshopUnion):
            objects = list(model.objects.all())
            for action in (VIEW, CHANGE, MANAGE):
                in_scope = set(model.objects.restrict(user, action).values_list("pk", flat=True))
                assert {o.pk for o in objects if allows(user, action, o)} == in_scope

    def test_a_leader_of_two_groups_pages_open_on_neither_alone(self, org):
        user = UserFactory(
            role="", roles=[(Role.GROUP_LEADER, None, org.A1), (Role.GROUP_LEADER, None, org.A2)]
        )
        assert UnionGroup.objects.scope(user, CHANGE).only_group_id is None
        assert visible_groups(user, CHANGE) == {"A1", "A2"}
        # The workshop union appears once although two of the user's groups are in it.
        assert list(WorkshopUnion.objects.restrict(user).values_list("code", flat=True)) == ["A"]

    def test_a_role_taken_away_takes_its_reach_with_it(self, org):
        from accounts.services import role_remove

        user = UserFactory(roles=[(Role.WORKSHOP, org.a, None)], role="")
        assert visible_groups(user) == {"A1", "A2"}
        role_remove(assignment=user.role_assignments.get())
        assert visible_groups(user) == set()


def test_scope_label_names_the_users_part_of_the_organisation(org):
    assert workshop_user(org.a).scope_label == "锅炉车间"
    assert leader_user(org.A1).scope_label == "锅炉车间 · 运行一班"
    both = UserFactory(roles=[(Role.GROUP_LEADER, None, org.A1)])
    assert both.scope_label == "工会干事、锅炉车间 · 运行一班"


def test_the_scope_key_is_short_and_tells_scopes_apart(org):
    """Cache keys hold it: a panel member reaching hundreds of groups keeps it short."""
    from accounts.scoping import Grant, grants_epoch, scope_key

    many, few, other = workshop_user(org.a), workshop_user(org.a), workshop_user(org.b)
    panels = [Grant(Role.INSPECTOR, group_id=n, group_workshop_id=1) for n in range(400)]
    many.__dict__["_grants"] = (grants_epoch(), [*many.grants, *panels])
    assert len(scope_key(many)) < 60
    keys = {scope_key(u).split("-", 1)[1] for u in (many, few, other)}
    assert len(keys) == 3  # the same user number aside, the scopes differ


# The member role (Reach.SELF) ---------------------------------------------------------------


def test_the_member_role_reaches_the_members_own_rows_by_member_lookup(org):
    """Reach.SELF: the rows whose `member_lookup` leads to the member the grant names."""
    from groups.models import PERSONAL
    from tests.factories import member_user

    member, colleague = org.members["A1"][0], org.members["A1"][1]
    user = member_user(member)
    assert [(g.role, g.group_id, g.member_id) for g in user.grants] == [
        (Role.MEMBER, org.A1.pk, member.pk)
    ]
    assert list(Member.objects.restrict(user)) == [member]
    assert Member.objects.restrict(user, PERSONAL).get() == member
    assert Member.objects.restrict(user, CHANGE).count() == 0
    # `allows` answers the same as `restrict`, with no query.
    assert allows(user, VIEW, member) and allows(user, PERSONAL, member)
    assert not allows(user, VIEW, colleague) and not allows(user, CHANGE, member)


def test_a_model_without_member_lookup_gives_self_nothing(org):
    """A policy naming SELF on a model that does not say how its rows reach a member
    gives the member no row, rather than every row."""
    from accounts.scoping import Reach, ScopedQuerySet
    from tests.factories import member_user

    class NoLookup(ScopedQuerySet):
        policy = {VIEW: {Role.MEMBER: Reach.SELF}}

    user = member_user(org.members["A1"][0])
    queryset = NoLookup(model=Member)
    assert queryset.may(user)  # the role may look, and finds nothing of its own
    assert queryset.restrict(user).count() == 0
    assert not queryset.allows(user, VIEW, org.members["A1"][0])


def test_the_member_role_is_not_assignable_by_hand(org):
    from accounts.models import ASSIGNABLE_ROLES

    assert Role.MEMBER not in ASSIGNABLE_ROLES
    user = UserFactory(role="")
    with pytest.raises(ValidationError):
        RoleAssignment(user=user, role=Role.MEMBER).full_clean()


def test_the_scope_key_tells_two_members_of_one_group_apart(org):
    from accounts.scoping import scope_key
    from tests.factories import member_user

    first, second = (member_user(m) for m in org.members["A1"][:2])
    assert scope_key(first).split("-", 1)[1] != scope_key(second).split("-", 1)[1]


def test_a_member_login_is_loaded_with_its_member_in_one_query(
    org, client, django_assert_num_queries
):
    """The member role costs a page no query: the session's user comes with its member
    (accounts.backends), so a page's first queries stay the session, the user, the
    assigned roles and the panels."""
    from django.contrib.auth import get_user

    from tests.factories import member_user

    user = member_user(org.members["A1"][0])
    client.force_login(user)
    request = type("R", (), {"session": client.session})()
    with django_assert_num_queries(4):  # session, the user with its member, roles, panels
        loaded = get_user(request)
        assert [g.role for g in loaded.grants] == [Role.MEMBER]
