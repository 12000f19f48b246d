from django.contrib import admin

from .models import Attempt


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    # Answers and scores are deliberately not listed: they are the person's own.
    list_display = ["assessment", "user", "created_at", "shared_at"]
    list_filter = ["assessment"]
    fields = ["assessment", "user", "created_at", "shared_at"]
    readonly_fields = ["assessment", "user", "created_at", "shared_at"]
