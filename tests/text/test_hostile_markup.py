"""Hostile markup in every text an editor or a wire file can set never reaches a reader as
something that runs: each field, in each language it is translated into, gets each payload,
and every public page, feed and sitemap that shows it is checked (tests/hostile.py)."""

import io
import json
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from PIL import Image

from articles.models import Article, RelatedLink
from articles.wire.importer import WireImporter
from tests.factories import link, make_article, make_author, make_section, make_source
from tests.hostile import (
    PAYLOADS,
    assert_feed_is_harmless,
    assert_nothing_executable,
    assert_xml_parses,
    page_text,
)

pytestmark = pytest.mark.django_db

QUERY = "زلزال"  # every article here is found by this word
MARK = "مجهرية"  # a word only the hostile value holds, to prove it reached the page


def hostile(payload):
    return f"{QUERY} {MARK} {payload}"


@pytest.fixture
def lead_image():
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (20, 90, 160)).save(out, "JPEG")
    name = default_storage.save(
        "lead/hostile/photo.jpg", SimpleUploadedFile("p.jpg", out.getvalue())
    )
    yield name
    default_storage.delete(name)


def newsroom(lead_image):
    """One public article with everything a reader page can show, all of it harmless."""
    section = make_section(f"{QUERY} سياسة", slug="siyasa", name_en="Politics")
    source = make_source("وكالات", slug="wakalat", name_en="Agencies")
    author = make_author("سلمى حداد", slug="salma", name_en="Salma Haddad")
    article = make_article(
        f"{QUERY} في المدينة",
        title_en=f"{QUERY} in the city",
        slug="zilzal",
        summary="ملخص الخبر",
        summary_en="The summary",
        body=f"<p>{QUERY} ضرب المدينة.</p>",
        body_en=f"<p>{QUERY} hit the city.</p>",
        lead_image=lead_image,
        lead_image_caption="صورة من المدينة",
        lead_image_caption_en="A picture of the city",
        lead_image_credit="أ ف ب",
        section=section,
        sources=[source],
        authors=[author],
        tags=["زلازل"],
    )
    link(article, url="https://example.org/report", title="تقرير")
    return article


# How each field is set, and the language whose pages show it.
def _set_article(field):
    def apply(article, value):
        setattr(article, field, value)
        article.save()

    return apply


def _set_named(relation, field):
    def apply(article, value):
        obj = (
            getattr(article, relation)
            if relation == "section"
            else getattr(article, relation).get()
        )
        setattr(obj, field, value)
        obj.save()
        article.save()  # refresh the article's search text, as the desk does

    return apply


def _set_tag(article, value):
    article.tags.set([value])
    article.save()


def _set_link(field):
    def apply(article, value):
        related = article.related_links.get()
        if field == "url":
            value = "https://example.org/" + quote(MARK) + "?q=" + value.replace(" ", "%20")
        setattr(related, field, value)
        related.full_clean()  # what the desk's form runs: the model accepts it
        related.save()

    return apply


FIELDS = {
    "title ar": ("ar", _set_article("title_ar")),
    "title en": ("en", _set_article("title_en")),
    "summary ar": ("ar", _set_article("summary_ar")),
    "summary en": ("en", _set_article("summary_en")),
    "body ar": ("ar", _set_article("body_ar")),
    "body en": ("en", _set_article("body_en")),
    "caption ar": ("ar", _set_article("lead_image_caption_ar")),
    "caption en": ("en", _set_article("lead_image_caption_en")),
    "credit": ("ar", _set_article("lead_image_credit")),
    "tag": ("ar", _set_tag),
    "source ar": ("ar", _set_named("sources", "name_ar")),
    "source en": ("en", _set_named("sources", "name_en")),
    "author ar": ("ar", _set_named("authors", "name_ar")),
    "author en": ("en", _set_named("authors", "name_en")),
    "link title": ("ar", _set_link("title")),
    "link url": ("ar", _set_link("url")),
    "section ar": ("ar", _set_named("section", "name_ar")),
    "section en": ("en", _set_named("section", "name_en")),
}


def public_pages(article, language):
    prefix = "" if language == "ar" else "/en"
    day = timezone.localtime(article.published_at)
    tag = article.tags.first()
    with translation.override(language):
        article_url = article.get_absolute_url()
    return [
        f"{prefix}/",
        article_url,
        f"{prefix}/section/{article.section.slug}/",
        f"{prefix}/tag/{tag.slug}/",
        f"{prefix}/source/{article.sources.first().slug}/",
        f"{prefix}/author/{article.authors.first().slug}/",
        f"{prefix}/archive/{day.year}/{day.month}/{day.day}/",
        f"{prefix}/search/?q={QUERY}",
    ]


def feeds(article, language):
    prefix = "" if language == "ar" else "/en"
    tag = article.tags.first()
    return [
        f"{prefix}/feeds/latest/",
        f"{prefix}/feeds/section/{article.section.slug}/",
        f"{prefix}/feeds/tag/{tag.slug}/",
    ]


def check_everything_public(client, article, language):
    """Every page, feed and sitemap showing the article: nothing executable. Returns the
    article page's text, for the caller to see the hostile value arrived."""
    for url in public_pages(article, language):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_nothing_executable(html, url)
        assert f"{article.pk}/" in html, f"{url} does not show the article"
    for url in feeds(article, language):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_feed_is_harmless(response.content, url)
    for url in ("/sitemap.xml", "/sitemap-news.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_xml_parses(response.content, url)
    page = client.get(public_pages(article, language)[1]).content.decode()
    return page


@pytest.mark.parametrize("payload", list(PAYLOADS))
@pytest.mark.parametrize("field", list(FIELDS))
def test_hostile_markup_in_any_field_never_runs_on_any_public_page(
    client, lead_image, field, payload
):
    article = newsroom(lead_image)
    language, apply = FIELDS[field]
    apply(article, hostile(PAYLOADS[payload]))
    article = Article.objects.get(pk=article.pk)
    page = check_everything_public(client, article, language)
    assert MARK in page_text(page), f"the {field} never reached the article page"


def test_template_syntax_in_text_is_shown_as_written(client, lead_image):
    article = newsroom(lead_image)
    article.title = "{{ 7|add:7 }} {% now 'Y' %}"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "{{ 7|add:7 }} {% now &#x27;Y&#x27; %}" in html


def test_json_ld_keeps_a_script_breaking_headline_as_data(client, lead_image):
    article = newsroom(lead_image)
    article.title = PAYLOADS["json-ld breakout"]
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    page = assert_nothing_executable(html)
    data = json.loads(page.scripts[0]["content"])
    assert data["headline"] == "</script><script>alert(1)</script>"


def test_feeds_show_markup_in_titles_and_summaries_as_text(client, lead_image):
    article = newsroom(lead_image)
    article.title = "<b>عاجل</b> <script>alert(1)</script>"
    article.summary = "<img src=x onerror=alert(1)>"
    article.save()
    text = assert_feed_is_harmless(client.get("/feeds/latest/").content)
    # A feed reader decodes the HTML and shows the markup as the editor typed it.
    assert "<b>عاجل</b> <script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text


# --- read-also URLs ---


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
    ],
)
def test_a_read_also_link_to_a_script_url_is_refused_by_the_model_and_the_database(url):
    article = make_article()
    related = RelatedLink(article=article, url=url, title="اقرأ")
    with pytest.raises(ValidationError) as error:
        related.full_clean()
    assert "url" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, url=url, title="اقرأ")


# --- through the desk ---


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_hostile_markup_typed_at_the_desk_never_runs(editor_client, client, payload):
    from tests.desk.test_admin import article_form

    value = hostile(PAYLOADS[payload])
    section, author, source = (
        make_section("سياسة", slug="siyasa"),
        make_author(slug="a"),
        make_source(slug="s"),
    )
    data = article_form(
        title_ar=value,
        title_en=value,
        slug="hostile",
        summary_ar=value,
        summary_en=value,
        body_ar=f"<p>{value}</p>{PAYLOADS[payload]}",
        body_en=f"<p>{value}</p>",
        lead_image_caption_ar=value,
        lead_image_credit=value[:150],
        tags=f'"{value[:90]}"',
        status="published",
        section=section.pk,
        authors=[author.pk],
        **{
            "article_sources-TOTAL_FORMS": "1",
            "article_sources-0-source": source.pk,
            "article_sources-0-position": "0",
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-position": "0",
            "related_links-0-url": "https://example.org/?q=" + quote(PAYLOADS[payload]),
            "related_links-0-title": value,
        },
    )
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    article = Article.objects.get(slug="hostile")
    for language in ("ar", "en"):
        page = check_everything_public(client, article, language)
        assert MARK in page_text(page)


# --- through a wire import ---


def wire_story(payload):
    value = hostile(payload)
    return "\n".join(
        [
            value,
            f"القاهرة - {payload}:",
            f"قال مسؤولون {QUERY} {payload} إن الاجتماع انتهى.",
            f"وأضافوا {MARK} أن المحادثات ستستأنف {payload}",
            f"اقرأ أيضاً: {value}",
            f"اقرأ أيضاً: تقرير {payload} https://example.org/x?q={quote(payload)}",
            f"(المصدر: {payload})",
        ]
    )


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_hostile_markup_in_wire_copy_never_runs(client, payload):
    section = make_section("سياسة", slug="siyasa")
    result = WireImporter(publish=True, section=section, tags=[hostile(PAYLOADS[payload])[:90]])
    outcome = result.import_bytes(wire_story(PAYLOADS[payload]).encode())
    article = Article.objects.get(pk=outcome.article_id)
    if not article.sources.exists():  # the parser may read the credit line as a dateline
        article.article_sources.create(source=make_source(slug="wire"), position=0)
    if not article.authors.exists():
        article.authors.add(make_author(slug="wire-author"))
    page = check_everything_public(client, article, "ar")
    assert MARK in page_text(page)


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_hostile_markup_in_ninjs_never_runs(client, payload):
    value = hostile(PAYLOADS[payload])
    item = {
        "uri": f"urn:newsml:example:{abs(hash(payload))}",
        "headline": value,
        "byline": f"{PAYLOADS[payload]} سلمى",
        "description_text": value,
        "body_html": f"<p>{value}</p>{PAYLOADS[payload]}<p onclick='alert(1)'>{QUERY}</p>",
        "subject": [{"name": value[:90]}],
        "located": PAYLOADS[payload],
    }
    section = make_section("سياسة", slug="siyasa")
    outcome = WireImporter(publish=True, section=section).import_bytes(
        json.dumps(item, ensure_ascii=False).encode(), name="story.json"
    )
    article = Article.objects.get(pk=outcome.article_id)
    if not article.sources.exists():
        article.article_sources.create(source=make_source(slug="wire"), position=0)
    if not article.authors.exists():
        article.authors.add(make_author(slug="wire-author"))
    if not article.tags.exists():
        article.tags.add("وسم")
    page = check_everything_public(client, article, "ar")
    assert MARK in page_text(page)
