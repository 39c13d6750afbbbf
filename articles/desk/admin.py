import json

import reversion
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.errors import RevertError

from articles import actions
from articles.agency import admin as agency_admin
from articles.desk import changelist, preview, revisions, workflow
from articles.desk.forms import ArticleForm
from articles.live.desk import LiveDeskMixin
from articles.models import Article, ArticleSource, Author, RelatedLink, Section, Source
from articles.wire.desk import WireImportAdminMixin

# Editors paste bare domains ("example.org"); assume https, as browsers do.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

# Django's own message, listed so that our catalogue gives its Arabic: installed apps (Django
# REST framework) translate it differently, and theirs would otherwise win over Django's.
DJANGO_MESSAGES = [gettext_noop("Enter a valid URL.")]

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # A plain choice of desk accounts: the user autocomplete needs rights over users
            # that a chief editor has no reason to hold.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "target":
            # What the field accepts and renders, not only what the autocomplete offers.
            kwargs["queryset"] = workflow.visible_articles(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DeskQueueFilter(admin.SimpleListFilter):
    title = _("desk queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("review", _("Review queue")),
            ("scheduled", _("Scheduled")),
            ("mine", _("My articles")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(status=Article.Status.REVIEW).order_by("updated_at")
        if self.value() == "scheduled":
            return queryset.scheduled().order_by("published_at")
        if self.value() == "mine":
            return queryset.filter(created_by=request.user)
        return queryset


@admin.register(Article)
class ArticleAdmin(LiveDeskMixin, WireImportAdminMixin, TabbedTranslationAdmin):
    """The editors' desk. Roles (articles.desk.workflow) are enforced here on the server: what a
    user may see, edit, publish and restore, whatever the browser posts."""

    form = ArticleForm
    # Status, "on the site", "scheduled" and "breaking" share one column: the headline gets
    # the room (articles/desk/changelist.py, static/css/desk.css).
    list_display = ["title", changelist.status_line, "section", "published_at", "created_by"]
    list_filter = [DeskQueueFilter, "status", "breaking", "section", "published_at"]
    list_select_related = ["section", "created_by"]
    search_fields = ["title_ar", "title_en", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["section", "authors"]
    inlines = [ArticleSourceInline, RelatedLinkInline]
    actions = ["publish_selected", "unpublish_selected"]

    class Media:
        css = {"all": ["css/desk.css"]}

    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "expected_version"]}),
        (
            _("Lead image"),
            {
                "fields": [
                    "lead_image",
                    ("lead_image_focal_x", "lead_image_focal_y"),
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        (_("Filing"), {"fields": ["section", "authors", "tags"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "breaking",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "workflow_log",
                ]
            },
        ),
    ]

    # --- who sees and edits what ---

    def get_queryset(self, request):
        return workflow.visible_articles(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or workflow.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = ["created_by", "created_at", "updated_at", "workflow_log"]
        if not workflow.can_publish(request.user):
            fields.append("published_at")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"desk_user": request.user})

    # --- saving: workflow, version, revision ---

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            revisions.keep_the_original(object_id)
        # One revision per save, added by save_related once inlines and tags are saved.
        with reversion.create_revision(manage_manually=True):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        before = form.initial_status() if change else None
        if not workflow.is_allowed_move(
            before, obj.status, can_publish=workflow.can_publish(request.user)
        ):
            raise PermissionDenied
        if not change:
            obj.created_by = request.user
        form.status_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        message = self.construct_change_message(request, form, formsets, add=not change)
        comment = LogEntry(change_message=json.dumps(message)).get_change_message()
        actions.desk_saved(
            form.instance,
            form.status_before,
            request.user,
            comment or gettext("Saved."),
            new_lead_image=bool(actions.LEAD_IMAGE_FIELDS & set(form.changed_data)),
        )

    # --- what the change form shows ---

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            opts = self.opts
            context["preview_url"] = preview.preview_url(obj)
            context["revisions_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_revisions", args=[obj.pk]
            )
            context["agency_notice"] = agency_admin.article_notice(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("Workflow log"))
    def workflow_log(self, obj):
        if obj is None or not obj.pk:
            return "-"
        changes = obj.status_changes.select_related("changed_by")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(change.changed_at).strftime("%Y-%m-%d %H:%M"),
                    change.changed_by or "-",
                    change.get_from_status_display() or "-",
                    change.get_to_status_display(),
                )
                for change in changes
            ),
        )
        return format_html(
            '<table class="workflow-log"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("at"),
            _("by"),
            _("from"),
            _("to"),
            rows,
        )

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    # --- bulk actions ---

    @admin.action(description=_("Publish the selected articles now"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        done = 0
        for article in queryset:
            if article.is_public:
                continue
            actions.publish_now(article, request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        done = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            actions.unpublish(article, request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d article unpublished.", "%(count)d articles unpublished.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    # --- revisions ---

    def get_urls(self):
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/",
                wrap(self.revisions_view),
                name=f"{name}_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                wrap(self.restore_view),
                name=f"{name}_restore",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def revisions_view(self, request, object_id):
        obj = self._article_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": gettext("Revisions of “%(title)s”") % {"title": obj.title},
            "entries": revisions.history(obj)[:50],
            "can_restore": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, version_id):
        return require_POST(self._restore)(request, object_id, version_id)

    def _restore(self, request, object_id, version_id):
        obj = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(revisions.versions_of(obj), pk=version_id)
        try:
            revisions.restore(obj, version, request.user)
        except RevertError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("The revision was restored and saved as a new revision."),
                messages.SUCCESS,
            )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
