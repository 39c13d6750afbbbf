"""An article's public representation in a webhook event.

Our own small one, not the content API's serializers (articles/api), so webhooks and the API
can change apart: id, canonical URL, headline and summary in Arabic and English (null when
there is no English), publication and update times, section and tags. Only public articles
are ever represented; an unpublished or deleted article's event carries its id alone.
"""

from django.conf import settings
from django.utils import translation


def article_payload(article) -> dict:
    with translation.override("ar"):  # the canonical URL has no language prefix
        url = settings.SITE_URL + article.get_absolute_url()
    section = article.section
    return {
        "id": article.pk,
        "url": url,
        "headline": {"ar": article.title_ar, "en": article.title_en or None},
        "summary": {"ar": article.summary_ar, "en": article.summary_en or None},
        "published_at": article.published_at.isoformat(),
        "updated_at": article.updated_at.isoformat() if article.updated_at else None,
        "section": {
            "slug": section.slug,
            "name": {"ar": section.name_ar, "en": section.name_en or None},
        }
        if section
        else None,
        "tags": sorted(article.tags.names()),
    }


def gone_payload(article_id) -> dict:
    """An article that stopped being public: its id, nothing of what it says."""
    return {"id": article_id}
