"""schema.org LiveBlogPosting for a live coverage: the fields added to the article's
NewsArticle data (articles/templatetags/newsroom.py, `news_article_json_ld`)."""

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator


def live_blog_fields(article, live) -> dict:
    """@type, coverage times and the entries on the page as `liveBlogUpdate` (public entries
    only: `live` holds what the page shows)."""
    coverage = live["coverage"]
    url = settings.SITE_URL + article.get_absolute_url()
    fields = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": coverage.started_at.isoformat(),
        "liveBlogUpdate": [_update(url, entry) for entry in live["entries"]],
    }
    if coverage.ended_at and not coverage.is_live:
        fields["coverageEndTime"] = coverage.ended_at.isoformat()
    return fields


def _update(url: str, entry) -> dict:
    text = " ".join(strip_tags(entry.body).split())
    update = {
        "@type": "BlogPosting",
        "url": f"{url}#entry-{entry.pk}",
        "headline": Truncator(entry.headline or text).chars(110),
        "datePublished": entry.posted_at.isoformat(),
        "dateModified": entry.updated_at.isoformat(),
        "articleBody": text,
    }
    if entry.author_id:
        update["author"] = {"@type": "Person", "name": entry.author.name}
    return update
