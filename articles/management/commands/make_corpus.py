"""manage.py make_corpus --articles N [--tags M] [--seed S] [--workers W]

Adds N synthetic Arabic articles (see articles/demo/corpus.py) with their tags, credited sources and
authors. Batches of rows are made in one worker process per core (`articles.demo.loader`: the
articles, their stems and their search vectors, which PostgreSQL computes on each worker's
connection exactly as the write path does) and COPYed in by this process, each article row once
with its vector. Into empty tables the rows go without their secondary indexes, which are built
once at the end (`articles.demo.bulk`). Then the related-articles postings are rebuilt and the
planner's statistics refreshed. docs/benchmarks.md (corpus_build_s) has the measured times; no
model signals run. Progress goes to stderr when it is a terminal (`newsroom.progress`).
"""

import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag

from articles import actions, related
from articles.demo import bulk, corpus, loader
from articles.models import Article, ArticleSource, Author, Section, Source, unicode_slug
from articles.search import index as search_index
from newsroom.progress import Progress

# Articles per batch: what one worker makes at a time (the corpus depends on it: each batch has
# its own seed).
BATCH = 10_000
# Scheduled stories in a corpus (a desk has a few dozen queued, not thousands).
SCHEDULED_AT_MOST = 50


def default_tag_count(articles: int) -> int:
    return max(50, min(20_000, articles // 100))


def _copy(cursor, table: str, columns: str, data: str) -> None:
    if data:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", _Reader(data), size=1 << 20)


class _Reader:
    """The file-like COPY reads, over a string without copying it into a StringIO."""

    def __init__(self, data: str):
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> str:
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


def _lz4_available(cursor) -> bool:
    cursor.execute(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    )
    row = cursor.fetchone()
    return bool(row and row[0])


class Command(BaseCommand):
    help = "Bulk-insert a synthetic Arabic corpus for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--tags", type=int, help="distinct tags (default: articles / 100)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=float, default=5, help="span of publication dates")
        parser.add_argument(
            "--no-search", action="store_true", help="leave search vectors empty (faster)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="processes making the rows and their search vectors (default: one per core)",
        )

    def handle(self, *args, articles, tags, seed, years, no_search, workers=None, **options):
        if articles < 0:
            raise CommandError("--articles must not be negative")
        tags = tags or default_tag_count(articles)
        started = time.monotonic()
        generator = corpus.CorpusGenerator(
            tags=tags,
            seed=seed,
            years=years,
            now=timezone.now(),
            scheduled=min(0.005, SCHEDULED_AT_MOST / max(articles, 1)),
        )
        workers = search_index.default_workers() if workers is None else workers
        workers = min(workers, -(-articles // BATCH))  # no more than there are batches
        if connection.in_atomic_block:
            workers = 1  # forked workers must not share an open transaction's connection
        timings = {}
        with loader.worker_pool(workers) as pool, transaction.atomic():
            sections, sources, authors = self._reference_rows(generator)
            tag_names = corpus.tag_names(tags, generator.rng)
            lookups = loader.Lookups(
                sections=sections,
                sources=sources,
                authors=authors,
                tag_ids=self._tags(tag_names),
                tag_names=tag_names,
                content_type=ContentType.objects.get_for_model(Article).pk,
                now=timezone.now().isoformat(),
                search=not no_search,
            )
            tables = (
                Article._meta.db_table,
                "taggit_taggeditem",
                ArticleSource._meta.db_table,
                Article.authors.through._meta.db_table,
                related.TagPosting._meta.db_table,
            )
            with bulk.indexes_after_load(tables, timings=timings):
                first_id, last_id = self._articles(pool, generator, lookups, articles, workers)
                loaded = time.monotonic()
                actions.corpus_loaded()
                timings["postings"] = time.monotonic() - loaded
        rows = loaded - started
        vectors = "" if no_search else " with their search vectors"
        self.stdout.write(
            f"articles {first_id}..{last_id}: {articles} rows{vectors} in {rows:.1f}s, "
            f"related postings in {timings['postings']:.1f}s, "
            f"indexes in {timings.get('indexes', 0):.1f}s"
        )
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map, so the postings are read by index-only scans.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in tables[:2] + tables[-1:]:
                cursor.execute(f"{command} {table}")
        self.stdout.write(f"corpus ready in {time.monotonic() - started:.1f}s")

    def _reference_rows(self, generator):
        Section.objects.bulk_create(
            [
                Section(slug=slug, name=name, name_ar=name, position=10 + n)
                for n, (slug, name, _) in enumerate(corpus.SECTIONS)
            ],
            ignore_conflicts=True,
        )
        Source.objects.bulk_create(
            [Source(slug=slug, name=name, name_ar=name) for slug, name in corpus.SOURCES],
            ignore_conflicts=True,
        )
        author_names = generator.author_names()
        Author.objects.bulk_create(
            [Author(slug=unicode_slug(name), name=name, name_ar=name) for name in author_names],
            ignore_conflicts=True,
        )
        by_slug = dict(Section.objects.values_list("slug", "pk"))
        sections = [by_slug[slug] for slug, _, _ in corpus.SECTIONS]
        by_slug = {source.slug: source for source in Source.objects.all()}
        sources = [by_slug[slug] for slug, _ in corpus.SOURCES]  # their names are searchable
        by_slug = dict(Author.objects.values_list("slug", "pk"))
        authors = [by_slug[unicode_slug(name)] for name in author_names]
        return sections, sources, authors

    def _tags(self, names):
        existing = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        taken = set(Tag.objects.values_list("slug", flat=True))
        new = []
        for name in names:
            if name in existing:
                continue
            slug = base = unicode_slug(name, 100)
            n = 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            new.append(Tag(name=name, slug=slug))
        Tag.objects.bulk_create(new, batch_size=5000)
        existing = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        return [existing[name] for name in names]

    def _articles(self, pool, generator, lookups, count, workers):
        table = Article._meta.db_table
        progress = Progress("articles", count, stream=self.stderr)
        with connection.cursor() as cursor, progress:
            if _lz4_available(cursor):  # several times faster to compress than pglz
                cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            first_id = cursor.fetchone()[0] + 1
            specs = [
                (number, first_id + start, min(BATCH, count - start))
                for number, start in enumerate(range(0, count, BATCH))
            ]
            for data in loader.batches(pool, generator, lookups, specs, ahead=2 * workers):
                _copy(cursor, table, loader.ARTICLE_COLUMNS, data.articles)
                _copy(
                    cursor, "taggit_taggeditem", "content_type_id, object_id, tag_id", data.tagged
                )
                _copy(
                    cursor,
                    ArticleSource._meta.db_table,
                    "article_id, source_id, position",
                    data.credited,
                )
                _copy(
                    cursor,
                    Article.authors.through._meta.db_table,
                    "article_id, author_id",
                    data.bylines,
                )
                progress.advance(data.count)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        return first_id, first_id + count - 1
