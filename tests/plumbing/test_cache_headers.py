"""Cache-Control for a CDN in front of the site: what may be shared, for how long, and what
must never be kept (newsroom/page_cache.py: reader_cache_control, CacheHeadersMiddleware)."""

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings
from django.utils import translation

from articles.desk.preview import preview_url
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

POLICY = "public, max-age=0, s-maxage=120, stale-while-revalidate=45, stale-if-error=3600"


@pytest.fixture(autouse=True)
def policy(settings):
    settings.PAGE_CACHE_MAX_AGE = 0
    settings.PAGE_CACHE_SHARED_MAX_AGE = 120
    settings.PAGE_CACHE_STALE_WHILE_REVALIDATE = 45
    settings.PAGE_CACHE_STALE_IF_ERROR = 3600


def test_reader_pages_are_shareable_by_a_cdn_for_a_short_while(client):
    section = make_section("اقتصاد", slug="economy")
    article = make_article("الأسواق اليوم", section=section)
    for url in ("/", article.get_absolute_url(), "/section/economy/", "/en/"):
        rendered = client.get(url)
        cached = client.get(url)
        for response in (rendered, cached):
            assert response.status_code == 200, url
            assert response["Cache-Control"] == POLICY, url
            assert not response.cookies, url


def test_feeds_sitemaps_and_robots_are_shareable_too(client):
    make_article("خبر في الخلاصة")
    for url in ("/feeds/latest/", "/sitemap.xml", "/sitemap-news.xml", "/robots.txt"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == POLICY, url


def test_reader_pages_vary_on_the_session_cookie_but_not_on_the_browser_language(client):
    """The path alone says the language (Arabic unprefixed, English under /en/), so a CDN
    keeps one copy per URL, not one per Accept-Language value."""
    article = make_article("خبر", title_en="News")
    with override_settings(PAGE_CACHE_SECONDS=0):  # the views themselves, not the cache
        arabic_for_english_browser = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        english_for_arabic_browser = client.get("/en/", HTTP_ACCEPT_LANGUAGE="ar")
    assert 'lang="ar"' in arabic_for_english_browser.content.decode()
    assert 'lang="en"' in english_for_arabic_browser.content.decode()

    with translation.override("ar"):
        arabic_url = article.get_absolute_url()
    for url in (arabic_url, "/en" + arabic_url):
        vary = [value.strip() for value in client.get(url)["Vary"].split(",")]
        assert "Cookie" in vary
        assert "Accept-Language" not in vary


def test_the_desk_and_previews_are_private_and_never_stored(editor_client):
    article = make_article("مسودة", status="draft")
    for url in (
        "/admin/",
        f"/admin/articles/article/{article.pk}/change/",
        preview_url(article),
        make_article("منشور").get_absolute_url(),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url
        assert "public" not in cache_control, url


def test_a_response_that_sets_a_cookie_is_never_shared(client):
    login = client.get("/admin/login/")
    assert "csrftoken" in login.cookies
    assert "public" not in login["Cache-Control"] and "no-store" in login["Cache-Control"]

    language = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})
    assert language.cookies
    assert language["Cache-Control"] == "private, no-store"


def test_a_reader_with_a_stale_session_cookie_gets_a_private_page():
    article = make_article("خبر")
    browser = Client()
    browser.cookies["sessionid"] = "expired-or-logged-out"
    response = browser.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_hashed_static_files_are_immutable_for_a_year(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command(
        "collectstatic", "--noinput", "--verbosity", "0", "--ignore", "django_prose_editor"
    )
    browser = Client()  # WhiteNoise reads STATIC_ROOT when the middleware starts

    hashed = static("css/site.css")
    assert hashed != "/static/css/site.css"
    response = browser.get(hashed)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "immutable" in cache_control
    assert int(cache_control.split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600

    unhashed = browser.get("/static/css/site.css")
    assert "immutable" not in unhashed["Cache-Control"]
