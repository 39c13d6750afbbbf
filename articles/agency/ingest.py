"""One agency item into the newsroom: the incoming queue, and what its guid and version mean
for the article it made. Called by the wire importer (``import_wire``, the desk's import page)
and the feed poller, inside the file's or the item's transaction.

- A new guid makes an article (draft, or published when asked) through the wire importer,
  and remembers which article it made and what was written there (``AgencyStory``).
- The same guid and version again (a feed fetched twice, a file imported twice) is the same
  item: nothing changes.
- A later version updates the article if nobody has touched it since the importer wrote it
  (its edit version and a hash of its text are as the importer left them); otherwise the
  article is flagged "new agency version" and the desk may accept it (``versions.accept``).
  A correction signal does the same, marked as a correction.
- A kill notice (NewsML-G2 stat:canceled / stat:withheld, NITF management-status canceled)
  takes the article off the site at once, whatever its state (``actions.withdraw``: audit
  record in the status log and revisions; the incoming queue shows it to the desk).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, replace
from datetime import timedelta

import reversion
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import actions
from articles.agency.models import AgencyStory, IncomingItem, StoryGroup
from articles.agency.similarity import SAME_STORY, bands, best_match, signature, story_text
from articles.models import Article
from articles.wire.item import CORRECTION, WireItem
from articles.wire.story import ReadAlso, WireStory

GROUP_WINDOW = timedelta(hours=48)  # items further apart are not grouped
GROUP_CANDIDATES = 50  # the newest likely matches, compared exactly
_CANDIDATES_SQL = f"""
SELECT group_id, signature FROM {IncomingItem._meta.db_table}
WHERE bands && %s::integer[] AND received_at >= %s AND group_id IS NOT NULL
  AND (SELECT count(*) FROM unnest(signature, %s::integer[]) AS pair(a, b) WHERE a = b) >= %s
ORDER BY received_at DESC
LIMIT %s
"""


def text_hash(article: Article) -> str:
    return _hash(article.title_ar, article.summary_ar, article.body_ar)


def _hash(title, summary, body) -> str:
    text = "\x1f".join([title or "", summary or "", body or ""])
    return hashlib.sha256(text.encode()).hexdigest()


def untouched(article: Article, tracked: AgencyStory) -> bool:
    """Nobody changed the article since the importer wrote it: no desk save or move (the
    version) and no other write of its text (the hash)."""
    return article.version == tracked.written_version and text_hash(article) == tracked.written_hash


def story_to_json(story: WireStory | None) -> dict | None:
    if story is None:
        return None
    data = asdict(story)
    data.pop("line_by_line", None)
    return data


def story_from_json(data: dict) -> WireStory:
    fields = {key: data.get(key) for key in WireStory.__dataclass_fields__ if key in data}
    for key in ("paragraphs", "sources", "tags"):
        fields[key] = tuple(fields.get(key) or ())
    fields["read_also"] = tuple(ReadAlso(*link) for link in fields.get("read_also") or ())
    fields.pop("line_by_line", None)
    return WireStory(**fields)


def item_fingerprint(item: WireItem) -> str:
    if item.story is not None:
        return item.story.fingerprint()
    return hashlib.sha256(f"kill\x1f{item.guid}\x1f{item.version}".encode()).hexdigest()


def import_item(importer, item: WireItem, *, feed=None):
    """Import one item with ``importer`` (an ``articles.wire.importer.WireImporter``); the
    ImportResult. Runs in its own transaction (a savepoint inside the file's)."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _import_item(importer, item, feed)
        except IntegrityError:
            # Another worker imported the same guid at the same moment: look again.
            importer.sources.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _import_item(importer, item: WireItem, feed):
    from articles.wire.importer import ImportResult, WireImportError

    tracked, known = None, {}
    if item.guid:
        tracked = AgencyStory.objects.select_for_update().filter(guid=item.guid).first()
        # The versions of this guid already in the queue: {version: (article id, group id)}.
        rows = IncomingItem.objects.filter(guid=item.guid).values_list(
            "version", "article_id", "group_id"
        )
        known = {version: (article_id, group_id) for version, article_id, group_id in rows}
        seen = known.get(item.version)
        if seen is not None and (tracked is not None or seen[0]):
            return ImportResult("exists", tracked.article_id if tracked else seen[0])

    if item.is_kill:
        if tracked is None:
            raise WireImportError(
                _("the agency withdrew item “%(guid)s”, which was never imported here")
                % {"guid": item.guid or "?"}
            )
        article = actions.withdraw(
            tracked.article,
            _("Killed by the agency (item %(guid)s, version %(version)s)")
            % {"guid": item.guid, "version": item.version},
        )
        tracked.version = max(tracked.version, item.version)
        tracked.killed_at = timezone.now()
        tracked.pending = None
        tracked.written_version, tracked.written_hash = article.version, text_hash(article)
        tracked.save()
        _record(importer, item, feed, article.pk, IncomingItem.Outcome.KILLED, known)
        return ImportResult("killed", article.pk)

    if tracked is None:
        story = item.story
        if feed is not None and feed.source_id and not story.sources:
            # The feed's agency, for items that name none (registered, so found by name).
            story = replace(story, sources=(feed.source.name,))
        result = importer.import_story(story)
        # The same text imported before may already be another guid's article.
        if item.guid and (
            result.created or not AgencyStory.objects.filter(article_id=result.article_id).exists()
        ):
            version, *text = (
                Article.objects.filter(pk=result.article_id)
                .values_list("version", "title_ar", "summary_ar", "body_ar")
                .get()
            )
            AgencyStory.objects.create(
                guid=item.guid,
                article_id=result.article_id,
                version=item.version,
                written_version=version,
                written_hash=_hash(*text),
            )
        outcome = IncomingItem.Outcome.CREATED if result.created else IncomingItem.Outcome.EXISTS
        _record(importer, item, feed, result.article_id, outcome, known)
        return result

    if item.version <= tracked.version or tracked.killed_at:
        # An older version arriving late, or anything after a kill: kept in the queue only.
        _record(importer, item, feed, tracked.article_id, IncomingItem.Outcome.EXISTS, known)
        return ImportResult("exists", tracked.article_id)

    article = Article.objects.select_for_update().get(pk=tracked.article_id)
    tracked.version = item.version
    if untouched(article, tracked):
        article = apply_version(importer, article, item, user=None)
        tracked.written_version, tracked.written_hash = article.version, text_hash(article)
        tracked.pending, tracked.pending_correction = None, False
        tracked.save()
        _record(importer, item, feed, article.pk, IncomingItem.Outcome.UPDATED, known)
        return ImportResult("updated", article.pk)
    incoming = _record(importer, item, feed, article.pk, IncomingItem.Outcome.FLAGGED, known)
    tracked.pending = incoming
    tracked.pending_correction = item.signal == CORRECTION or tracked.pending_correction
    tracked.save()
    return ImportResult("updated", article.pk, flagged=True)


def apply_version(importer, article: Article, item: WireItem, *, user) -> Article:
    """Write an agency version's text into its article through the write path, as `user`
    (None: the importer). The revision history keeps what it replaced and says why."""
    from articles.desk import revisions
    from articles.wire.importer import _body_html

    story = item.story
    _credited, dateline = importer.credit_names(story)
    revisions.keep_the_original(article.pk)
    with reversion.create_revision(manage_manually=True):
        article.title_ar = story.headline
        article.summary_ar = story.summary or story.paragraphs[0]
        article.body_ar = _body_html(story, dateline)
        fingerprint = story.fingerprint()
        if not Article.objects.filter(fingerprint=fingerprint).exclude(pk=article.pk).exists():
            article.fingerprint = fingerprint
        # Versioned like a desk change: a desk form opened on the older text cannot save
        # over the agency's new one unseen (the optimistic lock refuses it).
        actions.bump_version(article)
        article.save()
        kind = _("correction") if item.signal == CORRECTION else _("update")
        revisions.keep(
            article,
            user,
            _("Agency version %(version)s (%(kind)s)") % {"version": item.version, "kind": kind},
        )
    return article


def _record(importer, item: WireItem, feed, article_id, outcome, known=None) -> IncomingItem:
    """The item in the incoming queue (once per guid and version, or per text without a
    guid), in the group of the items that tell the same story. `known`: the versions of its
    guid already queued, {version: (article id, group id)}."""
    known = known or {}
    story = item.story
    fingerprint = item_fingerprint(item)
    lookup = (
        {"guid": item.guid, "version": item.version}
        if item.guid
        else {
            "guid": "",
            "fingerprint": fingerprint,
        }
    )
    existing = None
    if not item.guid or item.version in known:
        existing = IncomingItem.objects.filter(**lookup).first()
    if existing is not None:
        if existing.article_id is None and article_id:
            existing.article_id = article_id
            existing.save(update_fields=["article"])
        return existing
    agency = None
    if story is not None and story.sources:
        agency = importer.sources.find(story.sources[0])
    agency = agency or (feed.source if feed else None)
    incoming = IncomingItem(
        feed=feed,
        guid=item.guid,
        version=item.version,
        fingerprint=fingerprint,
        format=item.format,
        language=item.language,
        headline=(story.headline if story else "")[:255],
        agency=agency,
        section=importer.section,
        signal=item.signal,
        killed=item.is_kill,
        version_created=item.version_created,
        article_id=article_id,
        outcome=outcome,
        story=story_to_json(story),
        signature=signature(story_text(story.headline, story.paragraphs)) if story else [],
    )
    incoming.bands = bands(incoming.signature)
    same_guid = next((group for _article, group in known.values() if group), None)
    incoming.group = StoryGroup(pk=same_guid) if same_guid else _group_for(incoming)
    incoming.save()
    return incoming


def _group_for(incoming: IncomingItem) -> StoryGroup:
    """The group of the most similar recent item (the same story from another agency), or a
    new group. (Another version of a guid joins its versions' group without asking.)"""
    if incoming.signature:
        # PostgreSQL narrows the items sharing a band (GIN index) to those whose signatures
        # agree in enough places; `best_match`, the rule, decides among those few.
        with connection.cursor() as cursor:
            cursor.execute(
                _CANDIDATES_SQL,
                [
                    incoming.bands,
                    timezone.now() - GROUP_WINDOW,
                    incoming.signature,
                    math.ceil(SAME_STORY * len(incoming.signature)),
                    GROUP_CANDIDATES,
                ],
            )
            candidates = cursor.fetchall()
        match = best_match(incoming.signature, candidates)
        if match:
            return StoryGroup(pk=match[0])
    return StoryGroup.objects.create()
