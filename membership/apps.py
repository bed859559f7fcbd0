from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class MembershipConfig(extensions.FeatureConfig):
    """Joining the union (入会申请 through a link or QR code, or entered by a leader), the
    workshop union's decision and the membership card number, employee counts and 入会率,
    transfers out with their letter and in with the join date kept, retirement."""

    name = "membership"
    verbose_name = _("Membership")
    demo_seeder = "membership.demo.seed"
    # HQ keeps the numbering rule in the admin site.
    hq_permissions = (
        "membership.view_numberingrule",
        "membership.add_numberingrule",
        "membership.change_numberingrule",
    )
