"""Atom and RSS feeds as lists of entries: a pure function on bytes, read with the same safe
XML parser as agency items.

An entry either links to an agency item (NewsML-G2 or NITF: an Atom ``content src=…`` or a
``link`` / RSS ``enclosure`` whose type is XML, which the poller fetches), or carries its story
itself (title and HTML content or summary), which becomes an item with the entry's id as its
guid. Atom entries change in place: the entry's ``updated`` time is its version.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from articles.wire.item import WireItem, guess_language
from articles.wire.ninjs import _html_paragraphs
from articles.wire.safexml import (
    child,
    children,
    clean,
    language_of,
    local,
    parse_time,
    parse_xml,
    primary_language,
    text_blocks,
    text_of,
)
from articles.wire.story import WireParseError, WireStory, _, check_headline

ITEM_TYPES = ("newsitem", "newsmessage", "nitf", "g2", "application/xml", "text/xml")
MAX_ENTRIES = 500


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    item_url: str = ""  # an agency item to fetch
    item: WireItem | None = None  # or the story the entry carries
    error: str = ""  # this entry cannot be read (the others still are)


def parse_feed(data: bytes) -> list[FeedEntry]:
    root = parse_xml(data)
    name = local(root.tag)
    if name == "feed":
        entries = children(root, "entry")
        read = _atom_entry
    elif name in ("rss", "RDF"):
        channel = child(root, "channel")
        entries = children(channel, "item") + children(root, "item")
        read = _rss_item
    else:
        raise WireParseError(_("not an Atom or RSS feed"), "not_a_feed")
    feed_language = primary_language(
        language_of(root) or text_of(child(root, "channel", "language"))
    )
    return [read(entry, feed_language) for entry in entries[:MAX_ENTRIES]]


def _is_item_type(kind: str) -> bool:
    kind = (kind or "").lower()
    return any(marker in kind for marker in ITEM_TYPES)


def _atom_entry(entry, feed_language: str) -> FeedEntry:
    guid = clean(text_of(child(entry, "id")))[:255]
    content = child(entry, "content")
    if content is not None and content.get("src") and _is_item_type(content.get("type", "")):
        return FeedEntry(guid, item_url=content.get("src").strip())
    for link in children(entry, "link"):
        if link.get("rel", "alternate") in ("alternate", "enclosure") and _is_item_type(
            link.get("type", "")
        ):
            return FeedEntry(guid, item_url=(link.get("href") or "").strip())
    html = ""
    if content is not None:
        html = _markup(content)
    html = html or _markup(child(entry, "summary"))
    updated = parse_time(text_of(child(entry, "updated")))
    language = primary_language(language_of(entry)) or feed_language
    return _entry_story(guid, text_of(child(entry, "title")), html, updated, language)


def _rss_item(item, feed_language: str) -> FeedEntry:
    guid = clean(text_of(child(item, "guid")) or text_of(child(item, "link")))[:255]
    enclosure = child(item, "enclosure")
    if enclosure is not None and _is_item_type(enclosure.get("type", "")):
        return FeedEntry(guid, item_url=(enclosure.get("url") or "").strip())
    encoded = next((e for e in item if local(e.tag) == "encoded"), None)
    html = (encoded.text or "") if encoded is not None else ""
    html = html or (
        child(item, "description").text or "" if child(item, "description") is not None else ""
    )
    updated = parse_time(_rfc822(text_of(child(item, "pubDate"))))
    return _entry_story(guid, text_of(child(item, "title")), html, updated, feed_language)


def _markup(element) -> str:
    """An Atom text construct as HTML: escaped HTML (type="html") is its text; XHTML its
    markup; plain text its text."""
    if element is None:
        return ""
    if element.get("type") == "xhtml":
        return "".join(f"<p>{p}</p>" for p in text_blocks(element))
    return element.text or ""


def _entry_story(guid, title, html, updated, language) -> FeedEntry:
    headline = clean(title)
    try:
        if not headline:
            raise WireParseError(_("the entry has no title"), "no_headline")
        check_headline(headline)
        paragraphs = _html_paragraphs(html) if "<" in html else [clean(html)] if clean(html) else []
        paragraphs = [p for p in (clean(p) for p in paragraphs) if p]
        if not paragraphs:
            raise WireParseError(_("the entry has no text"), "no_body")
    except WireParseError as error:
        return FeedEntry(guid, error=error.reason)
    story = WireStory(headline=headline, paragraphs=tuple(paragraphs))
    version = int(updated.timestamp()) if updated else 1
    item = WireItem(
        story=story,
        format="feed",
        guid=guid,
        version=max(1, min(version, 2**31 - 1)),
        language=language or guess_language(headline + " " + paragraphs[0]),
        version_created=updated,
    )
    return FeedEntry(guid, item=item)


def _rfc822(value: str) -> str:
    try:
        return parsedate_to_datetime(value).isoformat() if value else ""
    except (TypeError, ValueError):
        return ""
