"""Agency feeds and what arrives through them: the feeds the desk polls, every item received
(the incoming queue, grouped by story), and for each agency item the article it made, with
what the importer last wrote there (so a later version knows whether an editor has touched
the article since)."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section, Source, http_url_validator


class AgencyFeed(models.Model):
    class Kind(models.TextChoices):
        HTTP = "http", _("HTTP(S) feed: Atom, RSS or NewsML-G2")
        FOLDER = "folder", _("Drop folder")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HTTP)
    url = models.URLField(
        _("feed URL"), max_length=500, blank=True, validators=[http_url_validator]
    )
    folder = models.CharField(
        _("drop folder"),
        max_length=500,
        blank=True,
        help_text=_("A folder on the server the agency's files are copied into."),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    password = models.CharField(
        _("password"),
        max_length=300,
        blank=True,
        help_text=_(
            "Sent with HTTP basic authentication, over HTTPS only unless the URL is local."
        ),
    )
    interval_minutes = models.PositiveSmallIntegerField(_("poll every (minutes)"), default=5)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Credited on items that name no agency."),
    )
    publish = models.BooleanField(
        _("publish at once"),
        default=False,
        help_text=_("Publish the feed's items straight from the wire instead of saving drafts."),
    )
    active = models.BooleanField(_("active"), default=True)
    # The poller's state.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    last_polled_at = models.DateTimeField(_("last poll"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency feed")
        verbose_name_plural = _("agency feeds")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.kind == self.Kind.HTTP and not self.url:
            raise ValidationError({"url": _("An HTTP(S) feed needs its URL.")})
        if self.kind == self.Kind.FOLDER and not self.folder:
            raise ValidationError({"folder": _("A drop folder needs its path.")})

    def items_today(self) -> int:
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return self.items.filter(received_at__gte=start).count()


class StoryGroup(models.Model):
    """Items that tell the same story (several agencies, or versions), found by their text."""

    created_at = models.DateTimeField(_("first seen"), default=timezone.now, db_index=True)
    picked = models.ForeignKey(
        "IncomingItem",
        verbose_name=_("picked version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("story group")
        verbose_name_plural = _("story groups")

    def __str__(self):
        first = self.items.order_by("received_at").first()
        return first.headline if first else str(self.pk)


class IncomingItem(models.Model):
    """One agency item as it arrived (a feed, import_wire or the desk): the incoming queue."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("new article")
        EXISTS = "exists", _("already imported")
        UPDATED = "updated", _("article updated")
        FLAGGED = "flagged", _("new agency version awaits the desk")
        KILLED = "killed", _("killed by the agency")

    feed = models.ForeignKey(
        AgencyFeed,
        verbose_name=_("feed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    guid = models.CharField(_("agency id"), max_length=255, blank=True)
    version = models.PositiveIntegerField(_("agency version"), default=1)
    fingerprint = models.CharField(max_length=64, editable=False)
    format = models.CharField(_("format"), max_length=10)
    language = models.CharField(_("language"), max_length=8, blank=True, db_index=True)
    headline = models.CharField(_("headline"), max_length=255, blank=True)
    agency = models.ForeignKey(
        Source, verbose_name=_("agency"), null=True, blank=True, on_delete=models.SET_NULL
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), null=True, blank=True, on_delete=models.SET_NULL
    )
    signal = models.CharField(_("signal"), max_length=12, blank=True)
    killed = models.BooleanField(_("kill notice"), default=False)
    version_created = models.DateTimeField(_("agency time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    story = models.JSONField(_("story"), null=True, blank=True, editable=False)
    signature = ArrayField(models.IntegerField(), default=list, editable=False)
    bands = ArrayField(models.IntegerField(), default=list, editable=False)
    group = models.ForeignKey(
        StoryGroup,
        verbose_name=_("story group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("incoming item")
        verbose_name_plural = _("incoming items")
        # Searched at every insert: without the pending list, which a search reads whole.
        indexes = [GinIndex(fields=["bands"], name="incoming_bands_idx", fastupdate=False)]
        constraints = [
            # The same item fetched twice is one item.
            models.UniqueConstraint(
                fields=["guid", "version"], condition=~Q(guid=""), name="incoming_guid_version"
            ),
            models.UniqueConstraint(
                fields=["fingerprint"], condition=Q(guid=""), name="incoming_fingerprint"
            ),
        ]

    def __str__(self):
        return self.headline or self.guid


class AgencyStory(models.Model):
    """An agency item (by guid) and the article it made: the latest version received, and
    what the importer last wrote there (the article's version and a hash of its text), so a
    later version updates an untouched article and waits for the desk on a touched one."""

    guid = models.CharField(_("agency id"), max_length=255, unique=True)
    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="agency_story"
    )
    version = models.PositiveIntegerField(_("latest agency version"), default=1)
    written_version = models.PositiveIntegerField(default=1, editable=False)
    written_hash = models.CharField(max_length=64, editable=False)
    pending = models.ForeignKey(
        IncomingItem,
        verbose_name=_("new agency version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pending_correction = models.BooleanField(_("correction"), default=False)
    killed_at = models.DateTimeField(_("killed by the agency"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency story")
        verbose_name_plural = _("agency stories")

    def __str__(self):
        return self.guid
