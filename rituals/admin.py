from django.contrib import admin

from .models import Ritual


@admin.register(Ritual)
class RitualAdmin(admin.ModelAdmin):
    # Closeness ratings and calendar tokens are deliberately not shown: they belong to
    # the couple (ratings) and to each person (the feed's secret address).
    list_display = ["title", "couple", "state", "rrule", "start_time", "library_key"]
    list_filter = ["state", "pillar"]
    search_fields = ["title", "library_key"]
    raw_id_fields = ["couple", "proposed_by"]
