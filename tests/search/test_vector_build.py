"""The bulk vector build (make_corpus, rebuild_search_index) is faster without changing a single
vector: the stems are computed piece by piece with a cache (articles.text.arabic.search_tokens)
and the batches run in worker processes (articles.search.index.rebuild_search_vectors)."""

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article, Source
from articles.search import engine
from articles.search.index import rebuild_search_vectors, refresh_search_vectors
from articles.text import arabic
from tests.factories import make_article

# Characters that the normalisation removes, composes, unifies or treats as spaces.
TRICKY = [
    *" \u00a0\t\n\u2003\u200b\u200c\u200d\u200e\u200f\u2067\ufeff\u00ad\u0640\u064b\u064e\u0651"
    "\u0652\u0654\u0655\u0670\u0301ﻻﷲ\ufdfa\ufe70\ufe71\ufe8e\uff21ًاأإآٱةىیيءئؤوبكلفک٠١٩۰۹٫"
    "ΣςßİAz0.,:؛،-_\"'<>&\x00\x1c\x1f\ud800",
    *["الحكومة", "قوانين", "للبنان", "وزراء", "شاطىء", "في", "&amp;", "<p>", "</p>"],
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TRICKY), st.characters()), max_size=60).map("".join))
def test_cached_pieces_give_the_stems_of_the_whole_text(text):
    assert arabic.search_tokens(text) == arabic._text_tokens(text)


def _vectors(ids) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_vector::text FROM articles_article WHERE id = ANY(%s)", [list(ids)]
        )
        return dict(cursor.fetchall())


def _clear(ids) -> None:
    # Outside the write path on purpose: the test wants the vectors gone, then rebuilt.
    Article.objects.filter(pk__in=ids).update(search_vector=None)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_parallel_rebuild_writes_the_vectors_of_the_serial_definition(monkeypatch):
    call_command("make_corpus", articles=400, tags=60, seed=11, no_search=True, stdout=None)
    agency = Source.objects.create(slug="afp", name="أ ف ب", aliases=["فرانس برس", "AFP"])
    make_article(
        "الحكومةُ تُقِرّ قوانينَ جديدة للبنان",
        summary="وزراء\u00a0الخارجية ﻻ يلتقون\u200c اليوم، شاطىء البحر",
        body="<p>قال المتحدث&nbsp;إن &quot;الإجراءات&quot; ﷲ ١٢٫٥ مليون</p><br>GAZA Straße",
        tags=["أزمة المياه", "سياسة"],
        sources=[agency],
    )
    ids = sorted(Article.objects.values_list("pk", flat=True))
    assert len(ids) == 401

    # The reference: the serial path with the whole-text definition of the stems.
    with monkeypatch.context() as patched:
        patched.setattr(engine, "search_tokens", arabic._text_tokens)
        _clear(ids)
        assert refresh_search_vectors(ids) == len(ids)
    reference = _vectors(ids)
    assert all(reference.values()) and len(reference) == len(ids)

    _clear(ids)
    before = _backend_pid()
    assert rebuild_search_vectors(ids, workers=2, batch=50) == len(ids)
    assert _backend_pid() != before  # the worker path ran: the parent's connection was closed
    assert _vectors(ids) == reference

    _clear(ids)
    assert rebuild_search_vectors(ids, workers=1, batch=50) == len(ids)  # the serial fallback
    assert _vectors(ids) == reference


@pytest.mark.django_db(transaction=True)
def test_rebuild_search_index_command_uses_the_workers_and_reports_the_count(capsys):
    call_command("make_corpus", articles=120, tags=30, seed=4, stdout=None)
    ids = list(Article.objects.values_list("pk", flat=True))
    expected = _vectors(ids)  # written by make_corpus (workers too)
    _clear(ids)
    call_command("rebuild_search_index", workers=2)
    captured = capsys.readouterr()
    assert "search index rebuilt for 120 articles" in captured.out
    assert captured.err == ""  # not a terminal: no progress
    assert _vectors(ids) == expected


def test_inside_a_transaction_the_rebuild_stays_in_this_process(db):
    article = make_article("البرلمان يناقش موازنة الصحة")
    expected = _vectors([article.pk])
    _clear([article.pk])
    before = _backend_pid()
    assert rebuild_search_vectors([article.pk], workers=4) == 1
    assert _backend_pid() == before
    assert _vectors([article.pk]) == expected
