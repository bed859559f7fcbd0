from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class CareTasksConfig(extensions.FeatureConfig):
    """Care tasks: birthdays, hospital stays and family events reported by leaders, visits due,
    each to the group with its gift standard, closed by a visit with a photo."""

    name = "caretasks"
    verbose_name = _("Care tasks")
    demo_seeder = "caretasks.demo.seed"
    # HQ keeps the occasions (days, gift standards) and the festivals' dates in the admin
    # site; the occasions themselves are fixed (each is a rule of the code).
    hq_permissions = (
        "caretasks.view_careoccasion",
        "caretasks.change_careoccasion",
        "caretasks.view_festival",
        "caretasks.add_festival",
        "caretasks.change_festival",
        "caretasks.delete_festival",
    )
