"""The editors' desk: creating an article with everything a story needs."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_section, make_source

pytestmark = pytest.mark.django_db


def article_form(**overrides):
    """A complete POST for the article add form, with both inlines."""
    data = {
        "title_ar": "وزارة الدفاع: العمليات مستمرة",
        "title_en": "",
        "slug": "وزارة-الدفاع-العمليات-مستمرة",
        "summary_ar": "ملخص",
        "summary_en": "",
        "body_ar": "<p>نص الخبر</p>",
        "body_en": "",
        "lead_image_caption_ar": "",
        "lead_image_caption_en": "",
        "lead_image_credit": "",
        "tags": "أذربيجان, أرمينيا",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "article_sources-TOTAL_FORMS": "0",
        "article_sources-INITIAL_FORMS": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_desk_is_arabic_and_right_to_left(editor_client):
    html = editor_client.get("/admin/articles/article/add/").content.decode()
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    assert "العنوان" in html
    assert "اقرأ أيضاً" in html


def test_editor_creates_a_complete_article(editor_client):
    section, author = make_section("سياسة"), make_author("سلمى حداد")
    agencies, masdar = make_source("وكالات"), make_source("مصدر الإخبارية")
    other = make_article("هرتسوغ يتجه إلى أذربيجان")
    data = article_form(
        section=section.pk,
        authors=[author.pk],
        status="published",
        **{
            "article_sources-TOTAL_FORMS": "2",
            "article_sources-0-source": agencies.pk,
            "article_sources-0-position": "0",
            "article_sources-1-source": masdar.pk,
            "article_sources-1-position": "1",
            "related_links-TOTAL_FORMS": "2",
            "related_links-0-position": "0",
            "related_links-0-target": other.pk,
            "related_links-1-position": "1",
            "related_links-1-url": "https://example.org/report",
            "related_links-1-title": "تقرير",
        },
    )
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    article = Article.objects.get(slug="وزارة-الدفاع-العمليات-مستمرة")
    assert article.is_public
    assert article.credit_line() == "وكالات - مصدر الإخبارية"
    assert set(article.tags.names()) == {"أرمينيا", "أذربيجان"}
    assert [(lk.target, lk.url) for lk in article.related_links.all()] == [
        (other, ""),
        (None, "https://example.org/report"),
    ]


def test_saving_as_draft_keeps_it_off_the_site(editor_client, client):
    editor_client.post("/admin/articles/article/add/", article_form())
    article = Article.objects.get()
    assert article.status == "draft"
    assert client.get(f"/news/{article.pk}/{article.slug}/").status_code == 404


def test_scheduling_with_a_future_time(editor_client):
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    data = article_form(
        status="published",
        published_at_0=when.strftime("%Y-%m-%d"),
        published_at_1=when.strftime("%H:%M:%S"),
    )
    assert editor_client.post("/admin/articles/article/add/", data).status_code == 302
    article = Article.objects.get()
    assert article.status == "published"
    assert not article.is_public
    assert not Article.objects.published().exists()


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ({"url": "https://example.org/a", "title": ""}, "الرابط الخارجي يحتاج إلى عنوان"),
        ({"url": "javascript:alert(1)", "title": "x"}, "أدخِل رابطًا صحيحًا"),
    ],
)
def test_a_bad_related_link_shows_an_arabic_error_and_keeps_the_text(editor_client, link, message):
    data = article_form(
        **{
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-position": "0",
            **{f"related_links-0-{key}": value for key, value in link.items()},
        }
    )
    response = editor_client.post("/admin/articles/article/add/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "وزارة الدفاع: العمليات مستمرة" in html  # nothing the editor wrote is lost
    assert not Article.objects.exists()


def test_a_link_with_both_an_article_and_a_url_is_refused(editor_client):
    other = make_article("خبر آخر")
    data = article_form(
        **{
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-position": "0",
            "related_links-0-target": other.pk,
            "related_links-0-url": "https://example.org/",
            "related_links-0-title": "x",
        }
    )
    response = editor_client.post("/admin/articles/article/add/", data)
    assert "اختر مقالاً أو رابطاً خارجياً، لا الاثنين معاً" in response.content.decode()
    assert Article.objects.count() == 1


def test_related_article_autocomplete_finds_articles_by_arabic_title(editor_client):
    make_article("هرتسوغ يتجه إلى أذربيجان")
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "term": "هرتسوغ",
            "app_label": "articles",
            "model_name": "relatedlink",
            "field_name": "target",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["هرتسوغ يتجه إلى أذربيجان"]


def test_source_aliases_are_edited_as_a_comma_separated_list(editor_client):
    response = editor_client.post(
        "/admin/articles/source/add/",
        {
            "name_ar": "أ ف ب",
            "name_en": "AFP",
            "slug": "أ-ف-ب",
            "aliases": "فرانس برس,AFP",
            "url": "",
        },
    )
    assert response.status_code == 302
    from articles.models import Source

    assert Source.objects.get(slug="أ-ف-ب").aliases == ["فرانس برس", "AFP"]


def test_a_tag_without_letters_is_refused_with_an_arabic_field_error(editor_client):
    response = editor_client.post("/admin/articles/article/add/", article_form(tags="سياسة, ؟"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["tags"]
    assert errors == ["«؟» بلا حرف ولا رقم؛ الوسم يحتاج إلى واحد منهما على الأقل."]
    assert not Article.objects.exists()
