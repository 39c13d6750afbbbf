import datetime

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of "public": published, and its time has come."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=timezone.now())

    def breaking_now(self):
        """Public breaking news still fresh: published within the last BREAKING_NEWS_HOURS."""
        since = timezone.now() - datetime.timedelta(hours=settings.BREAKING_NEWS_HOURS)
        return self.published().filter(breaking=True, published_at__gte=since)

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def in_section(self, section):
        return self.filter(section=section)

    def with_card_data(self):
        """What an article card shows: its section, without a query per card."""
        return self.select_related("section")

    def with_page_data(self):
        """Everything the article page shows, in a fixed number of queries."""
        from articles.models import ArticleSource, RelatedLink

        return self.select_related("section").prefetch_related(
            "authors",
            "tags",
            Prefetch(
                "article_sources",
                queryset=ArticleSource.objects.select_related("source").order_by("position", "id"),
            ),
            Prefetch(
                "related_links",
                queryset=RelatedLink.objects.select_related("target").order_by("position", "id"),
            ),
        )
