"""RSS feeds and sitemaps as crawlers and feed readers see them: parsed with a real XML
parser, every link followed."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from articles.site import sitemaps
from tests.factories import make_article, make_section, stored_jpeg

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_site")]

SITE = "https://news.example.org"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse(response):
    assert response.status_code == 200, response
    return ET.fromstring(response.content)


def path_of(url: str) -> str:
    """The local path of one of our absolute URLs (which must be on SITE_URL)."""
    assert url.startswith(SITE + "/"), url
    parts = urlsplit(url)
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


def follow(client, url):
    response = client.get(path_of(url))
    assert response.status_code == 200, url
    return response


@pytest.fixture
def newsroom():
    """A section, a tag, public articles (one translated, one with an image), a draft and a
    scheduled article."""
    section = make_section("سياسة", slug="سياسة")
    public = make_article(
        "قمة عربية في القاهرة",
        summary="القادة يبحثون الأزمة",
        section=section,
        tags=["القمة العربية"],
        lead_image=stored_jpeg(),
        lead_image_caption="قاعة القمة",
    )
    translated = make_article(
        "البنك المركزي يثبت الفائدة",
        title_en="Central bank holds rates",
        section=section,
        tags=["القمة العربية", "اقتصاد"],
        hours_ago=3,
    )
    draft = make_article("مسودة سرية", section=section, tags=["سر"], status="draft")
    future = make_article(
        "خبر مجدول",
        section=section,
        tags=["مستقبل"],
        published_at=timezone.now() + datetime.timedelta(hours=2),
    )
    return {"public": public, "translated": translated, "draft": draft, "future": future}


FEEDS = ["/feeds/latest/", "/feeds/section/سياسة/", "/feeds/tag/القمة-العربية/"]


@pytest.mark.parametrize("feed", FEEDS + ["/en" + f for f in FEEDS])
def test_every_feed_link_is_absolute_and_opens_a_public_page(client, newsroom, feed):
    channel = parse(client.get(feed)).find("channel")
    follow(client, channel.findtext("link"))
    atom_self = channel.find("{http://www.w3.org/2005/Atom}link").get("href")
    assert path_of(atom_self) == feed
    items = channel.findall("item")
    # newest first; English falls back to Arabic where there is no translation
    assert [i.findtext("title") for i in items] == [
        "قمة عربية في القاهرة",
        "Central bank holds rates" if feed.startswith("/en/") else "البنك المركزي يثبت الفائدة",
    ]
    for item in items:
        page = follow(client, item.findtext("link"))
        assert page.context["article"].is_public
        guid = item.find("guid")
        assert guid.text.startswith(SITE + "/news/")
        # RFC 822 dates, as RSS 2.0 wants
        assert datetime.datetime.strptime(item.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z")


def test_feed_items_carry_arabic_text_dates_and_the_lead_image_as_enclosure(client, newsroom):
    channel = parse(client.get("/feeds/latest/")).find("channel")
    assert channel.findtext("language") == "ar"
    first = channel.findall("item")[0]
    assert first.findtext("title") == "قمة عربية في القاهرة"
    assert first.findtext("description") == "القادة يبحثون الأزمة"
    published = datetime.datetime.strptime(first.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z")
    assert abs(published - newsroom["public"].published_at) < datetime.timedelta(seconds=1)
    enclosure = first.find("enclosure")
    assert enclosure.get("type") == "image/jpeg"
    path = path_of(enclosure.get("url")).removeprefix("/media/")
    assert int(enclosure.get("length")) == default_storage.size(path) > 0
    with default_storage.open(path) as handle, Image.open(handle) as picture:
        assert picture.format == "JPEG" and picture.width == 1200
    # the translated article has no image: no enclosure
    assert channel.findall("item")[1].find("enclosure") is None


def test_a_lead_image_whose_file_is_gone_gives_no_enclosure_and_no_error(client):
    name = stored_jpeg("lead/gone.jpg")
    make_article("خبر صورته مفقودة", lead_image=name)
    default_storage.delete(name)
    item = parse(client.get("/feeds/latest/")).find("channel/item")
    assert item.findtext("title") == "خبر صورته مفقودة"
    assert item.find("enclosure") is None


def test_feed_query_count_does_not_grow_with_images(client, django_assert_max_num_queries):
    for i in range(5):
        make_article(f"خبر مصور {i}", lead_image=stored_jpeg(f"lead/n{i}.jpg", (900, 600)))
    client.get("/feeds/latest/")  # renditions made once, as the pages would
    # articles (with sections) + their authors
    with django_assert_max_num_queries(2):
        items = parse(client.get("/feeds/latest/")).findall("channel/item")
    assert all(item.find("enclosure") is not None for item in items)


# (NUL cannot even be stored: PostgreSQL refuses it.)
CONTROL = "\x01\x08\x0b\x0c\x1b\x1f\ufffe"


def test_control_characters_in_the_text_still_give_well_formed_xml(client):
    section = make_section(f"اقتصاد{CONTROL}", slug="اقتصاد")
    make_article(
        f"عنوان{CONTROL} فيه محارف تحكم",
        summary=f"ملخص\x0b مع <وسوم> & رموز{CONTROL}",
        section=section,
        tags=["تحكم"],
    )
    for path in ("/feeds/latest/", "/feeds/section/اقتصاد/", "/feeds/tag/تحكم/"):
        item = parse(client.get(path)).find("channel/item")
        assert item.findtext("title") == "عنوان فيه محارف تحكم"
        # RSS descriptions are HTML to a feed reader: typed markup arrives escaped, as text.
        assert item.findtext("description") == "ملخص مع &lt;وسوم&gt; &amp; رموز"
        assert item.findtext("category") == "اقتصاد"
    news = parse(client.get("/sitemap-news.xml"))
    assert news.find(f"{SM}url/{NEWS}news/{NEWS}title").text == "عنوان فيه محارف تحكم"


def test_drafts_and_scheduled_articles_are_in_no_feed_or_sitemap(client, newsroom):
    hidden = [f"/news/{newsroom[k].pk}/" for k in ("draft", "future")]
    paths = ["/feeds/latest/", "/feeds/section/سياسة/", "/sitemap-news.xml"]
    paths += ["/sitemap-articles.xml", "/sitemap-tags.xml"]
    for path in paths:
        body = client.get(path).content.decode()
        assert not any(h in body for h in hidden), path
    tags = client.get("/sitemap-tags.xml").content.decode()
    assert "/tag/%D8%B3%D8%B1/" not in tags  # "سر": only on the draft
    assert client.get("/feeds/tag/سر/").content.decode().count("<item>") == 0


# --- sitemaps ---


def sitemap_urls(client, path):
    return parse(client.get(path)).findall(f"{SM}url")


def test_sitemap_index_lists_every_section_and_every_url_opens_a_public_page(client, newsroom):
    index = parse(client.get("/sitemap.xml"))
    assert index.tag == f"{SM}sitemapindex"
    locations = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    assert [path_of(loc) for loc in locations] == [
        "/sitemap-articles.xml",
        "/sitemap-sections.xml",
        "/sitemap-tags.xml",
    ]
    seen = []
    for location in locations:
        for url in parse(follow(client, location)).findall(f"{SM}url"):
            seen.append(path_of(url.findtext(f"{SM}loc")))
            follow(client, url.findtext(f"{SM}loc"))
            for link in url.findall(f"{XHTML}link"):
                follow(client, link.get("href"))
    assert f"/news/{newsroom['public'].pk}/{newsroom['public'].slug}/" in seen
    assert "/tag/القمة-العربية/" in seen and "/tag/اقتصاد/" in seen
    assert "/section/سياسة/" in seen and "/en/section/سياسة/" in seen


def test_translated_articles_carry_hreflang_alternates_in_the_sitemap(client, newsroom):
    urls = {
        path_of(u.findtext(f"{SM}loc")): {
            link.get("hreflang"): path_of(link.get("href")) for link in u.findall(f"{XHTML}link")
        }
        for u in sitemap_urls(client, "/sitemap-articles.xml")
    }
    translated, public = newsroom["translated"], newsroom["public"]
    arabic = f"/news/{translated.pk}/{translated.slug}/"
    expected = {"ar": arabic, "en": "/en" + arabic, "x-default": arabic}
    assert urls[arabic] == expected
    assert urls["/en" + arabic] == expected
    # an article without an English translation is listed once, in Arabic, with no alternates
    assert urls[f"/news/{public.pk}/{public.slug}/"] == {}
    assert f"/en/news/{public.pk}/{public.slug}/" not in urls


def test_sitemaps_paginate_past_their_limit(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    articles = [make_article(f"خبر {i}", hours_ago=i + 1) for i in range(5)]
    locations = [
        path_of(s.findtext(f"{SM}loc"))
        for s in parse(client.get("/sitemap.xml")).findall(f"{SM}sitemap")
    ]
    pages = [loc for loc in locations if loc.startswith("/sitemap-articles.xml")]
    assert pages == [
        "/sitemap-articles.xml",
        "/sitemap-articles.xml?p=2",
        "/sitemap-articles.xml?p=3",
    ]
    listed = []
    for page in pages:
        listed += [path_of(u.findtext(f"{SM}loc")) for u in sitemap_urls(client, page)]
    assert sorted(listed) == sorted(unquote(a.get_absolute_url()) for a in articles)
    assert len(set(listed)) == 5
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


def test_news_sitemap_has_the_last_48_hours_with_publication_and_language(client, newsroom):
    old = make_article("خبر قديم", hours_ago=49)
    urls = sitemap_urls(client, "/sitemap-news.xml")
    entries = {}
    for url in urls:
        news = url.find(f"{NEWS}news")
        publication = news.find(f"{NEWS}publication")
        assert publication.findtext(f"{NEWS}name")
        entries[path_of(url.findtext(f"{SM}loc"))] = (
            publication.findtext(f"{NEWS}language"),
            news.findtext(f"{NEWS}title"),
            datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date")),
        )
        follow(client, url.findtext(f"{SM}loc"))
    translated = newsroom["translated"]
    arabic = f"/news/{translated.pk}/{translated.slug}/"
    assert entries[arabic][:2] == ("ar", "البنك المركزي يثبت الفائدة")
    assert entries["/en" + arabic][:2] == ("en", "Central bank holds rates")
    assert entries[arabic][2] == translated.published_at
    assert f"/news/{old.pk}/{old.slug}/" not in entries
    assert len(entries) == 3  # public (ar), translated (ar, en)


def test_robots_txt_points_at_both_sitemaps_on_the_site_url(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines


def test_channel_descriptions_carry_markup_as_text(client):
    # A feed reader shows a description as HTML: a name with markup must reach it as text, as
    # item titles and descriptions already do.
    from django.utils.html import escape
    from taggit.models import Tag

    description = '<b>عاجل</b><script>alert("x")</script>'
    section = make_section("أخبار", description=description)
    make_article("خبر", section=section, tags=['<img src=x onerror="alert(1)">'])
    channel = parse(client.get(f"/feeds/section/{section.slug}/")).find("channel")
    assert channel.find("description").text == escape(description)
    tag = Tag.objects.get(name__startswith="<img")
    channel = parse(client.get(f"/feeds/tag/{tag.slug}/")).find("channel")
    assert "<img" not in channel.find("description").text
    assert escape(tag.name) in channel.find("description").text
