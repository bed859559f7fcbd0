"""Signals shared by the apps, defined below them so that none imports another."""

from django.dispatch import Signal

# Sent by code that writes records without per-row signals (bulk creates, queryset
# updates: imports, demo data, restores), with `using` the database alias written to.
# Receivers that cache what the records add up to (the dashboard) drop it on commit.
records_changed_in_bulk = Signal()

# Sent when the summary tables of the organisation's years have been counted again
# (activities/summaries.py), with `using`: figures cached from the old ones are dropped.
summaries_refreshed = Signal()
