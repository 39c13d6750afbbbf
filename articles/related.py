"""Related articles: shared tags weighted by rarity, fading with age.

score(candidate) = sum over the tags it shares with the article of rarity(tag), times recency(age)

    rarity(tag)   = ln(1 + corpus size / articles carrying the tag)   (inverse document frequency)
    recency(age)  = 1 / (1 + age in days / DECAY_DAYS)

so one shared rare tag ("سد النهضة") outweighs a shared ubiquitous one ("سياسة"), and between
equal scores the newest article wins. Public articles only; never the article itself nor one it
already links to by hand.

Why the cost per page does not grow with the archive: the engine never scans a tag's whole
article list. `TagPosting` keeps (tag, published_at, article) rows with an index ordered by
publication time within each tag, and the query reads at most POSTINGS_PER_TAG of the newest
postings of each of the article's tags (an index-only scan each), then scores those few hundred
candidates. A tag's document frequency comes from `TagWeight`, kept current on writes, so no
page counts anything. Rare tags fit entirely under the cap; for common tags only the newest
postings are read, which are the ones the recency factor would favour anyway.

Both tables are derived data: `refresh_postings()` rewrites an article's rows (called by the
signals in `articles.signals` when an article is saved or deleted or its tags change), and
`rebuild_postings()` rebuilds everything (after a bulk load).
"""

import math

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article, TagPosting, TagWeight
from newsroom.prepared import Moment, Number, Numbers, Prepared

RELATED_LIMIT = 6
# How many of the newest postings of each tag are read per page.
POSTINGS_PER_TAG = 200
# Recency halves a score after this many days (hyperbolic, so old but very specific
# matches still beat fresh ones that share only a common tag).
DECAY_DAYS = 60.0


# Columns a card never shows: not worth reading for six cards per page.
def rarity(tag_articles: int, corpus_size: float) -> float:
    """Inverse document frequency of a tag carried by `tag_articles` of `corpus_size` articles."""
    return math.log(1 + max(corpus_size, 1.0) / max(tag_articles, 1))


def recency(age_days: float) -> float:
    return 1.0 / (1.0 + max(age_days, 0.0) / DECAY_DAYS)


def score(shared_tag_articles, age_days: float, corpus_size: float) -> float:
    """The score of a candidate sharing tags carried by `shared_tag_articles` articles each."""
    return sum(rarity(n, corpus_size) for n in shared_tag_articles) * recency(age_days)


# The same formula in SQL (kept beside the Python above; tests check they agree): the ids of
# the best candidates, best first. Placeholders: now, excluded ids, cap, tag ids, now, decay,
# limit. Ages come from date_part (double precision): EXTRACT returns numeric since
# PostgreSQL 14, and numeric arithmetic over a few hundred candidates was a third of the query.
_RANKED_IDS_SQL = f"""
SELECT c.article_id
FROM (
    SELECT p.article_id,
           max(p.published_at) AS published_at,
           sum(ln(1 + n.size / greatest(w.articles, 1))) AS rarity
    FROM {TagWeight._meta.db_table} w
    CROSS JOIN (
        SELECT greatest(reltuples, 1)::float AS size FROM pg_class
        WHERE oid = '{Article._meta.db_table}'::regclass
    ) n
    CROSS JOIN LATERAL (
        SELECT tp.article_id, tp.published_at
        FROM {TagPosting._meta.db_table} tp
        WHERE tp.tag_id = w.tag_id
          AND tp.published_at <= %s
          AND tp.article_id <> ALL(%s)
        ORDER BY tp.published_at DESC
        LIMIT %s
    ) p
    WHERE w.tag_id = ANY(%s)
    GROUP BY p.article_id
) c
ORDER BY c.rarity / (1 + greatest(date_part('epoch', %s - c.published_at), 0)
                         / (86400 * %s)) DESC,
         c.published_at DESC,
         c.article_id DESC
LIMIT %s
"""


def _ranking_params(article_id, tag_ids, exclude_ids, limit, now):
    now = now or timezone.now()
    excluded = [int(article_id), *(int(pk) for pk in exclude_ids)]
    tags = [int(pk) for pk in tag_ids]
    return [now, excluded, POSTINGS_PER_TAG, tags, now, DECAY_DAYS, limit]


def related_ids(article_id, tag_ids, exclude_ids=(), limit=RELATED_LIMIT, *, now=None):
    """Ids of the best related candidates, best first (from the postings alone)."""
    if not tag_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _RANKED_IDS_SQL, _ranking_params(article_id, tag_ids, exclude_ids, limit, now)
        )
        return [row[0] for row in cursor.fetchall()]


# A chosen candidate's full score, computed on its own row (a primary-key lookup per tag).
_SCORE_SQL = f"""
(SELECT sum(ln(1 + greatest(c.reltuples, 1)::float / greatest(w.articles, 1)))
   FROM {TagPosting._meta.db_table} tp
   JOIN {TagWeight._meta.db_table} w ON w.tag_id = tp.tag_id
   CROSS JOIN pg_class c
  WHERE c.oid = '{Article._meta.db_table}'::regclass
    AND tp.article_id = "{Article._meta.db_table}"."id"
    AND tp.tag_id = ANY(%s))
/ (1 + greatest(date_part('epoch', %s - "{Article._meta.db_table}"."published_at"), 0)
       / (86400 * %s))
"""


def _related_cards(now, excluded, cap, tags, limit):
    return (
        Article.objects.published(now=now)
        .with_card_data()
        .filter(pk__in=RawSQL(_RANKED_IDS_SQL, [now, excluded, cap, tags, now, DECAY_DAYS, limit]))
        .annotate(related_score=RawSQL(_SCORE_SQL, [tags, now, DECAY_DAYS]))
        .order_by("-related_score", "-published_at", "-id")
    )


# Compiled once per language (newsroom/prepared.py): building this query's SQL cost more
# Python than running it.
_RELATED_CARDS = Prepared(_related_cards, Moment, Numbers, Number, Numbers, Number)


def related_articles(article, tag_ids, exclude_ids=(), limit=RELATED_LIMIT, *, now=None):
    """The related articles shown on `article`'s page, as cards, best first: one query
    whatever the number of tags. The ranking runs as a subquery of the cards query, which
    applies `published()` itself, so no article that stopped being public can slip through
    stale postings. The chosen few are ordered by their full score (the ranking only sums
    the postings under the cap; the two agree unless a candidate is old for a common tag)."""
    if not tag_ids:
        return []
    params = _ranking_params(article.pk, tag_ids, exclude_ids, limit, now)
    moment, excluded, cap, tags = params[:4]
    return _RELATED_CARDS(moment, excluded, cap, tags, int(limit))


def tagged_newest_first(articles, tag):
    """`articles` carrying `tag`, newest first, read through the tag's postings: the listing's
    first pages cost the same whatever the size of the archive. (Through taggit's table the
    join casts its object_id and no index serves the order, so PostgreSQL sorts every
    article carrying a common tag.) The articles' own status and time still decide what is
    public."""
    return articles.filter(tag_postings__tag=tag).order_by("-tag_postings__published_at", "-id")


def public_postings(tag):
    """The postings of `tag`'s public articles: counting them is an index-only scan."""
    return TagPosting.objects.filter(tag=tag, published_at__lte=timezone.now())


# --- Keeping the postings current ---


def _article_content_type_id() -> int:
    return ContentType.objects.get_for_model(Article).pk


def _insert_postings_sql(*, only_some: bool) -> str:
    """The one rule for postings: a row per tag of each published article (its time decides
    later whether it is public yet). `only_some`: restrict to the article ids given."""
    some = "AND ti.object_id = ANY(%(ids)s)" if only_some else ""
    return f"""
        INSERT INTO {TagPosting._meta.db_table} (tag_id, article_id, published_at)
        SELECT ti.tag_id, a.id, a.published_at
        FROM taggit_taggeditem ti
        JOIN {Article._meta.db_table} a ON a.id = ti.object_id
        WHERE ti.content_type_id = %(content_type)s {some}
          AND a.status = %(published)s AND a.published_at IS NOT NULL
        ON CONFLICT DO NOTHING
    """


def _postings_params(ids=None) -> dict:
    return {
        "content_type": _article_content_type_id(),
        "published": Article.Status.PUBLISHED,
        "ids": ids,
    }


def refresh_postings(article_ids) -> None:
    """Rewrite the postings of these articles from their tags and status, and recount the
    weights of every tag they had or have."""
    ids = [int(pk) for pk in article_ids if pk is not None]
    if not ids:
        return
    posting = TagPosting._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {posting} WHERE article_id = ANY(%s) RETURNING tag_id", [ids])
        touched = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            _insert_postings_sql(only_some=True) + " RETURNING tag_id", _postings_params(ids)
        )
        touched |= {row[0] for row in cursor.fetchall()}
    recount_weights(touched)


def tags_of(article_ids) -> list[int]:
    """The tags these articles have postings under (before they are deleted)."""
    return list(
        TagPosting.objects.filter(article_id__in=list(article_ids))
        .values_list("tag_id", flat=True)
        .distinct()
    )


def recount_weights(tag_ids) -> None:
    tag_ids = sorted({int(pk) for pk in tag_ids})
    if not tag_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TagWeight._meta.db_table} (tag_id, articles)
            SELECT t.id, (SELECT count(*) FROM {TagPosting._meta.db_table} tp
                          WHERE tp.tag_id = t.id)
            FROM taggit_tag t WHERE t.id = ANY(%s)
            ON CONFLICT (tag_id) DO UPDATE SET articles = EXCLUDED.articles
            """,
            [tag_ids],
        )


def rebuild_postings() -> None:
    """Rebuild both tables from scratch (after a bulk load): a few set-based statements."""
    posting, weight = TagPosting._meta.db_table, TagWeight._meta.db_table
    with connection.cursor() as cursor:
        # TRUNCATE refuses to run while deferred foreign-key checks are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {posting}, {weight}")
        cursor.execute(_insert_postings_sql(only_some=False), _postings_params())
        cursor.execute(
            f"""
            INSERT INTO {weight} (tag_id, articles)
            SELECT t.id, coalesce(c.n, 0)
            FROM taggit_tag t
            LEFT JOIN (SELECT tag_id, count(*) AS n FROM {posting} GROUP BY tag_id) c
                   ON c.tag_id = t.id
            """
        )
        cursor.execute(f"ANALYZE {posting}")
        cursor.execute(f"ANALYZE {weight}")
