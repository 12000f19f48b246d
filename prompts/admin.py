from django.contrib import admin

from .models import DailyPrompt, Prompt


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = ["key", "family", "depth", "pillar", "is_active"]
    list_filter = ["family", "depth", "pillar", "is_active"]
    search_fields = ["key", "text"]


@admin.register(DailyPrompt)
class DailyPromptAdmin(admin.ModelAdmin):
    # Answers are deliberately not listed here: they belong to the couple.
    list_display = ["couple", "date", "prompt", "revealed_at"]
    list_select_related = ["prompt"]
