from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articles.querysets import (
    ArticleQuerySet,
    CreditQuerySet,
    PublicationRule,
    ShownContentQuerySet,
)
from articles.slugs import free_slug, unicode_slug  # noqa: F401 (the slug rule, importable here)
from newsroom.reverse_cache import cached_reverse

http_url_validator = URLValidator(schemes=["http", "https"])


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ShownContentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from articles import actions

        actions.section_changed()

    def get_absolute_url(self):
        return cached_reverse("articles:section", self.slug)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from articles import actions

        actions.section_changed()
        return result


class Author(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, allow_unicode=True)
    bio = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("desk account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    objects = ShownContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from articles import actions

        actions.shown_content_changed()

    def get_absolute_url(self):
        return cached_reverse("articles:author", self.slug)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from articles import actions

        actions.shown_content_changed()
        return result


class Source(models.Model):
    """An agency or outlet credited on articles, known under several names."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, allow_unicode=True)
    aliases = ArrayField(
        models.CharField(max_length=150),
        verbose_name=_("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names for this source, separated by commas (e.g. AFP, فرانس برس)."),
    )
    url = models.URLField(_("website"), blank=True, validators=[http_url_validator])

    objects = ShownContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        created = self._state.adding
        super().save(*args, **kwargs)
        from articles import actions

        actions.source_changed(self, created=created)

    def get_absolute_url(self):
        return cached_reverse("articles:source", self.slug)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from articles import actions

        actions.shown_content_changed()
        return result


class Article(PublicationRule, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("headline"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    lead_image = models.ImageField(_("lead image"), upload_to="lead/%Y/%m/", blank=True)
    lead_image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(_("image credit"), max_length=150, blank=True)
    # The point of the lead image every crop keeps in frame, as fractions of the upright
    # image's width and height from its top left (articles/media/focal.py); the centre
    # unless an editor chose.
    lead_image_focal_x = models.FloatField(
        _("focal point across"),
        default=0.5,
        db_default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    lead_image_focal_y = models.FloatField(
        _("focal point down"),
        default=0.5,
        db_default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("authors"), blank=True, related_name="articles"
    )
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        through="ArticleSource",
        blank=True,
        related_name="articles",
    )
    tags = TaggableManager(verbose_name=_("tags"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("A future time schedules the article; it goes live by itself."),
    )
    breaking = models.BooleanField(
        _("breaking news"),
        default=False,
        db_default=False,  # bulk loads (COPY) that do not name the column get False
        help_text=_("Shown in the home page's breaking-news ticker while it is fresh."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optimistic locking: every change made at the desk moves it on (articles.actions.bump_version);
    # a desk save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Full-text search document, kept current by the write path (articles.search.index).
    search_vector = SearchVectorField(null=True, editable=False)
    # Content hash of imported wire copy, so the same text is never imported twice.
    fingerprint = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # The normalised headline (set by the write path, articles.wire.links.title_key), so read-also headlines find
    # their article whatever the hamza, ya, ta marbuta or punctuation.
    title_key = models.CharField(max_length=255, blank=True, default="", editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish articles")),
            ("change_any_article", _("Can edit articles of other desk members")),
        ]
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                name="article_public_idx",
                condition=Q(status="published"),
            ),
            models.Index(fields=["section", "-published_at"], name="article_section_idx"),
            GinIndex(fields=["search_vector"], name="article_search_idx"),
            models.Index(fields=["title_key"], name="article_title_key_idx"),
            # The breaking-news ticker (ArticleQuerySet.breaking_now): few rows, so its "fresh
            # or still live" condition never scans the published archive.
            models.Index(
                fields=["-published_at", "-id"],
                name="article_breaking_idx",
                condition=Q(breaking=True, status="published"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Saves through the write path: `articles.actions` says what happens before and after,
        all in one transaction (the row, its derived data and its webhook outbox together)."""
        from articles import actions

        using = kwargs.get("using")
        with transaction.atomic(using=using):
            pending = actions.prepare_article(
                self, using=using, update_fields=kwargs.get("update_fields")
            )
            super().save(*args, **kwargs)
            actions.article_saved(self, pending, using=using)

    def get_absolute_url(self):
        return cached_reverse("articles:detail", self.pk, self.slug)

    def delete(self, *args, **kwargs):
        return type(self).objects.filter(pk=self.pk).delete()

    def clean(self):
        super().clean()
        self.take_publication_time()

    def credit_line(self) -> str:
        """Sources in their order, as agencies write it: "وكالات - مصدر الإخبارية"."""
        return " - ".join(link.source.name for link in self.article_sources.all())


class ArticleSource(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_sources")
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("credited source")
        verbose_name_plural = _("credited sources")
        constraints = [
            models.UniqueConstraint(fields=["article", "source"], name="source_credited_once"),
        ]

    def __str__(self):
        return str(self.source)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from articles import actions

        actions.credits_changed([self.article_id])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from articles import actions

        actions.credits_changed([self.article_id])
        return result


class RelatedLink(models.Model):
    """An ordered "اقرأ أيضاً" link: to an article, to an outside URL, or a headline awaiting
    its article (shown to readers only once it resolves)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    target = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="linked_from",
    )
    url = models.URLField(
        _("outside link"), max_length=500, blank=True, validators=[http_url_validator]
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Required for an outside link, or a headline awaiting its article."),
    )
    # The normalised title, so a pending link finds its article when it arrives.
    title_key = models.CharField(max_length=255, blank=True, default="", editable=False)

    objects = ShownContentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("read-also link")
        verbose_name_plural = _("read-also links")
        indexes = [
            models.Index(
                fields=["title_key"],
                name="related_link_pending_idx",
                condition=Q(target__isnull=True, url=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="related_link_one_target",
                violation_error_message=_(
                    "Choose an article, or an outside http(s) link with its title, "
                    "or a headline awaiting its article."
                ),
                condition=(
                    Q(target__isnull=False, url="")
                    | Q(target__isnull=True, url__regex=r"^https?://", title__regex=r"\S")
                    | Q(target__isnull=True, url="", title__regex=r"\S")
                ),
            ),
            models.CheckConstraint(
                name="related_link_not_to_itself",
                condition=~Q(target=F("article")),
                violation_error_message=_("An article cannot link to itself."),
            ),
            models.UniqueConstraint(
                fields=["article", "target"],
                condition=Q(target__isnull=False),
                name="related_link_target_once",
                violation_error_message=_("This article is already linked."),
            ),
        ]

    def __str__(self):
        return self.title or (self.target.title if self.target_id else self.url)

    def save(self, *args, **kwargs):
        from articles import actions

        actions.prepare_link(self)
        super().save(*args, **kwargs)
        actions.link_changed(self.article_id)

    @property
    def is_pending(self) -> bool:
        return self.target_id is None and not self.url

    def clean(self):
        super().clean()
        self.title = self.title.strip()
        if self.target_id and self.url:
            raise ValidationError(
                _("Choose either an article or an outside link, not both."), code="two_targets"
            )
        if self.url and not self.title:
            raise ValidationError(
                {"title": _("An outside link needs a title.")}, code="url_without_title"
            )
        if not self.target_id and not self.url and not self.title:
            raise ValidationError(
                _("Choose an article, or give an outside link with its title."), code="empty"
            )
        if self.target_id and self.article_id and self.target_id == self.article_id:
            raise ValidationError(
                {"target": _("An article cannot link to itself.")}, code="self_link"
            )

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from articles import actions

        actions.link_changed(self.article_id)
        return result

    def reader_link(self):
        """(href, title) for readers, or None while the link awaits its article or the
        target is not public."""
        if self.target_id:
            if not self.target.is_public:
                return None
            return self.target.get_absolute_url(), self.target.title
        if self.url:
            return self.url, self.title
        return None


class StatusChange(models.Model):
    """One move of an article through the desk's workflow: who moved it, when, from where to where."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("from"), max_length=10, choices=Article.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=Article.Status.choices)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.get_from_status_display() or '-'} → {self.get_to_status_display()}"


from articles.agency.models import (  # noqa: E402, F401 (agency feeds, articles/agency/)
    AgencyFeed,
    AgencyStory,
    IncomingItem,
    StoryGroup,
)
from articles.api.models import ApiKey  # noqa: E402, F401 (the API keys, in articles/api/)
from articles.live.models import (  # noqa: E402, F401 (live coverage and notes, articles/live/)
    Correction,
    LiveCoverage,
    LiveEntry,
)
from articles.readership.models import (  # noqa: E402, F401 (most read, articles/readership/)
    AppliedBatch,
    HourlyReads,
    PendingRead,
)
from articles.related_postings import (  # noqa: E402, F401 (related articles' derived data)
    TagPosting,
    TagWeight,
)
from articles.tags.models import TagChange, TagRedirect  # noqa: E402, F401 (tag clean-up, articles/tags/)
from articles.tasks.models import Schedule  # noqa: E402, F401 (periodic tasks, articles/tasks/)
from articles.webhooks.models import (  # noqa: E402, F401 (webhooks, articles/webhooks/)
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
