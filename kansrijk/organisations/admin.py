from django.contrib import admin

from .models import Membership, Municipality, Organisation, PostcodeRange, Region


class PostcodeRangeInline(admin.TabularInline):
    model = PostcodeRange
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "cbs_code"]
    inlines = [PostcodeRangeInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities_served"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["municipalities"]
