import datetime

import pytest
from django.utils import timezone
from taggit.models import Tag

from articles import related
from articles.models import Article, TagPosting, TagWeight
from articles.related import related_articles
from tests.factories import link, make_article

pytestmark = pytest.mark.django_db


def related_titles(article, **kwargs):
    manual = [link.target_id for link in article.related_links.all() if link.target_id]
    tag_ids = list(article.tags.values_list("pk", flat=True))
    return [a.title for a in related_articles(article, tag_ids, exclude_ids=manual, **kwargs)]


def common_tag_on(count, name="سياسة"):
    """`count` other articles carrying a ubiquitous tag, so that tag is common."""
    for n in range(count):
        make_article(f"خبر عام {n}", tags=[name], hours_ago=24 * 30 + n)


# --- the pure formula ---


def test_rarer_tag_weighs_more():
    assert related.rarity(3, 1000) > related.rarity(300, 1000)


def test_recency_fades_and_never_reaches_zero():
    assert related.recency(0) == 1
    assert related.recency(related.DECAY_DAYS) == pytest.approx(0.5)
    assert 0 < related.recency(3650) < related.recency(30)


def test_one_rare_shared_tag_beats_one_common_shared_tag_of_the_same_age():
    assert related.score([2], 1, 10_000) > related.score([4_000], 1, 10_000)


def test_one_very_specific_match_from_last_month_beats_a_fresh_common_match():
    assert related.score([5], 30, 1_000_000) > related.score([200_000], 0, 1_000_000)


# --- the engine on PostgreSQL ---


def test_rare_shared_tag_outranks_common_shared_tag():
    common_tag_on(6)
    article = make_article("سد النهضة: جولة مفاوضات جديدة", tags=["سياسة", "سد النهضة"])
    rare_match = make_article("إثيوبيا تبدأ الملء الرابع", tags=["سد النهضة"], hours_ago=5)
    common_match = make_article("البرلمان يناقش الموازنة", tags=["سياسة"], hours_ago=5)

    titles = related_titles(article)

    assert titles.index(rare_match.title) < titles.index(common_match.title)


def test_recency_breaks_ties_between_equal_matches():
    article = make_article("قمة المناخ", tags=["المناخ"])
    older = make_article("قمة المناخ السابقة", tags=["المناخ"], hours_ago=24 * 20)
    newer = make_article("وفود قمة المناخ تصل", tags=["المناخ"], hours_ago=3)

    assert related_titles(article) == [newer.title, older.title]


def test_same_score_same_time_prefers_the_newest_id():
    moment = timezone.now() - datetime.timedelta(hours=2)
    article = make_article("أصل", tags=["وسم"])
    first = make_article("أول", tags=["وسم"], published_at=moment)
    second = make_article("ثان", tags=["وسم"], published_at=moment)

    assert related_titles(article) == [second.title, first.title]


def test_more_shared_rare_tags_rank_higher():
    article = make_article("أصل", tags=["أ", "ب", "ج"])
    one = make_article("يشارك وسماً", tags=["أ"], hours_ago=2)
    two = make_article("يشارك وسمين", tags=["أ", "ب"], hours_ago=2)

    assert related_titles(article) == [two.title, one.title]


def test_engine_order_matches_the_pure_formula():
    common_tag_on(5)
    article = make_article("أصل", tags=["سياسة", "نادر", "متوسط"])
    make_article("متوسط ١", tags=["متوسط"], hours_ago=24 * 40)
    make_article("متوسط ٢", tags=["متوسط", "سياسة"], hours_ago=24 * 2)
    make_article("نادر قديم", tags=["نادر"], hours_ago=24 * 200)
    make_article("عام حديث", tags=["سياسة"], hours_ago=1)
    now = timezone.now()

    weights = dict(TagWeight.objects.values_list("tag__name", "articles"))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = 'articles_article'::regclass"
        )
        corpus = cursor.fetchone()[0]
    own = set(article.tags.names())
    expected = sorted(
        Article.objects.published().exclude(pk=article.pk).filter(tags__name__in=own).distinct(),
        key=lambda a: (
            -related.score(
                [weights[name] for name in set(a.tags.names()) & own],
                (now - a.published_at).total_seconds() / 86400,
                corpus,
            ),
            -a.published_at.timestamp(),
        ),
    )

    assert related_titles(article, limit=20) == [a.title for a in expected]


def test_drafts_scheduled_and_archived_articles_are_never_related():
    article = make_article("أصل", tags=["انتخابات"])
    public = make_article("منشور", tags=["انتخابات"])
    make_article("مسودة", tags=["انتخابات"], status=Article.Status.DRAFT)
    make_article("قيد المراجعة", tags=["انتخابات"], status=Article.Status.REVIEW)
    make_article(
        "مؤرشف", tags=["انتخابات"], status=Article.Status.ARCHIVED, published_at=timezone.now()
    )
    make_article(
        "مجدول", tags=["انتخابات"], published_at=timezone.now() + datetime.timedelta(hours=3)
    )

    assert related_titles(article) == [public.title]


def test_scheduled_article_becomes_related_once_its_time_comes():
    article = make_article("أصل", tags=["انتخابات"])
    scheduled = make_article(
        "مجدول", tags=["انتخابات"], published_at=timezone.now() + datetime.timedelta(hours=3)
    )
    assert related_titles(article) == []

    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    scheduled.refresh_from_db()
    scheduled.save()  # the desk saving it, or refresh_postings after a bulk update

    assert related_titles(article) == [scheduled.title]


def test_unpublishing_removes_an_article_from_related():
    article = make_article("أصل", tags=["انتخابات"])
    other = make_article("آخر", tags=["انتخابات"])
    assert related_titles(article) == [other.title]

    other.status = Article.Status.DRAFT
    other.save()

    assert related_titles(article) == []


def test_an_article_stale_in_the_postings_is_still_never_shown():
    article = make_article("أصل", tags=["انتخابات"])
    other = make_article("آخر", tags=["انتخابات"])
    # A bulk update bypasses signals; the page still applies published().
    Article.objects.filter(pk=other.pk).update(status=Article.Status.DRAFT)

    assert related_titles(article) == []


def test_the_article_itself_and_its_read_also_targets_are_excluded():
    article = make_article("أصل", tags=["انتخابات"])
    linked = make_article("مرتبط يدوياً", tags=["انتخابات"])
    other = make_article("آخر", tags=["انتخابات"])
    link(article, target=linked)

    assert related_titles(article) == [other.title]


def test_tag_changes_update_related_and_weights():
    article = make_article("أصل", tags=["اقتصاد"])
    other = make_article("آخر", tags=["رياضة"])
    assert related_titles(article) == []

    other.tags.add("اقتصاد")
    assert related_titles(article) == [other.title]
    assert TagWeight.objects.get(tag__name="اقتصاد").articles == 2

    other.tags.remove("اقتصاد")
    assert related_titles(article) == []
    assert TagWeight.objects.get(tag__name="اقتصاد").articles == 1


def test_deleting_an_article_recounts_its_tags():
    make_article("أصل", tags=["اقتصاد"])
    other = make_article("آخر", tags=["اقتصاد"])
    other.delete()

    assert TagWeight.objects.get(tag__name="اقتصاد").articles == 1
    assert not TagPosting.objects.filter(article_id=other.pk).exists()


def test_rebuild_postings_matches_incremental_maintenance():
    make_article("أ", tags=["اقتصاد", "نفط"])
    make_article("ب", tags=["نفط"])
    make_article("مسودة", tags=["نفط"], status=Article.Status.DRAFT)
    incremental = set(TagPosting.objects.values_list("tag_id", "article_id", "published_at"))
    weights = set(TagWeight.objects.values_list("tag_id", "articles"))

    related.rebuild_postings()

    assert set(TagPosting.objects.values_list("tag_id", "article_id", "published_at")) == (
        incremental
    )
    assert set(TagWeight.objects.values_list("tag_id", "articles")) == weights
    assert dict(TagWeight.objects.values_list("tag__name", "articles")) == {"اقتصاد": 1, "نفط": 2}


def test_work_per_tag_is_capped(monkeypatch):
    monkeypatch.setattr(related, "POSTINGS_PER_TAG", 3)
    article = make_article("أصل", tags=["سياسة"])
    newest = [make_article(f"حديث {n}", tags=["سياسة"], hours_ago=n + 1) for n in range(3)]
    make_article("قديم", tags=["سياسة"], hours_ago=100)

    assert related_titles(article) == [a.title for a in newest]


def test_no_tags_no_related_and_no_query(django_assert_num_queries):
    article = make_article("بلا وسوم")
    with django_assert_num_queries(0):
        assert related_articles(article, []) == []


def test_related_costs_one_query_whatever_the_number_of_tags(django_assert_num_queries):
    names = [f"وسم {n}" for n in range(30)]
    article = make_article("أصل", tags=names)
    for n in range(10):
        make_article(f"آخر {n}", tags=names[n : n + 3])
    tag_ids = list(Tag.objects.filter(name__in=names).values_list("pk", flat=True))

    with django_assert_num_queries(1):
        assert len(related_articles(article, tag_ids)) == related.RELATED_LIMIT


def test_tag_listing_shows_public_tagged_articles_newest_first(client):
    older = make_article("أقدم", tags=["سد النهضة"], hours_ago=30)
    newer = make_article("أحدث", tags=["سد النهضة"], hours_ago=2)
    make_article("مسودة", tags=["سد النهضة"], status=Article.Status.DRAFT)
    make_article(
        "مجدول", tags=["سد النهضة"], published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    make_article("وسم آخر", tags=["اقتصاد"])
    tag = Tag.objects.get(name="سد النهضة")

    page = client.get(f"/tag/{tag.slug}/").content.decode()

    assert page.index(newer.title) < page.index(older.title)
    for hidden in ("مسودة", "مجدول", "وسم آخر"):
        assert hidden not in page


def test_tag_listing_counts_its_pages(client):
    for n in range(23):
        make_article(f"خبر {n}", tags=["نفط"], hours_ago=n + 1)
    make_article("مسودة", tags=["نفط"], status=Article.Status.DRAFT)
    tag = Tag.objects.get(name="نفط")

    assert client.get(f"/tag/{tag.slug}/?page=2").status_code == 200
    assert client.get(f"/tag/{tag.slug}/?page=3").status_code == 404
