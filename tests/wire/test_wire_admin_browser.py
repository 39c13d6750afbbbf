"""The desk's wire import page in a real headless Chromium."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_article, make_section, make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = """الحكومة تعلن خطة لدعم المزارعين

عمّان - بترا:

أعلنت الحكومة اليوم خطة لدعم المزارعين المتضررين من موجة “الجفاف”.

وقال وزير الزراعة إن الخطة تشمل قروضاً ميسرة.

اقرأ أيضاً: أسعار الخضار ترتفع في الأسواق

اقرأ ايضا: خبر لم يكتب بعد
"""


def test_editor_pastes_a_story_checks_the_parse_and_saves_a_draft(
    live_server, page, django_user_model
):
    django_user_model.objects.create_superuser("desk", password="desk-pass-123")
    make_section("محليات", slug="local")
    make_source("وكالة الأنباء الأردنية", aliases=["بترا"])
    make_article("أسعار الخضار ترتفع في الأسواق")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "desk-pass-123")
    page.click("input[type=submit]")

    page.goto(live_server.url + "/admin/articles/article/")
    page.locator(".object-tools a[href$='/import-wire/']").click()
    page.fill("#id_text", STORY)
    page.select_option("#id_section", label="محليات")
    page.locator("input[name=preview]").click()

    story = page.locator(".wire-story")
    assert story.get_by_role("heading", level=3).inner_text() == "الحكومة تعلن خطة لدعم المزارعين"
    assert "وكالة الأنباء الأردنية" in story.inner_text()
    assert "عمّان" in story.inner_text()
    assert story.get_by_role("link", name="أسعار الخضار ترتفع في الأسواق").is_visible()
    page.screenshot(path=page.screenshots / "wire-preview.png", full_page=True)
    assert not Article.objects.filter(title_ar__startswith="الحكومة").exists()

    page.locator("input[name=save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(title_ar="الحكومة تعلن خطة لدعم المزارعين")
    assert article.status == Article.Status.DRAFT
    assert article.section.slug == "local"
    assert page.url.endswith(f"/admin/articles/article/{article.pk}/change/")
