"""The desk's tags page (/admin/taggit/tag/): every tag with its article count, likely
duplicates grouped by the Arabic tag key, rename (the change form), merge (several into one)
and delete, all through the write path (`articles.actions`); the log of those changes; and the
endpoint the article form asks for an existing spelling of a tag being typed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles import actions
from articles.slugs import unicode_slug
from articles.tags import cleanup
from articles.tags.models import TagChange

# Groups of likely duplicates shown on the tags page, and suggestions sent while typing.
DUPLICATE_GROUPS_SHOWN = 30
SUGGESTIONS_SENT = 5


class TagNameForm(forms.ModelForm):
    """A tag's name; its slug follows from it (a rename keeps the old slug as a redirect)."""

    class Meta:
        model = Tag
        fields = ["name"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not unicode_slug(name):
            raise forms.ValidationError(
                gettext("“%(name)s” has no letter or digit; a tag needs at least one.")
                % {"name": name},
                code="tag_without_letters",
            )
        others = Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                gettext("The tag “%(name)s” already exists: merge the two instead.")
                % {"name": name},
                code="tag_exists",
            )
        return name


class MergeForm(forms.Form):
    """The tags to merge and the one that remains."""

    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.all())
    survivor = forms.ModelChoiceField(
        queryset=Tag.objects.all(),
        label=_("The tag that remains"),
        error_messages={"required": _("Choose the tag that remains.")},
    )

    def clean(self):
        cleaned = super().clean()
        tags, survivor = cleaned.get("tags"), cleaned.get("survivor")
        if tags is not None and len(tags) < 2:
            raise forms.ValidationError(gettext("Choose at least two tags to merge."))
        if tags is not None and survivor is not None and survivor not in tags:
            self.add_error("survivor", gettext("The tag that remains must be one of them."))
        return cleaned


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagNameForm
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    readonly_fields = ["slug"]
    actions = ["merge_selected", "delete_selected"]
    change_list_template = "admin/taggit/tag/change_list.html"

    class Media:
        css = {"all": ["css/desk-tags.css"]}

    def get_queryset(self, request):
        return cleanup.with_article_counts(super().get_queryset(request))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    def get_fields(self, request, obj=None):
        return ["name", "slug"] if obj else ["name"]

    # --- rename and delete through the write path ---

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            stored = Tag.objects.get(pk=obj.pk)
            form.instance = actions.rename_tag(stored, obj.name, request.user)
        else:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        actions.delete_tags([obj], request.user)

    def delete_queryset(self, request, queryset):
        actions.delete_tags(list(queryset), request.user)

    # --- merge ---

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description=_("Merge the selected tags into one"), permissions=["merge"])
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:taggit_tag_merge')}?ids={ids}")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("merge/", wrap(self.merge_view), name="taggit_tag_merge"),
            path("suggest/", wrap(self.suggest_view), name="taggit_tag_suggest"),
            *super().get_urls(),
        ]

    def merge_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = MergeForm(request.POST)
            if form.is_valid():
                return self._merge(request, form)
            tags = form.cleaned_data.get("tags") or Tag.objects.none()
        else:
            ids = [part for part in request.GET.get("ids", "").split(",") if part.isdigit()]
            tags = Tag.objects.filter(pk__in=ids)
            form = MergeForm(initial={"tags": tags, "survivor": self._likely_survivor(tags)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Merge tags"),
            "form": form,
            "tags": cleanup.with_article_counts(Tag.objects.filter(pk__in=tags)).order_by(
                "-article_count", "name"
            ),
            "survivor_pk": form["survivor"].value(),
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)

    @staticmethod
    def _likely_survivor(tags):
        """The most used of the tags: the spelling editors chose most often."""
        counted = cleanup.with_article_counts(Tag.objects.filter(pk__in=tags))
        return counted.order_by("-article_count", "pk").first()

    def _merge(self, request, form):
        survivor = form.cleaned_data["survivor"]
        others = [tag for tag in form.cleaned_data["tags"] if tag.pk != survivor.pk]
        try:
            actions.merge_tags(survivor, others, request.user)
        except cleanup.TagCleanupError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                ngettext(
                    "%(count)d tag merged into “%(name)s”; its old address leads there.",
                    "%(count)d tags merged into “%(name)s”; their old addresses lead there.",
                    len(others),
                )
                % {"count": len(others), "name": survivor.name},
                messages.SUCCESS,
            )
        return redirect("admin:taggit_tag_changelist")

    # --- the page: counts, likely duplicates, recent changes ---

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "duplicate_groups": self.duplicate_groups(),
            "can_merge": self.has_merge_permission(request),
            "recent_changes": TagChange.objects.select_related("changed_by")[:10],
            "changes_url": reverse("admin:articles_tagchange_changelist"),
        }
        return super().changelist_view(request, extra_context)

    @staticmethod
    def duplicate_groups():
        """Likely duplicates: tags whose names share the Arabic tag key, biggest groups first,
        each with its article counts (most used first)."""
        groups = cleanup.duplicate_groups(Tag.objects.only("pk", "name").order_by("pk"))
        ids = [tag.pk for group in groups for tag in group]
        counted = {
            tag.pk: tag
            for tag in cleanup.with_article_counts(Tag.objects.filter(pk__in=ids)).only(
                "pk", "name", "slug"
            )
        }
        shown = [
            sorted((counted[tag.pk] for tag in group), key=lambda t: (-t.article_count, t.pk))
            for group in groups
        ]
        shown.sort(key=lambda group: -sum(tag.article_count for tag in group))
        return [
            {"tags": group, "ids": ",".join(str(tag.pk) for tag in group)}
            for group in shown[:DUPLICATE_GROUPS_SHOWN]
        ]

    # --- suggestions while typing a tag in the article form ---

    def suggest_view(self, request):
        """{"suggestions": [{"name", "articles"}]}: existing tags another spelling of what is
        being typed (?q=), most used first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        typed = request.GET.get("q", "")[:100]
        matches = cleanup.near_duplicates(typed, Tag.objects.only("pk", "name"))
        counted = (
            cleanup.with_article_counts(Tag.objects.filter(pk__in=[t.pk for t in matches]))
            .order_by("-article_count", "name")
            .values("name", "article_count")[:SUGGESTIONS_SENT]
        )
        return JsonResponse(
            {"suggestions": [{"name": t["name"], "articles": t["article_count"]} for t in counted]}
        )


@admin.register(TagChange)
class TagChangeAdmin(admin.ModelAdmin):
    """The audit log of the tag clean-up: read only."""

    list_display = ["changed_at", "kind", "old_name_list", "tag_name", "articles", "changed_by"]
    list_filter = ["kind", "changed_at"]
    search_fields = ["tag_name"]
    date_hierarchy = "changed_at"
    list_select_related = ["changed_by"]

    @admin.display(description=_("old names"))
    def old_name_list(self, obj):
        return "، ".join(obj.old_names)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
