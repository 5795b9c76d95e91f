from django.contrib import admin
from django.db.models import F

from .models import Offer


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    """For the site's staff. Maintainers use the social map's own pages (rules, version guard, audit)."""

    list_display = ["name", "provider_name", "region", "is_active", "last_checked_at", "maintainer"]
    list_filter = ["region", "is_active", "costs", "recognised_intervention"]
    search_fields = ["name", "provider_name", "description"]
    filter_horizontal = ["domains", "municipalities"]
    autocomplete_fields = ["provider"]
    raw_id_fields = ["maintainer", "last_checked_by"]
    readonly_fields = ["version", "updated_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            # An edit form opened in the application before this change is then refused, not overwriting it.
            Offer.objects.filter(pk=obj.pk).update(version=F("version") + 1)
