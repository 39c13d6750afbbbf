"""Most-read lists on the pages and in the API: right articles, no query on a cached page, at
most one on an uncached one, and nothing that is no longer public."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from articles.readership import lists
from articles.readership.models import HourlyReads
from articles.readership.rollup import roll_up
from tests.factories import make_article, make_section
from tests.readership.conftest import beacon, reader_client

pytestmark = pytest.mark.django_db


def reads(article, n, *, hours_ago=1):
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyReads.objects.create(
        article=article, hour=hour - timezone.timedelta(hours=hours_ago), reads=n
    )


@pytest.fixture
def newsroom():
    politics = make_section("سياسة", slug="سياسة")
    sport = make_section("رياضة", slug="رياضة")
    stories = {
        "summit": make_article("قمة عربية طارئة", section=politics),
        "vote": make_article("تصويت في البرلمان", section=politics),
        "final": make_article("نهائي الكأس الليلة", section=sport),
        "old": make_article("حوار قديم عن الاقتصاد", section=sport, hours_ago=100),
        "quiet": make_article("خبر لم يقرأه أحد", section=sport),
    }
    reads(stories["summit"], 50)
    reads(stories["vote"], 20)
    reads(stories["final"], 35)
    reads(stories["old"], 400, hours_ago=72)  # a week's best, not today's
    lists.refresh()
    return {"politics": politics, "sport": sport, **stories}


def titles(entries):
    return [entry.title for entry in entries]


def test_most_read_in_24_hours_and_7_days_site_wide_and_per_section(newsroom):
    site = lists.for_scope()
    assert titles(site["day"]) == ["قمة عربية طارئة", "نهائي الكأس الليلة", "تصويت في البرلمان"]
    assert titles(site["week"])[0] == "حوار قديم عن الاقتصاد"
    sport = lists.for_scope(newsroom["sport"].pk)
    assert titles(sport["day"]) == ["نهائي الكأس الليلة"]
    assert titles(sport["week"]) == ["حوار قديم عن الاقتصاد", "نهائي الكأس الليلة"]
    assert titles(lists.for_scope(newsroom["politics"].pk)["day"]) == [
        "قمة عربية طارئة",
        "تصويت في البرلمان",
    ]


def test_home_section_and_article_pages_show_the_lists(client, newsroom):
    home = client.get("/").content.decode()
    assert 'class="most-read most-read--block"' in home
    assert home.index("قمة عربية طارئة", home.index("most-read")) > 0
    section = client.get(newsroom["sport"].get_absolute_url()).content.decode()
    assert "most-read--aside" in section
    listed = section[section.index("most-read--aside") :]
    assert "نهائي الكأس الليلة" in listed and "قمة عربية طارئة" not in listed
    article = client.get(newsroom["quiet"].get_absolute_url()).content.decode()
    aside = article[article.index("most-read--aside") :]
    assert "قمة عربية طارئة" in aside and "حوار قديم عن الاقتصاد" in aside
    english = client.get("/en/").content.decode()
    assert "Most read" in english


def test_pages_show_no_list_while_nothing_was_read(client):
    make_article("خبر وحيد")
    assert "most-read" not in client.get("/").content.decode()


def test_a_cached_page_costs_no_query(client, newsroom, django_assert_num_queries):
    for path in ("/", newsroom["sport"].get_absolute_url(), newsroom["quiet"].get_absolute_url()):
        assert client.get(path)["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            response = client.get(path)
        assert response["X-Page-Cache"] == "hit"
        assert "most-read" in response.content.decode()


@pytest.mark.parametrize("page", ["home", "section", "article"])
def test_the_lists_cost_an_uncached_page_at_most_one_query(client, newsroom, page, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    path = {
        "home": "/",
        "section": newsroom["sport"].get_absolute_url(),
        "article": newsroom["quiet"].get_absolute_url(),
    }[page]
    client.get(path)  # the section menu, cached once
    with CaptureQueriesContext(connection) as warm:
        assert "most-read" in client.get(path).content.decode()
    cache.delete(lists.KEY)
    with CaptureQueriesContext(connection) as cold:
        assert "most-read" in client.get(path).content.decode()
    assert len(cold) == len(warm) + 1
    with CaptureQueriesContext(connection) as again:
        client.get(path)
    assert len(again) == len(warm)


def test_an_unpublished_article_leaves_the_lists_and_the_cached_pages_at_once(client, newsroom):
    summit = newsroom["summit"]
    other = newsroom["quiet"].get_absolute_url()
    client.get(other)
    assert client.get(other)["X-Page-Cache"] == "hit"
    article = Article.objects.get(pk=summit.pk)
    article.status = Article.Status.DRAFT
    article.save()
    response = client.get(other)
    assert response["X-Page-Cache"] == "miss"
    assert "قمة عربية طارئة" not in response.content.decode()
    assert summit.pk not in {e.id for e in lists.for_scope()["day"]}


def test_an_edited_headline_on_a_list_shows_at_once(client, newsroom):
    article = Article.objects.get(pk=newsroom["final"].pk)
    client.get("/")
    article.title_ar = "نهائي الكأس: الموعد الجديد"
    article.save()
    assert "نهائي الكأس: الموعد الجديد" in client.get("/").content.decode()
    section = client.get(newsroom["sport"].get_absolute_url()).content.decode()
    assert "نهائي الكأس: الموعد الجديد" in section


def test_a_roll_up_that_changes_the_order_retires_the_pages_showing_lists(client, newsroom):
    page = newsroom["quiet"].get_absolute_url()
    client.get(page)
    assert client.get(page)["X-Page-Cache"] == "hit"
    assert roll_up().lists_changed is False  # nothing new: the pages stay cached
    assert client.get(page)["X-Page-Cache"] == "hit"
    for _ in range(60):
        beacon(reader_client(), newsroom["vote"])
    assert roll_up().lists_changed is True
    response = client.get(page)
    assert response["X-Page-Cache"] == "miss"
    aside = response.content.decode()
    aside = aside[aside.index("most-read--aside") :]
    assert aside.index("تصويت في البرلمان") < aside.index("قمة عربية طارئة")


def test_the_api_lists_the_most_read(client, newsroom):
    response = client.get("/api/v1/most-read/")
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == "24h" and data["section"] is None
    assert [r["id"] for r in data["results"]] == [
        newsroom["summit"].pk,
        newsroom["final"].pk,
        newsroom["vote"].pk,
    ]
    first = data["results"][0]
    assert (first["rank"], first["title"], first["reads"]) == (1, "قمة عربية طارئة", 50)
    assert first["url"].startswith(("http://", "https://"))
    assert first["url"].endswith(newsroom["summit"].get_absolute_url())
    week = client.get("/api/v1/most-read/?period=7d&section=رياضة").json()
    assert [r["id"] for r in week["results"]] == [newsroom["old"].pk, newsroom["final"].pk]
    assert week["section"] == "رياضة"


def test_the_api_refuses_unknown_periods_and_sections(client, newsroom):
    bad = client.get("/api/v1/most-read/?period=month")
    assert bad.status_code == 400
    assert "period" in bad.json()["error"]["fields"]
    assert client.get("/api/v1/most-read/?section=لا-يوجد").status_code == 404


def test_the_api_asks_nothing_of_the_database_while_the_lists_are_cached(
    client, newsroom, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        assert client.get("/api/v1/most-read/?period=7d").status_code == 200
