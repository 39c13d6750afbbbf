"""Article cards are rendered once per process and edit (articles/site/cards.py): readers must
still see every change at once, in every language and on every page that shows the card."""

import pytest
from django.test import override_settings
from django.utils import translation

from articles.site import cards
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def _home(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_an_edited_headline_shows_on_the_home_page_at_once(client):
    article = make_article("العنوان الأول للخبر", summary="ملخص أول")
    assert "العنوان الأول للخبر" in _home(client)
    article.title = "العنوان المصحح للخبر"
    article.summary = "ملخص مصحح"
    article.save()
    html = _home(client)
    assert "العنوان المصحح للخبر" in html and "ملخص مصحح" in html
    assert "العنوان الأول للخبر" not in html


def test_a_renamed_section_shows_on_every_card(client):
    section = make_section("رياضة", slug="sport")
    make_article("مباراة الأمس", section=section)
    assert _home(client).count("رياضة") >= 1
    section.name = "الرياضة العربية"
    section.save()
    html = _home(client)
    assert "الرياضة العربية" in html
    assert ">رياضة<" not in html


def test_each_language_gets_its_own_card(client):
    make_article("خبر بالعربية", title_en="A story in English")
    assert "خبر بالعربية" in _home(client)
    english = _home(client, "/en/")
    assert "A story in English" in english
    assert "خبر بالعربية" not in english


def _count_renders(monkeypatch) -> list:
    """The templates cards.py renders from now on, in order."""
    rendered = []
    real = cards.get_template

    def counting(name):
        rendered.append(name)
        return real(name)

    monkeypatch.setattr(cards, "get_template", counting)
    return rendered


def test_a_card_is_rendered_once_then_read_from_memory(client, monkeypatch):
    article = make_article("خبر يعرض مرتين")
    rendered = _count_renders(monkeypatch)
    with translation.override("ar"):
        first = cards.card_html(article)
        again = cards.card_html(article)
        lead = cards.card_html(article, lead=True, level=2)
    assert first == again and "خبر يعرض مرتين" in first
    assert 'class="card card--lead"' in lead and "<h2" in lead
    assert rendered == [cards.TEMPLATE, cards.TEMPLATE]  # one per variant


@override_settings(CARD_CACHE_ENTRIES=2)
def test_the_memory_is_bounded():
    articles = [make_article(f"خبر {i}") for i in range(5)]
    with translation.override("ar"):
        for article in articles:
            cards.card_html(article)
    assert len(cards._cards.entries) == 2


def test_the_section_menu_follows_a_renamed_or_added_section(client):
    make_section("اقتصاد", slug="economy")
    assert ">اقتصاد</a>" in _home(client)
    economy = make_section("اقتصاد", slug="economy-2")
    economy.name = "أسواق"
    economy.save()
    make_section("علوم", slug="science")
    html = _home(client)
    assert ">أسواق</a>" in html and ">علوم</a>" in html
    assert ">Economy</a>" not in html
    english = _home(client, "/en/")
    assert 'aria-label="Sections"' in english


def test_after_an_edit_the_home_page_renders_only_the_edited_card(client, monkeypatch):
    stories = [make_article(f"خبر الصفحة الأولى {i}", hours_ago=i + 1) for i in range(6)]
    assert all(story.title in _home(client) for story in stories)
    rendered = _count_renders(monkeypatch)
    edited = stories[3]
    edited.title = "عنوان معدل لخبر واحد"
    edited.save()  # through the write path: the home page is retired
    html = _home(client)
    assert "عنوان معدل لخبر واحد" in html
    assert all(story.title in html for story in stories if story is not edited)
    assert rendered == [cards.TEMPLATE]


def test_a_story_unpublished_since_its_card_was_named_is_left_out():
    shown = make_article("خبر ما زال منشورا")
    pulled = make_article("خبر سحب للتو")
    refs = [cards.CardRef(shown.pk, shown.updated_at), cards.CardRef(pulled.pk, pulled.updated_at)]
    pulled.status = pulled.Status.DRAFT
    pulled.save()
    with translation.override("ar"):
        found = cards.cards_html(refs)
    assert "خبر ما زال منشورا" in found[0]
    assert found[1] is None
