from django.contrib import admin
from django.db import models

from unionhome.admin import ReadOnlyAdmin

from .models import ReminderChannel, ReminderDelivery


@admin.register(ReminderChannel)
class ReminderChannelAdmin(admin.ModelAdmin):
    """HQ adds the 企业微信 / 钉钉 group robots that get the daily to-do digests."""

    list_display = ("name", "kind", "workshop", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("workshop",)
    search_fields = ("name", "workshop__name")
    autocomplete_fields = ("workshop",)
    # Robot webhooks are https; an address typed without a scheme is taken as such.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyAdmin):
    """What `send_reminders` sent, and why a delivery failed. Written only by the command."""

    list_display = ("day", "user", "channel", "sent", "attempts", "error")
    list_filter = ("sent", "day")
    list_select_related = ("user", "channel")
    date_hierarchy = "day"
