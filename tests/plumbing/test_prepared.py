"""Querysets compiled once and run with new values (newsroom/prepared.py) must give exactly
what the queryset itself gives, refuse builders whose SQL depends on the values, and use the
calling thread's connection."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from articles.models import Article
from articles.site.views import ARTICLE_PAGE, _article_page
from newsroom.prepared import Moment, Number, Numbers, Prepared, PreparedQueryError
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db(transaction=True)


def _public_titles(now, ids):
    return Article.objects.published(now=now).filter(pk__in=ids).order_by("pk")


def test_a_call_gives_what_the_queryset_gives_for_its_own_values():
    early = make_article("خبر قديم", hours_ago=48)
    late = make_article("خبر حديث", hours_ago=1)
    draft = make_article("مسودة", status=Article.Status.DRAFT)
    query = Prepared(
        lambda now, ids: (
            Article.objects.published(now=now)
            .extra(where=["id = ANY(%s)"], params=[ids])
            .order_by("pk")
        ),
        Moment,
        Numbers,
    )
    ids = [early.pk, late.pk, draft.pk]
    now = timezone.now()
    day_ago = now - datetime.timedelta(hours=24)
    assert [a.title for a in query(now, ids)] == ["خبر قديم", "خبر حديث"]
    # The same compiled SQL, other values: the moment and the list are the call's own.
    assert [a.title for a in query(day_ago, ids)] == ["خبر قديم"]
    assert [a.title for a in query(now, [late.pk])] == ["خبر حديث"]


def test_the_sql_and_parameters_are_those_of_a_fresh_compile():
    article = make_article("خبر", authors=[make_author("كاتب")])
    now = timezone.now()
    for language in ("ar", "en"):
        with translation.override(language):
            fresh = _article_page(now, article.pk).query.sql_with_params()
            assert ARTICLE_PAGE.sql_with_params(now, article.pk) == fresh
            (found,) = ARTICLE_PAGE(now, article.pk)
            assert [a.name for a in found.authors.all()] == ["كاتب"]


@pytest.mark.parametrize(
    "build, kinds, problem",
    [
        # One placeholder per item: the SQL changes with the list's length.
        (lambda ids: Article.objects.filter(pk__in=ids), (Numbers,), "SQL changes"),
        # A value computed from an argument is not an argument.
        (
            lambda now: Article.objects.filter(published_at__gte=now - datetime.timedelta(1)),
            (Moment,),
            "depends on the arguments",
        ),
        # The builder reads the clock itself.
        (
            lambda pk: Article.objects.filter(pk=pk, published_at__lte=timezone.now()),
            (Number,),
            "depends on the arguments",
        ),
        (lambda pk: Article.objects.all(), (Number,), "never reach the SQL"),
    ],
)
def test_builders_whose_sql_depends_on_the_values_are_refused(build, kinds, problem):
    query = Prepared(build, *kinds)
    with pytest.raises(PreparedQueryError, match=problem):
        query(*(None for _ in kinds))


def test_a_call_from_another_thread_uses_that_threads_connection():
    article = make_article("خبر من خيط آخر")
    query = Prepared(lambda pk: Article.objects.filter(pk=pk), Number)
    assert [a.title for a in query(article.pk)] == ["خبر من خيط آخر"]  # compiled here
    seen = {}

    def other():
        try:
            seen["titles"] = [a.title for a in query(article.pk)]
            seen["connection"] = connections["default"]
        finally:
            connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen["titles"] == ["خبر من خيط آخر"]
    assert seen["connection"] is not connections["default"]


def _related_titles(article):
    from articles.related import related_articles

    return [a.title for a in related_articles(article, [t.pk for t in article.tags.all()])]


def test_server_side_statements_give_the_same_rows_as_plain_sql(settings):
    article = make_article("أصل", tags=["نفط", "أسواق"])
    for n in range(4):
        make_article(f"قريب {n}", tags=["نفط"] if n % 2 else ["نفط", "أسواق"], hours_ago=n + 2)
    make_article("مسودة قريبة", tags=["نفط"], status=Article.Status.DRAFT)
    now = timezone.now()
    answers = {}
    for server_side in (True, False):
        settings.DATABASE_PREPARED_STATEMENTS = server_side
        (page,) = ARTICLE_PAGE(now, article.pk)
        answers[server_side] = (
            page.title,
            [t.name for t in page.tags.all()],
            _related_titles(page),
        )
    assert answers[True] == answers[False]
    assert answers[True][2][:2] == ["قريب 0", "قريب 2"]  # both tags shared, newest first
    assert "مسودة قريبة" not in answers[True][2]


def test_the_statement_is_prepared_with_constants_written_in(settings):
    settings.DATABASE_PREPARED_STATEMENTS = True
    article = make_article("خبر")
    ARTICLE_PAGE(timezone.now(), article.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'nr_%%'")
        statements = [row[0] for row in cursor.fetchall()]
    (statement,) = [s for s in statements if "articles_article" in s and "$2" in s]
    assert "(timestamptz, bigint)" in statement
    assert "'published'" in statement  # a constant, so the partial indexes still apply
    assert "1901" not in statement  # no marker survives


def test_a_new_or_discarded_session_prepares_again(settings):
    settings.DATABASE_PREPARED_STATEMENTS = True
    article = make_article("خبر يبقى")
    assert [a.title for a in ARTICLE_PAGE(timezone.now(), article.pk)] == ["خبر يبقى"]
    connection.close()  # a new connection has no statements
    assert [a.title for a in ARTICLE_PAGE(timezone.now(), article.pk)] == ["خبر يبقى"]
    with connection.cursor() as cursor:
        cursor.execute("DISCARD ALL")  # what a pooler does between clients
    assert [a.title for a in ARTICLE_PAGE(timezone.now(), article.pk)] == ["خبر يبقى"]
