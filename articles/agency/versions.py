"""New agency versions waiting for the desk: what they would change, accepting, dismissing.

A later version of an item whose article an editor has touched is not written over the
editor's work: it waits (``AgencyStory.pending``), marked when it is a correction, and the desk
shows the article's text beside the agency's new one. Accepting writes the new version
through the write path as the editor (a desk change: version bumped, revision kept);
dismissing keeps the article as it is.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from articles.agency.ingest import apply_version, story_from_json, text_hash
from articles.agency.models import AgencyStory
from articles.desk import workflow
from articles.desk.revisions import diff_lines
from articles.wire.importer import WireImporter, _body_html
from articles.wire.item import CORRECTION, WireItem


def pending_item(tracked: AgencyStory) -> WireItem | None:
    incoming = tracked.pending
    if incoming is None or not incoming.story:
        return None
    return WireItem(
        story=story_from_json(incoming.story),
        format=incoming.format,
        guid=incoming.guid,
        version=incoming.version,
        language=incoming.language,
        signal=CORRECTION if tracked.pending_correction else incoming.signal,
    )


def pending_diff(tracked: AgencyStory) -> list[tuple[str, list]]:
    """[(field label, diff lines)] from the article as it is to the waiting version."""
    item = pending_item(tracked)
    if item is None:
        return []
    article = tracked.article
    story = item.story
    _credited, dateline = WireImporter().credit_names(story)
    fields = [
        (_("headline"), article.title_ar, story.headline),
        (_("summary"), article.summary_ar, story.summary or story.paragraphs[0]),
        (_("body"), article.body_ar, _body_html(story, dateline)),
    ]
    return [(label, lines) for label, old, new in fields if (lines := diff_lines(old, new))]


def accept(tracked_id: int, user):
    """Write the waiting version into the article as `user`; the article."""
    with transaction.atomic():
        tracked = (
            AgencyStory.objects.select_for_update(of=("self",))
            .select_related("article", "pending")
            .get(pk=tracked_id)
        )
        if not workflow.can_edit(user, tracked.article):
            raise PermissionDenied(_("You may not edit this article."))
        item = pending_item(tracked)
        if item is None:
            return tracked.article
        article = apply_version(WireImporter(), tracked.article, item, user=user)
        tracked.written_version, tracked.written_hash = article.version, text_hash(article)
        tracked.pending, tracked.pending_correction = None, False
        tracked.save()
    return article


def dismiss(tracked_id: int, user) -> None:
    with transaction.atomic():
        tracked = (
            AgencyStory.objects.select_for_update().select_related("article").get(pk=tracked_id)
        )
        if not workflow.can_edit(user, tracked.article):
            raise PermissionDenied(_("You may not edit this article."))
        tracked.pending, tracked.pending_correction = None, False
        tracked.save(update_fields=["pending", "pending_correction"])
