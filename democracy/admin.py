from django.contrib import admin

from unionhome.admin import ReadOnlyAdmin

from .models import StarLevel, StarRating


@admin.register(StarLevel)
class StarLevelAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "stars",
        "min_sessions_held",
        "min_resolutions_on_time",
        "min_disclosures_per_quarter",
        "min_feedback_on_time",
    ]
    fields = [
        "stars",
        "name",
        "min_sessions_held",
        "min_resolutions_on_time",
        "min_disclosures_per_quarter",
        "min_feedback_on_time",
    ]


@admin.register(StarRating)
class StarRatingAdmin(ReadOnlyAdmin):
    list_display = [
        "workshop",
        "year",
        "stars",
        "level_name",
        "sessions_held",
        "resolutions_on_time",
        "feedback_on_time",
        "confirmed_by",
        "confirmed_at",
    ]
    list_filter = ["year", "stars"]
