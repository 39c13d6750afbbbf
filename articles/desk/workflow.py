"""The desk's workflow: who may move an article from which status to which, and the record of
every move.

draft → review → published (now, or at a future time) → archived; editors may also send an
article back to draft (unpublish) from review, published or archived. Reporters only file
drafts and submit them for review.
"""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk import revisions
from articles.models import Article, StatusChange

Status = Article.Status

# The three roles (groups made by migration 0003_desk_roles).
REPORTER_GROUP = "مراسل"
EDITOR_GROUP = "محرر"
CHIEF_GROUP = "رئيس التحرير"

PUBLISH_PERMISSION = "articles.publish_article"
EDIT_ANY_PERMISSION = "articles.change_any_article"

# Moves an editor may make. Staying in the same status is always allowed (an ordinary save).
EDITOR_MOVES = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.DRAFT, Status.ARCHIVED},
    Status.ARCHIVED: {Status.DRAFT, Status.PUBLISHED},
}
# Moves anyone who may edit the article may make (a reporter: submit a draft for review).
REPORTER_MOVES = {Status.DRAFT: {Status.REVIEW}}


def allowed_statuses(current: str | None, *, can_publish: bool) -> list[str]:
    """The statuses a desk member may choose for an article now in `current` (None: a new
    article), in workflow order."""
    if current is None:
        allowed = {Status.DRAFT, Status.REVIEW}
        if can_publish:
            allowed.add(Status.PUBLISHED)
    else:
        moves = EDITOR_MOVES if can_publish else REPORTER_MOVES
        allowed = {current, *moves.get(current, set())}
    return [value for value in Status.values if value in allowed]


def is_allowed_move(current: str | None, target: str, *, can_publish: bool) -> bool:
    return target in allowed_statuses(current, can_publish=can_publish)


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def can_view(user, article) -> bool:
    if not user.is_active or not user.is_staff or not user.has_perm("articles.view_article"):
        return False
    return user.has_perm(EDIT_ANY_PERMISSION) or article.created_by_id == user.pk


def can_edit(user, article) -> bool:
    """Editors edit any article; a reporter edits only their own drafts."""
    if not user.is_active or not user.is_staff or not user.has_perm("articles.change_article"):
        return False
    if user.has_perm(EDIT_ANY_PERMISSION):
        return True
    return article.created_by_id == user.pk and article.status == Status.DRAFT


def record_move(article, from_status, user, *, at=None):
    """Write down a status move (nothing when the status did not change)."""
    if from_status == article.status:
        return None
    return StatusChange.objects.create(
        article=article,
        from_status=from_status or "",
        to_status=article.status,
        published_at=article.published_at,
        changed_by=user if user and user.is_authenticated else None,
        changed_at=at or timezone.now(),
    )


def move(article, target: str, user, *, published_at=None):
    """Move one article to `target` as `user` would from the desk: checked, versioned, kept as
    a revision and recorded. Publishing without a time means now; a future time schedules."""
    if not can_edit(user, article) or not is_allowed_move(
        article.status, target, can_publish=can_publish(user)
    ):
        raise PermissionDenied(_("You may not move this article to that status."))
    with transaction.atomic(), reversion.create_revision(manage_manually=True):
        locked = Article.objects.select_for_update().get(pk=article.pk)
        from_status = locked.status
        locked.status = target
        if target == Status.PUBLISHED:
            locked.published_at = published_at or timezone.now()
        locked.version += 1
        locked.save()
        record_move(locked, from_status, user)
        revisions.keep(
            locked,
            user,
            _("Status: %(from)s → %(to)s")
            % {
                "from": Status(from_status).label,
                "to": Status(target).label,
            },
        )
    return locked


def publish_now(article, user):
    """Make an article live now; an article already live is left as it is."""
    if article.is_public:
        return article
    return move(article, Status.PUBLISHED, user, published_at=timezone.now())


def unpublish(article, user):
    """Take a published (live or scheduled) article off the site, back to draft."""
    return move(article, Status.DRAFT, user)
