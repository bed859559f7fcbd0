"""Figures computed from activity records, offered to other apps through unionhome.metrics."""


def register_all():
    """Registered in ActivitiesConfig.ready(); the scoring issue adds the indicators here."""
