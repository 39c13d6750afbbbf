"""Loading into empty tables without their secondary indexes and constraints
(articles.demo.bulk): they come back exactly as they were, and a table with rows keeps its own."""

import pytest
from django.db import connection, transaction

from articles.demo import bulk
from articles.models import Article
from tests.factories import make_article

TABLES = ("articles_article", "articles_articlesource")


def _schema(table: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass",
            [table],
        )
        return indexes | set(cursor.fetchall())


def _index_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_empty_tables_lose_their_indexes_for_the_load_and_get_the_same_back():
    before = {table: _schema(table) for table in TABLES}
    timings = {}
    with bulk.indexes_after_load(TABLES, timings=timings):
        assert _index_count("articles_article") == 1  # the primary key alone
        assert _index_count("articles_articlesource") == 1
    assert {table: _schema(table) for table in TABLES} == before
    assert timings["indexes"] >= 0


@pytest.mark.django_db
def test_a_table_with_rows_keeps_its_indexes():
    make_article("خبر موجود")
    count = _index_count("articles_article")
    with bulk.indexes_after_load(["articles_article"]):
        assert _index_count("articles_article") == count


@pytest.mark.django_db
def test_a_failed_load_leaves_the_schema_as_it_was():
    before = _schema("articles_article")
    with (
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
        bulk.indexes_after_load(["articles_article"]),
    ):
        1 / 0  # noqa: B018
    assert _schema("articles_article") == before
    assert not Article.objects.exists()


def test_it_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError), bulk.indexes_after_load(["articles_article"]):
        pass
