"""The incoming queue and a new agency version in a real headless Chromium, at a phone's and a
desktop's width."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles import actions
from articles.agency.models import IncomingItem, StoryGroup
from articles.models import Article
from tests.agency.stories import EARTHQUAKE, ELECTIONS, FLOODS
from tests.agency.test_desk import item_xml
from tests.factories import make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def import_items(tmp_path, documents):
    paths = []
    for number, document in enumerate(documents):
        path = tmp_path / f"b-{len(list(tmp_path.iterdir()))}-{number}.xml"
        path.write_text(document)
        paths.append(str(path))
    call_command("import_wire", *paths, stdout=io.StringIO(), stderr=io.StringIO())


def log_in(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("desk", password="desk-pass-123")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "desk-pass-123")
    page.click("input[type=submit]")


@pytest.mark.parametrize("width", [360, 1280])
def test_editor_opens_a_story_group_picks_a_version_and_accepts_a_correction(
    live_server, page, django_user_model, tmp_path, width
):
    page.set_viewport_size({"width": width, "height": 900})
    make_source("فرانس برس", aliases=["أ ف ب"])
    make_source("رويترز")
    make_source("الأناضول")
    documents = [
        item_xml(f"urn:quake:{n}", agency, headline, paragraphs)
        for n, (agency, headline, paragraphs) in enumerate(EARTHQUAKE)
    ]
    documents += [item_xml("urn:floods:1", *FLOODS), item_xml("urn:elections:1", *ELECTIONS)]
    import_items(tmp_path, documents)
    log_in(page, live_server, django_user_model)

    page.goto(live_server.url + "/admin/articles/storygroup/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=tmp_path / f"queue-{width}.png", full_page=True)

    group = IncomingItem.objects.get(guid="urn:quake:0").group
    page.locator(f"a[href$='/storygroup/{group.pk}/change/']").first.click()
    items = page.locator(".agency-item")
    expect(items).to_have_count(3)
    page.screenshot(path=tmp_path / f"group-{width}.png", full_page=True)
    reuters = IncomingItem.objects.get(guid="urn:quake:1")
    page.locator(".agency-item", has_text=EARTHQUAKE[1][1]).get_by_role("button").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.url.endswith(f"/admin/articles/article/{reuters.article_id}/change/")
    assert StoryGroup.objects.get(pk=group.pk).picked_id == reuters.pk

    # The editor publishes it; the agency then corrects the toll.
    article = Article.objects.get(pk=reuters.article_id)
    actions.publish_now(article, django_user_model.objects.get(username="desk"))
    agency, headline, paragraphs = EARTHQUAKE[1]
    corrected = [paragraphs[0].replace("12 شخصاً", "13 شخصاً"), paragraphs[1]]
    document = item_xml("urn:quake:1", agency, headline, corrected, version=2)
    import_items(
        tmp_path,
        [
            document.replace(
                'qcode="stat:usable"/>', 'qcode="stat:usable"/><signal qcode="sig:correction"/>'
            )
        ],
    )

    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    notice = page.locator(".agency-notice")
    expect(notice).to_be_visible()
    assert "تصحيح من الوكالة" in notice.inner_text()
    notice.get_by_role("link").click()
    expect(page.locator(".diff .added", has_text="13 شخصاً").first).to_be_visible()
    page.screenshot(path=tmp_path / f"version-{width}.png", full_page=True)
    page.locator("input[name=accept]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert "13 شخصاً" in article.body_ar and article.is_public
    page.screenshot(path=tmp_path / f"accepted-{width}.png", full_page=True)
