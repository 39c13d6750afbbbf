"""Article cards and the section menu, rendered once and kept in this process's memory.

A card (`includes/article_card.html`: image, section, headline, summary, time) is the same HTML
on every page that shows it: the home page shows 40-odd, a listing 20, an article page its
related ones. Rendering one costs more than everything else about it, so each process keeps the
cards it rendered, keyed by what they show:

- the article and the moment it was last saved (`updated_at`: every edit through the write path
  saves the row, so an edited article has a new key);
- the language and the variant (lead card, heading level, section shown or not);
- the page cache's generation (newsroom/page_cache.py), which everything coarser than one
  article retires: a section renamed, a scheduled article going live.

An entry is never changed once stored, so it cannot go stale: a change makes a new key and the
old entry ages out. Entries are also dropped after PAGE_CACHE_SECONDS, the bound the cached
pages themselves keep (a deploy that changes the template restarts the processes anyway). The
memory is bounded by CARD_CACHE_ENTRIES (default 2,000 cards, about 3 MB). The section menu of
every page is kept the same way, one per language and generation.
"""

import collections
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from newsroom.page_cache import current_state, page_cache_seconds

TEMPLATE = "includes/article_card.html"
SECTION_MENU = "includes/section_menu.html"


class _Cards:
    def __init__(self):
        self.entries = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            html, until = entry
            if until <= time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return html

    def put(self, key, html):
        size = int(getattr(settings, "CARD_CACHE_ENTRIES", 2000))
        with self.lock:
            self.entries[key] = (html, time.monotonic() + page_cache_seconds())
            self.entries.move_to_end(key)
            while len(self.entries) > size:
                self.entries.popitem(last=False)

    def forget(self):
        with self.lock:
            self.entries.clear()


_cards = _Cards()


def forget_cards() -> None:
    """Drop every remembered card (tests call it between cases)."""
    _cards.forget()


def section_menu_html():
    """The section menu every public page shows, rendered once per language and generation
    (saving a section starts a new generation: articles.actions.section_changed)."""
    from articles.site.context_processors import nav_sections

    key = (current_state()["generation"], get_language(), "section-menu")
    html = _cards.get(key)
    if html is None:
        html = get_template(SECTION_MENU).render({"nav_sections": nav_sections()})
        _cards.put(key, html)
    return html


@dataclass(frozen=True)
class CardRef:
    """A card to show, named by what its HTML depends on: which article, in which state
    (`updated_at`), and the variant. A page can read these few columns and render
    (or remember) the cards without loading the articles themselves."""

    pk: int
    updated_at: object
    lead: bool = False
    level: int = 3
    hide_section: bool = False

    def key(self):
        return (
            current_state()["generation"],
            get_language(),
            self.pk,
            self.updated_at,
            bool(self.lead),
            self.level,
            bool(self.hide_section),
        )


def card_html(article, *, lead=False, level=3, hide_section=False):
    """The card of `article` (a public article read with its section) as safe HTML."""
    key = CardRef(article.pk, article.updated_at, lead, level, hide_section).key()
    html = _cards.get(key)
    if html is None:
        context = {"article": article, "lead": lead, "level": level, "hide_section": hide_section}
        html = mark_safe(get_template(TEMPLATE).render(context))
        _cards.put(key, html)
    return html


def cards_html(refs) -> list:
    """The cards of `refs` (CardRef), in order, as safe HTML: those this process remembers
    from memory, the others from ONE query for all of them. The article of a None in the
    list stopped being public since `refs` were read (the query applies `published()`)."""
    from articles.models import Article

    found = [_cards.get(ref.key()) for ref in refs]
    missing = {ref.pk for ref, html in zip(refs, found, strict=True) if html is None}
    if missing:
        articles = Article.objects.published().with_card_data().in_bulk(missing)
        for n, ref in enumerate(refs):
            if found[n] is None and ref.pk in articles:
                variant = {"lead": ref.lead, "level": ref.level, "hide_section": ref.hide_section}
                # Stored under the article's current state, which may be newer than `ref`'s.
                found[n] = card_html(articles[ref.pk], **variant)
    return found
