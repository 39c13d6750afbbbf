"""The desk's article form: rich-text body, checked lead image, workflow rules and the
optimistic lock. Every rule here is enforced on the server, whatever the browser sends."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from articles import actions
from articles.desk import revisions, workflow
from articles.desk.focal_point import FocalPointField, FocalPointInput
from articles.live.forms import ArticleNoteFields
from articles.media import images
from articles.models import Article
from articles.slugs import tag_names_without_slug
from articles.text.sanitize import clean_html

# What the editor offers; tests/test_sanitize.py checks it all survives the allow-list.
BODY_EDITOR_EXTENSIONS = {
    "Paragraph": True,
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    # No "list properties" dialog: the start number and numbering style it sets are attributes
    # the sanitiser drops, so an editor's choice would be silently lost on save.
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    "Menu": True,
    # Ours (static/js/prose-editor-labels.js): the menu's titles in the desk's language.
    "DeskLabels": True,
}

BODY_FIELDS = ("body_ar", "body_en")


class LeadImageField(forms.ImageField):
    """Checks the upload with articles.media.images before Django's own check, so a bomb or a
    fake image gets our clear message; the file stored is the cleaned one."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        cleaned = images.clean_upload(data)
        return super().to_python(cleaned)


class ArticleForm(ArticleNoteFields, forms.ModelForm):
    # The version the editor started from; a save based on an older one is refused.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set by ArticleAdmin.get_form for the request's user.
    desk_user = None

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin picks the fields from its fieldsets
        field_classes = {
            "lead_image": LeadImageField,
            "lead_image_focal_x": FocalPointField,
            "lead_image_focal_y": FocalPointField,
        }
        widgets = {
            "lead_image_focal_x": FocalPointInput("x"),
            "lead_image_focal_y": FocalPointInput("y"),
        }

    class Media:
        # The tags field suggests an existing spelling of a tag being typed (articles/tags/).
        js = ["js/tag-suggest.js"]
        css = {"all": ["css/desk-tags.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in BODY_FIELDS:
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = ProseEditorFormField(
                    label=old.label,
                    required=False,
                    help_text=old.help_text,
                    config={"extensions": BODY_EDITOR_EXTENSIONS},
                    sanitize=clean_html,
                    # keep modeltranslation's classes, so the body sits in its language tab
                    widget=AdminProseEditorWidget(attrs=old.widget.attrs),
                )
        if "tags" in self.fields:
            self.fields["tags"].widget.attrs.update(
                {
                    "data-tag-suggest-url": reverse("admin:taggit_tag_suggest"),
                    "data-tag-suggest-label": _("A tag like “%s” already exists:"),
                    "data-tag-suggest-use": _("%(name)s (%(count)s articles)"),
                }
            )
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version
        elif self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        if "status" in self.fields and self.desk_user is not None:
            allowed = workflow.allowed_statuses(
                self.instance.status if self.instance.pk else None,
                can_publish=workflow.can_publish(self.desk_user),
            )
            self.fields["status"].choices = [
                (value, label) for value, label in Article.Status.choices if value in allowed
            ]

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []
        bad = tag_names_without_slug(names)
        if bad:
            raise forms.ValidationError(
                _("“%(name)s” has no letter or digit; a tag needs at least one.")
                % {"name": bad[0]},
                code="tag_without_letters",
            )
        return names

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_version(cleaned)
        self._check_move(cleaned)
        return cleaned

    def _check_version(self, cleaned):
        """Lock the row for the rest of the save and refuse a save based on an older version."""
        expected = cleaned.get("expected_version")
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is None:
            return
        if expected is None or expected != current:
            raise forms.ValidationError(self._stale_message(), code="stale")
        actions.bump_version(self.instance, current)

    def _check_move(self, cleaned):
        if self.desk_user is None or "status" not in cleaned:
            return
        before = self.initial_status()
        target = cleaned["status"]
        if not workflow.is_allowed_move(
            before, target, can_publish=workflow.can_publish(self.desk_user)
        ):
            self.add_error(
                "status",
                forms.ValidationError(
                    _("You may not move this article to “%(status)s”.")
                    % {"status": Article.Status(target).label},
                    code="move_not_allowed",
                ),
            )

    def initial_status(self):
        if not self.instance.pk:
            return None
        return Article.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()

    def _stale_message(self):
        updated_at = (
            Article.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
        )
        latest = revisions.versions_of(self.instance).first()
        who = latest.revision.user if latest and latest.revision.user else None
        values = {
            "who": who.get_full_name() or who.get_username() if who else "",
            "time": date_format(timezone.localtime(updated_at), "DATETIME_FORMAT"),
        }
        if who:
            text = _(
                "%(who)s saved this article at %(time)s, after you opened it. Your changes were "
                "NOT saved; they are still below. Copy what you need, open the article again "
                "and add your changes to the newer version."
            )
        else:
            text = _(
                "Someone else saved this article at %(time)s, after you opened it. Your changes "
                "were NOT saved; they are still below. Copy what you need, open the article "
                "again and add your changes to the newer version."
            )
        return text % values
