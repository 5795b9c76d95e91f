"""The desk's pages and frequently asked questions in the Django admin, with their texts per language.

Administrators normally use the desk editor (`desk:editor`: preview, version check, audit log).
A text saved here counts as changed by an administrator: the content loader then leaves it alone,
and an editor that had it open refuses to save over it.
"""

from django.contrib import admin
from django.db.models import F

from .models import FaqItem, FaqText, Page, PageText


class _TextInline(admin.StackedInline):
    extra = 0
    readonly_fields = ["updated_at", "updated_by", "version"]


class PageTextInline(_TextInline):
    model = PageText
    fields = ["language", "title", "summary", "body", "updated_at", "updated_by", "version"]


class FaqTextInline(_TextInline):
    model = FaqText
    fields = ["language", "question", "answer", "updated_at", "updated_by", "version"]


class _WithTexts(admin.ModelAdmin):
    def save_formset(self, request, form, formset, change):
        texts = formset.save(commit=False)
        for text in texts:
            is_new = text.pk is None
            text.updated_by = request.user
            text.save()
            if not is_new:
                type(text).objects.filter(pk=text.pk).update(version=F("version") + 1)
        for text in formset.deleted_objects:
            text.delete()
        formset.save_m2m()


@admin.register(Page)
class PageAdmin(_WithTexts):
    list_display = ["slug", "audience", "order", "in_menu", "is_published"]
    list_filter = ["audience", "is_published"]
    list_editable = ["is_published"]
    readonly_fields = ["slug"]
    inlines = [PageTextInline]

    def has_add_permission(self, request):
        # The pages are fixed (templates link to them); `manage.py load_desk_content` creates them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FaqItem)
class FaqItemAdmin(_WithTexts):
    list_display = ["key", "audience", "order", "is_published"]
    list_filter = ["audience", "is_published"]
    list_editable = ["order", "is_published"]
    search_fields = ["key", "texts__question"]
    inlines = [FaqTextInline]
