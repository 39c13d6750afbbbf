"""Live coverage as readers get it: the article page, "load more" and the poll endpoint."""

import json

import pytest

from articles.live.models import LiveEntry
from tests.live.conftest import post

pytestmark = pytest.mark.django_db


def poll(client, article, **headers):
    return client.get(f"/live/{article.pk}/poll/", **headers)


def test_entries_render_newest_first_on_the_article_page(client, live_article, editor):
    post(live_article, editor, "<p>المدخل الأول</p>")
    post(live_article, editor, "<p>المدخل الثاني</p>")
    page = client.get(live_article.get_absolute_url()).content.decode()
    assert page.index("المدخل الثاني") < page.index("المدخل الأول")
    assert 'data-poll-url="/live/' in page


def test_poll_answers_json_with_an_etag_and_304_when_nothing_changed(client, live_article, editor):
    post(live_article, editor, "<p>خبر عاجل من الميدان</p>")
    first = poll(client, live_article)
    assert first.status_code == 200
    data = json.loads(first.content)
    assert data["state"] == "live" and data["interval"] == 15
    assert "خبر عاجل من الميدان" in data["entries"][0]["html"]
    again = poll(client, live_article, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    post(live_article, editor, "<p>تطور جديد</p>")
    changed = poll(client, live_article, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "تطور جديد" in json.loads(changed.content)["entries"][0]["html"]


def test_desk_composer_posts_edits_pins_and_deletes_entries(editor_client, live_article):
    url = f"/admin/articles/article/{live_article.pk}/live/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url, {"do": "entry", "body": "<p>وصول الوفود</p>", "status": "published", "headline": ""}
    )
    assert response.status_code == 302
    entry = LiveEntry.objects.get(article=live_article)
    page = editor_client.get(url).content.decode()
    assert "وصول الوفود" in page
    edit = f"{url}{entry.pk}/"
    form = editor_client.get(edit)
    expected = form.context["entry_form"].initial["expected_updated"]
    response = editor_client.post(
        edit,
        {
            "body": "<p>وصول الوفود إلى القاعة</p>",
            "status": "published",
            "expected_updated": expected,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert "القاعة" in entry.body
    editor_client.post(f"{url}{entry.pk}/pin/")
    assert live_article.live.__class__.objects.get(pk=live_article.pk).pinned_entry_id == entry.pk
    editor_client.post(f"{url}{entry.pk}/delete/")
    entry.refresh_from_db()
    assert entry.deleted_at is not None
