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
