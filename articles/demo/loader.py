"""A generated corpus as COPY text, batch by batch, each article row with its search vector.

`make_corpus` has the batches made in worker processes (`batches`): each makes its articles
(`CorpusGenerator.batch`, seeded by the batch's number, so the corpus does not depend on how
many processes made it), their stems (`articles.search.index.article_document`) and their
weighted vectors, computed by PostgreSQL on the worker's own connection exactly as the write path
computes them (`articles.search.index.vector_texts`); the parent only COPYs the text in. Each
row is written once, with its vector, instead of a COPY and then an UPDATE of every row.
"""

import collections
import contextlib
import io
import itertools
import multiprocessing
from dataclasses import dataclass

from django.db import connections

from articles.search import index as search_index
from articles.wire.links import title_key


@dataclass(frozen=True)
class Lookups:
    """What turns a generated row's indexes into database values."""

    sections: list[int]  # ids, in corpus.SECTIONS order
    sources: list  # Source objects, in corpus.SOURCES order
    authors: list[int]  # ids, in the generator's author order
    tag_ids: list[int]  # ids, in tag_names order
    tag_names: list[str]
    content_type: int  # Article's, for taggit's generic rows
    now: str  # updated_at of every row
    search: bool  # write the search vectors (else NULL)


@dataclass
class CopyData:
    """One batch's rows in COPY text form, per table."""

    articles: str
    tagged: str
    credited: str
    bylines: str
    count: int


class _Texts:
    """The fields `article_document` reads."""

    __slots__ = ("body_ar", "body_en", "summary_ar", "summary_en", "title_ar", "title_en")

    def __init__(self, row):
        self.title_ar, self.summary_ar, self.body_ar = row.title, row.summary, row.body
        self.title_en = self.summary_en = self.body_en = None


def _timestamp(moment) -> str:
    return r"\N" if moment is None else moment.isoformat()


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def copy_data(generator, lookups: Lookups, number: int, first_id: int, size: int) -> CopyData:
    """Batch `number`: `size` articles with ids from `first_id`."""
    rows = generator.batch(number, size)
    if lookups.search:
        documents = [
            search_index.article_document(
                _Texts(row),
                tags=[lookups.tag_names[tag] for tag in row.tags],
                sources=[lookups.sources[source] for source in row.sources],
            )
            for row in rows
        ]
        vectors = [_copy_text(vector) for vector in search_index.vector_texts(documents)]
    else:
        vectors = [r"\N"] * size
    articles, tagged, credited, bylines = (io.StringIO() for _ in range(4))
    for article_id, row, vector in zip(
        range(first_id, first_id + size), rows, vectors, strict=True
    ):
        slug = "-".join(row.title.split()[:6]) + f"-{article_id}"
        section = str(lookups.sections[row.section])
        articles.write(
            f"{article_id}\t{row.title}\t{row.title}\t{slug}\t{row.summary}\t{row.summary}\t"
            f"{row.body}\t{row.body}\t\t\t\t{section}\t{row.status}\t"
            f"{_timestamp(row.published_at)}\t{row.created_at.isoformat()}\t{lookups.now}\t1\t"
            f"{title_key(row.title)}\t{vector}\n"
        )
        for tag in row.tags:
            tagged.write(f"{lookups.content_type}\t{article_id}\t{lookups.tag_ids[tag]}\n")
        for position, source in enumerate(row.sources):
            credited.write(f"{article_id}\t{lookups.sources[source].pk}\t{position}\n")
        for author in row.authors:
            bylines.write(f"{article_id}\t{lookups.authors[author]}\n")
    return CopyData(
        articles.getvalue(), tagged.getvalue(), credited.getvalue(), bylines.getvalue(), size
    )


# The columns of CopyData.articles, in order.
ARTICLE_COLUMNS = (
    "id, title, title_ar, slug, summary, summary_ar, body, body_ar, lead_image, "
    "lead_image_caption, lead_image_credit, section_id, status, published_at, created_at, "
    "updated_at, version, title_key, search_vector"
)


def _start_worker() -> None:
    connections.close_all()  # the parent's connection is not theirs: each opens its own


@contextlib.contextmanager
def worker_pool(workers: int):
    """A pool of `workers` forked processes for `batches`, or None for one (then the batches are
    made here, on the caller's connection). Open it before any transaction: the parent's
    connection is closed so that no process shares it."""
    if workers <= 1:
        yield None
        return
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
        yield pool


def batches(pool, generator, lookups: Lookups, specs, *, ahead: int = 4):
    """CopyData of each (number, first_id, size) in `specs`, in order: made in `pool`'s processes,
    at most `ahead` batches in the making or waiting (the caller writes one while the next are
    made; more would only hold memory), or here without a pool."""
    if pool is None:
        for spec in specs:
            yield copy_data(generator, lookups, *spec)
        return
    queued = iter(specs)
    pending = collections.deque()

    def submit(count):
        for spec in itertools.islice(queued, count):
            pending.append(pool.apply_async(copy_data, (generator, lookups, *spec)))

    submit(ahead)
    while pending:
        data = pending.popleft().get()
        submit(1)
        yield data
