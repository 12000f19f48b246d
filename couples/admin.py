from django.contrib import admin

from .models import Couple, Invite, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Couple)
class CoupleAdmin(admin.ModelAdmin):
    list_display = ["id", "time_zone", "created_at", "ended_at"]
    inlines = [MembershipInline]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["inviter", "created_at", "expires_at", "used_at", "revoked_at"]
    exclude = ["token"]
