"""load_demo's reads: hourly counts over the last days for the demo's public articles, so a
newcomer's `make run` shows filled most-read lists and desk charts at once. Deterministic (a
popularity per article, a daily rhythm, interest fading with age) and idempotent: each hour's
count is set, not added to."""

import math
import random
from datetime import timedelta

from django.utils import timezone

from articles.readership import lists
from articles.readership.counting import hour_of
from articles.readership.models import HourlyReads

DAYS = 7


def demo_reads(article, now) -> list[tuple]:
    """[(hour, reads)] for one article from its publication (at most DAYS ago) to now."""
    rng = random.Random(article.pk * 7919)
    popularity = rng.choice([4, 8, 12, 20, 35, 60]) * (2 if article.breaking else 1)
    last = hour_of(now)
    first = max(hour_of(article.published_at), last - timedelta(days=DAYS))
    rows = []
    hour = first
    while hour <= last:
        age = (hour - first).total_seconds() / 3600
        local = timezone.localtime(hour).hour
        rhythm = 0.35 + 0.65 * math.sin(math.pi * ((local - 5) % 24) / 24) ** 2
        fading = math.exp(-age / 30)
        reads = round(popularity * rhythm * (0.15 + fading) * rng.uniform(0.7, 1.3))
        if reads:
            rows.append((hour, reads))
        hour += timedelta(hours=1)
    return rows


def load_demo_reads(articles, now=None) -> int:
    """Set the demo counts of these (public) articles; the lists are worked out again."""
    now = now or timezone.now()
    rows = [
        HourlyReads(article=article, hour=hour, reads=reads)
        for article in articles
        for hour, reads in demo_reads(article, now)
    ]
    HourlyReads.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["article", "hour"],
        update_fields=["reads"],
        batch_size=2000,
    )
    lists.refresh()
    return len(rows)
