"""What the democracy app offers the other apps' pages (see unionhome.extensions)."""

from django.utils.translation import gettext_lazy as _

from . import selectors

__all__ = ["navigation"]


def navigation(user):
    # One entry for the whole section: suggestions, congresses, disclosures, rectifications
    # and the star ratings are reached from its page.
    if selectors.opens_overview(user):
        return [(_("Democratic management"), "democracy:overview")]
    return []
