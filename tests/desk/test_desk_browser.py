"""An editor's path through the Arabic desk in a real headless Chromium: write in the rich-text
editor, preview, publish, and find the article on the home page."""

import os

import pytest

from articles.models import Article
from tests.desk_forms import PASSWORD, make_member
from tests.factories import make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "افتتاح مكتبة عامة جديدة في وسط المدينة"


def test_editor_writes_previews_publishes_and_finds_it_on_home(
    live_server, page, django_user_model
):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    make_member(django_user_model, "mona", "editor")
    make_section("ثقافة", slug="culture")

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "mona")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/articles/article/add/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.locator("#id_title_ar").type(HEADLINE)
    page.keyboard.press("Tab")
    page.locator("#id_summary_ar").fill("تفتح المكتبة أبوابها للقراء يوم السبت.")
    body = page.locator(".prose-editor:has(#id_body_ar) [contenteditable=true]")
    body.click()
    page.keyboard.insert_text("قالت البلدية إن المكتبة تضم عشرين ألف كتاب. ")
    page.keyboard.press("Control+b")
    page.keyboard.insert_text("الدخول مجاني")
    page.keyboard.press("Control+b")
    page.keyboard.press("Enter")
    page.keyboard.type("- ")  # the editor's input rule starts a bulleted list
    page.keyboard.insert_text("قاعة للأطفال")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("قاعة للمطالعة")
    assert body.locator("strong").inner_text() == "الدخول مجاني"
    assert body.locator("ul li").count() == 2
    page.screenshot(path=page.screenshots / "desk-editor.png", full_page=True)

    page.click("input[name=_continue]")
    article = Article.objects.get(title_ar=HEADLINE)
    assert article.status == Article.Status.DRAFT
    assert "<strong>الدخول مجاني</strong>" in article.body_ar
    assert "<li><p>قاعة للأطفال</p></li>" in article.body_ar or "<li>قاعة للأطفال" in (
        article.body_ar
    )
    page.screenshot(path=page.screenshots / "desk-saved-draft.png", full_page=True)

    with page.context.expect_page() as preview_opened:
        page.click("a.desk-preview")
    preview = preview_opened.value
    preview.wait_for_load_state()
    assert preview.get_by_role("heading", level=1).inner_text() == HEADLINE
    assert preview.locator(".article__body strong").inner_text() == "الدخول مجاني"
    preview.screenshot(path=page.screenshots / "desk-preview.png", full_page=True)
    preview.close()

    page.goto(live_server.url + "/")
    assert page.get_by_role("link", name=HEADLINE).count() == 0  # still a draft

    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    page.screenshot(path=page.screenshots / "desk-changelist.png", full_page=True)
    assert page.locator(".messagelist li.success").count() == 1

    page.goto(live_server.url + "/")
    page.get_by_role("link", name=HEADLINE).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == HEADLINE
    page.screenshot(path=page.screenshots / "published-article.png", full_page=True)

    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    log = page.locator(".workflow-log").inner_text()
    assert "mona" in log
    page.screenshot(path=page.screenshots / "desk-workflow-log.png", full_page=True)
