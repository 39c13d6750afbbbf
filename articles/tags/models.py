"""What the desk's tag clean-up keeps: the old slugs of renamed and merged tags (their pages
and feeds answer 301 to the tag that took them over), and the log of every rename, merge and
delete (who, when, what)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class TagRedirect(models.Model):
    """/tag/<old_slug>/ and /feeds/tag/<old_slug>/ answer 301 to `tag`'s. A live tag's own
    slug always wins over a redirect (articles.tags.redirects)."""

    old_slug = models.CharField(_("old slug"), max_length=100, unique=True)
    tag = models.ForeignKey(
        "taggit.Tag",
        verbose_name=_("tag"),
        on_delete=models.CASCADE,  # a deleted tag's old addresses go with it: 404
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag redirect")
        verbose_name_plural = _("tag redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.tag_id}"


class TagChange(models.Model):
    """One rename, merge or delete of tags made at the desk, kept for auditing."""

    class Kind(models.TextChoices):
        RENAME = "rename", _("Renamed")
        MERGE = "merge", _("Merged")
        DELETE = "delete", _("Deleted")

    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    # The tag that remains (renamed, or the merge's survivor); empty for a delete.
    tag = models.ForeignKey(
        "taggit.Tag",
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tag_name = models.CharField(_("tag name"), max_length=100, blank=True)
    # The names and slugs that went away (merged or deleted tags, or the name before a rename).
    old_names = ArrayField(models.CharField(max_length=100), verbose_name=_("old names"))
    old_slugs = ArrayField(models.CharField(max_length=100), verbose_name=_("old slugs"))
    articles = models.PositiveIntegerField(_("articles concerned"), default=0)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("tag change")
        verbose_name_plural = _("tag changes")

    def __str__(self):
        return f"{self.get_kind_display()}: {'، '.join(self.old_names)} → {self.tag_name}"
