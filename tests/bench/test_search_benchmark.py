"""The search benchmark runs end to end on a tiny corpus and reports its two figures."""

import pytest

from bench import search as search_benchmark

pytestmark = pytest.mark.django_db


def test_benchmark_reports_p50_and_p95_from_measured_queries(monkeypatch):
    monkeypatch.setattr(search_benchmark, "QUERIES", 20)
    monkeypatch.setattr(search_benchmark, "WARMUP", 2)
    figures = {}
    search_benchmark.run(
        lambda name, value, unit: figures.update({name: (value, unit)}), articles=60
    )
    assert set(figures) == {"search_p50_ms", "search_p95_ms"}
    assert 0 < figures["search_p50_ms"][0] <= figures["search_p95_ms"][0]
    assert figures["search_p95_ms"][1] == "ms"


def test_representative_queries_come_from_published_headlines():
    search_benchmark.make_dev_corpus(30)
    queries = search_benchmark.representative_queries(25)
    assert len(queries) == 25
    assert all(query["q"].strip() for query in queries)
