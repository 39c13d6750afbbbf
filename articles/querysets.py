import datetime

from django.conf import settings
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone

PUBLISHED = "published"  # Article.Status.PUBLISHED, named here so the rule reads on its own
# The columns no card, listing or feed item shows.
CARD_SKIPS = ("body", "body_ar", "body_en", "search_vector")


class PublicationRule:
    """When an article is public, in memory (mixed into Article); `ArticleQuerySet` says the
    same in SQL. Public: published, and its publication time has come. Scheduled: published
    with a time still ahead (it goes live by itself; no cron). Published without a time
    means now."""

    @property
    def is_public(self) -> bool:
        return (
            self.status == PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def take_publication_time(self) -> None:
        """Published with no time means now."""
        if self.status == PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()


def public_condition(prefix: str = "", *, now=None) -> Q:
    """The one definition of "public" as a condition: published, and its time has come (by
    `now`, the current time unless given). `prefix` reaches it through a relation
    ("article__" for the rows of an article)."""
    moment = timezone.now() if now is None else now
    return Q(**{f"{prefix}status": PUBLISHED, f"{prefix}published_at__lte": moment})


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """The one definition of "public": published, and its time has come (by `now`, for
        the prepared queries of newsroom/prepared.py; the current time unless given)."""
        return self.filter(public_condition(now=now))

    def scheduled(self):
        """Published with a time still ahead: public by itself when that time comes."""
        return self.filter(status=PUBLISHED, published_at__gt=timezone.now())

    def next_go_live(self):
        """When the next scheduled article becomes public, or None."""
        return self.scheduled().aggregate(next=Min("published_at"))["next"]

    def delete(self):
        """Deletes through the write path (`articles.actions.delete_articles`): tag weights,
        the page cache and lead images follow, for one article or a thousand."""
        from articles import actions

        return actions.delete_articles(self, super().delete)

    def breaking_now(self, *, now=None, since=None):
        """Public breaking news still fresh: published within the last BREAKING_NEWS_HOURS
        (`since`, from `breaking_since(now)` unless given: a prepared query passes it), or a
        breaking story whose live coverage is still running (articles/live/)."""
        now = timezone.now() if now is None else now
        if since is None:
            since = breaking_since(now)
        return (
            self.published(now=now)
            .filter(breaking=True)
            .filter(Q(published_at__gte=since) | Q(live__state="live"))
        )

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def in_section(self, section):
        return self.filter(section=section)

    def with_card_data(self, *, body=False):
        """What an article card shows: its section and its live badge, without a query per
        card; not the body (several kilobytes a row that no card shows) unless `body`, nor the
        search vector."""
        return self.select_related("section", "live").defer(
            *(("search_vector",) if body else CARD_SKIPS)
        )

    def with_bylines_and_credits(self):
        """Section, authors, tags and credited sources in order, in the same query (the
        content API's cards): the relations come as JSON arrays of each article's row and
        are stored as prefetched (articles/page_data.py)."""
        from articles.page_data import CARD_RELATIONS, with_relations

        return with_relations(self, CARD_RELATIONS)

    def with_page_data(self):
        """Everything the article page shows (section, live coverage, bylines, tags, credits,
        read-also links and their targets, correction notes) in ONE query, likewise."""
        from articles.page_data import with_relations

        return with_relations(self).select_related("live")


def breaking_since(now):
    """Breaking news published since this moment is still fresh (BREAKING_NEWS_HOURS)."""
    return now - datetime.timedelta(hours=settings.BREAKING_NEWS_HOURS)


def next_go_live():
    """For the page cache (settings.PAGE_CACHE_NEXT_CHANGE): when the next scheduled article
    becomes public, or None."""
    from articles.models import Article

    return Article.objects.next_go_live()


class CreditQuerySet(models.QuerySet):
    """Credited sources. Deleting in bulk goes through the write path like one delete does:
    the articles' search documents lose the names."""

    def delete(self):
        from articles import actions

        article_ids = list(self.order_by().values_list("article_id", flat=True).distinct())
        result = super().delete()
        actions.credits_changed(article_ids)
        return result


class ShownContentQuerySet(models.QuerySet):
    """Sections, authors, sources and read-also links: deleting in bulk goes through the
    write path like one delete does (readers' pages retire; the navigation, for sections)."""

    def delete(self):
        from articles import actions

        result = super().delete()
        actions.content_deleted(self.model)
        return result
