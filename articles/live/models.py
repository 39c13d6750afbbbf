"""Live coverage of an article, its entries, and the correction and update notes of articles.

Written only through `articles.live.actions`; read by readers only through the `public()`
querysets of `articles.live.queries`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.live.queries import CorrectionQuerySet, LiveEntryQuerySet


class LiveCoverage(models.Model):
    """An article made live: it gains timestamped entries, one of them pinned, until the
    coverage ends. `changed_at` moves on with every change readers could see in it (the poll
    endpoint's version)."""

    class State(models.TextChoices):
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="live",
        verbose_name=_("article"),
    )
    state = models.CharField(
        _("state"), max_length=5, choices=State.choices, default=State.LIVE, db_index=True
    )
    started_at = models.DateTimeField(_("coverage start"))
    ended_at = models.DateTimeField(_("coverage end"), null=True, blank=True)
    pinned_entry = models.ForeignKey(
        "articles.LiveEntry",
        verbose_name=_("pinned entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("last change"))

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverages")

    def __str__(self):
        return f"{self.article_id}: {self.get_state_display()}"

    @property
    def is_live(self) -> bool:
        return self.state == self.State.LIVE


class LiveEntry(models.Model):
    """One timestamped entry of a live coverage. Readers see it once published and until it
    is deleted. A deleted entry keeps its row (marked `deleted_at`, never shown again) so that
    polls can tell open pages to remove it; its text also stays in the article's revisions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="live_entries",
        verbose_name=_("article"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    key_event = models.BooleanField(
        _("key event"), default=False, help_text=_("Listed in the key events at the top.")
    )
    headline = models.CharField(
        _("headline"),
        max_length=200,
        blank=True,
        help_text=_("Required for a key event: the line shown in the key events."),
    )
    body = models.TextField(_("text"), blank=True)
    image = models.ImageField(_("image"), upload_to="live/%Y/%m/", blank=True)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    author = models.ForeignKey(
        "articles.Author",
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
    )
    # When readers first saw it: set when the entry is first published, never moved after.
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"))
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        indexes = [
            models.Index(
                fields=["article", "-posted_at", "-id"],
                name="live_entry_public_idx",
                condition=Q(status="published", deleted_at__isnull=True),
            ),
            models.Index(fields=["article", "-updated_at"], name="live_entry_changed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(posted_at__isnull=False),
                name="published_live_entry_has_time",
            ),
        ]

    def __str__(self):
        return self.headline or f"#{self.pk}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#entry-{self.pk}"


class Correction(models.Model):
    """A note shown on an article: a correction (تصحيح) or an update (تحديث), dated. Appended
    only: a wrong note is put right by another one."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("article"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"))
    noted_at = models.DateTimeField(_("time"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["noted_at", "id"]
        verbose_name = _("correction or update note")
        verbose_name_plural = _("corrections and update notes")
        indexes = [
            models.Index(fields=["kind", "-noted_at", "-id"], name="correction_recent_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"
