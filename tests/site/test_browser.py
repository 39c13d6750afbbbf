"""A reader's path through the site in a real headless Chromium."""

import pytest

from tests.factories import make_article, make_section, make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_goes_from_home_to_article_to_tag_to_related_article(live_server, page):
    section = make_section("سياسة", slug="سياسة")
    agencies = make_source("وكالات")
    make_article(
        "أذربيجان تعلن استمرار العمليات العسكرية",
        summary="ملخص الخبر الرئيسي",
        body="<p>قالت وزارة الدفاع الأذربيجانية إن العملية مستمرة.</p>",
        section=section,
        sources=[agencies],
        tags=["أذربيجان", "القوقاز"],
        hours_ago=1,
    )
    make_article("هرتسوغ يتجه إلى أذربيجان", section=section, tags=["أذربيجان"], hours_ago=5)

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.screenshot(path=page.screenshots / "home.png", full_page=True)

    page.get_by_role("link", name="أذربيجان تعلن استمرار العمليات العسكرية").first.click()
    headline = page.get_by_role("heading", level=1)
    assert headline.inner_text() == "أذربيجان تعلن استمرار العمليات العسكرية"
    assert headline.is_visible()
    assert page.locator(".credit-line").inner_text() == "وكالات"
    page.screenshot(path=page.screenshots / "article.png", full_page=True)

    page.locator(".tags").get_by_role("link", name="أذربيجان").click()
    assert page.get_by_role("heading", level=1).inner_text() == "وسم: أذربيجان"
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=page.screenshots / "tag.png", full_page=True)

    page.go_back()
    page.locator(".related").get_by_role("link", name="هرتسوغ يتجه إلى أذربيجان").click()
    assert page.get_by_role("heading", level=1).inner_text() == "هرتسوغ يتجه إلى أذربيجان"
    assert page.get_by_role("heading", level=1).is_visible()
    page.screenshot(path=page.screenshots / "related.png", full_page=True)
    assert (page.screenshots / "related.png").stat().st_size > 10_000


def test_desk_prefills_an_arabic_slug_from_the_headline(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("desk", password="desk-pass-123")
    page.goto(live_server.url + "/admin/login/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#id_username", "desk")
    page.fill("#id_password", "desk-pass-123")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.locator("#id_title_ar").type("أذربيجان تعلن: العملية مستمرة")
    page.keyboard.press("Tab")  # Playwright inserts Arabic letters without key events
    assert page.locator("#id_slug").input_value() == "أذربيجان-تعلن-العملية-مستمرة"
    page.screenshot(path=page.screenshots / "desk-add.png", full_page=True)
