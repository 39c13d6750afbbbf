import datetime

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone, translation

from articles.models import Article
from newsroom import page_cache as caching
from tests.factories import link, make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _arabic_after_each_test():
    # A request under /en/ leaves English active in this thread; factories would then write
    # the English fields of the next test's articles.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_anonymous_article_page_is_served_from_the_cache(client, django_assert_num_queries):
    article = make_article("خبر أول", tags=["اقتصاد"])
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200

    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_home_page_is_cached_per_language(client, path, django_assert_num_queries):
    make_article("خبر الصفحة الأولى")
    client.get(path)
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200


def test_listing_pages_are_cached(client, django_assert_num_queries):
    section = make_section("رياضة", slug="رياضة")
    make_article("مباراة", section=section)
    url = section.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert "مباراة" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "path",
    ["/feeds/latest/", "/en/feeds/latest/", "/sitemap.xml", "/sitemap-articles.xml", "/robots.txt"],
)
def test_feeds_and_sitemaps_are_cached_and_refreshed_by_an_edit(
    client, path, django_assert_num_queries
):
    """Feed readers poll and crawlers walk sitemaps hardest on big news days: they are served
    from the page cache like pages, and an edit refreshes them at once."""
    article = make_article("خبر للخلاصة")
    first = client.get(path)
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]

    article.title = "خبر للخلاصة بعد التعديل"
    article.slug = "خبر-معدل"
    article.save()
    if path != "/robots.txt":
        assert client.get(path).content != first.content


def test_sitemap_pages_are_cached_apart(client, monkeypatch):
    from articles.site import sitemaps

    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 1)
    make_article("الأول")
    make_article("الثاني")
    first, second = client.get("/sitemap-articles.xml"), client.get("/sitemap-articles.xml?p=2")
    assert first.status_code == second.status_code == 200
    assert first.content != second.content


def test_editing_an_article_shows_the_new_text_at_once(client):
    article = make_article("عنوان قديم")
    assert "عنوان قديم" in client.get(article.get_absolute_url()).content.decode()
    assert "عنوان قديم" in client.get("/").content.decode()

    article.title = "عنوان جديد"
    article.save()

    assert "عنوان جديد" in client.get(article.get_absolute_url()).content.decode()
    assert "عنوان جديد" in client.get("/").content.decode()


def test_changing_tags_refreshes_the_page(client):
    article = make_article("خبر", tags=["قديم"])
    assert "قديم" in client.get(article.get_absolute_url()).content.decode()

    article.tags.set(["وسم-جديد"])

    page = client.get(article.get_absolute_url()).content.decode()
    assert "وسم-جديد" in page


def test_adding_a_read_also_link_refreshes_the_page(client):
    article = make_article("خبر")
    target = make_article("خلفية الخبر")
    client.get(article.get_absolute_url())

    link(article, target=target)

    assert "خلفية الخبر" in client.get(article.get_absolute_url()).content.decode()


def test_unpublishing_removes_the_article_from_cached_pages(client):
    article = make_article("خبر سيسحب")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "خبر سيسحب" in client.get("/").content.decode()

    article.status = Article.Status.DRAFT
    article.save()

    assert client.get(article.get_absolute_url()).status_code == 404
    assert "خبر سيسحب" not in client.get("/").content.decode()


def test_scheduled_article_appears_on_cached_pages_when_its_time_comes(client, monkeypatch):
    make_article("خبر قائم")
    go_live = timezone.now() + datetime.timedelta(minutes=10)
    scheduled = make_article("خبر مجدول", published_at=go_live)
    assert "خبر مجدول" not in client.get("/").content.decode()
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    # Ten minutes later, with no save in between: the clock alone brings it on the page.
    later = go_live + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(caching.time, "time", later.timestamp)

    assert "خبر مجدول" in client.get("/").content.decode()


def test_cache_entries_never_outlive_the_next_go_live(client, monkeypatch):
    stored = []
    real_set = caching.cache.set
    monkeypatch.setattr(
        caching.cache,
        "set",
        lambda key, value, timeout, **kw: (
            stored.append((key, timeout)) or real_set(key, value, timeout)
        ),
    )
    make_article("خبر قائم")
    make_article("خبر مجدول", published_at=timezone.now() + datetime.timedelta(seconds=90))

    client.get("/")

    pages = [
        timeout for key, timeout in stored if key.startswith("pages:") and ":stale:" not in key
    ]
    stale = [timeout for key, timeout in stored if ":stale:" in key]
    assert pages and 0 < pages[-1] <= 90
    # The page's last copy, served only while the database is down, is kept apart and longer.
    assert stale == [caching.stale_seconds()]


def test_conditional_get_with_matching_etag_answers_304(client):
    article = make_article("خبر")
    first = client.get(article.get_absolute_url())
    assert first["ETag"] and first["Last-Modified"]

    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""

    since = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_conditional_get_after_an_edit_gets_the_new_page(client):
    article = make_article("خبر")
    etag = client.get(article.get_absolute_url())["ETag"]
    article.title = "خبر معدل"
    article.save()

    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "خبر معدل" in response.content.decode()


def test_logged_in_editor_always_sees_a_fresh_uncached_page(editor_client):
    client = Client()  # a reader, beside the logged-in editor
    article = make_article("خبر")
    client.get(article.get_absolute_url())  # cached for readers
    Article.objects.filter(pk=article.pk).update(title_ar="تعديل دون إشارة")  # bypasses signals

    staff_page = editor_client.get(article.get_absolute_url())

    assert "تعديل دون إشارة" in staff_page.content.decode()
    assert "private" in staff_page["Cache-Control"] and "no-store" in staff_page["Cache-Control"]
    assert not staff_page.has_header("ETag")
    # Readers still get the cached copy until something invalidates it.
    assert "تعديل دون إشارة" not in client.get(article.get_absolute_url()).content.decode()


def test_editor_pages_are_not_stored_for_readers(editor_client):
    client = Client()
    article = make_article("خبر")
    editor_client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title_ar="نص أحدث")

    assert "نص أحدث" in client.get(article.get_absolute_url()).content.decode()


def test_missing_article_is_not_cached(client):
    assert client.get("/news/999999/x/").status_code == 404
    article = make_article("خبر")
    assert client.get(article.get_absolute_url()).status_code == 200


@override_settings(PAGE_CACHE_SECONDS=0)
def test_page_cache_can_be_turned_off(client):
    article = make_article("خبر")
    client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title_ar="بلا ذاكرة")

    assert "بلا ذاكرة" in client.get(article.get_absolute_url()).content.decode()


def test_other_processes_learn_of_an_edit_within_the_state_interval(client, settings):
    settings.PAGE_CACHE_STATE_SECONDS = 60
    article = make_article("قبل")
    client.get(article.get_absolute_url())
    # Another process invalidated the shared cache; this one still trusts its copy...
    caching.cache.delete(caching.STATE_KEY)
    Article.objects.filter(pk=article.pk).update(title_ar="بعد")
    assert "قبل" in client.get(article.get_absolute_url()).content.decode()

    # ...until its interval is over.
    caching.forget_local_state(pages=False)
    assert "بعد" in client.get(article.get_absolute_url()).content.decode()


def test_tracking_parameters_share_the_cached_page_but_pages_do_not(
    client, django_assert_num_queries
):
    section = make_section("رياضة", slug="رياضة")
    for n in range(25):
        make_article(f"مباراة {n}", section=section, hours_ago=n + 1)
    url = section.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        shared = client.get(url + "?utm_source=twitter&fbclid=abc")
    assert shared.content == first.content

    second_page = client.get(url + "?page=2&utm_source=twitter").content.decode()
    assert "مباراة 24" in second_page and "مباراة 24" not in first.content.decode()


def test_reader_pages_vary_on_cookie(client):
    article = make_article("خبر")
    assert "Cookie" in client.get(article.get_absolute_url())["Vary"]


def test_cached_page_keeps_the_headers_of_the_rendered_one(client):
    article = make_article("خبر")
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())

    for header in ("Content-Type", "Content-Language", "X-Frame-Options", "Vary", "ETag"):
        assert second[header] == first[header]
    assert "X-Content-Type-Options" in second
    assert second.has_header("Last-Modified")


def test_search_pages_are_never_shared_between_queries(client):
    make_article("انتخابات بلدية في تونس")
    make_article("مباراة كرة القدم في الرباط")

    first = client.get("/search/", {"q": "انتخابات"}).content.decode()
    second = client.get("/search/", {"q": "مباراة"}).content.decode()

    # (the matched word itself is highlighted; the rest of each headline is plain)
    assert "في تونس" in first and "في الرباط" not in first
    assert "في الرباط" in second and "في تونس" not in second


def test_a_new_draft_keeps_readers_cached_pages(client, django_assert_num_queries):
    make_article("خبر منشور", tags=["اقتصاد"])
    client.get("/")
    draft = make_article("مسودة جديدة", status=Article.Status.DRAFT)
    draft.tags.set(["اقتصاد"])
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_publishing_a_draft_retires_cached_pages(client):
    draft = make_article("مسودة تنشر الآن", status=Article.Status.DRAFT)
    client.get("/")
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert "مسودة تنشر الآن" in client.get("/").content.decode()
