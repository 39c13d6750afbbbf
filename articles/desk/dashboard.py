"""The desk's dashboard (/admin/dashboard/): how today's stories do, and what waits for the desk.

- today's top stories (since midnight, the newsroom's TIME_ZONE) with their reads, each with a
  small chart of its reads per hour over the last 48 hours, and the same chart for the site;
- the editor's own drafts, articles waiting for review, scheduled articles with their times,
  and the latest publications.

Reads are those rolled up so far (articles/readership/rollup.py; the page says when). The
charts are SVG drawn on the server (`bar_chart`, pure), no script. Which articles a desk member
sees is `workflow.visible_articles`; top stories and publications are public anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import admin
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk import workflow
from articles.models import Article
from articles.readership.counting import hour_of
from articles.readership.models import HourlyReads

TOP_STORIES = 10
HOURS = 48
WAITING_SHOWN = 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    hour: object  # the hour's start (aware datetime)
    reads: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list
    peak: int
    total: int


def hourly_series(rows, last_hour, hours: int = HOURS) -> list[tuple]:
    """[(hour, reads)] for the `hours` hours ending with `last_hour`, oldest first, zeros
    where `rows` ((hour, reads) pairs) has nothing."""
    found: dict = {}
    for hour, reads in rows:
        found[hour] = found.get(hour, 0) + reads
    first = last_hour - timedelta(hours=hours - 1)
    return [
        (first + timedelta(hours=i), found.get(first + timedelta(hours=i), 0)) for i in range(hours)
    ]


def bar_chart(series, *, width: int = 240, height: int = 40, gap: float = 1.0) -> Chart:
    """Bars for an SVG of `width` × `height`, one per (hour, reads), oldest on the left; the
    tallest bar fills the height, an hour with reads is at least 1 unit tall."""
    peak = max((reads for _, reads in series), default=0)
    step = width / max(len(series), 1)
    bars = []
    for i, (hour, reads) in enumerate(series):
        tall = 0.0 if not peak else max(height * reads / peak, 1.0 if reads else 0.0)
        bars.append(
            Bar(
                x=round(i * step, 2),
                y=round(height - tall, 2),
                width=round(max(step - gap, 0.5), 2),
                height=round(tall, 2),
                hour=hour,
                reads=reads,
            )
        )
    return Chart(width, height, bars, peak, sum(reads for _, reads in series))


def top_stories(since, limit: int = TOP_STORIES):
    """Public articles by their reads since `since`, most read first."""
    return list(
        Article.objects.published()
        .filter(hourly_reads__hour__gte=since)
        .annotate(reads=Sum("hourly_reads__reads"))
        .select_related("section")
        .only(
            "pk",
            "slug",
            "title_ar",
            "title_en",
            "published_at",
            "section__name_ar",
            "section__name_en",
        )
        .order_by("-reads", "-published_at")[:limit]
    )


def dashboard(request):
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    last_hour = hour_of(now)
    first_hour = last_hour - timedelta(hours=HOURS - 1)
    stories = top_stories(midnight)
    per_story: dict = {}
    recent = HourlyReads.objects.filter(hour__gte=first_hour)
    for article_id, hour, reads in recent.filter(
        article_id__in=[story.pk for story in stories]
    ).values_list("article_id", "hour", "reads"):
        per_story.setdefault(article_id, []).append((hour, reads))
    site_rows = recent.values("hour").annotate(total=Sum("reads")).values_list("hour", "total")
    visible = workflow.visible_articles(request.user)
    context = {
        **admin.site.each_context(request),
        "title": _("Desk dashboard"),
        "now": now,
        "hours": HOURS,
        "site_chart": bar_chart(hourly_series(site_rows, last_hour), width=720, height=120),
        "stories": [
            (story, bar_chart(hourly_series(per_story.get(story.pk, []), last_hour)))
            for story in stories
        ],
        "my_drafts": visible.filter(created_by=request.user, status=Article.Status.DRAFT).order_by(
            "-updated_at"
        )[:WAITING_SHOWN],
        "in_review": visible.filter(status=Article.Status.REVIEW)
        .select_related("created_by")
        .order_by("updated_at")[:WAITING_SHOWN],
        "scheduled": visible.scheduled().order_by("published_at")[:WAITING_SHOWN],
        "published": Article.objects.published().newest_first()[:WAITING_SHOWN],
    }
    return TemplateResponse(request, "admin/articles/dashboard.html", context)


urlpatterns = [
    path("dashboard/", admin.site.admin_view(dashboard), name="desk_dashboard"),
]
