"""make_corpus: progress on a terminal's stderr only, its stdout the same summary lines either way,
and every article's search vector written with its row, by the worker processes."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from articles.management.commands import make_corpus
from articles.models import Article
from articles.search.index import refresh_search_vectors
from newsroom.progress import Progress


class TerminalLike(io.StringIO):
    def isatty(self):
        return True


def _summary(text: str) -> list[str]:
    """stdout's lines without their timings."""
    return [line.split(":")[0].split(" in ")[0] for line in text.splitlines()]


@pytest.mark.django_db(transaction=True)
def test_make_corpus_shows_progress_on_a_terminal_only_and_fills_every_vector(monkeypatch):
    monkeypatch.setattr(Progress, "DELAY", 0)
    monkeypatch.setattr(Progress, "EVERY", 0)
    monkeypatch.setattr(make_corpus, "BATCH", 40)  # 4 batches: the two workers make them
    out, err = io.StringIO(), TerminalLike()
    call_command("make_corpus", articles=150, tags=30, seed=2, workers=2, stdout=out, stderr=err)
    assert "\r" not in out.getvalue()
    assert _summary(out.getvalue()) == ["articles 1..150", "corpus ready"]
    assert "150 rows with their search vectors" in out.getvalue()
    progress = err.getvalue()
    assert "articles  150 / 150  100%" in progress
    assert not Article.objects.filter(search_vector__isnull=True).exists()

    quiet_out, quiet_err = io.StringIO(), io.StringIO()
    call_command("make_corpus", articles=50, tags=30, seed=3, stdout=quiet_out, stderr=quiet_err)
    assert quiet_err.getvalue() == ""
    assert _summary(quiet_out.getvalue()) == ["articles 151..200", "corpus ready"]
    assert Article.objects.count() == 200
    assert not Article.objects.filter(search_vector__isnull=True).exists()


def _stored_vectors() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, search_vector::text FROM articles_article")
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_worker_made_vectors_are_the_write_paths_and_the_corpus_is_the_same_without_workers(
    monkeypatch,
):
    monkeypatch.setattr(make_corpus, "BATCH", 30)
    call_command("make_corpus", articles=100, tags=30, seed=9, workers=2, stdout=io.StringIO())
    made = _stored_vectors()
    texts = dict(Article.objects.values_list("pk", "body"))
    assert len(made) == 100 and all(made.values())

    # The write path's bulk refresh computes the same vector for every corpus article.
    assert refresh_search_vectors(list(made)) == 100
    assert _stored_vectors() == made

    # Made in this process instead, batch by batch, the corpus is the same for the seed.
    Article.objects.all().delete()
    call_command("make_corpus", articles=100, tags=30, seed=9, workers=1, stdout=io.StringIO())
    again = dict(Article.objects.values_list("pk", "body"))
    assert [again[pk] for pk in sorted(again)] == [texts[pk] for pk in sorted(texts)]
    assert sorted(_stored_vectors().values()) == sorted(made.values())
