"""The desk's workflow: who may move an article from which status to which, and who may see
or edit which article. The moves themselves (checked, versioned, logged, kept as a revision)
are made by `articles.actions.move`.

draft → review → published (now, or at a future time) → archived; editors may also send an
article back to draft (unpublish) from review, published or archived. Reporters only file
drafts and submit them for review.
"""

from articles.desk.roles import EDIT_ANY_PERMISSION, PUBLISH_PERMISSION
from articles.models import Article

Status = Article.Status

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


def visible_articles(user, articles=None):
    """The one rule of which articles a desk member may see, as a queryset: editors and chief
    editors every article; a reporter their own. The changelist, the autocomplete, read-also
    targets, the wire import preview and the admin's "view on site" door all use it."""
    articles = Article.objects.all() if articles is None else articles
    if not user.is_active or not user.is_staff or not user.has_perm("articles.view_article"):
        return articles.none()
    if user.has_perm(EDIT_ANY_PERMISSION):
        return articles
    return articles.filter(created_by=user)


def can_view(user, article) -> bool:
    """`visible_articles` for one article in hand."""
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
