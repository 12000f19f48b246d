from django.contrib import admin

from .models import SendLog


@admin.register(SendLog)
class SendLogAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "key", "claimed_at", "sent_at"]
    list_filter = ["kind"]
