"""Factories for the whole suite: one line makes a workshop, a group, a member or a login."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from activities.models import Activity, ContentArea, MonthlyReport
from groups.models import Gender, GroupMembership, Member, UnionGroup, WorkshopUnion

PASSWORD = "Correct-Horse-42"


class WorkshopUnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopUnion

    name = factory.Sequence(lambda n: f"第{n}车间")
    code = factory.Sequence(lambda n: f"W{n:03d}")
    sort_order = factory.Sequence(lambda n: n)


class UnionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnionGroup

    workshop = factory.SubFactory(WorkshopUnionFactory)
    name = factory.Sequence(lambda n: f"第{n}小组")
    code = factory.Sequence(lambda n: f"G{n:04d}")

    @classmethod
    def _create(cls, model_class, *args, created_at=None, **kwargs):
        """The tests' groups were entered years ago, so they owe every past month's
        report, unless a test says when (`created_at=`)."""
        group = super()._create(model_class, *args, **kwargs)
        group.created_at = created_at or timezone.now() - timedelta(days=5 * 365)
        model_class.objects.filter(pk=group.pk).update(created_at=group.created_at)
        return group


class MemberFactory(factory.django.DjangoModelFactory):
    """A member with the open stretch of group history that enrolment always creates."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    employee_no = factory.Sequence(lambda n: f"{50000 + n}")
    name = factory.Faker("name", locale="zh_CN")
    gender = Gender.MALE
    birth_date = date(1985, 6, 15)
    joined_union_on = date(2008, 7, 1)
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    group = factory.SubFactory(UnionGroupFactory)

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        if create:
            GroupMembership.objects.create(
                member=self, group=self.group, started_on=extracted or date(2020, 1, 1)
            )


class UserFactory(factory.django.DjangoModelFactory):
    """A login with one role (HQ unless told: `role=`, with `workshop=` or `group=`), more
    roles with `roles=[(role, workshop, group), …]`, or none with `role=""`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()

    @classmethod
    def _create(cls, model_class, *args, role=Role.HQ, workshop=None, group=None, roles=(), **kw):
        user = super()._create(model_class, *args, **kw)
        wanted = ([(role, workshop, group)] if role else []) + list(roles)
        for each_role, each_workshop, each_group in wanted:
            RoleAssignment.objects.create(
                user=user, role=each_role, workshop=each_workshop, group=each_group
            )
        return user


def workshop_user(workshop, **kwargs) -> User:
    return UserFactory(role=Role.WORKSHOP, workshop=workshop, **kwargs)


def leader_user(group, **kwargs) -> User:
    return UserFactory(role=Role.GROUP_LEADER, group=group, **kwargs)


def today():
    return timezone.localdate()


def accepted_home(*groups, level="qualified", day=date(2024, 12, 20)):
    """The groups' 小家 named (as the creation process would leave them), so they are rated."""
    UnionGroup.objects.filter(pk__in=[g.pk for g in groups]).update(
        home_stage="named", home_level=level, home_started_on=day, home_accepted_on=day
    )
    for group in groups:
        group.refresh_from_db()


def area(code="political_study") -> ContentArea:
    """One of the six content areas the data migration creates."""
    return ContentArea.objects.get(code=code)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    group = factory.SubFactory(UnionGroupFactory)
    area = factory.LazyFunction(lambda: ContentArea.objects.get(code="political_study"))
    title = factory.Sequence(lambda n: f"活动{n}")
    held_on = factory.LazyFunction(lambda: timezone.localdate())
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    group = factory.SubFactory(UnionGroupFactory)
    month = date(2026, 1, 1)


def publish(period, by, reason="本期不考核此项"):
    """Publish the period's latest results, marking whatever is missing 不适用 first (the
    publish guard's own tests take each step themselves)."""
    from scoring import services
    from scoring.completeness import completeness

    found = completeness(period)
    gaps = found.open if found.run and not found.run.is_published else []
    if gaps:
        services.waivers_add(period=period, by=by, keys=[gap.key for gap in gaps], reason=reason)
        if completeness(period).stale:  # a waived gate changes a level: compute again
            services.score_compute(period=period, by=by)
    return services.score_publish(period=period, by=by)


def member_user(member, **kwargs) -> User:
    """The member's own login, as activated: the member role follows from the link."""
    user = UserFactory(role="", name=member.name, **kwargs)
    member.user = user
    member.save(update_fields=["user"])
    return user
