from django.contrib import admin

from .models import VulnerabilityDomain


@admin.register(VulnerabilityDomain)
class VulnerabilityDomainAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "code", "region", "order", "is_active"]
    list_filter = ["region", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name_nl", "name_en", "code"]


# Referrals, cases and clients are deliberately not in the Django admin: client
# data is reached only through the product's own pages and its access layer.
