"""Related articles: our engine against django-taggit's similar_objects() on the same articles.

Samples public articles that have tags (seeded, spread over the archive), warms up on others,
then times `related_articles()` (what the article page calls: one query, ranking and cards)
per article, twice over the sample: the first pass (`related_cold_*`, data possibly still on
disk) and the second (`related_*`, steady state). taggit's `similar_objects()` is timed on the same articles until a time budget runs
out (BENCH_TAGGIT_SECONDS, default 60; at least 3 articles); the speed-up compares the two
on exactly the articles both were timed on.
"""

import os
import random
import time

from articles.models import Article
from articles.related import related_articles
from bench import percentile, timed

SAMPLE = int(os.environ.get("BENCH_RELATED_SAMPLE", 200))
WARMUP = 20
# taggit loads every article sharing a tag: at a million articles one call takes many seconds.
TAGGIT_AT_LEAST = 3


def sample_articles(count: int, seed: int = 7) -> list[Article]:
    ids = list(
        Article.objects.published()
        .filter(tags__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    chosen = random.Random(seed).sample(ids, min(count, len(ids)))
    # The page has the tags and read-also links prefetched already; so does the sample.
    articles = Article.objects.prefetch_related("tags", "related_links").in_bulk(chosen)
    return [articles[pk] for pk in chosen]


def ours(article) -> float:
    tag_ids = [tag.pk for tag in article.tags.all()]
    targets = [link.target_id for link in article.related_links.all() if link.target_id]
    return timed(related_articles, article, tag_ids, exclude_ids=targets)


def theirs(article) -> float:
    return timed(lambda: article.tags.similar_objects()[:6])


def run(report, *, articles):
    sample = sample_articles(SAMPLE + WARMUP)
    warmup, sample = sample[:WARMUP], sample[WARMUP:]
    for article in warmup:
        ours(article)
    theirs(warmup[0])

    # First pass: the sampled articles' postings and candidates may still be on disk.
    cold_times = [ours(article) for article in sample]
    # Second pass: steady state, as for the pages readers actually keep asking for.
    our_times = [ours(article) for article in sample]
    report("related_cold_p50_ms", percentile(cold_times, 0.5), "ms")
    report("related_cold_p95_ms", percentile(cold_times, 0.95), "ms")
    report("related_p50_ms", percentile(our_times, 0.5), "ms")
    report("related_p95_ms", percentile(our_times, 0.95), "ms")

    budget = float(os.environ.get("BENCH_TAGGIT_SECONDS", 60))
    deadline = time.monotonic() + budget
    taggit_times = []
    for article in sample:
        taggit_times.append(theirs(article))
        if len(taggit_times) >= TAGGIT_AT_LEAST and time.monotonic() > deadline:
            break
    same = our_times[: len(taggit_times)]
    report("related_taggit_p50_ms", percentile(taggit_times, 0.5), "ms")
    report("related_taggit_p95_ms", percentile(taggit_times, 0.95), "ms")
    report("related_taggit_sampled", len(taggit_times), "articles")
    report("related_speedup_x", percentile(taggit_times, 0.5) / percentile(same, 0.5), "x")
    report("related_speedup_p95_x", percentile(taggit_times, 0.95) / percentile(same, 0.95), "x")
