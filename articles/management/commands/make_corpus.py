"""manage.py make_corpus --articles N [--tags M] [--seed S]

Adds N synthetic Arabic articles (see articles/demo/corpus.py) with their tags, credited sources and
authors, bulk-loaded with COPY in batches; then rebuilds the related-articles postings and the
search vectors (in one worker process per core, `articles.search.index.rebuild_search_vectors`),
and refreshes the planner's statistics. About a minute per 100,000 articles on a small machine; no
model signals run. Progress goes to stderr when it is a terminal (`newsroom.progress`).
"""

import io
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag

from articles import actions, related
from articles.demo import corpus
from articles.models import Article, ArticleSource, Author, Section, Source, unicode_slug
from articles.search import index as search_index
from articles.wire.links import title_key
from newsroom.progress import Progress

BATCH = 20_000
# Scheduled stories in a corpus (a desk has a few dozen queued, not thousands).
SCHEDULED_AT_MOST = 50
ARTICLE_COLUMNS = (
    "id, title, title_ar, slug, summary, summary_ar, body, body_ar, lead_image, "
    "lead_image_caption, lead_image_credit, section_id, status, published_at, created_at, "
    "updated_at, version"
)


def default_tag_count(articles: int) -> int:
    return max(50, min(20_000, articles // 100))


def refresh_search(article_ids, *, workers=None, stream=None) -> str:
    """The search vectors of the new articles, in worker processes when not in a transaction
    (the rows are committed by then, so each worker's connection sees them)."""
    started = time.monotonic()
    with Progress("search vectors", len(article_ids), stream=stream) as progress:
        search_index.rebuild_search_vectors(article_ids, workers=workers, progress=progress)
    return f"search vectors: {time.monotonic() - started:.1f}s"


def _copy(cursor, table: str, columns: str, buffer: io.StringIO) -> None:
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def _timestamp(moment) -> str:
    return r"\N" if moment is None else moment.isoformat()


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
            "--workers", type=int, help="processes for the search vectors (default: one per core)"
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
        with transaction.atomic():
            sections, sources, authors = self._reference_rows(generator)
            tag_ids = self._tags(corpus.tag_names(tags, generator.rng))
            first_id, last_id = self._articles(
                generator, articles, sections, sources, authors, tag_ids
            )
            loaded = time.monotonic()
            actions.corpus_loaded()
        self.stdout.write(
            f"articles {first_id}..{last_id}: {articles} rows in {loaded - started:.1f}s, "
            f"related postings in {time.monotonic() - loaded:.1f}s"
        )
        if articles and not no_search:
            self.stdout.write(
                refresh_search(range(first_id, last_id + 1), workers=workers, stream=self.stderr)
            )
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map, so the postings are read by index-only scans.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in (
                Article._meta.db_table,
                "taggit_taggeditem",
                related.TagPosting._meta.db_table,
            ):
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
        by_slug = dict(Source.objects.values_list("slug", "pk"))
        sources = [by_slug[slug] for slug, _ in corpus.SOURCES]
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

    def _articles(self, generator, count, sections, sources, authors, tag_ids):
        table = Article._meta.db_table
        content_type = ContentType.objects.get_for_model(Article).pk
        now = timezone.now().isoformat()
        columns = ARTICLE_COLUMNS + ", title_key"
        progress = Progress("articles", count, stream=self.stderr)
        with connection.cursor() as cursor, progress:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            first_id = cursor.fetchone()[0] + 1
            next_id = first_id
            remaining = count
            while remaining > 0:
                size = min(BATCH, remaining)
                article_rows, tagged, credited, bylines = (io.StringIO() for _ in range(4))
                for article_id in range(next_id, next_id + size):
                    row = generator.article()
                    slug = "-".join(row.title.split()[:6]) + f"-{article_id}"
                    article_rows.write(
                        "\t".join(
                            (
                                str(article_id),
                                row.title,
                                row.title,
                                slug,
                                row.summary,
                                row.summary,
                                row.body,
                                row.body,
                                "",
                                "",
                                "",
                                str(sections[row.section]),
                                row.status,
                                _timestamp(row.published_at),
                                row.created_at.isoformat(),
                                now,
                                "1",
                                title_key(row.title),
                            )
                        )
                        + "\n"
                    )
                    for tag in row.tags:
                        tagged.write(f"{content_type}\t{article_id}\t{tag_ids[tag]}\n")
                    for position, source in enumerate(row.sources):
                        credited.write(f"{article_id}\t{sources[source]}\t{position}\n")
                    for author in row.authors:
                        bylines.write(f"{article_id}\t{authors[author]}\n")
                    progress.advance()
                _copy(cursor, table, columns, article_rows)
                _copy(cursor, "taggit_taggeditem", "content_type_id, object_id, tag_id", tagged)
                _copy(
                    cursor,
                    ArticleSource._meta.db_table,
                    "article_id, source_id, position",
                    credited,
                )
                _copy(
                    cursor, Article.authors.through._meta.db_table, "article_id, author_id", bylines
                )
                next_id += size
                remaining -= size
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        return first_id, next_id - 1
