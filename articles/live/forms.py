"""The desk's forms for live coverage: an entry, and a correction or update note."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.live.models import Correction, LiveEntry
from articles.text.sanitize import clean_html

# An entry is short: paragraphs, emphasis, lists, quotes and links.
ENTRY_EDITOR_EXTENSIONS = {
    "Paragraph": True,
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    "Menu": True,
    "DeskLabels": True,
}


class LiveEntryForm(forms.ModelForm):
    # The entry's last change when the editor opened it: an edit based on an older one is
    # refused, so two editors never overwrite each other's edit of the same entry.
    expected_updated = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LiveEntry
        # The text first: posting is typing and pressing the button.
        fields = ["body", "key_event", "headline", "image", "image_caption", "author", "status"]

    def __init__(self, *args, can_publish=True, **kwargs):
        from articles.desk.forms import LeadImageField

        super().__init__(*args, **kwargs)
        self.fields["body"] = ProseEditorFormField(
            label=_("text"),
            required=False,
            config={"extensions": ENTRY_EDITOR_EXTENSIONS},
            sanitize=clean_html,
            widget=AdminProseEditorWidget(),
        )
        self.fields["image"] = LeadImageField(label=_("image"), required=False)
        self.fields["headline"].widget.attrs.update({"dir": "auto", "class": "vLargeTextField"})
        self.fields["image_caption"].widget.attrs.update({"dir": "auto"})
        if not can_publish:
            self.fields["status"].choices = [(LiveEntry.Status.DRAFT, LiveEntry.Status.DRAFT.label)]
            self.fields["status"].initial = LiveEntry.Status.DRAFT
        if self.instance.pk and not self.is_bound:
            self.initial["expected_updated"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            from articles.live.models import LiveEntry as Entry

            current = (
                Entry.objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current and cleaned.get("expected_updated") != current.isoformat():
                raise forms.ValidationError(
                    _(
                        "Someone else changed this entry after you opened it. Your changes "
                        "were NOT saved; they are still below. Open the entry again and add "
                        "them to the newer version."
                    ),
                    code="stale",
                )
        return cleaned


class ArticleNoteFields(forms.Form):
    """The article form's note for readers, saved with the change it explains (the same save,
    the same revision): none for a spelling fix, a correction for a change of fact, or an
    update. Added to the desk's ArticleForm; saved by `LiveDeskMixin.save_related`."""

    note_kind = forms.ChoiceField(
        label=_("Note for readers"),
        required=False,
        choices=[("", _("None (a spelling or style fix)")), *Correction.Kind.choices],
        help_text=_("A correction of a fact must say so: choose “Correction” and write it."),
    )
    note_text = forms.CharField(
        label=_("Text of the note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto", "class": "vLargeTextField"}),
    )

    def clean(self):
        cleaned = super().clean()
        kind, text = cleaned.get("note_kind"), (cleaned.get("note_text") or "").strip()
        if kind and not text:
            self.add_error("note_text", _("Write the note readers will see."))
        if text and not kind:
            self.add_error("note_kind", _("Choose a correction or an update."))
        return cleaned


class NoteForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "dir": "auto"})}
