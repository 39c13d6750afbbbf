"""Save wire stories as articles: the one code path behind ``manage.py import_wire``,
the desk's import page and the ``wire_import_per_s`` benchmark.

parse (articles.wire.parser) -> credit sources (matched, or created when a name cannot be
a dateline) -> article (draft unless published) with section and tags -> read-also
links (to the article with that headline, or pending) -> pending links elsewhere that
wait for this headline are resolved. The rows are written in bulk, and the write path's bulk
form (``articles.actions.articles_imported``) then does what follows: search vector, waiting
links, related postings, page cache.

Each story is saved in one transaction: a story that fails writes nothing.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import actions
from articles.models import (
    Article,
    ArticleSource,
    RelatedLink,
    Section,
    Source,
)
from articles.search import index as search_index
from articles.slugs import tag_names_without_slug
from articles.wire.credits import SourceRegistry, authors_of
from articles.wire.detect import parse_items
from articles.wire.links import resolve_links_of, title_key
from articles.wire.story import MAX_WIRE_BYTES, ReadAlso, WireParseError, WireStory, name_key

TITLE_KEY_LENGTH = 255
DURABLE_BATCH = 50  # files committed without waiting for the disk, then flushed at once
PARALLEL_FROM = 200  # files; below this, starting workers costs more than it saves


class WireImportError(Exception):
    """A story that parsed but cannot be saved; ``reason`` is for a person, in the
    active language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ImportResult:
    status: str  # "created", "exists", "updated" or "killed"
    article_id: int
    flagged: bool = False  # "updated": a new agency version waits for the desk

    @property
    def created(self) -> bool:
        return self.status == "created"


@dataclass(frozen=True)
class StoryPreview:
    """A parsed story as it would be saved, for the desk to check first."""

    story: WireStory
    dateline: str
    sources: list[tuple[str, Source | None]]  # None: would be created
    # (link, its article, whether it links to an article the viewer may not see)
    read_also: list[tuple[ReadAlso, Article | None, bool]]
    existing: Article | None  # already imported (and the viewer may see it)
    existing_unseen: bool = False  # already imported, as an article the viewer may not see


@dataclass(frozen=True)
class FileOutcome:
    """What the command prints for one file."""

    path: str
    results: tuple[ImportResult, ...] = ()  # one per item (a newsMessage carries several)
    reason: str = ""

    @property
    def result(self) -> ImportResult | None:
        return self.results[0] if self.results else None

    @property
    def created_ids(self) -> list[int]:
        return [result.article_id for result in self.results if result.created]

    @property
    def lines(self) -> list[str]:
        if not self.results:
            return [f"error {self.path}: {self.reason}"]
        return [f"{result.status} {result.article_id} {self.path}" for result in self.results]

    @property
    def line(self) -> str:
        return "\n".join(self.lines)


def _unreadable(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return _("the file does not exist")
    if error.errno in (errno.EACCES, errno.EPERM):
        return _("the file cannot be read: permission denied")
    if error.errno == errno.EISDIR:
        return _("this is a folder, not a file")
    return _("cannot read the file (%(error)s)") % {"error": error.strerror or error}


def parse_story(data: bytes | str, name: str = "") -> WireStory:
    """The story of the first item of a file, whatever its format (``articles.wire.detect``)."""
    item = parse_items(data, name)[0]
    if item.story is None:
        raise WireParseError(_("a kill notice carries no story"), "kill_notice")
    return item.story


def import_paths(
    paths,
    *,
    publish: bool = False,
    section: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
    workers: int | None = None,
    batch: int = DURABLE_BATCH,
) -> Iterator[FileOutcome]:
    """``manage.py import_wire``: import files and yield one outcome per file, in order.

    A large import runs in worker processes (one per CPU, up to four), each file still one
    transaction. Two stories arriving at once in different workers could miss each other's
    read-also link (each transaction sees only what was committed before it), so at the
    end the pending links of the new articles are looked up once more.
    """
    paths = [str(path) for path in paths]
    options = {"publish": publish, "section": section, "tags": list(tags)}
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(paths) >= PARALLEL_FROM else 1
    if workers <= 1 or connection.in_atomic_block:
        yield from WireImporter(**options).import_files(paths, durable_every=batch)
        return
    chunks = [paths[start : start + batch] for start in range(0, len(paths), batch)]
    created: list[int] = []
    connections.close_all()  # each worker opens its own connection
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(options,)) as pool:
        for outcomes in pool.imap(_import_chunk, chunks):
            created += [pk for outcome in outcomes for pk in outcome.created_ids]
            yield from outcomes
    resolve_links_of(created)


_worker_importer: WireImporter | None = None


def _start_worker(options: dict) -> None:
    global _worker_importer
    connections.close_all()
    _worker_importer = WireImporter(**options)


def _import_chunk(paths: list[str]) -> list[FileOutcome]:
    return list(_worker_importer.import_files(paths, durable_every=len(paths)))


class WireImporter:
    """Imports stories one transaction each. Keep one importer for a batch: it caches
    the source registry and the section."""

    def __init__(
        self,
        *,
        publish: bool = False,
        section: str | Section | None = None,
        tags: list[str] | tuple[str, ...] = (),
        user=None,
    ):
        self.publish = publish
        self.tags = list(tags)
        self.user = user
        self.sources = SourceRegistry()
        self._options_error = ""
        unsluggable = tag_names_without_slug(self.tags)
        if unsluggable:
            self._options_error = _(
                "the tag “%(name)s” has no letter or digit; a tag needs at least one"
            ) % {"name": unsluggable[0]}
        if isinstance(section, Section) or section is None:
            self.section = section
        else:
            self.section = Section.objects.filter(slug=section).first()
            if self.section is None:
                self._options_error = _("no section with the slug “%(slug)s”") % {"slug": section}

    # --- entry points ------------------------------------------------------------------

    def import_files(self, paths, *, durable_every: int = DURABLE_BATCH) -> Iterator[FileOutcome]:
        """Import files, one transaction each, and yield each outcome once it is on disk.

        The transactions commit without waiting for the disk (PostgreSQL's
        ``synchronous_commit = off``: a crash may lose the last fraction of a second of
        commits, never corrupt or half-write them). Every ``durable_every`` files, and
        at the end, one synchronous commit flushes everything before it; only then are
        those outcomes reported. So a printed ``created`` line is durable, and a large
        import waits for the disk once per batch instead of once per story.
        """
        done: list[FileOutcome] = []
        with _commits_without_waiting():
            for path in paths:
                done.append(self.import_file(path))
                if len(done) >= durable_every:
                    _flush_commits()
                    yield from done
                    done = []
            _flush_commits()
        yield from done

    def import_file(self, path: str | Path) -> FileOutcome:
        """Read, parse and save one file; never raises for bad input."""
        shown = str(path)
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_WIRE_BYTES + 1)  # the parser reports the size limit
        except OSError as error:
            return FileOutcome(shown, reason=_unreadable(error))
        try:
            return FileOutcome(shown, tuple(self.import_items(data, name=shown)))
        except (WireParseError, WireImportError) as error:
            return FileOutcome(shown, reason=error.reason)
        except DatabaseError as error:
            return FileOutcome(
                shown, reason=(_("database error: %(error)s") % {"error": error}).strip()
            )

    def import_bytes(self, data: bytes | str, *, name: str = "") -> ImportResult:
        """One story (the first item of a file that carries several)."""
        return self.import_items(data, name=name)[0]

    def import_items(self, data: bytes | str, *, name: str = "", feed=None) -> list[ImportResult]:
        """Every item of a file, whatever its format (``articles.wire.detect``): all of them
        or, when one fails, none (one transaction). Items with an agency id go through
        ``articles.agency.ingest`` (versions, kills, the incoming queue); plain-text copy
        straight to ``import_story``."""
        items = parse_items(data, name)
        if len(items) == 1 and not items[0].guid and items[0].format == "text" and feed is None:
            return [self.import_story(items[0].story)]
        from articles.agency.ingest import import_item

        with transaction.atomic():
            return [import_item(self, item, feed=feed) for item in items]

    def import_story(self, story: WireStory) -> ImportResult:
        if self._options_error:
            raise WireImportError(self._options_error)
        fingerprint, *earlier = story.fingerprints()
        if earlier:
            # Hard-wrapped lines were joined: an import from before the join saved this
            # story with one paragraph per line, under the fingerprint of those lines.
            existing = self._existing(*earlier)
            if existing:
                return ImportResult("exists", existing)
        for attempt in (1, 2):
            try:
                # No look-up first: the unique fingerprint refuses a second copy, and most
                # stories on the wire are new.
                with transaction.atomic():
                    article = self._save(story, fingerprint)
            except IntegrityError:
                self.sources.rollback()
                existing = self._existing(fingerprint)
                if existing:
                    return ImportResult("exists", existing)
                if attempt == 2:
                    raise
                # Another import created the same new source or slug meanwhile: the
                # second attempt sees it.
                self.sources.reload()
            except BaseException:
                self.sources.rollback()
                raise
            else:
                self.sources.commit()
                return ImportResult("created", article.pk)
        raise AssertionError("unreachable")

    # --- the steps ---------------------------------------------------------------------

    @staticmethod
    def _existing(*fingerprints: str) -> int | None:
        return (
            Article.objects.filter(fingerprint__in=fingerprints)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )

    def _save(self, story: WireStory, fingerprint: str) -> Article:
        """The article and its credits, tags, byline and read-also links, written in bulk;
        then the write path's bulk form, with the search document already in hand."""
        sources, dateline = self._credit(story)
        article = Article(
            title_ar=story.headline,
            summary_ar=story.summary or story.paragraphs[0],
            body_ar=_body_html(story, dateline),
            section=self.section,
            status=Article.Status.PUBLISHED if self.publish else Article.Status.DRAFT,
            fingerprint=fingerprint,
            created_by=self.user,
        )
        actions.prepare_article(article)
        Article.objects.bulk_create([article])
        actions.record_move(article, None, self.user)  # the desk's log: "→ draft" by whom
        _insert(
            ArticleSource,
            ["article_id", "source_id", "position"],
            [(article.pk, source.pk, position) for position, source in enumerate(sources)],
        )
        tags = self.tags + [tag for tag in story.tags if tag not in self.tags]
        tags = list(dict.fromkeys(tag[:_TAG_LENGTH].strip() for tag in tags))
        # An agency subject of punctuation alone is no subject: dropped, never a broken tag.
        unsluggable = set(tag_names_without_slug(tags))
        tags = [tag for tag in tags if tag not in unsluggable]
        actions.tag_in_bulk(article, tags)
        if story.byline:
            _insert(
                Article.authors.through,
                ["article_id", "author_id"],
                [(article.pk, author.pk) for author in dict.fromkeys(authors_of(story.byline))],
            )
        self._link(article, story)
        document = search_index.article_document(article, tags=tags, sources=sources)
        actions.articles_imported(
            [article.pk], published=self.publish, search_documents=[(article.pk, document)]
        )
        return article

    def credit_names(self, story: WireStory) -> tuple[list[tuple[str, Source | None]], str]:
        """The credited names in order with their registered source (None: a new one),
        and the dateline. A dateline the registry knows as a source ("سبق - وكالات:") is
        credited instead; the parser only lists a name as a source when it cannot be
        the dateline, so unknown names among the sources become new sources."""
        names = list(story.sources)
        dateline = story.dateline
        if dateline and self.sources.find(dateline):
            names.insert(0, dateline)
            dateline = ""
        credited, seen = [], set()
        for name in names:
            key = name_key(name)
            if key and key not in seen:
                seen.add(key)
                credited.append((name, self.sources.find(name)))
        return credited, dateline

    def _credit(self, story: WireStory) -> tuple[list[Source], str]:
        credited, dateline = self.credit_names(story)
        sources: list[Source] = []
        for name, source in credited:
            source = source or self.sources.create(name)
            if source not in sources:
                sources.append(source)
        return sources, dateline

    @staticmethod
    def read_also_targets(story: WireStory, exclude=None) -> dict[str, int]:
        """{headline key: id of the article with that headline}; published first, newest."""
        keys = {title_key(link.title) for link in story.read_also} - {""}
        if not keys:
            return {}
        # Plain SQL on the import's hot path (the ORM's query building cost more than the
        # query). Equivalent: Article.objects.filter(title_key__in=keys).exclude(pk=...)
        # .order_by("title_key", F("published_at").desc(nulls_last=True), "-pk").
        with connection.cursor() as cursor:
            cursor.execute(_TARGETS_SQL, [sorted(keys), exclude.pk if exclude else None])
            rows = cursor.fetchall()
        targets: dict[str, int] = {}
        for key, pk in rows:
            targets.setdefault(key, pk)
        return targets

    def preview(self, story: WireStory, visible=None) -> StoryPreview:
        """What importing ``story`` would do, without writing anything. ``visible``: the
        articles the viewer may see (``workflow.visible_articles``); others are not named."""
        visible = Article.objects.all() if visible is None else visible
        credited, dateline = self.credit_names(story)
        targets = self.read_also_targets(story)
        shown = visible.in_bulk(set(targets.values()))
        read_also = []
        for link in story.read_also:
            target = targets.get(title_key(link.title))
            read_also.append((link, shown.get(target), target is not None and target not in shown))
        existing = Article.objects.filter(fingerprint__in=story.fingerprints()).first()
        seen = existing is not None and visible.filter(pk=existing.pk).exists()
        return StoryPreview(
            story=story,
            dateline=dateline,
            sources=credited,
            read_also=read_also,
            existing=existing if seen else None,
            existing_unseen=existing is not None and not seen,
        )

    def _link(self, article: Article, story: WireStory) -> None:
        if not story.read_also:
            return
        keys = [title_key(link.title) for link in story.read_also]
        targets = self.read_also_targets(story, exclude=article)
        rows, seen = [], set()
        for position, (link, key) in enumerate(zip(story.read_also, keys, strict=True)):
            title = link.title[:_LINK_TITLE_LENGTH]
            target = targets.get(key)
            if target in seen:
                continue
            if target:  # to the article: readers see its own headline
                seen.add(target)
                rows.append((article.pk, position, target, "", title, key))
            elif link.url and len(link.url) <= _URL_LENGTH:  # to an outside page
                rows.append((article.pk, position, None, link.url, title, ""))
            elif key:  # pending: a headline awaiting its article
                rows.append((article.pk, position, None, "", title, key))
        _insert(
            RelatedLink, ["article_id", "position", "target_id", "url", "title", "title_key"], rows
        )


_LINK_TITLE_LENGTH = RelatedLink._meta.get_field("title").max_length
_URL_LENGTH = RelatedLink._meta.get_field("url").max_length
_TAG_LENGTH = Tag._meta.get_field("name").max_length
_TARGETS_SQL = f"""
SELECT title_key, id FROM {Article._meta.db_table}
WHERE title_key = ANY(%s) AND id IS DISTINCT FROM %s
ORDER BY title_key, published_at DESC NULLS LAST, id DESC
"""


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """One multi-row INSERT. Used on the import's hot path for the plain link tables
    (credited sources, read-also links) whose rows have no save() logic or signals;
    bulk_create would do the same at twice the cost."""
    if not rows:
        return
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES {values}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


@contextmanager
def _commits_without_waiting():
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        (previous,) = cursor.fetchone()
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('synchronous_commit', %s, false)", [previous])


def _flush_commits() -> None:
    """A synchronous commit with a transaction id: returns once the write-ahead log up
    to here, with every earlier commit, is on disk."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO on")
        cursor.execute("SELECT pg_current_xact_id()")


def _body_html(story: WireStory, dateline: str) -> str:
    paragraphs = [escape(p) for p in story.paragraphs]
    if dateline:
        # Agencies open the story with the place: "القاهرة - قال ..."
        paragraphs[0] = f"{escape(dateline)} - {paragraphs[0]}"
    return "".join(f"<p>{p}</p>" for p in paragraphs)
