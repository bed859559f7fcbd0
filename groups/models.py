from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Role
from accounts.scoping import (
    CHANGE,
    HQ_ONLY,
    OWN_PART,
    RECORDS_READERS,
    VIEW,
    Reach,
    ScopedQuerySet,
    allows,
)
from unionhome.dates import day_label
from unionhome.models import SingleRecord
from unionhome.validators import validate_not_in_future

from .idnumbers import birth_date_of, gender_of, mask, normalise, validate_id_number
from .pinyin import name_initials
from .validators import validate_employee_no, validate_phone

# Moving members between groups, leaving the union, the 小家 status and the 组长 post are
# the workshop union's decisions; a group leader keeps their own members' details.
MANAGE = "manage"
# The workshop unions whose work a user oversees: the dashboards and annual summaries.
OVERSEE = "oversee"
WORKSHOP_AND_HQ = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}
# Evaluators score every group, so they see the organisation's structure (not its members);
# inspection panel members the groups assigned to them.
ORG_VIEW = RECORDS_READERS


class WorkshopUnionQuerySet(ScopedQuerySet):
    # A group's role reaches its own workshop union (its name, on the group's pages).
    group_lookup = None
    workshop_lookup = "pk"
    policy = {VIEW: ORG_VIEW, CHANGE: HQ_ONLY, MANAGE: HQ_ONLY, OVERSEE: WORKSHOP_AND_HQ}


class WorkshopUnion(models.Model):
    """车间(区队)工会: the middle level, between the organisation's union and its groups."""

    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60, unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    chair_name = models.CharField(_("union chair"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = WorkshopUnionQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop union")
        verbose_name_plural = _("workshop unions")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    @property
    def scope_ids(self):
        return self.pk, None


class HomeStage(models.TextChoices):
    """Where a group's 职工小家 stands in its creation. Only the higher union moves it on,
    step by step (the `homes` app's services); the workshop never sets it for its groups."""

    NOT_STARTED = "not_started", _("Not started")
    BUILDING = "building", _("Being built")
    DECLARED = "declared", _("Declared")
    RECOMMENDED = "recommended", _("Recommended by the workshop union")
    INSPECTING = "inspecting", _("Acceptance inspection")
    ACCEPTED = "accepted", _("Accepted, awaiting the public notice")
    IN_NOTICE = "in_notice", _("In public notice")
    NAMED = "named", _("Named")


STAGE_ORDER = list(HomeStage)
# A 小家 counts as accepted (覆盖率, a level in the assessment) from the panel's acceptance.
ACCEPTED_STAGES = (HomeStage.ACCEPTED, HomeStage.IN_NOTICE, HomeStage.NAMED)


class HomeLevel(models.TextChoices):
    """The title a named 小家 holds (合格 / 先进 / 模范职工小家)."""

    QUALIFIED = "qualified", pgettext_lazy("small home title", "Qualified")
    ADVANCED = "advanced", pgettext_lazy("small home title", "Advanced")
    MODEL = "model", pgettext_lazy("small home title", "Model")


LEVEL_ORDER = [HomeLevel.QUALIFIED, HomeLevel.ADVANCED, HomeLevel.MODEL]


class UnionGroupQuerySet(ScopedQuerySet):
    group_lookup = "pk"
    workshop_lookup = "workshop"
    policy = {VIEW: ORG_VIEW, CHANGE: OWN_PART, MANAGE: WORKSHOP_AND_HQ}

    def with_accepted_home(self):
        return self.filter(~Q(home_level="") | Q(home_stage__in=ACCEPTED_STAGES))


class UnionGroup(models.Model):
    """工会小组: the unit that builds a 职工小家."""

    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        related_name="groups",
    )
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60)
    code = models.CharField(_("code"), max_length=20, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    home_stage = models.CharField(
        _("small home stage"),
        max_length=20,
        choices=HomeStage.choices,
        default=HomeStage.NOT_STARTED,
    )
    home_level = models.CharField(
        pgettext_lazy("small home title", "title"),
        max_length=10,
        choices=HomeLevel.choices,
        blank=True,
        help_text=_("The title the small home holds now: the last confirmed naming or re-check."),
    )
    home_started_on = models.DateField(
        _("creation started on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    home_accepted_on = models.DateField(
        _("accepted on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = UnionGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("union group")
        verbose_name_plural = _("union groups")
        ordering = ["workshop__sort_order", "workshop__code", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "name"], name="group_name_unique_in_workshop"
            ),
            models.CheckConstraint(
                name="group_home_started_when_under_way",
                condition=Q(home_stage=HomeStage.NOT_STARTED) | Q(home_started_on__isnull=False),
                violation_error_message=_("A small home under way needs the day it started."),
            ),
            models.CheckConstraint(
                name="group_home_title_after_acceptance",
                condition=Q(home_level="")
                | (Q(home_accepted_on__isnull=False) & ~Q(home_stage=HomeStage.NOT_STARTED)),
                violation_error_message=_("Only an accepted small home holds a title."),
            ),
            models.CheckConstraint(
                name="group_home_named_has_title",
                condition=~Q(home_stage=HomeStage.NAMED) | ~Q(home_level=""),
                violation_error_message=_("A named small home holds a title."),
            ),
            models.CheckConstraint(
                name="group_home_accepted_after_start",
                condition=Q(home_accepted_on__isnull=True)
                | Q(home_accepted_on__gte=F("home_started_on")),
                violation_error_message=_("Acceptance cannot come before the start."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_ids(self):
        return self.workshop_id, self.pk

    @property
    def has_accepted_home(self) -> bool:
        """Counts towards 覆盖率 and may hold a level: the 小家 passed its acceptance (and
        is waiting for, or in, its notice, or named), or holds a title from before."""
        return bool(self.home_level) or self.home_stage in ACCEPTED_STAGES

    @property
    def is_building(self) -> bool:
        """创建中: under way but not accepted; shown beside the coverage, never inside it."""
        return not self.has_accepted_home and self.home_stage != HomeStage.NOT_STARTED


class OptionList(models.TextChoices):
    """The lists of a member's registration (会员实名制) whose entries the union keeps."""

    ETHNICITY = "ethnicity", _("Ethnic group")
    POLITICAL = "political", _("Political status")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Form of employment")
    SKILL = "skill", _("Skill grade")
    MODEL_WORKER = "model_worker", _("Model worker title")


class MemberOptionQuerySet(models.QuerySet):
    def of(self, option_list: str):
        return self.filter(option_list=option_list, is_active=True)


class MemberOption(models.Model):
    """One entry of a registration list (汉族, 中共党员, 大学本科, 劳务派遣, 高级工,
    省部级劳动模范 …). HQ keeps the lists in the admin site; an entry in use is retired
    (not active) rather than deleted, so that the members who hold it keep it."""

    option_list = models.CharField(_("list"), max_length=20, choices=OptionList.choices)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=30)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Offered on forms and accepted in imports.")
    )

    objects = MemberOptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration list entry")
        verbose_name_plural = _("registration lists")
        ordering = ["option_list", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["option_list", "name"], name="option_unique_in_list")
        ]

    def __str__(self):
        return self.name


class HukouType(models.TextChoices):
    """户籍类型: 农业 marks a 农民工 in the union's statistics."""

    URBAN = "urban", _("Urban (非农业)")
    RURAL = "rural", _("Rural (农业)")


class LeaveKind(models.TextChoices):
    """Why a member's membership ended."""

    QUIT = "quit", _("Left the union (离会)")
    RETIRED = "retired", _("Retired (退休)")
    DECEASED = "deceased", _("Deceased (去世)")
    TRANSFERRED = "transferred", _("Transferred out (转出)")


def _option(option_list, label):
    return models.ForeignKey(
        MemberOption,
        verbose_name=label,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"option_list": option_list},
    )


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left the union")


# A member's identity number and 户籍: at HQ the welfare staff, and the member's workshop
# union; the rule of the welfare details. Every view of them is logged.
PERSONAL = "personal"


class MemberQuerySet(ScopedQuerySet):
    group_lookup = "group"
    workshop_lookup = "group__workshop"
    # A member with a login sees their own record, their identity number included.
    member_lookup = "pk"
    policy = {
        VIEW: {**OWN_PART, Role.MEMBER: Reach.SELF},
        CHANGE: OWN_PART,
        MANAGE: WORKSHOP_AND_HQ,
        PERSONAL: {**WORKSHOP_AND_HQ, Role.MEMBER: Reach.SELF},
    }
    role_flags = {Role.HQ: "handles_welfare"}
    flagged_actions = frozenset({PERSONAL})

    def active(self):
        return self.filter(status=MemberStatus.ACTIVE)


class Member(models.Model):
    """会员: a union member. A member who leaves is marked, never deleted."""

    employee_no = models.CharField(
        _("employee no."), max_length=20, unique=True, validators=[validate_employee_no]
    )
    name = models.CharField(_("name"), max_length=50, db_index=True)
    # Pinyin initials of the name ("张三" -> "zs"), kept for search.
    name_initials = models.CharField(max_length=50, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_not_in_future]
    )
    joined_union_on = models.DateField(
        _("joined the union on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    # The registration of 会员实名制.
    id_number = models.CharField(
        _("identity number"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        help_text=_("18 characters; an old 15-digit number is converted."),
    )
    ethnicity = _option(OptionList.ETHNICITY, _("ethnic group"))
    political_status = _option(OptionList.POLITICAL, _("political status"))
    education = _option(OptionList.EDUCATION, _("education"))
    hukou_type = models.CharField(
        _("household registration"), max_length=10, choices=HukouType.choices, blank=True
    )
    employment_type = _option(OptionList.EMPLOYMENT, _("form of employment"))
    work_started_on = models.DateField(
        _("started work on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    card_no = models.CharField(_("membership card no."), max_length=30, blank=True)
    position = models.CharField(_("job"), max_length=50, blank=True)
    skill_grade = _option(OptionList.SKILL, _("skill grade"))
    model_worker_level = _option(OptionList.MODEL_WORKER, _("model worker title"))
    is_worker_representative = models.BooleanField(_("workers' representative"), default=False)
    # The member's own login, once activated (a member sees their own record).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    is_hardship = models.BooleanField(_("in hardship"), default=False)
    is_model_worker = models.BooleanField(_("model worker"), default=False)
    is_retired = models.BooleanField(_("retired"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    left_on = models.DateField(
        _("left on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    left_kind = models.CharField(
        _("how the membership ended"), max_length=12, choices=LeaveKind.choices, blank=True
    )
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["name_initials", "updated_at", "user"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["employee_no"]
        indexes = [models.Index(fields=["group", "status"], name="member_group_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="member_id_number_unique",
                violation_error_message=_("Another member has this identity number."),
            ),
            models.UniqueConstraint(
                fields=["card_no"],
                condition=~Q(card_no=""),
                name="member_card_no_unique",
                violation_error_message=_("Another member has this membership card no."),
            ),
            models.CheckConstraint(
                name="member_left_has_date",
                condition=Q(status=MemberStatus.ACTIVE, left_on__isnull=True)
                | Q(status=MemberStatus.LEFT, left_on__isnull=False),
                violation_error_message=_("A member who left needs the date they left."),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.employee_no}）"

    def save(self, *args, **kwargs):
        self.name_initials = name_initials(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_initials"}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # A gender left empty is taken from the identity number before it is required.
        if self.id_number:
            self.id_number = normalise(self.id_number)
            self.fill_from_id_number()
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        if self.id_number:
            errors.update(self.fill_from_id_number())
        if self.birth_date and self.joined_union_on and self.joined_union_on < self.birth_date:
            errors["joined_union_on"] = _("The member cannot join the union before being born.")
        if self.model_worker_level_id:
            self.is_model_worker = True
        if errors:
            raise ValidationError(errors)

    def fill_from_id_number(self) -> dict:
        """Take the birth date and gender from the identity number where they are not
        given, and say where a given one disagrees with it (field -> message)."""
        try:
            validate_id_number(self.id_number)
        except ValidationError:
            return {}  # the field's own validator reports it
        born, gender = birth_date_of(self.id_number), gender_of(self.id_number)
        errors = {}
        if self.birth_date is None:
            self.birth_date = born
        elif self.birth_date != born:
            errors["birth_date"] = _("The identity number gives %(date)s as the date of birth.") % {
                "date": day_label(born)
            }
        if not self.gender:
            self.gender = gender
        elif self.gender != gender:
            errors["gender"] = _("The identity number gives %(gender)s.") % {
                "gender": Gender(gender).label
            }
        return errors

    def history_hidden_for(self, user) -> tuple[str, ...]:
        """The fields whose values the user's view of the change history leaves out."""
        return () if allows(user, PERSONAL, self) else ("id_number", "hukou_type")

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number)

    @property
    def is_woman_worker(self) -> bool:
        """女职工: counted from the gender, not kept apart."""
        return self.gender == Gender.FEMALE

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def is_active_member(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())


class GroupMembership(models.Model):
    """One stretch of a member's time in a union group: the history of their groups."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("from"), validators=[validate_not_in_future])
    ended_on = models.DateField(_("to"), null=True, blank=True, validators=[validate_not_in_future])
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["member", "-started_on", "-pk"]
        indexes = [models.Index(fields=["group", "started_on"], name="membership_group_start")]
        constraints = [
            models.CheckConstraint(
                name="membership_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.group}"


class Post(models.TextChoices):
    """The posts of a union group: the leader and the optional officers."""

    LEADER = "leader", _("Group leader")
    ORGANISER = "organiser", _("Organiser")
    PUBLICITY = "publicity", _("Publicity officer")
    LIVELIHOOD = "livelihood", _("Livelihood officer")
    LABOUR_PROTECTION = "labour_protection", _("Labour protection officer")
    CULTURE_SPORTS = "culture_sports", _("Culture and sports officer")
    WOMEN = "women", _("Women workers' officer")


class GroupPost(models.Model):
    """Who holds a post in a union group; each post has at most one holder."""

    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.CASCADE, related_name="posts"
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="posts"
    )
    since = models.DateField(_("since"), validators=[validate_not_in_future])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group post")
        verbose_name_plural = _("group posts")
        constraints = [
            models.UniqueConstraint(fields=["group", "post"], name="grouppost_one_holder"),
        ]

    def __str__(self):
        return f"{self.group} · {self.get_post_display()} · {self.member.name}"


class PersonalAccessQuerySet(ScopedQuerySet):
    # Read by HQ welfare staff only (the PERSONAL rule's HQ side); append-only for all.
    policy = {VIEW: HQ_ONLY}
    role_flags = {Role.HQ: "handles_welfare"}
    flagged_actions = frozenset({VIEW})
    group_lookup = "member__group"
    workshop_lookup = "member__group__workshop"

    def update(self, **kwargs):
        raise PermissionError("the access log is append-only")

    def delete(self):
        raise PermissionError("the access log is append-only")


class PersonalAccess(models.Model):
    """Who saw or changed a member's identity number and 户籍, and when. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CHANGE = "change", _("Changed")
        EXPORT = "export", _("Exported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.CharField(_("what"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = PersonalAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal details access")
        verbose_name_plural = _("personal details access log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.member_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the access log is append-only")


# The member import ------------------------------------------------------------------------


class ImportField(models.TextChoices):
    """What a column of a member roster may hold: the registration's fields and the place."""

    EMPLOYEE_NO = "employee_no", _("employee no.")
    NAME = "name", _("name")
    GENDER = "gender", _("gender")
    ETHNICITY = "ethnicity", _("ethnic group")
    BIRTH_DATE = "birth_date", _("date of birth")
    ID_NUMBER = "id_number", _("identity number")
    POLITICAL_STATUS = "political_status", _("political status")
    EDUCATION = "education", _("education")
    HUKOU_TYPE = "hukou_type", _("household registration")
    EMPLOYMENT_TYPE = "employment_type", _("form of employment")
    WORK_STARTED_ON = "work_started_on", _("started work on")
    JOINED_UNION_ON = "joined_union_on", _("joined the union on")
    CARD_NO = "card_no", _("membership card no.")
    PHONE = "phone", _("phone")
    POSITION = "position", _("job")
    SKILL_GRADE = "skill_grade", _("skill grade")
    MODEL_WORKER_LEVEL = "model_worker_level", _("model worker title")
    IS_WORKER_REPRESENTATIVE = "is_worker_representative", _("workers' representative")
    IS_HARDSHIP = "is_hardship", _("in hardship")
    IS_MODEL_WORKER = "is_model_worker", _("model worker")
    IS_RETIRED = "is_retired", _("retired")
    WORKSHOP = "workshop", _("workshop union")
    GROUP = "group", _("union group")


def clean_title(value) -> str:
    """A column title as compared: no spaces or line breaks, Latin letters in lower case."""
    text = str(value or "")
    for blank in (" ", "\u3000", "\n", "\r", "\t"):
        text = text.replace(blank, "")
    return text.lower()


class ImportHeader(models.Model):
    """A column title a roster may use, and the member field it names (所在车间 and 车间
    name the workshop union; 班组 the union group). HQ keeps the list in the admin site;
    when two columns of a file name the same field, the title added first wins."""

    word = models.CharField(
        _("column title"),
        max_length=30,
        unique=True,
        help_text=_("As written in the roster's title row; spaces and letter case are ignored."),
    )
    field = models.CharField(_("member field"), max_length=30, choices=ImportField.choices)

    class Meta:
        verbose_name = _("import column title")
        verbose_name_plural = _("import column titles")
        ordering = ["field", "pk"]

    def __str__(self):
        return f"{self.word} → {self.get_field_display()}"

    def save(self, *args, **kwargs):
        self.word = clean_title(self.word)
        super().save(*args, **kwargs)


class MemberOptionAlias(models.Model):
    """Another way a roster writes an entry of a registration list: 汉 for 汉族, 党员 for
    中共党员, 本科 for 大学本科. The import takes either."""

    option = models.ForeignKey(
        MemberOption,
        verbose_name=_("list entry"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    word = models.CharField(_("also written"), max_length=30)

    class Meta:
        verbose_name = _("other way to write a list entry")
        verbose_name_plural = _("other ways to write list entries")
        ordering = ["option__option_list", "option__sort_order", "word"]
        constraints = [
            models.UniqueConstraint(fields=["option", "word"], name="option_alias_unique")
        ]

    def __str__(self):
        return f"{self.word} → {self.option.name}"

    def clean(self):
        self.word = (self.word or "").strip()
        if not self.option_id:
            return
        clash = (
            MemberOptionAlias.objects.filter(
                option__option_list=self.option.option_list, word=self.word
            )
            .exclude(pk=self.pk)
            .exclude(option=self.option)
            .select_related("option")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "word": _("“%(word)s” already stands for %(name)s in this list.")
                    % {"word": self.word, "name": clash.option.name}
                }
            )


class ImportLimits(SingleRecord):
    """One record, edited by HQ in the admin site: how large a member import may be.
    Larger files are refused before they are read."""

    max_rows = models.PositiveIntegerField(
        _("most member rows in one file"),
        default=20000,
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
        help_text=_("A file with more rows is refused; split it by workshop union."),
    )
    max_unpacked_mb = models.PositiveIntegerField(
        _("largest unpacked workbook (MB)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text=_(
            "An .xlsx file is a compressed archive; a workbook whose contents would unpack to "
            "more than this is refused before it is opened."
        ),
    )
    max_errors_listed = models.PositiveIntegerField(
        _("problems listed"),
        default=200,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_("The preview lists this many problems and says how many there are in all."),
    )
    header_search_rows = models.PositiveSmallIntegerField(
        _("rows searched for the column titles"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "Title rows above the column titles are skipped: the first of these rows whose "
            "cells are mostly known column titles is taken as the header."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("member import limits")
        verbose_name_plural = _("member import limits")

    def __str__(self):
        return str(_("Member import limits"))


class ImportMappingQuerySet(ScopedQuerySet):
    # A mapping shared with a workshop union is read by those who work there; one's own
    # mappings are read through `for_user`.
    group_lookup = None
    workshop_lookup = "workshop"
    policy = {VIEW: OWN_PART, CHANGE: WORKSHOP_AND_HQ}


class ImportMapping(models.Model):
    """Which field each column of a roster goes to, as a user set it in an import's
    preview and saved: their own, or for everyone in a workshop union. Found again by the
    file's set of column titles, and used by itself when the same titles come again."""

    header_key = models.CharField(max_length=64, db_index=True, editable=False)
    titles = models.TextField(_("column titles"), editable=False)
    # {column title: field name, or "" for a column not imported}; written by the preview.
    columns = models.JSONField(_("columns"), default=dict, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    objects = ImportMappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved import mapping")
        verbose_name_plural = _("saved import mappings")
        ordering = ["-saved_at"]
        constraints = [
            models.CheckConstraint(
                name="import_mapping_one_owner",
                condition=Q(user__isnull=False, workshop__isnull=True)
                | Q(user__isnull=True, workshop__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["header_key", "user"],
                condition=Q(user__isnull=False),
                name="import_mapping_unique_for_user",
            ),
            models.UniqueConstraint(
                fields=["header_key", "workshop"],
                condition=Q(workshop__isnull=False),
                name="import_mapping_unique_for_workshop",
            ),
        ]

    def __str__(self):
        return self.titles[:80]

    @property
    def scope_ids(self):
        return self.workshop_id, None
