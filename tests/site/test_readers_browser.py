"""Reader pages in a real headless Chromium, on a phone (360 px) and a desktop (1280 px), in
Arabic (right to left) and English (left to right): no sideways scrolling, header, breadcrumb
and pagination in reading order, images with dimensions, and an axe-core accessibility check.
Screenshots go to tests/screenshots/ (git-ignored) for a human to look at."""

import io
import mimetypes
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from articles.templatetags.newsroom import day_archive_url
from tests.factories import make_article, make_author, make_section, make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = [360, 1280]
LANGUAGES = ["ar", "en"]


def stored_photo(name, colour, size=(1600, 900)):
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 3, size[1] // 4, size[0] // 3 * 2, size[1] // 4 * 3), fill="white")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return default_storage.save(f"lead/{name}.jpg", ContentFile(out.getvalue()))


@pytest.fixture
def site(live_server, settings):
    """A small newsroom: a section with two pages of articles, photos, a translated story with
    a byline, tags and a fresh breaking story; dates shown with their Hijri date too."""
    settings.NEWSROOM_HIJRI_DATES = True
    # An earlier transactional test may have flushed the content types this process cached.
    ContentType.objects.clear_cache()
    politics = make_section("سياسة", slug="سياسة", name_en="Politics")
    make_section("اقتصاد", slug="اقتصاد", name_en="Economy")
    make_section("ثقافة وفنون", slug="ثقافة", name_en="Culture")
    agencies = make_source("وكالات", name_en="Agencies")
    story = make_article(
        "مجلس الأمن يعقد جلسة طارئة بشأن الأوضاع الإنسانية في غزة",
        title_en="Security Council holds an emergency session on Gaza",
        summary="دعوات لوقف إطلاق النار وإدخال المساعدات دون قيود.",
        summary_en="Calls for a ceasefire and unrestricted aid.",
        body="<p>عقد مجلس الأمن الدولي جلسة طارئة لبحث الأوضاع الإنسانية المتدهورة.</p>"
        "<p>وطالب مندوبون بوقف فوري لإطلاق النار وفتح المعابر.</p>",
        body_en="<p>The Security Council met in an emergency session.</p>",
        section=politics,
        sources=[agencies],
        authors=[make_author("سلمى حداد", name_en="Salma Haddad")],
        tags=["غزة", "الأمم المتحدة", "مساعدات إنسانية"],
        lead_image=stored_photo("council", (40, 70, 120)),
        lead_image_caption="قاعة مجلس الأمن في نيويورك",
        lead_image_credit="أ ف ب",
        breaking=True,
        hours_ago=1,
    )
    for i in range(22):
        make_article(
            f"خبر سياسي رقم {i + 1} عن المفاوضات الإقليمية الجارية",
            summary="ملخص قصير للخبر يشرح ما جرى اليوم.",
            section=politics,
            tags=["غزة"],
            lead_image=stored_photo(f"story{i}", (120 + i * 5, 60, 40)) if i < 3 else "",
            hours_ago=i + 2,
        )
    return {"url": live_server.url, "story": story}


def serve_media(page):
    """Media files are served by the web server in production, not by Django: here the
    browser gets them straight from MEDIA_ROOT."""

    def fulfil(route):
        path = Path(settings.MEDIA_ROOT) / route.request.url.split("/media/", 1)[1]
        if not path.is_file():
            return route.fulfill(status=404)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)

    page.route("**/media/**", fulfil)


def open_page(page, url, width, name):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 760})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


def prefix(language):
    return "" if language == "ar" else "/en"


def pages(site, language):
    story = site["story"]
    return {
        "home": f"{prefix(language)}/",
        "article": f"{prefix(language)}/news/{story.pk}/{story.slug}/",
        "tag": f"{prefix(language)}/tag/غزة/",
        "search": f"{prefix(language)}/search/?q=مجلس",
        "archive": f"{prefix(language)}{day_archive_url(story.published_at)}",
    }


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def assert_no_sideways_scroll(page, where):
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{where}: page is {scroll}px wide in a {inner}px window"


def assert_images_have_dimensions(page, where):
    missing = page.evaluate(
        """[...document.images].filter(i => !i.getAttribute('width') || !i.getAttribute('height')
            || !i.hasAttribute('alt')).map(i => i.outerHTML)"""
    )
    assert missing == [], where
    # (lazy images below the fold may not have loaded yet: only finished ones count)
    broken = page.evaluate(
        "[...document.images].filter(i => i.complete && !i.naturalWidth).map(i => i.src)"
    )
    assert broken == [], where


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_reader_pages_fit_the_screen_and_read_in_the_languages_direction(
    site, page, language, width
):
    serve_media(page)
    rtl = language == "ar"
    for name, path in pages(site, language).items():
        open_page(page, site["url"] + path, width, f"{language}-{name}")
        where = f"{language} {name} at {width}px"
        assert page.locator("html").get_attribute("dir") == ("rtl" if rtl else "ltr")
        assert_no_sideways_scroll(page, where)
        assert_images_have_dimensions(page, where)
        # header: the site's name opens the line, on the right in Arabic, on the left in English
        name_box, search_box = box(page, ".site-name"), box(page, ".search-box")
        if name_box["y"] == search_box["y"] or width > 400:
            assert (name_box["x"] > search_box["x"]) == rtl, where
        else:  # on a phone the search box wraps below the name
            assert search_box["y"] > name_box["y"], where
        if name != "home":
            first, second = page.locator(".breadcrumbs li").all()[:2]
            first_box, second_box = first.bounding_box(), second.bounding_box()
            assert abs(first_box["y"] - second_box["y"]) < 5, where
            assert (first_box["x"] > second_box["x"]) == rtl, where
    # pagination on the tag page: "newer" before "older" in reading order
    page.goto(site["url"] + pages(site, language)["tag"] + "?page=2")
    newer, current = box(page, ".pagination [rel=prev]"), box(page, ".pagination__current")
    assert (newer["x"] > current["x"]) == rtl
    assert_no_sideways_scroll(page, f"{language} tag page 2 at {width}px")


def test_skip_link_and_focus_are_visible(site, page):
    page.goto(site["url"] + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
    page.keyboard.press("Tab")  # the next stop is inside the main content
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_breaking_news_ticker_shows_on_the_home_page(site, page):
    page.goto(site["url"] + "/")
    ticker = page.locator(".breaking")
    assert ticker.is_visible()
    assert "مجلس الأمن يعقد جلسة طارئة" in ticker.inner_text()


@pytest.fixture
def axe_page(chromium):
    """A page that may inject axe-core: the site's Content-Security-Policy refuses any script
    that is not its own (tests/plumbing/test_security_browser.py checks it), so this context sets it aside."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_serious_accessibility_violations(site, axe_page, language):
    page = axe_page
    if not AXE.exists():
        pytest.skip("axe-core is not installed: npm ci --prefix tests/a11y (make test does it)")
    serve_media(page)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages(site, language).items():
            page.goto(site["url"] + path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            for violation in result["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append(f"{name} {width}px: {violation['id']} {targets}")
    assert problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_hijri_date_sits_beside_the_gregorian_one(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for language, words in (("ar", "هـ"), ("en", " AH")):
        page.goto(site["url"] + pages(site, language)["article"])
        hijri = page.locator(".article__meta .hijri-date")
        assert words in hijri.inner_text()
        gregorian, hijri_box = box(page, ".article__date"), hijri.bounding_box()
        if width > 400:  # on one line, the Hijri date after the Gregorian in reading order
            assert abs(gregorian["y"] - hijri_box["y"]) < 8
            assert (hijri_box["x"] < gregorian["x"]) == (language == "ar")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{language}-article-hijri-{width}.png")
