"""What readers get of live coverage and corrections: the coverage on the article page
(`page_context`), the poll endpoint, "load more", the corrections page and feed.

The poll endpoint (`/live/<id>/poll/`, `/en/live/<id>/poll/`) is the same small JSON for every
reader of a coverage (no per-reader parameter), so the page cache, nginx and a CDN can all
answer it, with an ETag and 304. It says how long to wait before the next poll (`interval`,
LIVE_POLL_SECONDS), whether the coverage is still live, the newest entries, and what changed
lately (edited entries, and `removed`: entries readers saw that are deleted or unpublished)."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles.live import queries
from articles.live.context import more_url
from articles.live.models import Correction, LiveCoverage
from articles.models import Article
from articles.site.views import home_crumb, paginate
from newsroom import page_dependencies
from newsroom.page_cache import cache_for_readers


def _coverage_or_404(pk):
    article = get_object_or_404(Article.objects.published(), pk=pk)
    coverage = LiveCoverage.objects.filter(article=article).first()
    if coverage is None:
        raise Http404(_("This article has no live coverage."))
    return article, coverage


def _entry_html(request, article, entry, *, pinned=False) -> str:
    return render_to_string(
        "articles/includes/live_entry.html",
        {"entry": entry, "article": article, "pinned": pinned},
        request=request,
    )


def _entry_json(request, article, entry) -> dict:
    return {
        "id": entry.pk,
        "posted": entry.posted_at.isoformat(),
        "updated": entry.updated_at.isoformat(),
        "key": entry.key_event,
        "html": _entry_html(request, article, entry),
    }


@require_safe
@cache_for_readers
def poll(request, pk):
    article, coverage = _coverage_or_404(pk)
    newest, cut = queries.entries_page(article, size=queries.POLL_ENTRIES)
    edited_ids, removed, since = queries.recent_changes(article)
    shown = {entry.pk for entry in newest}
    missing = [pk for pk in edited_ids if pk not in shown]
    edited = list(queries.public_entries(article).filter(pk__in=missing)) if missing else []
    pinned = queries.pinned_entry(coverage)
    interval = queries.poll_seconds()
    payload = {
        "state": coverage.state,
        "interval": interval,
        "version": coverage.changed_at.isoformat(),
        "since": since.isoformat() if since else None,
        # More entries exist before the oldest listed: a page showing none of these is behind.
        "older": cut.posted_at.isoformat() if cut else None,
        "entries": [_entry_json(request, article, entry) for entry in [*newest, *edited]],
        "removed": removed,
        "pinned": _entry_html(request, article, pinned, pinned=True) if pinned else "",
        "key_events": render_to_string(
            "articles/includes/live_key_events.html",
            {"key_events": queries.key_events(article), "article": article},
            request=request,
        ),
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    # Shared caches keep it no longer than the interval (newsroom/page_cache.py).
    response["X-Poll-Interval"] = str(interval)
    page_dependencies.depends_on(response, page_dependencies.article(article.pk))
    return response


@require_safe
@cache_for_readers
def more(request, pk, cursor):
    """ "Load more": the next entries after the cursor, as HTML, and where the next ones are."""
    article, _coverage = _coverage_or_404(pk)
    position = queries.parse_cursor(cursor)
    if position is None:
        raise Http404(_("No such page."))
    entries, last = queries.entries_page(article, cursor=position)
    payload = {
        "html": "".join(_entry_html(request, article, entry) for entry in entries),
        "next": more_url(article, last),
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    page_dependencies.depends_on(response, page_dependencies.article(article.pk))
    return response


@require_safe
@cache_for_readers
def corrections(request):
    """Every correction of a public article, newest first, with links (transparency)."""
    notes = Correction.objects.public().corrections().select_related("article").newest_first()
    page = paginate(request, notes)
    heading = _("Corrections")
    return render(
        request,
        "articles/corrections.html",
        {
            "heading": heading,
            "page": page,
            "breadcrumbs": [home_crumb(), (None, heading)],
        },
    )
