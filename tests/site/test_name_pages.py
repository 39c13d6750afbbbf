"""Pages of names (tags, authors, sources) and what an outside probe tried against them: a name
with nothing public has no page, every tag has a usable slug, HEAD works like GET."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.factories import make_article, make_author, make_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_site")]


# --- 8. names with nothing public -------------------------------------------------------------


def test_a_tag_used_only_by_a_draft_has_no_page_nor_feed(client):
    make_article("خبر تحت الحظر", status=Article.Status.DRAFT, tags=["صفقة سرية"])
    tag = Tag.objects.get(name="صفقة سرية")
    assert client.get(reverse("articles:tag", args=[tag.slug])).status_code == 404
    assert client.get(reverse("articles:feed_tag", args=[tag.slug])).status_code == 404
    assert client.get("/tag/no-such-tag/").status_code == 404  # the same answer as unknown


def test_a_tag_used_by_a_scheduled_article_has_no_page_until_it_goes_live(client):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    make_article("خبر الغد", published_at=tomorrow, tags=["موعد"])
    tag = Tag.objects.get(name="موعد")
    assert client.get(reverse("articles:tag", args=[tag.slug])).status_code == 404


def test_authors_and_sources_without_public_articles_have_no_page(client):
    author, source = make_author("كاتب جديد"), make_source("وكالة جديدة")
    make_article("مسودة", status=Article.Status.DRAFT, authors=[author], sources=[source])
    assert client.get(author.get_absolute_url()).status_code == 404
    assert client.get(source.get_absolute_url()).status_code == 404
    make_article("خبر منشور", authors=[author], sources=[source])
    assert client.get(author.get_absolute_url()).status_code == 200
    assert client.get(source.get_absolute_url()).status_code == 200


def test_a_name_with_public_articles_keeps_its_page_and_its_later_pages_404(client):
    make_article("خبر منشور", tags=["اقتصاد"])
    tag = Tag.objects.get(name="اقتصاد")
    url = reverse("articles:tag", args=[tag.slug])
    assert client.get(url).status_code == 200
    assert client.get(url + "?page=2").status_code == 404


def test_a_reporters_wire_import_creates_names_without_public_pages(client, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(
        "عنوان خبر جديد\n\nعمّان - وكالة لم نعرفها:\n\nنص الخبر الأول هنا.\n", encoding="utf-8"
    )
    call_command("import_wire", str(story), stdout=open("/dev/null", "w"))  # noqa: SIM115
    source = Article.objects.get().sources.get()
    assert client.get(source.get_absolute_url()).status_code == 404


# --- 3. tags made of punctuation --------------------------------------------------------------


@pytest.mark.parametrize("name", [",", "؟", "!!!", "_"])
def test_a_punctuation_tag_never_breaks_the_article_page_or_the_tag_sitemap(client, name):
    article = make_article("خبر بوسم غريب", tags=[name, "سياسة"])
    tag = Tag.objects.get(name=name)
    assert tag.slug and tag.slug.strip("_-")  # a usable slug, never "" nor "_1"
    for path in (article.get_absolute_url(), "/en" + article.get_absolute_url()):
        assert client.get(path, follow=True).status_code == 200
    response = client.get("/sitemap-tags.xml")
    assert response.status_code == 200
    ET.fromstring(response.content)


def test_two_punctuation_tags_get_different_usable_slugs():
    make_article(tags=["؟"])
    make_article(tags=["!!!"])
    slugs = sorted(Tag.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 2 and all(slug.strip("_-") for slug in slugs)


def test_arabic_letters_are_kept_in_tag_slugs():
    make_article(tags=["غزة"])
    assert Tag.objects.get(name="غزة").slug == "غزة"


# --- 5. HEAD ----------------------------------------------------------------------------------


def test_head_answers_like_get_whether_or_not_the_page_is_cached(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # never cached: the view itself must take HEAD
    article = make_article("خبر", tags=["وسم"])
    for path in ("/", article.get_absolute_url(), "/search/?q=خبر", "/feeds/latest/"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b""
