"""The Hijri (Umm al-Qura) date beside the Gregorian one on readers' pages, when
NEWSROOM_HIJRI_DATES is on: the article page, cards on the home page, listings and search,
and the day archive; in Arabic, and in English under /en/; the local day decides."""

import datetime

import pytest

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

# 22:30 UTC on 9 April 2024, the last day of Ramadan 1445: already 10 April, 1 Shawwal, in
# Riyadh (UTC+3); still 30 Ramadan in London (UTC+1 then).
EID_EVE = datetime.datetime(2024, 4, 9, 22, 30, tzinfo=datetime.UTC)


@pytest.fixture
def story():
    section = make_section("سياسة", slug="politics", name_en="Politics")
    return make_article(
        "وقف لإطلاق النار في أول أيام العيد",
        title_en="A ceasefire on the first day of Eid",
        section=section,
        tags=["العيد"],
        published_at=EID_EVE,
    )


def reader_pages(story, prefix=""):
    return {
        "article": f"{prefix}{story.get_absolute_url()}",
        "home": f"{prefix}/",
        "section": f"{prefix}/section/politics/",
        "tag": f"{prefix}/tag/العيد/",
        "search": f"{prefix}/search/?q=العيد",
        "archive": f"{prefix}/archive/2024/04/10/",
    }


def test_pages_show_the_hijri_date_when_the_setting_is_on(client, settings, story):
    settings.NEWSROOM_HIJRI_DATES = True
    settings.TIME_ZONE = "Asia/Riyadh"
    for name, path in reader_pages(story).items():
        html = client.get(path).content.decode()
        assert "1 شوال 1445 هـ" in html and "10 إبريل 2024" in html, name  # beside each other
    article = client.get(story.get_absolute_url()).content.decode()
    start = article.index('class="article__meta"')
    meta = article[start : article.index("</p>", start)]
    assert '<span class="hijri-date">1 شوال 1445 هـ</span>' in meta  # its own item of the line
    home = client.get("/").content.decode()
    assert '<span aria-hidden="true">· </span>1 شوال 1445 هـ</span>' in home  # after the time


def test_pages_show_no_hijri_date_when_the_setting_is_off(client, settings, story):
    settings.NEWSROOM_HIJRI_DATES = False
    settings.TIME_ZONE = "Asia/Riyadh"
    for name, path in reader_pages(story).items():
        html = client.get(path).content.decode()
        assert "شوال" not in html and "hijri-date" not in html, name


def test_english_pages_use_english_month_names(client, settings, story):
    settings.NEWSROOM_HIJRI_DATES = True
    settings.TIME_ZONE = "Asia/Riyadh"
    for name, path in reader_pages(story, "/en").items():
        html = client.get(path).content.decode()
        assert "1 Shawwal 1445 AH" in html, name
        assert "شوال" not in html, name


def test_the_newsrooms_local_day_decides_at_a_month_boundary(client, settings, story):
    settings.NEWSROOM_HIJRI_DATES = True
    settings.TIME_ZONE = "Europe/London"  # 23:30 on 9 April: still the last day of Ramadan
    html = client.get(story.get_absolute_url()).content.decode()
    assert "30 رمضان 1445 هـ" in html and "شوال" not in html
    archive = client.get("/archive/2024/04/09/").content.decode()
    assert '<p class="page-intro hijri-date">30 رمضان 1445 هـ</p>' in archive


def test_arabic_indic_digits_follow_the_newsrooms_choice(client, settings, story):
    settings.NEWSROOM_HIJRI_DATES = True
    settings.NEWSROOM_ARABIC_INDIC_DIGITS = True
    settings.TIME_ZONE = "Asia/Riyadh"
    assert "١ شوال ١٤٤٥ هـ" in client.get(story.get_absolute_url()).content.decode()
    english = client.get(f"/en{story.get_absolute_url()}").content.decode()
    assert "1 Shawwal 1445 AH" in english
