"""The tag clean-up in a real headless Chromium: the article form suggests the existing
spelling of a tag being typed, and the tags page shows the likely duplicates."""

import os

import pytest

from tests.desk_forms import PASSWORD, make_member
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


def test_typing_a_near_duplicate_tag_suggests_the_existing_one(
    live_server, page, django_user_model
):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    make_member(django_user_model, "mona", "editor")
    make_article("قصف على رفح", tags=["غزة"])
    make_article("مساعدات عبر المعبر", tags=["غزة"])
    sign_in(page, live_server, "mona")

    page.goto(live_server.url + "/admin/articles/article/add/")
    tags = page.locator("#id_tags")
    tags.click()
    tags.press_sequentially("اقتصاد, #غزه")
    suggestion = page.locator(".tag-suggest .tag-suggest__use")
    suggestion.wait_for()
    assert suggestion.count() == 1
    assert suggestion.get_attribute("data-name") == "غزة"
    assert "2" in suggestion.inner_text()
    assert "#غزه" in page.locator(".tag-suggest__label").inner_text()
    page.locator("#id_tags").scroll_into_view_if_needed()
    page.screenshot(path=page.screenshots / "tag-suggestion.png")

    suggestion.click()
    assert tags.input_value() == "اقتصاد, غزة"
    assert page.locator(".tag-suggest").is_hidden()

    # The exact name of an existing tag needs no suggestion.
    tags.fill("")
    tags.press_sequentially("غزة")
    page.wait_for_timeout(800)
    assert page.locator(".tag-suggest").is_hidden()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_tags_page_shows_counts_and_duplicates(live_server, page, django_user_model, width):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    make_member(django_user_model, "huda", "chief")
    make_article("قصف على رفح", tags=["غزة", "رفح"])
    make_article("مساعدات", tags=["غزه"])
    make_article("وفد", tags=["#غزة", "القدس"])
    make_article("صلاة", tags=["قدس"])
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "huda")

    page.goto(live_server.url + "/admin/taggit/tag/")
    groups = page.locator(".tag-duplicates__group")
    assert groups.count() == 2
    page.screenshot(path=page.screenshots / f"tags-page-{width}.png", full_page=True)
    groups.filter(has_text="غزه").get_by_role("link").click()
    page.wait_for_url("**/admin/taggit/tag/merge/**")
    page.screenshot(path=page.screenshots / f"tags-merge-{width}.png", full_page=True)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/taggit/tag/")
    assert page.locator(".messagelist li.success").count() == 1
    assert page.locator(".tag-duplicates__group").count() == 1
    page.screenshot(path=page.screenshots / f"tags-merged-{width}.png", full_page=True)
