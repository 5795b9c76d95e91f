from django.contrib import admin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["pk", "month", "municipality", "organisation", "language", "used_at", "expires_at"]
    list_filter = ["organisation", "language"]
    readonly_fields = ["token"]
