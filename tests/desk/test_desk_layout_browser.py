"""The desk fits the screen, in a real headless Chromium: at 1280 and 1440 px the article
list gives headlines its widest column and the change form needs no sideways scrolling (the
read-also links' table once made it 1,473 px wide in a 1,280 px window), with the Arabic
and the English fields showing; and the focal point picker sets the point the renditions are
cut around, on the stored image or on one just chosen. The desk's interface is Arabic only
(no /en/admin/): its English is the English fields of each article. Screenshots go to
tests/screenshots/ (git-ignored) for a human to look at."""

import io
import mimetypes
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from articles.media import images
from articles.media.focal import Focus
from articles.models import Article
from tests.desk_forms import PASSWORD, make_member
from tests.factories import link, make_article, make_author, make_section, make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
WIDTHS = [1280, 1440]
HEADLINE = "وزارة الدفاع الأذربيجانية: عملياتنا العسكرية في كاراباخ تستمر بنجاح رغم الدعوات الدولية"


def wide_photo(name="lead/desk-wide.jpg", size=(3000, 1200)):
    image = Image.new("RGB", size, (70, 90, 120))
    ImageDraw.Draw(image).ellipse((100, 500, 300, 700), fill=(220, 20, 20))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return default_storage.save(name, ContentFile(out.getvalue()))


@pytest.fixture
def desk(live_server, django_user_model, settings, tmp_path):
    """An editor signed in, and an article like the sample wire story: a long headline,
    credits, read-also links (one to a long outside address), tags and a lead image."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ContentType.objects.clear_cache()
    make_member(django_user_model, "mona", "editor")
    section = make_section("سياسة", slug="politics")
    older = make_article("هرتسوغ يتجه إلى أذربيجان في أول زيارة رسمية وسط مخاوف أمنية")
    story = make_article(
        HEADLINE,
        title_en="Azerbaijan's defence ministry: our military operations in Karabakh go on",
        summary="بيان رسمي بعد ليلة من القصف.",
        section=section,
        sources=[make_source("وكالات"), make_source("مصدر الإخبارية")],
        authors=[make_author("سلمى حداد")],
        tags=["أذربيجان", "كاراباخ", "أرمينيا"],
        lead_image=wide_photo(),
    )
    link(story, target=older, position=0)
    link(
        story,
        url="https://www.example.org/news/world/2026/12/02/azerbaijan-armenia-karabakh-"
        "military-operations-continue-statement-full-text-and-analysis",
        title="النص الكامل لبيان وزارة الدفاع الأذربيجانية وتحليل لما يعنيه للمنطقة",
        position=1,
    )
    for i in range(12):
        make_article(f"خبر قصير رقم {i + 1} عن تطورات الأوضاع في المنطقة", section=section)
    return {"url": live_server.url, "story": story}


def serve_media(page):
    """The desk shows the stored original to click on; in production the web server serves
    media, here the browser gets it straight from MEDIA_ROOT."""

    def fulfil(route):
        path = Path(settings.MEDIA_ROOT) / route.request.url.split("/media/", 1)[1]
        if not path.is_file():
            return route.fulfill(status=404)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)

    page.route("**/media/**", fulfil)


def sign_in(page, url):
    serve_media(page)
    page.goto(url + "/admin/login/")
    page.fill("#id_username", "mona")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def assert_fits(page, where):
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{where}: the desk is {scroll}px wide in a {inner}px window"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_change_form_fits_the_window_in_both_languages(desk, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, desk["url"])
    page.goto(desk["url"] + f"/admin/articles/article/{desk['story'].pk}/change/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.wait_for_selector(".focal-picker:not([hidden])")
    assert_fits(page, f"change form, Arabic fields, {width}px")
    screenshot(page, f"desk-change-form-{width}")

    # the English fields, in every translated fieldset's tab
    for tab in page.locator(".ui-tabs-nav li a", has_text="EN").all():
        tab.click()
    assert page.locator("#id_title_en").is_visible()
    assert_fits(page, f"change form, English fields, {width}px")
    screenshot(page, f"desk-change-form-en-{width}")

    # an inline row added, as an editor adding another read-also link would
    page.locator(".inline-group").last.locator(".add-row a").click()
    assert_fits(page, f"change form with a new read-also row, {width}px")


@pytest.mark.parametrize("width", WIDTHS)
def test_headlines_get_the_widest_column_of_the_article_list(desk, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, desk["url"])
    page.goto(desk["url"] + "/admin/articles/article/")
    columns = page.evaluate(
        """[...document.querySelectorAll('#result_list thead th')].map(
            th => [th.className, th.getBoundingClientRect().width])"""
    )
    widths = {name.split()[-1] if "column-" in name else name: w for name, w in columns}
    title = next(w for name, w in columns if "column-title" in name)
    assert title == max(widths.values()), widths
    table = page.evaluate("document.querySelector('#result_list').getBoundingClientRect().width")
    assert title >= 0.4 * table, widths
    # the long headline reads in a few lines, not two words a line
    cell = page.locator("#result_list tbody th.field-title", has_text=HEADLINE)
    line_height = float(cell.evaluate("e => getComputedStyle(e).lineHeight").rstrip("px"))
    assert cell.bounding_box()["height"] <= 4 * line_height + 16
    # and nothing is cut off: the whole table shows without scrolling its box
    results = page.evaluate(
        "(e => [e.scrollWidth, e.clientWidth])(document.querySelector('.results'))"
    )
    assert results[0] <= results[1], results
    assert_fits(page, f"article list, {width}px")
    screenshot(page, f"desk-article-list-{width}")


def test_the_editor_clicks_the_focal_point_and_the_renditions_follow(desk, page):
    story = desk["story"]
    sign_in(page, desk["url"])
    page.goto(desk["url"] + f"/admin/articles/article/{story.pk}/change/")
    stage = page.locator(".focal-picker__image")
    stage.wait_for(state="visible")
    stage.scroll_into_view_if_needed()
    box = stage.bounding_box()
    # the red disc drawn at (200, 600) of the 3000 × 1200 photo: near its left edge
    page.mouse.click(box["x"] + box["width"] * 200 / 3000, box["y"] + box["height"] * 0.5)
    x = float(page.input_value("#id_lead_image_focal_x"))
    y = float(page.input_value("#id_lead_image_focal_y"))
    assert abs(x - 200 / 3000) < 0.01 and abs(y - 0.5) < 0.01
    # the keyboard moves it too
    page.locator(".focal-picker__stage").focus()
    page.keyboard.press("ArrowUp")
    assert abs(float(page.input_value("#id_lead_image_focal_y")) - (y - 0.01)) < 0.002
    # the page preview shows the crop starting at the image's left edge
    preview = page.locator(".focal-preview__frame img").first
    assert preview.evaluate("e => parseFloat(e.style.left)") == 0
    screenshot(page, "desk-focal-point")

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    story = Article.objects.get(pk=story.pk)
    assert abs(story.lead_image_focal_x - x) < 0.002
    focus = images.focus_of(story.lead_image)
    manifest_path = f"{images.rendition_dir(story.lead_image.name, focus)}/manifest.json"
    assert default_storage.exists(manifest_path)  # re-cut by the save


def test_a_photo_just_chosen_is_previewed_before_upload(desk, page):
    sign_in(page, desk["url"])
    page.goto(desk["url"] + "/admin/articles/article/add/")
    assert page.locator(".focal-picker").is_hidden()  # nothing to click on yet
    out = io.BytesIO()
    Image.new("RGB", (1200, 2400), (30, 140, 60)).save(out, "JPEG")
    page.set_input_files(
        "#id_lead_image",
        files=[{"name": "tall.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}],
    )
    stage = page.locator(".focal-picker__image")
    stage.wait_for(state="visible")
    assert stage.get_attribute("src").startswith("blob:")  # the desk's policy allows it
    stage.scroll_into_view_if_needed()
    box = stage.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.9)
    assert abs(float(page.input_value("#id_lead_image_focal_y")) - 0.9) < 0.01

    page.fill("#id_title_ar", "صورة طويلة بنقطة في أسفلها")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    article = Article.objects.get(title_ar="صورة طويلة بنقطة في أسفلها")
    assert abs(article.lead_image_focal_y - 0.9) < 0.01
    assert images.focus_of(article.lead_image).key.endswith(
        f"-{round(article.lead_image_focal_y * 1000):04d}"
    )
    assert images.focus_of(article.lead_image) != Focus()
