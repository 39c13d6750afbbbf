"""The desk's live coverage page on an article (/admin/articles/article/<id>/live/): start and
end the coverage, post, edit, pin and delete entries, add correction and update notes.

Each form posts on its own, so an entry is posted without saving the article's form, several
editors post at once, and no entry touches the article's optimistic lock. Every change goes
through `articles.live.actions`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.live import actions
from articles.live.forms import LiveEntryForm, NoteForm
from articles.live.models import LiveCoverage, LiveEntry

ENTRIES_LISTED = 100


class LiveDeskMixin:
    """Added to ArticleAdmin: the live coverage page and its actions."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/live/", wrap(self.live_view), name="articles_article_live"),
            path(
                "<int:object_id>/live/<int:entry_id>/",
                wrap(self.live_entry_view),
                name="articles_article_live_entry",
            ),
            path(
                "<int:object_id>/live/<int:entry_id>/<str:what>/",
                wrap(require_POST(self.live_entry_action)),
                name="articles_article_live_entry_action",
            ),
            *super().get_urls(),
        ]

    # --- helpers ---

    def _live_article(self, request, object_id):
        article = self.get_object(request, str(object_id))
        if article is None:  # missing, or not one this desk member may see
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def _back(self, article):
        return redirect("admin:articles_article_live", article.pk)

    def _page(self, request, article, *, entry_form=None, note_form=None, editing=None):
        coverage = LiveCoverage.objects.filter(article=article).first()
        can_publish = actions.may_publish(request.user)
        entry_form = entry_form or LiveEntryForm(can_publish=can_publish)
        entries = (
            LiveEntry.objects.of(article)
            .filter(deleted_at__isnull=True)
            .select_related("author")
            .order_by("-updated_at", "-id")[:ENTRIES_LISTED]
            if coverage
            else []
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Live coverage: %(title)s") % {"title": article.title},
            "coverage": coverage,
            "entries": entries,
            "entry_form": entry_form,
            "editing": editing,
            "note_form": note_form or NoteForm(),
            "notes": article.corrections.order_by("-noted_at", "-id"),
            "media": self.media + entry_form.media,
            "public_url": article.get_absolute_url() if article.is_public else None,
        }
        return TemplateResponse(request, "admin/articles/article/live.html", context)

    # --- views ---

    def live_view(self, request, object_id):
        article = self._live_article(request, object_id)
        if request.method != "POST":
            return self._page(request, article)
        what = request.POST.get("do")
        try:
            if what == "start":
                actions.start_coverage(article, request.user)
                self.message_user(request, _("Live coverage started."), messages.SUCCESS)
            elif what == "end":
                actions.end_coverage(article, request.user)
                self.message_user(request, _("Live coverage ended."), messages.SUCCESS)
            elif what == "entry":
                form = LiveEntryForm(
                    request.POST,
                    request.FILES,
                    instance=LiveEntry(article=article),
                    can_publish=actions.may_publish(request.user),
                )
                if not form.is_valid():
                    return self._page(request, article, entry_form=form)
                try:
                    actions.save_entry(
                        form.instance, request.user, new_image=bool(form.instance.image)
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                    return self._page(request, article, entry_form=form)
                self.message_user(request, _("Entry saved."), messages.SUCCESS)
            elif what == "note":
                form = NoteForm(request.POST)
                if not form.is_valid():
                    return self._page(request, article, note_form=form)
                actions.add_note(
                    article, form.cleaned_data["kind"], form.cleaned_data["text"], request.user
                )
                self.message_user(request, _("Note added."), messages.SUCCESS)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return self._back(article)

    def live_entry_view(self, request, object_id, entry_id):
        article = self._live_article(request, object_id)
        entry = get_object_or_404(
            LiveEntry.objects.of(article).filter(deleted_at__isnull=True), pk=entry_id
        )
        image_before = entry.image.name
        form = LiveEntryForm(
            request.POST or None,
            request.FILES or None,
            instance=entry,
            can_publish=actions.may_publish(request.user),
        )
        if request.method == "POST" and form.is_valid():
            try:
                actions.save_entry(
                    form.instance,
                    request.user,
                    new_image=bool(form.instance.image)
                    and form.instance.image.name != image_before,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("Entry saved."), messages.SUCCESS)
                return self._back(article)
        return self._page(request, article, entry_form=form, editing=entry)

    def live_entry_action(self, request, object_id, entry_id, what):
        article = self._live_article(request, object_id)
        entry = get_object_or_404(
            LiveEntry.objects.of(article).filter(deleted_at__isnull=True), pk=entry_id
        )
        try:
            return self._entry_action(request, article, entry, what)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._back(article)

    def _entry_action(self, request, article, entry, what):
        if what == "delete":
            actions.delete_entry(entry, request.user)
            self.message_user(request, _("Entry deleted."), messages.SUCCESS)
        elif what == "pin":
            actions.pin_entry(article, entry, request.user)
            self.message_user(request, _("Entry pinned."), messages.SUCCESS)
        elif what == "unpin":
            actions.pin_entry(article, None, request.user)
            self.message_user(request, _("Entry unpinned."), messages.SUCCESS)
        else:
            raise Http404
        return self._back(article)

    # --- the article form's note for readers (articles.live.forms.ArticleNoteFields) ---

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.pk:
            fieldsets.append((_("Corrections and updates"), {"fields": ["note_kind", "note_text"]}))
        return fieldsets

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        kind = form.cleaned_data.get("note_kind")
        if change and kind:
            # Inside the desk's revision of this save: the note and the change it explains
            # are one revision.
            actions.add_note(
                form.instance, kind, form.cleaned_data["note_text"], request.user, in_revision=True
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["live_url"] = reverse("admin:articles_article_live", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)
