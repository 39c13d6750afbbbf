from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from .admin_wire import WireImportAdminMixin
from .models import Article, ArticleSource, Author, RelatedLink, Section, Source

# Editors paste bare domains ("example.org"); assume https, as browsers do.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

admin.site.site_header = _("Newsroom desk")
admin.site.site_title = _("Newsroom desk")
admin.site.index_title = _("Desk")


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Author)
class AuthorAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["user"]


@admin.register(Source)
class SourceAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "alias_list"]
    search_fields = ["name_ar", "name_en", "slug", "aliases"]
    formfield_overrides = HTTPS_URLS
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=_("aliases"))
    def alias_list(self, obj):
        return "، ".join(obj.aliases)


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "position"]


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["position", "target", "url", "title"]
    formfield_overrides = HTTPS_URLS


@admin.register(Article)
class ArticleAdmin(WireImportAdminMixin, TabbedTranslationAdmin):
    list_display = ["title", "status", "section", "published_at", "public_badge"]
    list_filter = ["status", "section", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title_ar", "title_en", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["section", "authors"]
    inlines = [ArticleSourceInline, RelatedLinkInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (
            _("Lead image"),
            {"fields": ["lead_image", "lead_image_caption", "lead_image_credit"]},
        ),
        (_("Filing"), {"fields": ["section", "authors", "tags"]}),
        (_("Publication"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("on the site"), boolean=True)
    def public_badge(self, obj):
        return obj.is_public

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None
