"""articles/page_data.py: an article's relations read in the article's own query give what
`prefetch_related` gave, in the same order, with no query when the page reads them."""

import datetime

import pytest
from django.db.models import Prefetch
from django.utils import timezone, translation

from articles.models import Article, ArticleSource, Correction, RelatedLink
from tests.factories import link, make_article, make_author, make_source

pytestmark = pytest.mark.django_db


def _prefetched(pk):
    """The same relations, the old way: one query per relation."""
    return (
        Article.objects.select_related("section")
        .prefetch_related(
            "authors",
            "tags",
            Prefetch(
                "article_sources",
                queryset=ArticleSource.objects.select_related("source").order_by("position", "id"),
            ),
            Prefetch(
                "related_links",
                queryset=RelatedLink.objects.select_related("target").order_by("position", "id"),
            ),
            "corrections",
        )
        .get(pk=pk)
    )


def _shown(article, links=True):
    """Everything the article page and the API read from the relations."""
    shown = {
        "authors": [
            (a.pk, a.name, a.slug, a.bio, a.get_absolute_url()) for a in article.authors.all()
        ],
        "tags": [(t.pk, t.name, t.slug) for t in article.tags.all()],
        "credits": [
            (c.position, c.source.name, c.source.slug, c.source.url)
            for c in article.article_sources.all()
        ],
        "credit_line": article.credit_line(),
    }
    if links:
        shown["links"] = [link.reader_link() for link in article.related_links.all()]
        shown["notes"] = [(n.kind, n.text, n.noted_at) for n in article.corrections.all()]
    return shown


@pytest.fixture
def story():
    target = make_article("الهدف المنشور")
    draft = make_article("الهدف المسودة", status=Article.Status.DRAFT)
    article = make_article(
        "خبر بكل شيء",
        tags=["غزة", "اقتصاد", "طاقة"],
        sources=[make_source("رويترز", url="https://reuters.example"), make_source("أ ف ب")],
        authors=[make_author("يوسف"), make_author("أمل", bio="مراسلة")],
    )
    link(article, url="https://example.org/x", title="رابط خارجي", position=2)
    link(article, target=draft, position=0)
    link(article, target=target, position=1)
    link(article, title="عنوان ينتظر مقاله", position=3)
    for hours, kind, text in ((1, "update", "تحديث لاحق"), (3, "correction", "تصحيح أول")):
        Correction.objects.create(
            article=article,
            kind=kind,
            text=text,
            noted_at=timezone.now() - datetime.timedelta(hours=hours),
        )
    return article


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_one_query_reads_what_the_prefetches_read(story, language, django_assert_num_queries):
    with translation.override(language):
        expected = _shown(_prefetched(story.pk))
        with django_assert_num_queries(1):
            article = Article.objects.with_page_data().get(pk=story.pk)
            shown = _shown(article)
    assert shown == expected
    if language == "ar":  # by name (in English both fall back: by id)
        assert [name for _, name, *_ in shown["authors"]] == ["أمل", "يوسف"]
    assert [c[1] for c in shown["credits"]] == ["رويترز", "أ ف ب"]
    # the draft target and the pending headline are not shown; the order is kept
    assert [title for _, title in filter(None, shown["links"])] == ["الهدف المنشور", "رابط خارجي"]
    assert [text for _, text, _ in shown["notes"]] == ["تصحيح أول", "تحديث لاحق"]  # in time order


def test_the_api_cards_read_their_relations_in_one_query(story, django_assert_num_queries):
    make_article("خبر بلا شيء")
    with django_assert_num_queries(1):
        cards = {a.pk: _shown(a, links=False) for a in Article.objects.with_bylines_and_credits()}
    assert cards[story.pk] == _shown(_prefetched(story.pk), links=False)
    assert all(card["tags"] == [] for pk, card in cards.items() if pk != story.pk)


def test_a_column_not_read_is_deferred_not_wrong(story, django_assert_num_queries):
    article = Article.objects.with_page_data().get(pk=story.pk)
    target = next(link.target for link in article.related_links.all() if link.target_id)
    with django_assert_num_queries(1):
        assert "نص الخبر" in target.body  # loaded on demand, like .only()
