"""The desk's agency pages: the feeds (with each feed's health), the incoming queue (items
grouped by story, newest first, filterable by agency, section and language; an editor opens a
group and picks the version to work from), and the new agency versions waiting for an editor
(a diff to accept or dismiss)."""

import os

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.agency import versions
from articles.agency.models import AgencyFeed, AgencyStory, IncomingItem, StoryGroup
from articles.desk import workflow

KILL_NOTICE_WINDOW = timezone.timedelta(days=2)


def health_line(feed: AgencyFeed) -> str:
    """ "Last success …, last error … (reason), N items today": the feed's state at a glance."""

    def when(moment):
        return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else "—"

    parts = [gettext("last success: %(when)s") % {"when": when(feed.last_success_at)}]
    if feed.last_error_at:
        parts.append(
            gettext("last error: %(when)s (%(reason)s)")
            % {"when": when(feed.last_error_at), "reason": feed.last_error.splitlines()[0][:120]}
        )
    parts.append(gettext("items today: %(count)d") % {"count": feed.items_today()})
    if feed.failures:
        parts.append(gettext("failures in a row: %(count)d") % {"count": feed.failures})
    return "؛ ".join(parts)


class AgencyFeedForm(forms.ModelForm):
    url = forms.URLField(label=_("feed URL"), max_length=500, required=False, assume_scheme="https")
    password = forms.CharField(
        label=_("password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored password."),
    )

    class Meta:
        model = AgencyFeed
        fields = [
            "name",
            "kind",
            "url",
            "folder",
            "username",
            "password",
            "interval_minutes",
            "section",
            "source",
            "publish",
            "active",
        ]

    def clean_password(self):
        return self.cleaned_data.get("password") or (
            self.instance.password if self.instance.pk else ""
        )

    def clean_interval_minutes(self):
        minutes = self.cleaned_data["interval_minutes"]
        if minutes < 1:
            raise forms.ValidationError(_("Poll at most once a minute."))
        return minutes

    def clean(self):
        cleaned = super().clean()
        folder = cleaned.get("folder")
        if cleaned.get("kind") == AgencyFeed.Kind.FOLDER and folder and not os.path.isdir(folder):
            self.add_error("folder", _("No such folder on the server."))
        return cleaned


@admin.register(AgencyFeed)
class AgencyFeedAdmin(admin.ModelAdmin):
    form = AgencyFeedForm
    list_display = ["name", "kind", "active", "publish", "health", "next_poll_at"]
    list_filter = ["kind", "active"]
    readonly_fields = ["health", "last_error", "next_poll_at"]
    actions = ["poll_now"]

    def get_fields(self, request, obj=None):
        fields = list(AgencyFeedForm.Meta.fields)
        return [*fields, "health", "last_error", "next_poll_at"] if obj else fields

    @admin.display(description=_("health"))
    def health(self, obj):
        return health_line(obj)

    @admin.action(description=_("Poll the selected feeds now"))
    def poll_now(self, request, queryset):
        from articles.agency.tasks import poll_agency_feed

        ids = list(queryset.filter(active=True).values_list("pk", flat=True))
        for pk in ids:
            transaction.on_commit(lambda pk=pk: poll_agency_feed.enqueue(pk))
        self.message_user(
            request,
            ngettext("%(count)d feed will be polled.", "%(count)d feeds will be polled.", len(ids))
            % {"count": len(ids)},
        )


class _ItemsFilter(admin.SimpleListFilter):
    """Groups with at least one item matching (agency, section, language)."""

    field = ""

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"items__{self.field}": self.value()}).distinct()
        return queryset


class _RelatedItemsFilter(_ItemsFilter):
    """Items by a related object (`relation`), offered by name: the ones items point at."""

    relation = ""

    def __init__(self, *args, **kwargs):
        self.field = f"{self.relation}_id"
        super().__init__(*args, **kwargs)

    def lookups(self, request, model_admin):
        name = f"{self.relation}__name"
        rows = (
            IncomingItem.objects.filter(**{f"{self.relation}__isnull": False})
            .values_list(self.field, name)
            .distinct()
            .order_by(name)
        )
        return [(str(pk), label) for pk, label in rows]


class AgencyFilter(_RelatedItemsFilter):
    title = _("agency")
    parameter_name = "agency"
    relation = "agency"


class SectionFilter(_RelatedItemsFilter):
    title = _("section")
    parameter_name = "section"
    relation = "section"


class LanguageFilter(_ItemsFilter):
    title = _("language")
    parameter_name = "language"
    field = "language"

    def lookups(self, request, model_admin):
        names = {"ar": _("Arabic"), "en": _("English")}
        codes = IncomingItem.objects.exclude(language="").values_list("language", flat=True)
        return [(code, names.get(code, code)) for code in sorted(set(codes.distinct()))]


@admin.register(StoryGroup)
class IncomingQueueAdmin(admin.ModelAdmin):
    """The incoming queue: one row per story (its items from every agency), newest first."""

    list_display = [
        "headline",
        "agencies",
        "item_count",
        "languages",
        "last_item",
        "picked_version",
    ]
    list_filter = [AgencyFilter, SectionFilter, LanguageFilter]
    list_per_page = 50
    change_list_template = "admin/articles/agency/queue.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(item_count=Count("items", distinct=True), last_item=Max("items__received_at"))
            .filter(item_count__gt=0)
            .prefetch_related("items__agency")
            .order_by("-last_item", "-pk")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("headline"))
    def headline(self, obj):
        items = sorted(obj.items.all(), key=lambda item: item.received_at, reverse=True)
        return format_html('<span dir="auto">{}</span>', items[0].headline if items else "—")

    @admin.display(description=_("agencies"))
    def agencies(self, obj):
        names = {item.agency.name for item in obj.items.all() if item.agency}
        return "، ".join(sorted(names)) or "—"

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.display(description=_("languages"))
    def languages(self, obj):
        return " ".join(sorted({item.language for item in obj.items.all() if item.language}))

    @admin.display(description=_("last item"), ordering="last_item")
    def last_item(self, obj):
        return date_format(timezone.localtime(obj.last_item), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("picked"), boolean=True)
    def picked_version(self, obj):
        return obj.picked_id is not None

    def changelist_view(self, request, extra_context=None):
        since = timezone.now() - KILL_NOTICE_WINDOW
        kills = (
            IncomingItem.objects.filter(
                killed=True,
                received_at__gte=since,
                article__in=workflow.visible_articles(request.user),
            )
            .select_related("article", "agency")
            .order_by("-received_at")[:20]
        )
        pending = AgencyStory.objects.filter(
            pending__isnull=False, article__in=workflow.visible_articles(request.user)
        ).count()
        context = {
            "title": gettext("Incoming agency queue"),
            "kills": kills,
            "pending_versions": pending,
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/pick/<int:item_id>/",
                wrap(self.pick_view),
                name="articles_storygroup_pick",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The group: every item, newest first, each with its text and a "work from this
        version" button."""
        group = self.get_object(request, unquote(object_id))
        if group is None or not self.has_view_permission(request, group):
            raise Http404
        items = group.items.select_related("agency", "feed", "article").order_by("-received_at")
        visible = set(
            workflow.visible_articles(request.user)
            .filter(pk__in=[item.article_id for item in items if item.article_id])
            .values_list("pk", flat=True)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("One story from the agencies"),
            "group": group,
            "items": [(item, item.article_id in visible) for item in items],
            "can_pick": request.user.has_perm("articles.change_article"),
        }
        return TemplateResponse(request, "admin/articles/agency/group.html", context)

    def pick_view(self, request, object_id, item_id):
        if request.method != "POST":
            raise Http404
        group = get_object_or_404(StoryGroup, pk=unquote(object_id))
        item = get_object_or_404(IncomingItem, pk=item_id, group=group)
        article = item.article
        if article is None or not workflow.can_edit(request.user, article):
            raise PermissionDenied
        group.picked = item
        group.save(update_fields=["picked"])
        self.message_user(
            request,
            gettext("You are working from the version of %(agency)s.")
            % {"agency": item.agency.name if item.agency else item.guid or item.headline},
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)


@admin.register(AgencyStory)
class AgencyVersionAdmin(admin.ModelAdmin):
    """New agency versions of articles an editor has touched: read the diff, accept or dismiss."""

    list_display = ["article_title", "guid", "version", "pending_correction", "received"]
    list_select_related = ["article", "pending"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).filter(pending__isnull=False)
        return queryset.filter(article__in=workflow.visible_articles(request.user))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("article"))
    def article_title(self, obj):
        return format_html('<span dir="auto">{}</span>', obj.article.title)

    @admin.display(description=_("received"))
    def received(self, obj):
        return date_format(timezone.localtime(obj.pending.received_at), "SHORT_DATETIME_FORMAT")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        tracked = self.get_object(request, unquote(object_id))
        if tracked is None:
            raise Http404
        if request.method == "POST":
            try:
                if "accept" in request.POST:
                    versions.accept(tracked.pk, request.user)
                    self.message_user(
                        request, gettext("The agency's new version was accepted."), messages.SUCCESS
                    )
                else:
                    versions.dismiss(tracked.pk, request.user)
                    self.message_user(request, gettext("The agency's new version was dismissed."))
            except PermissionDenied:
                raise
            return redirect("admin:articles_article_change", tracked.article_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("New agency version of “%(title)s”")
            % {"title": tracked.article.title},
            "tracked": tracked,
            "diff": versions.pending_diff(tracked),
            "can_accept": workflow.can_edit(request.user, tracked.article),
            "article_url": reverse("admin:articles_article_change", args=[tracked.article_id]),
        }
        return TemplateResponse(request, "admin/articles/agency/version.html", context)


def article_notice(article) -> dict | None:
    """What the article's change page says about its agency item: killed, or a new version
    waiting (with the page to read it)."""
    tracked = AgencyStory.objects.filter(article=article).select_related("pending").first()
    if tracked is None or not (tracked.killed_at or tracked.pending_id):
        return None
    return {
        "killed_at": tracked.killed_at,
        "pending": tracked.pending,
        "correction": tracked.pending_correction,
        "url": reverse("admin:articles_agencystory_change", args=[tracked.pk]),
    }
