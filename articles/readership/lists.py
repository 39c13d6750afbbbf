"""Most read in the last 24 hours and 7 days, site-wide and per section.

All the lists are worked out together in one query and kept whole in the shared cache under
one key: a page that shows any of them reads that key (no query), and only when the key is
missing does one page pay the one query that fills it again. The roll-up works them out anew
(`refresh`); when what readers see changes (which articles, in which order), the pages that
show lists retire through their page-cache dependency `most-read`. The write path
(`articles.actions.pages_showing_changed`) calls `articles_changed`: an article on a list that
is edited, unpublished or deleted empties the key and retires those pages, so no list shows
an article that is no longer public, or its old headline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import F, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from newsroom import page_dependencies

KEY = "readership:lists:v1"
DEPENDENCY = "most-read"
LISTED = 5  # articles per list
# The lists are worked out again at least this often even without a roll-up.
LIFETIME_SECONDS = 3600
PERIODS = {"day": timedelta(hours=24), "week": timedelta(days=7)}
SITE = "site"


@dataclass(frozen=True)
class Listed:
    """An article on a list, as a reader sees it (a plain value: it is cached)."""

    id: int
    slug: str
    title_ar: str
    title_en: str
    reads: int

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if get_language() == "en" and self.title_en else self.title_ar

    def get_absolute_url(self) -> str:
        from newsroom.reverse_cache import cached_reverse

        return cached_reverse("articles:detail", self.id, self.slug)


def compute(now=None) -> dict:
    """{"at": when, "lists": {(scope, period): [Listed]}} with scope SITE or a section id and
    period "day" or "week": one query."""
    from articles.models import Article

    now = now or timezone.now()
    day_since, week_since = now - PERIODS["day"], now - PERIODS["week"]
    day_reads = Coalesce(Sum("hourly_reads__reads", filter=Q(hourly_reads__hour__gte=day_since)), 0)
    order_day = [F("day_reads").desc(), F("published_at").desc(), F("pk").desc()]
    order_week = [F("week_reads").desc(), F("published_at").desc(), F("pk").desc()]
    totals = (
        Article.objects.published()
        .filter(hourly_reads__hour__gte=week_since)
        .values("pk", "slug", "title_ar", "title_en", "section_id", "published_at")
        .annotate(day_reads=day_reads, week_reads=Sum("hourly_reads__reads"))
        .annotate(
            site_day=Window(RowNumber(), order_by=order_day),
            site_week=Window(RowNumber(), order_by=order_week),
            section_day=Window(RowNumber(), partition_by=[F("section_id")], order_by=order_day),
            section_week=Window(RowNumber(), partition_by=[F("section_id")], order_by=order_week),
        )
        .order_by()
    )
    sql, params = totals.query.sql_with_params()
    ranks = "site_day, site_week, section_day, section_week"
    with connections[totals.db].cursor() as cursor:
        cursor.execute(
            f"SELECT pk, slug, title_ar, title_en, section_id, day_reads, week_reads, {ranks} "
            f"FROM ({sql}) ranked WHERE LEAST({ranks}) <= %s",
            [*params, LISTED],
        )
        rows = cursor.fetchall()
    lists: dict = {}
    for pk, slug, title_ar, title_en, section_id, day, week, *rank in rows:
        site_day, site_week, section_day, section_week = rank
        for scope, period, place, reads in (
            (SITE, "day", site_day, day),
            (SITE, "week", site_week, week),
            (section_id, "day", section_day, day),
            (section_id, "week", section_week, week),
        ):
            if scope is not None and place <= LISTED and reads > 0:
                entry = Listed(pk, slug, title_ar, title_en or "", reads)
                lists.setdefault((scope, period), []).append((place, entry))
    return {
        "at": now,
        "lists": {key: [entry for _, entry in sorted(found)] for key, found in lists.items()},
    }


def current() -> dict:
    """The lists as the cache has them, worked out (one query) when it has none."""
    found = cache.get(KEY)
    if found is None:
        found = compute()
        cache.add(KEY, found, LIFETIME_SECONDS)
    return found


def for_scope(section_id=None) -> dict:
    """{"day": [Listed], "week": [Listed]} for a section (by id), or site-wide."""
    lists = current()["lists"]
    scope = SITE if section_id is None else section_id
    return {period: lists.get((scope, period), []) for period in PERIODS}


def _shown(found) -> dict:
    """What readers see of the lists: which articles, in which order."""
    if not found:
        return {}
    return {key: [entry.id for entry in entries] for key, entries in found["lists"].items()}


def refresh() -> bool:
    """Work the lists out again (after a roll-up); True when what readers see changed, in
    which case the pages that show lists retire."""
    fresh = compute()
    old = cache.get(KEY)
    cache.set(KEY, fresh, LIFETIME_SECONDS)
    changed = _shown(old) != _shown(fresh)
    if changed:
        page_dependencies.retire(DEPENDENCY)
    return changed


def listed_ids(found) -> set:
    return {entry.id for entries in (found or {}).get("lists", {}).values() for entry in entries}


def articles_changed(article_ids) -> None:
    """Called by the write path for articles whose pages retire: if any is on a list, the
    lists are worked out again by the next page that shows them (now and at commit)."""
    ids = {int(pk) for pk in article_ids}
    if ids and ids & listed_ids(cache.get(KEY)):
        forget()
        transaction.on_commit(forget)


def forget() -> None:
    cache.delete(KEY)
    page_dependencies.retire(DEPENDENCY)
