from django.contrib import admin

from .models import Agreement, Evaluation


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    extra = 0
    readonly_fields = ["on", "notes", "next_review_on", "by"]
    can_delete = False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "topic", "status", "next_review_on"]
    list_filter = ["region", "topic", "status"]
    search_fields = ["title", "text"]
    inlines = [EvaluationInline]
