"""make_corpus: progress on a terminal's stderr only, its stdout the same summary lines either way,
and every article's search vector written by the worker processes once the rows are committed."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article
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
    out, err = io.StringIO(), TerminalLike()
    call_command("make_corpus", articles=150, tags=30, seed=2, workers=2, stdout=out, stderr=err)
    assert "\r" not in out.getvalue()
    assert _summary(out.getvalue()) == [
        "articles 1..150",
        "search vectors",
        "corpus ready",
    ]
    progress = err.getvalue()
    assert "articles  150 / 150  100%" in progress
    assert "search vectors  150 / 150  100%" in progress
    assert not Article.objects.filter(search_vector__isnull=True).exists()

    quiet_out, quiet_err = io.StringIO(), io.StringIO()
    call_command("make_corpus", articles=50, tags=30, seed=3, stdout=quiet_out, stderr=quiet_err)
    assert quiet_err.getvalue() == ""
    assert _summary(quiet_out.getvalue()) == ["articles 151..200", "search vectors", "corpus ready"]
    assert Article.objects.count() == 200
    assert not Article.objects.filter(search_vector__isnull=True).exists()
