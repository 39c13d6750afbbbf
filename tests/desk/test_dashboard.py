"""The desk's dashboard: today's top stories with their reads and 48-hour charts, and what
waits for the desk (own drafts, review, schedule), each desk member seeing what they may."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.desk.dashboard import bar_chart, hourly_series
from articles.models import Article
from articles.readership.counting import hour_of
from articles.readership.models import HourlyReads
from tests.factories import make_article

DASHBOARD = "/admin/dashboard/"


def test_the_series_fills_48_hours_oldest_first():
    last = datetime(2026, 3, 2, 10, tzinfo=UTC)
    series = hourly_series([(last, 5), (last - timedelta(hours=47), 2), (last, 1)], last)
    assert len(series) == 48
    assert series[0] == (last - timedelta(hours=47), 2)
    assert series[-1] == (last, 6)
    assert sum(reads for _, reads in series) == 8


def test_the_chart_scales_to_its_peak():
    last = datetime(2026, 3, 2, 10, tzinfo=UTC)
    chart = bar_chart(hourly_series([(last, 40), (last - timedelta(hours=1), 1)], last), height=40)
    assert (chart.peak, chart.total, len(chart.bars)) == (40, 41, 48)
    assert chart.bars[-1].height == 40 and chart.bars[-1].y == 0
    assert chart.bars[-2].height == 1  # small, but visible
    assert chart.bars[0].height == 0
    assert chart.bars[0].x < chart.bars[-1].x  # oldest on the left
    empty = bar_chart(hourly_series([], last))
    assert empty.peak == 0 and all(bar.height == 0 for bar in empty.bars)


def reads(article, n, *, hours_ago=0):
    hour = hour_of(timezone.now()) - timedelta(hours=hours_ago)
    HourlyReads.objects.update_or_create(article=article, hour=hour, defaults={"reads": n})


@pytest.fixture
def desk(editor):
    now = timezone.now()
    stories = {
        "top": make_article("الخبر الأول اليوم", hours_ago=1),
        "second": make_article("الخبر الثاني اليوم", hours_ago=2),
        "yesterday": make_article("خبر الأمس", hours_ago=40),
        "mine": make_article("مسودتي عن الميناء", status=Article.Status.DRAFT, created_by=editor),
        "theirs": make_article("مسودة زميل", status=Article.Status.DRAFT),
        "review": make_article("خبر ينتظر المراجعة", status=Article.Status.REVIEW),
        "scheduled": make_article("خبر مجدول للغد", published_at=now + timedelta(hours=20)),
    }
    reads(stories["top"], 120)
    reads(stories["second"], 44)
    reads(stories["yesterday"], 500, hours_ago=30)
    return stories


@pytest.mark.django_db
def test_the_dashboard_shows_today_s_top_stories_with_reads_and_charts(editor_client, desk):
    response = editor_client.get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    top = page[page.index('id="top-title"') : page.index('id="drafts-title"')]
    assert top.index("الخبر الأول اليوم") < top.index("الخبر الثاني اليوم")
    assert "خبر الأمس" not in top  # read yesterday, not today
    assert "120" in top and "44" in top
    stories = response.context["stories"]
    assert [(story.title, story.reads) for story, _ in stories][:2] == [
        ("الخبر الأول اليوم", 120),
        ("الخبر الثاني اليوم", 44),
    ]
    # a 48-bar SVG per story, and one for the site
    assert page.count('<svg class="chart"') == len(stories) + 1
    svg = re.search(r"<svg.*?</svg>", top, re.S).group(0)
    assert svg.count("<rect") == 48
    assert 'role="img"' in svg and "aria-label" in svg
    site = response.context["site_chart"]
    assert site.total == 120 + 44 + 500


@pytest.mark.django_db
def test_the_dashboard_lists_what_waits_for_the_desk(editor_client, desk):
    page = editor_client.get(DASHBOARD).content.decode()
    drafts = page[page.index('id="drafts-title"') : page.index('id="review-title"')]
    assert "مسودتي عن الميناء" in drafts and "مسودة زميل" not in drafts
    review = page[page.index('id="review-title"') : page.index('id="scheduled-title"')]
    assert "خبر ينتظر المراجعة" in review
    scheduled = page[page.index('id="scheduled-title"') : page.index('id="published-title"')]
    assert "خبر مجدول للغد" in scheduled
    when = timezone.localtime(desk["scheduled"].published_at)
    assert f'datetime="{when.isoformat()}"'[:30] in scheduled
    published = page[page.index('id="published-title"') :]
    assert "الخبر الأول اليوم" in published and "خبر مجدول للغد" not in published
    assert "مسودة زميل" not in published


@pytest.mark.django_db
def test_a_reporter_sees_only_their_own_waiting_articles(client, desk, django_user_model):
    from tests.desk_forms import make_member

    reporter = make_member(django_user_model, "sami", "reporter")
    own = make_article("خبر سامي للمراجعة", status=Article.Status.REVIEW, created_by=reporter)
    client.force_login(reporter)
    page = client.get(DASHBOARD).content.decode()
    assert own.title in page
    assert "خبر ينتظر المراجعة" not in page and "خبر مجدول للغد" not in page


@pytest.mark.django_db
def test_the_dashboard_is_for_the_desk_only(client, desk):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_the_desk_s_home_links_to_the_dashboard(editor_client):
    page = editor_client.get("/admin/").content.decode()
    assert f'href="{DASHBOARD}"' in page
