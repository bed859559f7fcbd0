from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class GroupsConfig(extensions.FeatureConfig):
    """The organisation: workshop unions, union groups, members and their 小家 status."""

    name = "groups"
    verbose_name = _("Organisation")
    demo_seeder = "groups.demo.seed"
    # HQ staff keep the organisation's structure in the admin site.
    hq_permissions = (
        "groups.view_workshopunion",
        "groups.add_workshopunion",
        "groups.change_workshopunion",
        "groups.view_uniongroup",
        "groups.add_uniongroup",
        "groups.change_uniongroup",
        "groups.view_member",
        "groups.view_grouppost",
    )
