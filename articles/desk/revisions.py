"""Revisions of articles with django-reversion: what is kept, the text diff, and restore.

Each revision holds one article with everything edited on its page: credited sources,
read-also links and tags. Revisions are added explicitly once everything is saved
(`manage_manually`), so inlines and tags are kept as they ended up, never half-way.
"""

import difflib
import html
import re
from dataclasses import dataclass

import reversion
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from articles import actions
from articles.models import Article, ArticleSource, RelatedLink

reversion.register(ArticleSource)
reversion.register(RelatedLink)
reversion.register(Tag)
reversion.register(TaggedItem, follow=("tag",))
reversion.register(Article, follow=("article_sources", "related_links", "tagged_items"))

DIFF_FIELDS = [
    ("title_ar", gettext_lazy("Headline (Arabic)")),
    ("summary_ar", gettext_lazy("Summary (Arabic)")),
    ("body_ar", gettext_lazy("Body (Arabic)")),
    ("title_en", gettext_lazy("Headline (English)")),
    ("summary_en", gettext_lazy("Summary (English)")),
    ("body_en", gettext_lazy("Body (English)")),
]
# Workflow state is not content: restoring old text never publishes or unpublishes.
KEPT_ON_RESTORE = ("status", "published_at")

BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption)>|<br\s*/?>", re.I)
TAG = re.compile(r"<[^>]+>")


def keep(article, user, comment=""):
    """Add the article (and its followed inlines and tags, as they are now) to the revision
    being made; call inside `reversion.create_revision()`."""
    reversion.add_to_revision(article)
    if user is not None and user.is_authenticated:
        reversion.set_user(user)
    if comment:
        reversion.set_comment(str(comment))


def keep_the_original(article_id) -> None:
    """An article that arrived without a revision (a wire import, the demo content) keeps its
    text as it arrived: before the desk's first change, that state becomes its first revision.
    Imports stay fast (a revision costs more than the import itself), and nothing is lost."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None or Version.objects.get_for_object(article).exists():
        return
    comment = _("As imported from the wire") if article.fingerprint else _("As first saved")
    with transaction.atomic(), reversion.create_revision(manage_manually=True):
        keep(article, article.created_by, comment)


def versions_of(article):
    """The article's revisions, newest first, with who made them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def text_lines(value) -> list[str]:
    """Readable lines of a text or an HTML body: one per paragraph, heading or list item."""
    text = html.unescape(TAG.sub("", BLOCK_END.sub("\n", str(value or ""))))
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str


def diff_lines(old, new) -> list[DiffLine]:
    """A line diff of two texts (HTML reduced to its readable lines); empty when equal."""
    before, after = text_lines(old), text_lines(new)
    if before == after:
        return []
    lines = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            lines += [DiffLine("same", line) for line in before[a1:a2]]
        else:
            lines += [DiffLine("removed", line) for line in before[a1:a2]]
            lines += [DiffLine("added", line) for line in after[b1:b2]]
    return lines


def history(article):
    """[(version, [(field label, diff lines)])] newest first; each diffed against the one
    before it (the oldest against nothing)."""
    versions = list(versions_of(article))
    entries = []
    for index, version in enumerate(versions):
        fields = version.field_dict
        previous = versions[index + 1].field_dict if index + 1 < len(versions) else {}
        changes = []
        for name, label in DIFF_FIELDS:
            lines = diff_lines(previous.get(name), fields.get(name))
            if lines:
                changes.append((label, lines))
        entries.append((version, changes))
    return entries


def restore(article, version, user):
    """Bring back the text, inlines and tags of `version` as a new revision (and a new
    version number, so editors with the page open are told it changed)."""
    with transaction.atomic(), reversion.create_revision(manage_manually=True):
        current = Article.objects.select_for_update().get(pk=article.pk)
        version.revision.revert(delete=True)
        restored = Article.objects.get(pk=article.pk)
        for name in KEPT_ON_RESTORE:
            setattr(restored, name, getattr(current, name))
        if restored.lead_image and not restored.lead_image.storage.exists(restored.lead_image.name):
            # That image was deleted once no article used it (articles.media.images): keep today's.
            restored.lead_image = current.lead_image
        actions.bump_version(restored, current.version)
        restored.save()
        keep(
            restored,
            user,
            _("Restored the revision of %(date)s")
            % {"date": version.revision.date_created.strftime("%Y-%m-%d %H:%M")},
        )
    return restored
