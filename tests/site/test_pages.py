import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import link, make_article, make_author, make_section, make_source

pytestmark = pytest.mark.django_db


def test_home_shows_published_articles_and_never_unpublished_ones(client):
    make_article("خبر منشور")
    make_article("مسودة سرية", status=Article.Status.DRAFT)
    make_article("قيد المراجعة", status=Article.Status.REVIEW)
    make_article("مؤرشف", status=Article.Status.ARCHIVED, published_at=timezone.now())
    make_article("خبر مجدول", published_at=timezone.now() + datetime.timedelta(hours=3))

    html = client.get("/").content.decode()

    assert "خبر منشور" in html
    for hidden in ("مسودة سرية", "قيد المراجعة", "مؤرشف", "خبر مجدول"):
        assert hidden not in html


def test_pages_are_arabic_and_right_to_left(client):
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "غرفة الأخبار" in html


def test_article_page_shows_everything_a_reader_needs(client):
    agencies, masdar = make_source("وكالات"), make_source("مصدر الإخبارية")
    section = make_section("سياسة", slug="سياسة")
    target = make_article("هرتسوغ يتجه إلى أذربيجان")
    article = make_article(
        "عملياتنا العسكرية تستمر",
        summary="ملخص الخبر",
        body="<p>الفقرة الأولى.</p>",
        section=section,
        sources=[agencies, masdar],
        authors=[make_author("سلمى حداد")],
        tags=["أذربيجان", "أرمينيا"],
        published_at=datetime.datetime(2023, 9, 20, 14, 5, tzinfo=datetime.UTC),
    )
    link(article, target=target)
    link(article, url="https://example.org/report", title="تقرير الأمم المتحدة", position=1)
    link(article, title="عنوان لم يُنشر بعد", position=2)

    response = client.get(article.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "عملياتنا العسكرية تستمر" in html
    assert "وكالات - مصدر الإخبارية" in html
    assert "20 سبتمبر 2023" in html
    assert "<p>الفقرة الأولى.</p>" in html
    assert "سلمى حداد" in html
    assert f'href="/tag/{quote("أذربيجان")}/"' in html or 'href="/tag/أذربيجان/"' in html
    assert "اقرأ أيضاً" in html
    assert target.get_absolute_url() in html
    assert 'href="https://example.org/report"' in html
    assert "عنوان لم يُنشر بعد" not in html  # pending links are not shown as broken links


def test_dates_can_use_arabic_indic_digits(client, settings):
    settings.NEWSROOM_ARABIC_INDIC_DIGITS = True
    article = make_article(
        "خبر", published_at=datetime.datetime(2023, 9, 20, 14, 5, tzinfo=datetime.UTC)
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "٢٠ سبتمبر ٢٠٢٣" in html


def test_dates_show_in_the_newsrooms_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Amman"
    article = make_article(
        "خبر", published_at=datetime.datetime(2023, 9, 20, 22, 30, tzinfo=datetime.UTC)
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "21 سبتمبر 2023، 01:30" in html


def test_server_error_page_is_arabic(rf):
    from newsroom.errors import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in html
    assert "حدث خطأ ما" in html


def test_wrong_or_missing_slug_redirects_permanently_to_the_canonical_url(client):
    article = make_article("خبر عاجل")
    for path in (f"/news/{article.pk}/", f"/news/{article.pk}/wrong-slug/"):
        response = client.get(path)
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()
    assert article.get_absolute_url() == f"/news/{article.pk}/{quote('خبر-عاجل')}/"


def test_unpublished_article_is_a_404_in_arabic(client):
    draft = make_article("مسودة", status=Article.Status.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


def test_missing_pages_answer_an_arabic_404(client):
    for path in ("/no-such-page/", "/news/999999/x/", "/tag/لا-يوجد/", "/section/x/?page=2"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "الصفحة غير موجودة" in response.content.decode()


def test_related_articles_rank_by_shared_tags_then_newest(client):
    article = make_article("الأصل", tags=["أ", "ب", "ج"])
    two_shared = make_article("يشترك في وسمين", tags=["أ", "ب"], hours_ago=50)
    one_old = make_article("وسم واحد قديم", tags=["أ"], hours_ago=40)
    one_new = make_article("وسم واحد جديد", tags=["ج"], hours_ago=2)
    make_article("مسودة بنفس الوسوم", tags=["أ", "ب", "ج"], status=Article.Status.DRAFT)
    linked = make_article("مرتبط يدوياً", tags=["أ", "ب", "ج"])
    make_article("بلا وسوم مشتركة", tags=["د"])
    link(article, target=linked)

    response = client.get(article.get_absolute_url())

    titles = [a.title for a in response.context["related"]]
    assert titles == [two_shared.title, one_new.title, one_old.title]


def test_listing_pages_paginate(client):
    section = make_section("اقتصاد", slug="اقتصاد")
    source = make_source("رويترز", slug="رويترز")
    author = make_author("كريم منصور", slug="كريم-منصور")
    for n in range(25):
        make_article(
            f"خبر اقتصادي {n}",
            section=section,
            sources=[source],
            authors=[author],
            tags=["النفط"],
            hours_ago=n + 1,
        )
    for base in ("/section/اقتصاد/", "/tag/النفط/", "/source/رويترز/", "/author/كريم-منصور/"):
        first = client.get(base)
        assert first.status_code == 200, base
        assert "خبر اقتصادي 0<" in first.content.decode()
        assert len(first.context["page"].object_list) == 20
        second = client.get(base + "?page=2")
        assert len(second.context["page"].object_list) == 5
        assert "خبر اقتصادي 24<" in second.content.decode()


def test_day_archive_lists_that_days_articles(client):
    day = datetime.datetime(2024, 3, 5, 10, 0, tzinfo=datetime.UTC)
    make_article("خبر الخامس من مارس", published_at=day)
    make_article("خبر اليوم التالي", published_at=day + datetime.timedelta(days=1))
    html = client.get("/archive/2024/03/05/").content.decode()
    assert "خبر الخامس من مارس" in html
    assert "خبر اليوم التالي" not in html
    assert client.get("/archive/2024/02/31/").status_code == 404


def test_english_shows_the_translation_and_falls_back_to_arabic(client):
    translated = make_article("البنك المركزي يثبت الفائدة", title_en="Central bank holds rates")
    arabic_only = make_article("خبر بالعربية فقط")
    arabic_url = translated.get_absolute_url()

    response = client.get(f"/en/news/{translated.pk}/{translated.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in html
    assert "Central bank holds rates" in html

    fallback = client.get(f"/en/news/{arabic_only.pk}/{arabic_only.slug}/").content.decode()
    assert "خبر بالعربية فقط" in fallback

    arabic = client.get(arabic_url).content.decode()
    assert "البنك المركزي يثبت الفائدة" in arabic
    assert "Central bank holds rates" not in arabic


def test_feeds_list_published_articles_only(client):
    section = make_section("رياضة", slug="رياضة")
    make_article("هدف في الدقيقة الأخيرة", section=section, tags=["كرة القدم"])
    make_article("مسودة رياضية", section=section, tags=["كرة القدم"], status="draft")
    for path in ("/feeds/latest/", "/feeds/section/رياضة/", "/feeds/tag/كرة-القدم/"):
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/rss+xml")
        assert "هدف في الدقيقة الأخيرة" in body
        assert "مسودة رياضية" not in body


def test_sitemaps_list_published_articles_only(client):
    public = make_article("خبر منشور")
    old = make_article("خبر قديم", hours_ago=24 * 5)
    draft = make_article("مسودة", status="draft")
    assert "/sitemap-articles.xml" in client.get("/sitemap.xml").content.decode()  # an index
    sitemap = client.get("/sitemap-articles.xml").content.decode()
    assert f"/news/{public.pk}/" in sitemap
    assert f"/news/{draft.pk}/" not in sitemap
    news = client.get("/sitemap-news.xml").content.decode()
    assert "خبر منشور" in news
    assert f"/news/{old.pk}/" not in news  # older than 48 hours
    assert f"/news/{draft.pk}/" not in news


def test_english_feed_falls_back_to_arabic_headlines(client):
    make_article("خبر بلا ترجمة")
    body = client.get("/en/feeds/latest/").content.decode()
    assert "<language>en</language>" in body
    assert "خبر بلا ترجمة" in body


def test_robots_and_health(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert "Sitemap:" in robots
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.content == b"ok"


def test_article_page_links_its_other_language_and_describes_itself_for_search_engines(client):
    import json
    import re

    article = make_article("خبر عن <الانتخابات>", summary="ملخص")
    html = client.get(article.get_absolute_url()).content.decode()
    english = f"/en/news/{article.pk}/{quote(article.slug)}/"
    assert f'href="{english}" lang="en"' in html
    assert f'hreflang="en" href="http://127.0.0.1:8000{english}"' in html
    ld = re.search(r'<script id="news-article-ld" type="application/ld\+json">(.*?)</script>', html)
    data = json.loads(ld.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "خبر عن <الانتخابات>"
    assert "<الانتخابات>" not in ld.group(1)  # escaped inside the script element


def test_tag_feed_lists_newest_first(client):
    make_article("الخبر الأقدم", tags=["النفط"], hours_ago=30)
    make_article("الخبر الأحدث", tags=["النفط"], hours_ago=1)
    make_article(
        "خبر مجدول", tags=["النفط"], published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    body = client.get("/feeds/tag/النفط/").content.decode()
    assert body.index("الخبر الأحدث") < body.index("الخبر الأقدم")
    assert "خبر مجدول" not in body


def test_a_new_section_appears_in_every_pages_menu_at_once(client):
    make_section("اقتصاد", slug="اقتصاد")
    assert "اقتصاد" in client.get("/").content.decode()
    make_section("رياضة", slug="رياضة")
    assert (
        'href="/section/%D8%B1%D9%8A%D8%A7%D8%B6%D8%A9/"' in client.get("/tag/x/").content.decode()
    )


def test_untranslated_arabic_text_keeps_its_direction_on_english_pages(client):
    article = make_article("خبر بالعربية فقط", summary="ملخص عربي")
    html = client.get(f"/en/news/{article.pk}/{article.slug}/").content.decode()
    assert '<h1 class="article__title" dir="auto">خبر بالعربية فقط</h1>' in html
