"""The desk's wire import: paste agency copy or upload .txt/.json files, check the
parse, then save drafts. Same code path as ``manage.py import_wire``
(``articles.wire.importer.WireImporter``)."""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.desk import workflow
from articles.models import Article, Section
from articles.wire.credits import split_tags
from articles.wire.decoding import decode_wire
from articles.wire.detect import parse_items
from articles.wire.importer import WireImporter, WireImportError
from articles.wire.story import MAX_WIRE_BYTES, WireParseError

# Several pasted stories are separated by a line of three or more dashes.
_STORY_SEPARATOR = re.compile(r"^[ \t]*-{3,}[ \t]*$", re.MULTILINE)
MAX_STORIES = 50  # per import from the desk: pasted stories and files together
STALE_PREVIEW = _("The preview is out of date; start again.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".txt,.json,.xml,text/plain"})
        )
        kwargs.setdefault("allow_empty_file", True)  # the parser explains what is wrong
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class WireImportForm(forms.Form):
    text = forms.CharField(
        label=_("Wire text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "dir": "auto", "class": "vLargeTextField"}),
        help_text=_(
            "Paste a story: headline first, then the credit line, then the paragraphs. "
            "Separate several stories with a line of three dashes (---)."
        ),
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_(
            "Plain-text wire stories (.txt), IPTC ninjs items (.json), NewsML-G2 or NITF (.xml)."
        ),
    )
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.all(), required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Comma-separated, added to every article."),
    )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("files"):
            raise forms.ValidationError(_("Paste a story or choose at least one file."))
        if len(self.items()) > MAX_STORIES:
            raise forms.ValidationError(
                _("At most %(count)d stories at a time.") % {"count": MAX_STORIES}
            )
        return cleaned

    def items(self) -> list[tuple[str, str | bytes]]:
        """(label, content) for every pasted story and uploaded file."""
        if hasattr(self, "_items"):
            return self._items
        items = []
        text = self.cleaned_data.get("text") or ""
        chunks = [chunk for chunk in _STORY_SEPARATOR.split(text) if chunk.strip()]
        for number, chunk in enumerate(chunks, 1):
            label = _("Pasted story %(number)d") % {"number": number}
            items.append((str(label), chunk))
        for upload in self.cleaned_data.get("files") or []:
            items.append((upload.name, upload.read(MAX_WIRE_BYTES + 1)))
        self._items = items
        return items


class PreviewJSONField(forms.JSONField):
    """JSON carried through the preview's hidden fields: bounded in size, and any nesting a
    forged form might send (thousands of brackets deep) is a form error, never a crash."""

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 4 * MAX_WIRE_BYTES * MAX_STORIES:
            raise forms.ValidationError(STALE_PREVIEW, code="too_large")
        try:
            return super().to_python(value)
        except RecursionError as error:
            raise forms.ValidationError(STALE_PREVIEW, code="too_deep") from error


class WireConfirmForm(forms.Form):
    """Carries the checked texts from the preview to the save, decoded."""

    labels = PreviewJSONField(widget=forms.HiddenInput)
    texts = PreviewJSONField(widget=forms.HiddenInput)
    section = forms.ModelChoiceField(
        queryset=Section.objects.all(), required=False, widget=forms.HiddenInput
    )
    tags = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        labels, texts = cleaned.get("labels"), cleaned.get("texts")
        valid = (
            isinstance(labels, list)
            and isinstance(texts, list)
            and len(labels) == len(texts) <= MAX_STORIES
            and all(isinstance(x, str) for x in labels + texts)
        )
        if not valid:
            raise forms.ValidationError(STALE_PREVIEW)
        return cleaned


class WireImportAdminMixin:
    """Adds "Import wire copy" to the article changelist (see ArticleAdmin)."""

    change_list_template = "admin/articles/wire_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.wire_import_view)
        return [
            path("import-wire/", view, name="articles_article_import_wire"),
            *super().get_urls(),
        ]

    def wire_import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "save" in request.POST:
            return self._save(request)
        form = WireImportForm(request.POST or None, request.FILES or None)
        previews, confirm = [], None
        if request.method == "POST" and form.is_valid():
            importer = WireImporter(section=form.cleaned_data["section"])
            labels, texts = [], []
            for label, content in form.items():
                entries = _preview(importer, label, content, request.user)
                previews += entries
                if entries[0]["text"] is not None:
                    labels.append(label)
                    texts.append(entries[0]["text"])
            if texts:
                confirm = WireConfirmForm(
                    initial={
                        "labels": labels,
                        "texts": texts,
                        "section": form.cleaned_data["section"],
                        "tags": form.cleaned_data["tags"],
                    }
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import wire copy"),
            "opts": self.model._meta,
            "form": form,
            "previews": previews,
            "confirm": confirm,
            "tags": split_tags(form.data.get("tags", "")) if form.is_bound else [],
        }
        return TemplateResponse(request, "admin/articles/wire_import.html", context)

    def _save(self, request):
        confirm = WireConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, _("The preview is out of date; start again."))
            return redirect("admin:articles_article_import_wire")
        data = confirm.cleaned_data
        importer = WireImporter(
            section=data["section"], tags=split_tags(data["tags"]), user=request.user
        )
        created, existing, changed = [], [], []
        for label, text in zip(data["labels"], data["texts"], strict=True):
            try:
                results = importer.import_items(text, name=label)
            except (WireParseError, WireImportError) as error:
                messages.error(request, f"{label}: {error.reason}")
                continue
            for result in results:
                kind = {"created": created, "exists": existing}.get(result.status, changed)
                kind.append(result.article_id)
        if changed:
            messages.info(
                request,
                ngettext(
                    "%(count)d article changed by a new agency version or kill notice "
                    "(see the incoming queue).",
                    "%(count)d articles changed by new agency versions or kill notices "
                    "(see the incoming queue).",
                    len(changed),
                )
                % {"count": len(changed)},
            )
        if created:
            messages.success(
                request,
                ngettext("Saved %(count)d draft.", "Saved %(count)d drafts.", len(created))
                % {"count": len(created)},
            )
        if existing:
            messages.warning(
                request,
                ngettext(
                    "%(count)d story was imported before; nothing was changed.",
                    "%(count)d stories were imported before; nothing was changed.",
                    len(existing),
                )
                % {"count": len(existing)},
            )
        if len(created) == 1:
            return redirect("admin:articles_article_change", created[0])
        changelist = reverse("admin:articles_article_changelist")
        return redirect(f"{changelist}?status__exact={Article.Status.DRAFT}")


def _preview(importer: WireImporter, label: str, content: str | bytes, user) -> list[dict]:
    """The parse of each item of a file or pasted story, or its error; the first entry's
    ``text`` is what the save step re-imports (all the items of it together)."""
    try:
        text = decode_wire(content) if isinstance(content, bytes) else content
        items = parse_items(text, label)
    except WireParseError as error:
        return [{"label": label, "error": error.reason, "text": None}]
    visible = workflow.visible_articles(user)
    entries = []
    for number, item in enumerate(items, 1):
        entries.append(
            {
                "label": f"{label} ({number}/{len(items)})" if len(items) > 1 else label,
                "preview": importer.preview(item.story, visible=visible) if item.story else None,
                "item": item,
                "text": None,
                "error": "",
            }
        )
    entries[0]["text"] = text
    return entries
