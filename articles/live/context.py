"""What the article page shows of its live coverage and its notes (corrections, updates),
for the reader's page; the poll endpoint and "load more" are in `articles.live.views`."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.live import queries

# Without JavaScript, ?page=N reaches this far back (100,000 entries): beyond it, a 404.
MAX_PAGES = 5000


def page_context(article, request) -> dict:
    """What the article page shows of its coverage and notes. `article` comes with its
    coverage (select_related "live") and notes (prefetched): a page of entries, the key
    events and the pinned entry add three queries, whatever the coverage's length."""
    notes = list(article.corrections.all())
    context = {
        "notes": notes,
        "updated_by_note": notes[-1].noted_at if notes else None,
        "live": None,
    }
    coverage = getattr(article, "live", None)
    if coverage is None:
        return context
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404(_("No such page.")) from None
    if not 1 <= page <= MAX_PAGES:
        raise Http404(_("No such page."))
    entries, last = queries.entries_page(article, page=page)
    if page > 1 and not entries:
        raise Http404(_("No such page."))
    context["live"] = {
        "coverage": coverage,
        "entries": entries,
        "page": page,
        "next_page": page + 1 if last else None,
        "more_url": more_url(article, last),
        "key_events": queries.key_events(article) if page == 1 else [],
        "pinned": queries.pinned_entry(coverage) if page == 1 else None,
        "poll_url": reverse("articles:live_poll", args=[article.pk]),
        "interval": queries.poll_seconds(),
    }
    return context


def more_url(article, last) -> str | None:
    if last is None:
        return None
    return reverse("articles:live_more", args=[article.pk, queries.entry_cursor(last)])
