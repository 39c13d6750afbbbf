"""Corrections and update notes: on the article (dated, in order, its updated time and
dateModified), on the public corrections page and feed, in the revisions; never for an article
readers cannot see."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError

from articles.live import actions
from articles.live.models import Correction
from articles.models import Article
from tests.factories import make_article
from tests.hostile import PAYLOADS, assert_feed_is_harmless, assert_nothing_executable

pytestmark = pytest.mark.django_db


def json_ld(html):
    block = re.search(r'type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_notes_show_on_the_article_in_order_and_set_its_updated_time(client, editor):
    article = make_article("وزير المالية يعلن الموازنة")
    first = actions.add_note(article, "correction", "ورد اسم الوزير خطأً وصوابه سالم.", editor)
    second = actions.add_note(article, "update", "أضفنا تصريحات المعارضة.", editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index("ورد اسم الوزير") < page.index("أضفنا تصريحات")
    assert "تصحيح" in page and "تحديث" in page
    assert f'id="note-{first.pk}"' in page
    assert 'class="article__updated"' in page
    assert f'datetime="{second.noted_at.isoformat()}"' in page
    data = json_ld(page)
    assert data["dateModified"] == Article.objects.get(pk=article.pk).updated_at.isoformat()
    assert Article.objects.get(pk=article.pk).updated_at == second.noted_at


def test_an_article_without_notes_shows_no_updated_line(client):
    article = make_article()
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="article__updated"' not in page and 'class="notes"' not in page


def test_a_note_needs_its_text(editor):
    article = make_article()
    with pytest.raises(ValidationError):
        actions.add_note(article, "correction", "   ", editor)
    assert not Correction.objects.exists()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_corrections_page_lists_public_corrections_newest_first(client, editor, prefix):
    older = make_article("خبر أول", title_en="First story")
    newer = make_article("خبر ثان", title_en="Second story")
    hidden = make_article("خبر مسودة", status=Article.Status.DRAFT)
    actions.add_note(older, "correction", "التصحيح الأقدم", editor)
    actions.add_note(newer, "correction", "التصحيح الأحدث", editor)
    actions.add_note(newer, "update", "تحديث لا يُعد تصحيحاً", editor)
    actions.add_note(hidden, "correction", "تصحيح مقال غير منشور", editor)
    response = client.get(f"{prefix}/corrections/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("التصحيح الأحدث") < page.index("التصحيح الأقدم")
    assert "تحديث لا يُعد" not in page and "غير منشور" not in page
    assert f'href="{prefix}/news/{older.pk}/' in page
    feed = client.get(f"{prefix}/feeds/corrections/")
    assert feed.status_code == 200
    items = ET.fromstring(feed.content).findall("./channel/item")
    assert [item.find("description").text for item in items] == ["التصحيح الأحدث", "التصحيح الأقدم"]
    assert items[0].find("link").text.endswith(f"#note-{newer.corrections.first().pk}")


def test_unpublishing_an_article_takes_its_correction_off_the_page_and_feed(client, editor):
    article = make_article("خبر سيسحب")
    actions.add_note(article, "correction", "تصحيح سيختفي", editor)
    assert "تصحيح سيختفي" in client.get("/corrections/").content.decode()
    from articles import actions as article_actions

    article_actions.unpublish(article, editor)
    assert "تصحيح سيختفي" not in client.get("/corrections/").content.decode()
    assert "تصحيح سيختفي" not in client.get("/feeds/corrections/").content.decode()


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_hostile_notes_are_inert(client, editor, name):
    article = make_article(f"خبر {name}")
    actions.add_note(article, "correction", PAYLOADS[name], editor)
    assert_nothing_executable(client.get(article.get_absolute_url()).content.decode(), name)
    assert_nothing_executable(client.get("/corrections/").content.decode(), name)
    assert_feed_is_harmless(client.get("/feeds/corrections/").content, name)


def test_notes_are_kept_in_the_article_revisions(editor_client, editor):
    article = make_article("خبر مصحح")
    note = actions.add_note(article, "correction", "صححنا التاريخ", editor)
    from reversion.models import Version

    [version] = Version.objects.get_for_object(note)
    assert Version.objects.get_for_object(article).filter(revision=version.revision).exists()
    page = editor_client.get(f"/admin/articles/article/{article.pk}/revisions/").content.decode()
    assert "تصحيح" in page


def test_desk_adds_a_note_and_shows_errors_in_arabic(editor_client):
    article = make_article("خبر على المكتب")
    url = f"/admin/articles/article/{article.pk}/live/"
    response = editor_client.post(url, {"do": "note", "kind": "correction", "text": ""})
    assert response.status_code == 200
    assert "هذا الحقل مطلوب" in response.content.decode()
    response = editor_client.post(url, {"do": "note", "kind": "update", "text": "أضفنا الصور"})
    assert response.status_code == 302
    assert Correction.objects.get().kind == "update"
    assert "أضفنا الصور" in editor_client.get(article.get_absolute_url()).content.decode()
