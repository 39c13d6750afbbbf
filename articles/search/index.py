"""The stored search document of each article (`Article.search_vector`), kept current by the
write path (`articles.actions`) one article at a time, and in bulk by `refresh_search_vectors`
(imports, generated corpora, `manage.py rebuild_search_index`)."""

import multiprocessing
import os

from django.db import connection, connections
from django.db.models import QuerySet

from articles.search.engine import REFRESH_BATCH, SEARCH_CONFIG, DocumentTexts, vector_sql

# --- Keeping search_vector current ---------------------------------------------------------------

# The text columns a vector is built from: both languages, so an English query finds the English
# version too (modeltranslation stores title_ar, title_en, ...).
TITLE_FIELDS = ("title_ar", "title_en")
SUMMARY_FIELDS = ("summary_ar", "summary_en")
BODY_FIELDS = ("body_ar", "body_en")
SOURCE_NAME_FIELDS = ("source__name_ar", "source__name_en", "source__aliases")


def refresh_search_vectors(articles, *, config: str = SEARCH_CONFIG) -> int:
    """Recompute `search_vector` for `articles`: a queryset of Article, or article ids.

    The bulk path for imports and corpus generators (and what the save signals call): four
    queries per REFRESH_BATCH articles, no signals, no per-row save. Returns how many articles
    were refreshed.
    """
    from articles.models import Article

    if isinstance(articles, QuerySet):
        articles = articles.order_by().values_list("pk", flat=True)
    ids = list(articles)
    done = 0
    for offset in range(0, len(ids), REFRESH_BATCH):
        rows = document_texts(ids[offset : offset + REFRESH_BATCH])
        write_vectors(Article._meta.db_table, rows, config)
        done += len(rows)
    return done


# Each worker process takes a batch of REFRESH_BATCH ids at a time; more workers than cores
# only queue for them (PostgreSQL's to_tsvector runs on the same cores).
MAX_WORKERS = 8


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def rebuild_search_vectors(
    ids, *, workers: int | None = None, progress=None, batch: int = REFRESH_BATCH
) -> int:
    """The bulk refresh of `refresh_search_vectors` over many articles, in worker processes
    (`manage.py rebuild_search_index`, `make_corpus`): the same vectors, one `batch` of ids per
    task, each worker on its own database connection, each batch
    committed on its own. `ids`: article ids (a list or range); `progress`: something with
    `advance(n)` (`newsroom.progress.Progress`). Returns how many articles were refreshed.

    The rows must be committed (workers see only committed rows), so this cannot run inside a
    transaction; inside one, or with one worker, it refreshes in this process instead. A batch
    refreshed twice (a rerun after a failure) gets the same vector: reruns are safe.
    """
    ids = list(ids)
    batches = [ids[start : start + batch] for start in range(0, len(ids), batch)]
    workers = min(default_workers() if workers is None else workers, len(batches))
    advance = progress.advance if progress is not None else (lambda count: None)
    done = 0
    if workers <= 1 or connection.in_atomic_block:
        for chunk in batches:
            count = refresh_search_vectors(chunk)
            done += count
            advance(count)
        return done
    connections.close_all()  # a forked worker must not share the parent's connection
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker) as pool:
        for count in pool.imap_unordered(refresh_search_vectors, batches):
            done += count
            advance(count)
    return done


def _start_worker() -> None:
    connections.close_all()  # the copies inherited from the parent are never used


def document_texts(ids) -> list[tuple[int, DocumentTexts]]:
    """[(article id, its DocumentTexts)]: three queries however many ids."""
    from articles.models import Article, ArticleSource

    tags: dict[int, list[str]] = {}
    tagged = Article.tags.through.objects.filter(
        object_id__in=ids, content_type__app_label="articles", content_type__model="article"
    )
    # In the order the tags were given (an unordered query would give the tags' positions in the
    # vector by the plan of the day: the same article's vector could differ between batches).
    for article_id, name in tagged.order_by("pk").values_list("object_id", "tag__name"):
        tags.setdefault(article_id, []).append(name)
    sources: dict[int, list[str]] = {}
    credited = ArticleSource.objects.filter(article_id__in=ids)
    for article_id, *names in credited.values_list("article_id", *SOURCE_NAME_FIELDS):
        sources.setdefault(article_id, []).extend(_source_names(*names))
    fields = (*TITLE_FIELDS, *SUMMARY_FIELDS, *BODY_FIELDS)
    rows = []
    for pk, *texts in Article.objects.filter(pk__in=ids).values_list("pk", *fields):
        values = dict(zip(fields, texts, strict=True))
        rows.append((pk, _document(values, tags.get(pk, ()), sources.get(pk, ()))))
    return rows


def article_document(article, *, tags=(), sources=()) -> DocumentTexts:
    """The DocumentTexts of an article in hand, with its tag names and Source objects: for
    code that has just written them all (the wire importer), without reading them back."""
    fields = (*TITLE_FIELDS, *SUMMARY_FIELDS, *BODY_FIELDS)
    names = [n for s in sources for n in _source_names(s.name_ar, s.name_en, s.aliases)]
    return _document({field: getattr(article, field) for field in fields}, tags, names)


def _source_names(name_ar, name_en, aliases) -> list[str]:
    return [name for name in (name_ar, name_en, *(aliases or ())) if name]


def _document(values: dict, tags, source_names) -> DocumentTexts:
    def joined(names):
        return " ".join(values[name] or "" for name in names)

    return DocumentTexts.build(
        title=joined(TITLE_FIELDS),
        summary=joined(SUMMARY_FIELDS),
        body=joined(BODY_FIELDS),
        tags=tags,
        sources=source_names,
    )


def write_vectors(table: str, rows, config: str = SEARCH_CONFIG) -> None:
    """One UPDATE setting the weighted vectors of `rows` [(id, DocumentTexts)]."""
    if not rows:
        return
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    params = [value for pk, texts in rows for value in (pk, *texts.params())]
    vector = vector_sql(config) % ("v.title", "v.summary", "v.body", "v.sources")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(table)} AS a SET search_vector = {vector}"
            f" FROM (VALUES {values}) AS v(id, title, summary, body, sources)"
            " WHERE a.id = v.id::bigint",
            params,
        )


def write_documents(rows, config: str = SEARCH_CONFIG) -> None:
    """Write the vectors of articles whose DocumentTexts the caller has in hand."""
    from articles.models import Article

    write_vectors(Article._meta.db_table, rows, config)


def vector_texts(documents, config: str = SEARCH_CONFIG) -> list[str]:
    """The weighted vectors of `documents` [DocumentTexts], in order, in PostgreSQL's text form:
    computed by the database with `vector_sql`, as `write_vectors` stores them, for bulk loaders
    that write each row once with its vector (`make_corpus` COPYs this text into the column; a
    tsvector's text form reads back as the same vector). One query however many documents."""
    documents = list(documents)
    if not documents:
        return []
    columns = [list(column) for column in zip(*(d.params() for d in documents), strict=True)]
    vector = vector_sql(config) % ("v.title", "v.summary", "v.body", "v.sources")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({vector})::text FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[])"
            " WITH ORDINALITY AS v(title, summary, body, sources, n) ORDER BY v.n",
            columns,
        )
        return [row[0] for row in cursor.fetchall()]
