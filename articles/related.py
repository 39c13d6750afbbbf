"""Related articles by shared tags: most shared tags first, then newest.

Public articles only; never the article itself nor one it already links to by hand.
"""

from django.db.models import Count

from .models import Article

RELATED_LIMIT = 6


def related_articles(article, tag_ids, exclude_ids=(), limit=RELATED_LIMIT):
    if not tag_ids:
        return []
    return list(
        Article.objects.published()
        .with_card_data()
        .filter(tags__in=tag_ids)
        .exclude(pk=article.pk)
        .exclude(pk__in=list(exclude_ids))
        .annotate(shared_tags=Count("pk"))
        .order_by("-shared_tags", "-published_at", "-id")[:limit]
    )
