"""Read-also links and the headlines they wait for.

A read-also line names another story by its headline. The link points at the article with
that headline when it exists; otherwise it waits (a *pending* link, shown to no reader) until
an article with that headline is saved or imported. Headlines are compared by their title key:
the headline normalised (hamza, ya, ta marbuta, punctuation), as `headline_key` does it.
"""

from django.db import connection

from articles.models import Article, RelatedLink
from articles.wire.story import headline_key

TITLE_KEY_LENGTH = 255

_LINKS = RelatedLink._meta.db_table
_ARTICLES = Article._meta.db_table


def title_key(text: str) -> str:
    """The key a headline is matched by (stored on articles and on pending links)."""
    return headline_key(text or "")[:TITLE_KEY_LENGTH]


def resolve_pending_links(article: Article) -> list[int]:
    """Point every read-also link still waiting for this article's headline at it; returns
    the ids of the articles whose links now point at it (their pages show a new link).

    Runs whenever an article is saved or imported (`articles.actions`); readers only see the
    link once the article is public (`RelatedLink.reader_link`)."""
    if not article.title_key:
        return []
    # Plain SQL: this runs on every save, and building it with the ORM cost more than
    # running it. Same as RelatedLink.objects.filter(target=None, url="", title_key=key)
    # .exclude(article=article).exclude(article__in=<articles already linking to it>)
    # .update(target=article); the partial index related_link_pending_idx serves it.
    with connection.cursor() as cursor:
        cursor.execute(
            _RESOLVE_PENDING_SQL, [article.pk, article.title_key, article.pk, article.pk]
        )
        return [row[0] for row in cursor.fetchall()]


def resolve_pending_links_to(article_ids) -> list[int]:
    """`resolve_pending_links` for many articles written in bulk."""
    linking = []
    for article in Article.objects.filter(pk__in=list(article_ids)).only("pk", "title_key"):
        linking += resolve_pending_links(article)
    return linking


def resolve_links_of(article_ids) -> int:
    """Point the pending read-also links *of* these articles at the article with that
    headline, if one exists now (published first, newest)."""
    article_ids = list(article_ids)
    if not article_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_RESOLVE_LINKS_OF_SQL, [article_ids])
        return cursor.rowcount


def target_for_headline(key: str, article_id: int) -> int | None:
    """The article a headline typed at the desk names (published first, newest), if any,
    that `article_id` does not link to yet."""
    with connection.cursor() as cursor:
        cursor.execute(_TARGET_FOR_LINK_SQL, [key, article_id, article_id])
        row = cursor.fetchone()
    return row[0] if row else None


_RESOLVE_PENDING_SQL = f"""
UPDATE {_LINKS} SET target_id = %s
WHERE target_id IS NULL AND url = '' AND title_key = %s AND article_id <> %s
  AND article_id NOT IN (SELECT article_id FROM {_LINKS} WHERE target_id = %s)
RETURNING article_id
"""
_RESOLVE_LINKS_OF_SQL = f"""
UPDATE {RelatedLink._meta.db_table} link SET target_id = found.id
FROM (
    SELECT DISTINCT ON (pending.id) pending.id AS link_id, article.id
    FROM {RelatedLink._meta.db_table} pending
    JOIN {Article._meta.db_table} article
      ON article.title_key = pending.title_key AND article.id <> pending.article_id
    WHERE pending.article_id = ANY(%s) AND pending.target_id IS NULL AND pending.url = ''
      AND NOT EXISTS (
        SELECT 1 FROM {RelatedLink._meta.db_table} linked
        WHERE linked.article_id = pending.article_id AND linked.target_id = article.id
      )
    ORDER BY pending.id, article.published_at DESC NULLS LAST, article.id DESC
) found
WHERE link.id = found.link_id
"""

_TARGET_FOR_LINK_SQL = f"""
SELECT id FROM {Article._meta.db_table}
WHERE title_key = %s AND id <> %s
  AND id NOT IN (
    SELECT target_id FROM {RelatedLink._meta.db_table}
    WHERE article_id = %s AND target_id IS NOT NULL
  )
ORDER BY published_at DESC NULLS LAST, id DESC
LIMIT 1
"""
