"""The write path of live coverage and corrections: what follows each change, in order, in
one place. The desk's composer, the article form's note, `load_demo` and tests call these;
nothing happens in a signal.

Starting or ending a coverage (`start_coverage`, `end_coverage`):
  1. the coverage row written (state, start or end time) and its `changed_at` moved on;
  2. the article's modified time moved on (`touch_article`: feeds, sitemaps, dateModified);
  3. a revision of the article, with the coverage, by the editor;
  4. page cache: the article's page, its poll answer and "load more" pages (`article:<id>`),
     and the listings (the home page's "مباشر" badge, the ticker, feeds) retire.

An entry posted, edited, deleted or pinned (`save_entry`, `delete_entry`, `pin_entry`):
  1. the text sanitised with the one allow-list (`articles.text.sanitize.clean_html`), the
     headline stripped; a key event without a headline is refused (ValidationError);
  2. the row written: the first publication sets `posted_at`, which never moves after; a
     delete sets `deleted_at` (the row stays, so polls can tell open pages to drop it);
  3. the coverage's `changed_at` moved on (an UPDATE of the coverage row only: editors
     posting at once queue for milliseconds, nothing is refused or lost, and the article row
     that the desk's form locks is left alone, so no lock conflict with it);
  4. the article's modified time moved on, as above;
  5. a revision holding the entry and its article, with a comment saying what happened;
  6. a new image's renditions made now, not on a reader's request;
  7. page cache: `article:<id>` and the listings retire, as above.
  Entries never bump the article's version: an editor with the article form open is not
  told the article changed under them when a colleague posts an entry.

A correction or update note (`add_note`; the article form's note calls it inside its own
save): the text stripped and required, the row written, the article's modified time set to
the note's, the note kept in the article's revision, the article's page and the listings
(the corrections page and feed) retired.
"""

from __future__ import annotations

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from articles.live.models import Correction, LiveCoverage, LiveEntry
from articles.media import images
from articles.models import Article
from articles.text.sanitize import clean_html
from newsroom import page_dependencies

reversion.register(LiveCoverage)
reversion.register(LiveEntry)
reversion.register(Correction)


# --- permissions: the desk's rule for articles, once ----------------------------------------


def check_may_edit(user, article) -> None:
    """The desk's rule (`workflow.can_edit`); `user` None is the system itself (load_demo, a
    management command), never a request."""
    from articles.desk import workflow

    if user is not None and not workflow.can_edit(user, article):
        raise PermissionDenied(_("You may not change this article."))


def may_publish(user) -> bool:
    from articles.desk import workflow

    return workflow.can_publish(user)


# --- what follows every change -----------------------------------------------------------


def touch_article(article_id, moment) -> None:
    """The article's modified time (feeds' <atom:updated>, sitemaps' <lastmod>, JSON-LD's
    dateModified) moves on. A plain UPDATE: the article's version and row stay as the desk
    left them (see the module's docstring)."""
    Article.objects.filter(pk=article_id, updated_at__lt=moment).update(updated_at=moment)


def coverage_changed(article_id, moment) -> None:
    LiveCoverage.objects.filter(pk=article_id).update(changed_at=moment)


def pages_changed(article_id) -> None:
    page_dependencies.retire(page_dependencies.article(article_id), page_dependencies.LISTINGS)


def keep_revision(article_id, objects, user, comment) -> None:
    """A revision of the article as it is now, with `objects` (an entry, the coverage, a
    note) as they are now: the article's history lists it (articles.desk.revisions)."""
    from articles.desk import revisions

    article = Article.objects.get(pk=article_id)
    with reversion.create_revision(manage_manually=True):
        for obj in objects:
            reversion.add_to_revision(obj)
        revisions.keep(article, user, comment)


def _summary(entry) -> str:
    text = entry.headline or strip_tags(entry.body)
    return Truncator(" ".join(text.split())).chars(60)


# --- the coverage ----------------------------------------------------------------------------


def _locked_coverage(article) -> LiveCoverage:
    coverage = LiveCoverage.objects.select_for_update().filter(article=article).first()
    if coverage is None:
        raise ValidationError(_("This article has no live coverage."), code="not_live")
    return coverage


def start_coverage(article: Article, user) -> LiveCoverage:
    """Make the article live (again, if it had ended)."""
    check_may_edit(user, article)
    now = timezone.now()
    with transaction.atomic():
        coverage, _created = LiveCoverage.objects.select_for_update().get_or_create(
            article=article, defaults={"started_at": now, "changed_at": now}
        )
        coverage.state = LiveCoverage.State.LIVE
        coverage.ended_at = None
        coverage.changed_at = now
        coverage.save()
        touch_article(article.pk, now)
        keep_revision(article.pk, [coverage], user, _("Live coverage started"))
        pages_changed(article.pk)
    return coverage


def end_coverage(article: Article, user) -> LiveCoverage:
    """End the coverage: readers' pages stop polling at their next poll; entries stay."""
    check_may_edit(user, article)
    now = timezone.now()
    with transaction.atomic():
        coverage = _locked_coverage(article)
        coverage.state = LiveCoverage.State.ENDED
        coverage.ended_at = now
        coverage.changed_at = now
        coverage.save()
        touch_article(article.pk, now)
        keep_revision(article.pk, [coverage], user, _("Live coverage ended"))
        pages_changed(article.pk)
    return coverage


# --- entries -------------------------------------------------------------------------------


def prepare_entry(entry: LiveEntry) -> None:
    """Step 1, on the instance."""
    entry.body = clean_html(entry.body or "")
    entry.headline = " ".join((entry.headline or "").split())
    entry.image_caption = " ".join((entry.image_caption or "").split())
    if entry.key_event and not entry.headline:
        raise ValidationError(
            {"headline": _("A key event needs a headline.")}, code="key_event_headline"
        )
    if not strip_tags(entry.body).strip() and not entry.image:
        raise ValidationError({"body": _("Write the entry's text.")}, code="empty_entry")


def save_entry(entry: LiveEntry, user, *, new_image: bool = False) -> LiveEntry:
    """Post a new entry or save an edited one (steps 1 to 7). A desk member who may not
    publish saves drafts only."""
    article = Article.objects.get(pk=entry.article_id)
    check_may_edit(user, article)
    if entry.status == LiveEntry.Status.PUBLISHED and user is not None and not may_publish(user):
        raise PermissionDenied(_("You may not publish entries."))
    if not LiveCoverage.objects.filter(pk=article.pk).exists():
        raise ValidationError(_("This article has no live coverage."), code="not_live")
    prepare_entry(entry)
    created = entry.pk is None
    now = timezone.now()
    with transaction.atomic():
        if entry.status == LiveEntry.Status.PUBLISHED and entry.posted_at is None:
            entry.posted_at = now
        if created:
            entry.created_by = user if user and user.is_authenticated else None
        entry.updated_at = now
        entry.save()
        coverage_changed(article.pk, now)
        touch_article(article.pk, now)
        if created and entry.status == LiveEntry.Status.PUBLISHED:
            comment = _("Live entry posted: %(entry)s")
        elif created:
            comment = _("Live entry saved as a draft: %(entry)s")
        else:
            comment = _("Live entry edited: %(entry)s")
        keep_revision(article.pk, [entry], user, comment % {"entry": _summary(entry)})
        if new_image and entry.image:
            images.picture_for(entry.image)
        pages_changed(article.pk)
    return entry


def delete_entry(entry: LiveEntry, user) -> None:
    """Take an entry off the coverage: readers' pages drop it at their next poll. Its text
    stays in the article's revisions."""
    check_may_edit(user, entry.article)
    now = timezone.now()
    with transaction.atomic():
        entry.deleted_at = now
        entry.updated_at = now
        entry.save(update_fields=["deleted_at", "updated_at"])
        LiveCoverage.objects.filter(pk=entry.article_id, pinned_entry=entry).update(
            pinned_entry=None
        )
        coverage_changed(entry.article_id, now)
        touch_article(entry.article_id, now)
        keep_revision(
            entry.article_id,
            [entry],
            user,
            _("Live entry deleted: %(entry)s") % {"entry": _summary(entry)},
        )
        pages_changed(entry.article_id)


def pin_entry(article: Article, entry: LiveEntry | None, user) -> None:
    """Pin an entry at the top of the coverage (None: unpin)."""
    check_may_edit(user, article)
    if entry is not None and (entry.article_id != article.pk or entry.deleted_at):
        raise ValidationError(_("That entry is not part of this coverage."), code="not_here")
    now = timezone.now()
    with transaction.atomic():
        coverage = _locked_coverage(article)
        coverage.pinned_entry = entry
        coverage.changed_at = now
        coverage.save(update_fields=["pinned_entry", "changed_at"])
        touch_article(article.pk, now)
        comment = (
            _("Live entry pinned: %(entry)s") % {"entry": _summary(entry)}
            if entry
            else _("Live entry unpinned")
        )
        keep_revision(article.pk, [coverage], user, comment)
        pages_changed(article.pk)


# --- corrections and update notes ------------------------------------------------------------


def add_note(article: Article, kind: str, text: str, user, *, in_revision=False) -> Correction:
    """Append a correction or update note to the article. `in_revision`: the caller (the
    article form's save) is making the article's revision and the note joins it."""
    check_may_edit(user, article)
    text = "\n".join(line.strip() for line in (text or "").strip().splitlines())
    if not text:
        raise ValidationError({"note_text": _("Write the note readers will see.")}, code="empty")
    if kind not in Correction.Kind.values:
        raise ValidationError({"note_kind": _("Choose a correction or an update.")})
    now = timezone.now()
    with transaction.atomic():
        note = Correction.objects.create(
            article=article,
            kind=kind,
            text=text,
            noted_at=now,
            created_by=user if user and user.is_authenticated else None,
        )
        touch_article(article.pk, now)
        label = Correction.Kind(kind).label
        if in_revision:
            reversion.add_to_revision(note)
        else:
            keep_revision(article.pk, [note], user, _("%(kind)s added") % {"kind": label})
        pages_changed(article.pk)
    return note
