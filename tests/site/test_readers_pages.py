"""What crawlers, sharing previews and readers get from the reader pages: canonical and
hreflang links, Open Graph and Twitter cards, JSON-LD, listing titles, day archives,
breadcrumbs and the breaking-news ticker."""

import datetime
import io
import json
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from newsroom import page_cache as caching
from tests.factories import make_article, make_author, make_section, make_source, stored_jpeg

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_site")]

SITE = "https://news.example.org"


class Head(HTMLParser):
    """The page's <title>, <meta>, <link> and JSON-LD, and its breadcrumb trail."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld, self.crumbs = {}, [], [], []
        self.title = ""
        self._in = None
        self._in_crumbs = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "ld"
        elif tag == "nav" and attrs.get("class") == "breadcrumbs":
            self._in_crumbs = True
        elif tag in ("a", "span") and self._in_crumbs:
            self.crumbs.append([attrs.get("href"), ""])
            self._in = "crumb"

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_crumbs = False
        if tag in ("title", "script", "a", "span"):
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "ld":
            self.json_ld.append(json.loads(data))
        elif self._in == "crumb":
            self.crumbs[-1][1] += data

    def one(self, key):
        (value,) = self.meta[key]
        return value

    def link(self, rel, hreflang=None):
        found = [
            link["href"]
            for link in self.links
            if link.get("rel") == rel and (hreflang is None or link.get("hreflang") == hreflang)
        ]
        assert len(found) == 1, (rel, hreflang, found)
        return found[0]


def local(url):
    assert url.startswith(SITE + "/"), url
    return unquote(urlsplit(url).path)


@pytest.fixture
def story():
    section = make_section("سياسة", slug="سياسة")
    return make_article(
        "قمة عربية في القاهرة",
        title_en="Arab summit in Cairo",
        summary="القادة يبحثون الأزمة الإقليمية",
        section=section,
        tags=["القمة العربية", "مصر"],
        authors=[make_author("سلمى حداد", slug="salma")],
        sources=[make_source("رويترز")],
        lead_image=stored_jpeg(),
        lead_image_caption="قاعة القمة في القاهرة",
    )


def test_article_page_describes_itself_to_search_engines_and_social_networks(client, story):
    head = Head(client.get(story.get_absolute_url()).content.decode())
    url = SITE + story.get_absolute_url()
    assert head.title.startswith("قمة عربية في القاهرة | ")
    assert head.link("canonical") == url
    assert head.link("alternate", "ar") == url
    assert head.link("alternate", "x-default") == url
    assert head.link("alternate", "en") == SITE + "/en" + story.get_absolute_url()
    assert head.one("description") == "القادة يبحثون الأزمة الإقليمية"
    assert head.one("og:type") == "article"
    assert head.one("og:title") == "قمة عربية في القاهرة"
    assert head.one("og:description") == "القادة يبحثون الأزمة الإقليمية"
    assert head.one("og:url") == url
    assert head.one("og:locale") == "ar_AR"
    assert head.one("og:locale:alternate") == "en_US"
    assert head.one("og:site_name")
    image = head.one("og:image")
    assert local(image).startswith("/media/renditions/") and image.endswith("/share.jpg")
    # Open Graph's frame (1.91:1), cut from the 1600 × 900 original around its focal point
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert head.one("og:image:alt") == "قاعة القمة في القاهرة"
    assert datetime.datetime.fromisoformat(head.one("article:published_time")) == story.published_at
    assert head.one("article:section") == "سياسة"
    assert sorted(head.meta["article:tag"]) == ["القمة العربية", "مصر"]
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:title") == "قمة عربية في القاهرة"
    assert head.one("twitter:image") == image


def test_article_json_ld_is_a_complete_news_article(client, story):
    (data,) = Head(client.get(story.get_absolute_url()).content.decode()).json_ld
    url = SITE + story.get_absolute_url()
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "قمة عربية في القاهرة"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == story.published_at
    assert datetime.datetime.fromisoformat(data["dateModified"]) >= story.published_at
    assert data["author"] == [
        {"@type": "Person", "name": "سلمى حداد", "url": SITE + "/author/salma/"}
    ]
    assert data["publisher"]["name"]
    logo = data["publisher"]["logo"]["url"]
    assert local(logo).startswith("/static/") and local(logo).endswith(".png")
    assert data["image"][0]["url"].endswith("/share.jpg")
    assert data["articleSection"] == "سياسة"
    assert sorted(data["keywords"]) == ["القمة العربية", "مصر"]
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["inLanguage"] == "ar"


def test_english_article_page_speaks_english_to_crawlers(client, story):
    arabic = story.get_absolute_url()
    head = Head(client.get("/en" + arabic).content.decode())
    english = SITE + "/en" + arabic
    assert head.link("canonical") == english
    assert head.link("alternate", "x-default") == SITE + arabic
    assert head.one("og:locale") == "en_US"
    assert head.one("og:title") == "Arab summit in Cairo"
    (data,) = head.json_ld
    assert data["inLanguage"] == "en" and data["headline"] == "Arab summit in Cairo"
    assert data["mainEntityOfPage"]["@id"] == english


def test_article_without_byline_or_image_still_has_the_required_json_ld(client):
    article = make_article("خبر وكالات بلا صورة")
    head = Head(client.get(article.get_absolute_url()).content.decode())
    (data,) = head.json_ld
    assert data["author"][0]["@type"] == "NewsMediaOrganization"
    assert "image" not in data
    assert head.one("twitter:card") == "summary"
    assert "og:image" not in head.meta


def test_listing_pages_have_their_own_titles_and_descriptions(client, story):
    make_article("خبر آخر", section=story.section, tags=["مصر"], sources=story.sources.all())
    day = timezone.localdate(story.published_at)
    pages = [
        "/",
        "/section/سياسة/",
        "/tag/مصر/",
        f"/source/{story.sources.get().slug}/",
        "/author/salma/",
        f"/archive/{day.year}/{day.month}/{day.day}/",
        "/search/?q=قمة",
    ]
    titles, descriptions = set(), set()
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        head = Head(response.content.decode())
        titles.add(head.title)
        descriptions.add(head.one("description"))
        assert head.link("canonical").startswith(SITE)
    assert len(titles) == len(pages)
    assert len(descriptions) == len(pages)


def test_breadcrumbs_lead_from_home_to_the_page(client, story):
    head = Head(client.get(story.get_absolute_url()).content.decode())
    assert head.crumbs == [
        ["/", "الرئيسية"],
        ["/section/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/", "سياسة"],
        [None, "قمة عربية في القاهرة"],
    ]
    tag = Head(client.get("/en/tag/مصر/").content.decode())
    assert tag.crumbs[0] == ["/en/", "Home"]
    assert tag.crumbs[-1][0] is None and "مصر" in tag.crumbs[-1][1]


# --- day archive ---


def at(day, hour=12):
    zone = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


def archive(day):
    return f"/archive/{day.year}/{day.month}/{day.day}/"


def test_day_archive_links_to_the_nearest_days_with_public_articles(client):
    today = timezone.localdate()
    base = today - datetime.timedelta(days=30)
    older = base - datetime.timedelta(days=9)
    newer = base + datetime.timedelta(days=4)
    make_article("خبر قديم", published_at=at(older))
    make_article("خبر اليوم", published_at=at(base))
    make_article("مسودة قريبة", published_at=at(base - datetime.timedelta(days=1)), status="draft")
    make_article("خبر لاحق", published_at=at(newer))
    response = client.get(archive(base))
    html = response.content.decode()
    assert "خبر اليوم" in html and "خبر قديم" not in html
    assert response.context["previous_day"] == older  # skips the day holding only a draft
    assert response.context["next_day"] == newer
    assert f'rel="prev" href="{archive(older)}"' in html
    assert f'rel="next" href="{archive(newer)}"' in html
    assert client.get(archive(older)).context["previous_day"] is None
    assert client.get(archive(newer)).context["next_day"] is None


def test_day_archive_never_links_to_a_day_whose_articles_are_still_scheduled(client):
    today = timezone.localdate()
    make_article("خبر أمس", published_at=at(today - datetime.timedelta(days=1)))
    make_article("خبر مجدول", published_at=timezone.now() + datetime.timedelta(days=2))
    response = client.get(archive(today - datetime.timedelta(days=1)))
    assert response.context["next_day"] is None


@pytest.mark.parametrize(
    "path",
    ["/archive/2023/2/30/", "/archive/2023/13/1/", "/archive/0/1/1/", "/archive/9999/12/31/"],
)
def test_impossible_dates_are_a_404(client, path):
    assert client.get(path).status_code == 404


def test_article_date_links_to_its_day_archive(client):
    article = make_article("خبر بتاريخ")
    day = timezone.localdate(article.published_at)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{archive(day)}"' in html
    assert "خبر بتاريخ" in client.get(archive(day)).content.decode()


# --- breaking news ---


def test_fresh_breaking_news_is_in_the_home_page_ticker(client, settings):
    settings.BREAKING_NEWS_HOURS = 6
    make_article("عاجل: زلزال قوي", breaking=True, hours_ago=1)
    make_article("عاجل قديم", breaking=True, hours_ago=7)
    make_article("عاجل مسودة", breaking=True, status="draft")
    make_article(
        "عاجل مجدول", breaking=True, published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    make_article("خبر عادي", hours_ago=1)
    response = client.get("/")
    assert [a.title for a in response.context["breaking"]] == ["عاجل: زلزال قوي"]
    html = response.content.decode()
    ticker = html[html.index('class="breaking"') : html.index("</section>")]
    assert "عاجل: زلزال قوي" in ticker
    assert "خبر عادي" not in ticker and "عاجل قديم" not in ticker


def test_no_ticker_without_fresh_breaking_news(client):
    make_article("خبر عادي")
    assert 'class="breaking"' not in client.get("/").content.decode()


def test_cached_home_page_expires_when_its_breaking_news_goes_stale(client, rf, settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.BREAKING_NEWS_HOURS = 1
    # 59 minutes 50 seconds old: it leaves the ticker ten seconds from now
    make_article(
        "عاجل يوشك أن يبرد",
        breaking=True,
        published_at=timezone.now() - datetime.timedelta(minutes=59, seconds=50),
    )
    first = client.get("/")
    assert "عاجل يوشك أن يبرد" in first.content.decode()
    key = caching.page_key(rf.get("/"), caching.current_state()["generation"])
    entry = cache.get(key)
    rendered_at, expires_at = entry[3], entry[-1]
    assert expires_at - rendered_at <= 10  # not PAGE_CACHE_SECONDS


def test_the_desk_can_flag_and_filter_breaking_news(admin_client):
    make_article("عاجل من المكتب", breaking=True)
    make_article("خبر هادئ")
    listing = admin_client.get("/admin/articles/article/?breaking__exact=1").content.decode()
    assert "عاجل من المكتب" in listing and "خبر هادئ" not in listing
    add = admin_client.get("/admin/articles/article/add/").content.decode()
    assert 'name="breaking"' in add


def test_demo_content_has_a_fresh_breaking_story_in_the_ticker(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    breaking = client.get("/").context["breaking"]
    assert [a.title for a in breaking] == [
        "مجلس الأمن يعقد جلسة طارئة بشأن الأوضاع الإنسانية في غزة",
        # the demo's live coverage (articles/demo/live.py): in the ticker while it is live
        "مباشر: فرز الأصوات في الانتخابات البرلمانية",
    ]
