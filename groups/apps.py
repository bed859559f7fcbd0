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
        "groups.view_memberoption",
        "groups.add_memberoption",
        "groups.change_memberoption",
        "groups.view_personalaccess",
        # The member import: column titles, other ways of writing list entries, limits,
        # and the mappings users saved (looked at, or removed when wrong).
        "groups.view_importheader",
        "groups.add_importheader",
        "groups.change_importheader",
        "groups.delete_importheader",
        "groups.view_memberoptionalias",
        "groups.add_memberoptionalias",
        "groups.change_memberoptionalias",
        "groups.delete_memberoptionalias",
        "groups.view_importlimits",
        "groups.add_importlimits",
        "groups.change_importlimits",
        "groups.view_importmapping",
        "groups.delete_importmapping",
    )
