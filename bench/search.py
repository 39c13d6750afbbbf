"""Search latency: p50 and p95 of 200 representative reader queries.

Each query is timed through the search view itself (parse, count, first page of 10, snippets,
template), against the corpus the bench command built. Queries are drawn from the corpus the way
readers type: one to three words taken from published headlines, written with or without the
article and conjunction prefixes, sometimes with tashkeel or a hamza dropped, a few with a section
filter or a quoted phrase, a few matching nothing.

`python -m bench.search --articles N` runs it alone (DJANGO_SETTINGS_MODULE and
DATABASE_URL from the environment), generating a development corpus when the database holds fewer
than N published articles, and prints the plan of one query.
"""

import datetime
import random
import statistics
import time

from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

QUERIES = 200
WARMUP = 20
SEED = 5

# Variations a reader's query has on a word written in a headline.
_VARIANTS = (
    lambda w: w,
    lambda w: "ال" + w if not w.startswith("ال") else w[2:],
    lambda w: "و" + w,
    lambda w: w.replace("أ", "ا").replace("إ", "ا").replace("ة", "ه"),
    lambda w: w[:1] + "َ" + w[1:],
)


def representative_queries(count: int = QUERIES, seed: int = SEED) -> list[dict]:
    """`count` query parameter sets, drawn from published headlines (deterministic per seed)."""
    from articles.models import Article, Section

    rng = random.Random(seed)
    public = Article.objects.published()
    last = public.order_by("-pk").values_list("pk", flat=True).first() or 0
    first = public.order_by("pk").values_list("pk", flat=True).first() or 0
    sections = list(Section.objects.values_list("slug", flat=True))
    queries = []
    while len(queries) < count and last:
        picks = [rng.randint(first, last) for _ in range(8)]
        titles = list(public.filter(pk__in=picks).values_list("title", flat=True))
        for title in titles:
            words = [w for w in title.split() if len(w) > 2]
            if not words:
                continue
            size = min(len(words), rng.choice((1, 1, 2, 2, 2, 3)))
            start = rng.randrange(len(words) - size + 1)
            chosen = [rng.choice(_VARIANTS)(w) for w in words[start : start + size]]
            params = {"q": " ".join(chosen)}
            roll = rng.random()
            if roll < 0.05:
                params["q"] = f'"{" ".join(words[start : start + size])}"'
            elif roll < 0.10 and sections:
                params["section"] = rng.choice(sections)
            elif roll < 0.13:
                params["q"] += " زقزقيطون"  # a word found nowhere: an empty result page
            queries.append(params)
            if len(queries) == count:
                break
    return queries


def time_queries(queries: list[dict]) -> list[float]:
    """Milliseconds per query, through the search view."""
    from articles.site.views import search

    factory = RequestFactory()
    timings = []
    for params in queries:
        request = factory.get("/search/", params)
        started = time.perf_counter()
        response = search(request)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def run(report, *, articles: int) -> None:
    from articles.models import Article

    if Article.objects.count() < articles * 0.9:  # no corpus from the bench command: make one
        make_dev_corpus(articles)
    with connection.cursor() as cursor:
        # steady state after bulk writes (VACUUM cannot run inside a transaction)
        cursor.execute(
            "ANALYZE articles_article"
            if connection.in_atomic_block
            else "VACUUM ANALYZE articles_article"
        )
    queries = representative_queries(QUERIES + WARMUP)
    time_queries(queries[:WARMUP])
    timings = time_queries(queries[WARMUP:])
    report("search_p50_ms", round(statistics.median(timings), 2), "ms")
    report("search_p95_ms", round(percentile(timings, 0.95), 2), "ms")


def explain(query: str) -> str:
    """EXPLAIN ANALYZE of every statement `search()` and the first page run for `query`, with
    the same planner settings."""
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from articles.search.engine import search

    with CaptureQueriesContext(connection) as captured:
        results = search(Article.objects.published(), query)
        list(results.articles.with_card_data(body=True)[:10])
    lines = [f"-- query: {query}  (matches: {results.total}{'+' if results.more else ''})"]
    with connection.cursor() as cursor:
        for item in captured.captured_queries:
            sql = item["sql"]
            if sql.startswith("SELECT set_config"):
                cursor.execute("BEGIN")
                cursor.execute(sql)
                lines.append(sql)
            elif sql.startswith("SELECT"):
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                lines.append(sql if len(sql) < 400 else sql[:400] + " …")
                lines.extend(row[0] for row in cursor.fetchall())
            elif sql == "COMMIT":
                cursor.execute("COMMIT")
    return "\n".join(lines)


# --- Development corpus (used only when the bench command has not built one) ------------------

_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_LETTERS) for _ in range(rng.choice((3, 4, 4, 5, 5, 6)))))
    return sorted(words)


def make_dev_corpus(total: int, *, seed: int = SEED, batch: int = 5000) -> None:
    """Bulk-insert published articles of Zipf-distributed synthetic Arabic words up to `total`,
    then refresh their search vectors through the real bulk path."""
    from articles.models import Article, Section
    from articles.search.index import refresh_search_vectors

    rng = random.Random(seed)
    vocabulary = _vocabulary(rng, 40000)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    clitics = ("", "", "", "ال", "ال", "و", "وال", "ب", "بال", "لل")
    sections = list(Section.objects.all()) or [
        Section.objects.create(name=f"قسم {n}", slug=f"bench-{n}") for n in range(6)
    ]
    existing = Article.objects.published().count()
    now = timezone.now()

    def text(words):
        return " ".join(
            rng.choice(clitics) + word for word in rng.choices(vocabulary, weights, k=words)
        )

    made = existing
    while made < total:
        size = min(batch, total - made)
        rows = [
            Article(
                title=text(rng.randint(5, 10)),
                summary=text(20),
                body="<p>" + text(60) + "</p><p>" + text(60) + "</p>",
                slug=f"bench-{made + n}-{rng.getrandbits(32):x}",
                section=rng.choice(sections),
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 3650)),
            )
            for n in range(size)
        ]
        created = Article.objects.bulk_create(rows)
        refresh_search_vectors([article.pk for article in created])
        made += size


if __name__ == "__main__":
    import argparse

    import django

    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--explain", default="")
    options = parser.parse_args()
    run(lambda name, value, unit: print(f"{name}: {value} {unit}"), articles=options.articles)
    sample = options.explain or representative_queries(1, seed=99)[0]["q"]
    print(explain(sample))
