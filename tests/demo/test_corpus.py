import collections
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from taggit.models import Tag, TaggedItem

from articles.demo import corpus
from articles.models import Article, ArticleSource, TagPosting, TagWeight
from articles.related import related_articles

ARABIC_LETTER = range(0x0621, 0x064B)


def test_tag_names_are_distinct_arabic_and_as_many_as_asked():
    names = corpus.tag_names(4000, random.Random(1))
    assert len(names) == len(set(names)) == 4000
    assert all(any(ord(ch) in ARABIC_LETTER for ch in name) for name in names)
    assert all(len(name) <= 100 for name in names)


def test_generator_is_deterministic_for_a_seed():
    first = corpus.CorpusGenerator(tags=100, seed=7)
    second = corpus.CorpusGenerator(tags=100, seed=7, now=first.now)
    assert [first.article() for _ in range(50)] == [second.article() for _ in range(50)]


def test_tags_follow_a_long_tail():
    generator = corpus.CorpusGenerator(tags=500, seed=3)
    counts = collections.Counter(tag for _ in range(5000) for tag in generator.article().tags)
    ranked = [count for _, count in counts.most_common()]
    # The most common tag is on a large share of articles, most tags on very few.
    assert ranked[0] > 20 * ranked[len(ranked) // 2]
    assert counts[0] == ranked[0]


@pytest.mark.django_db
def test_make_corpus_fills_articles_tags_credits_and_related_postings():
    call_command("make_corpus", articles=300, tags=40, seed=5, stdout=io.StringIO())

    assert Article.objects.count() == 300
    public = Article.objects.published()
    assert 250 < public.count() < 300  # some drafts, scheduled and archived too
    assert Article.objects.exclude(status=Article.Status.PUBLISHED).exists()
    assert Tag.objects.count() == 40
    assert TaggedItem.objects.count() >= 2 * 300
    assert ArticleSource.objects.count() >= 300
    assert all(a.title and a.body.startswith("<p>") and a.section_id for a in public[:20])
    # Keyed like imported wire stories, so "اقرأ أيضاً" headlines resolve to them.
    assert not Article.objects.filter(title_key="").exists()

    # The engine's derived tables match the tags of published articles.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM taggit_taggeditem ti
               JOIN articles_article a ON a.id = ti.object_id WHERE a.status = 'published'"""
        )
        assert TagPosting.objects.count() == cursor.fetchone()[0]
    assert TagWeight.objects.count() == 40

    article = public.filter(tags__isnull=False).first()
    tag_ids = list(article.tags.values_list("pk", flat=True))
    assert related_articles(article, tag_ids)


@pytest.mark.django_db
def test_make_corpus_adds_to_an_existing_corpus_and_the_site_keeps_working(client):
    quiet = io.StringIO()
    call_command("make_corpus", articles=50, tags=20, seed=1, stdout=quiet)
    call_command("make_corpus", articles=50, tags=20, seed=2, stdout=quiet)

    assert Article.objects.count() == 100
    assert Tag.objects.count() == 20
    # New articles made through the ORM get the next free ids.
    from tests.factories import make_article

    assert make_article("خبر بعد المدونة").pk > 100
    article = Article.objects.published().first()
    assert client.get(article.get_absolute_url()).status_code == 200
