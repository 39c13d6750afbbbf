"""IPTC NewsML-G2 text items (a ``newsItem``, or a ``newsMessage`` carrying several) as
agency items: a pure function on bytes, like the plain-text parser.

Read from each newsItem: ``guid`` and ``version``; ``itemMeta``: ``versionCreated``,
``pubStatus`` (stat:canceled and stat:withheld withdraw the item: a kill), ``signal``
(sig:update, sig:correction; sig:kill too), ``provider`` (the credited agency) and ``link``
rel irel:seeAlso / irel:related (read-also links); ``contentMeta``: ``headline``,
``slugline``, ``dateline`` / ``located``, ``by`` / ``creator``, ``description`` (summary),
``language``, ``subject`` and ``keyword`` names (tags), ``infoSource`` and ``creditline``
(more credits); ``contentSet``: the XHTML body (``inlineXML``) or plain text (``inlineData``).
"""

from __future__ import annotations

from articles.wire.decoding import _clean_lines
from articles.wire.item import (
    CORRECTION,
    KILL,
    UPDATE,
    USABLE,
    WireItem,
    guess_language,
    story_or_kill,
)
from articles.wire.item import version_number as _version
from articles.wire.safexml import (
    check_size,
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
from articles.wire.story import (
    MAX_HEADLINE_CHARS,
    ReadAlso,
    WireParseError,
    _,
    name_key,
)

MAX_ITEMS = 200  # per newsMessage
KILL_STATUSES = {"canceled", "cancelled", "withheld"}
SEE_ALSO = {"seealso", "related"}


def parse_newsml(data: bytes | str) -> list[WireItem]:
    """The text items of a NewsML-G2 document, in order. Raises ``WireParseError``."""
    return [parse_news_item(item) for item in news_items(data)]


def parse_newsml_each(data: bytes | str) -> list[WireItem | WireParseError]:
    """Each item, or the error of that item alone: a feed's one bad item stops nothing."""
    parsed: list[WireItem | WireParseError] = []
    for item in news_items(data):
        try:
            parsed.append(parse_news_item(item))
        except WireParseError as error:
            parsed.append(error)
    return parsed


def news_items(data: bytes | str) -> list:
    """The newsItem elements of a newsItem or newsMessage document."""
    check_size(data)
    root = parse_xml(data)
    name = local(root.tag)
    if name == "newsItem":
        return [root]
    if name != "newsMessage":
        raise WireParseError(
            _("not a NewsML-G2 newsItem or newsMessage (the root is “%(name)s”)")
            % {"name": name[:60]},
            "not_newsml",
        )
    items = [
        element
        for item_set in children(root, "itemSet")
        for element in item_set
        if local(element.tag) == "newsItem"
    ]
    if not items:
        raise WireParseError(_("the newsMessage carries no newsItem"), "no_items")
    if len(items) > MAX_ITEMS:
        raise WireParseError(
            _("the newsMessage carries %(count)s items; the limit is %(limit)s")
            % {"count": len(items), "limit": MAX_ITEMS},
            "too_many_items",
        )
    return items


def parse_news_item(item) -> WireItem:
    guid = clean(item.get("guid", ""))[:255]
    meta = child(item, "itemMeta")
    content = child(item, "contentMeta")
    language = primary_language(
        (
            child(content, "language").get("tag", "")
            if child(content, "language") is not None
            else ""
        )
        or language_of(item)
    )

    status = _qcode_value(child(meta, "pubStatus"))
    signals = {_qcode_value(signal) for signal in children(meta, "signal")}
    kill = status in KILL_STATUSES or "kill" in signals
    signal = CORRECTION if "correction" in signals else UPDATE if "update" in signals else ""

    headline = clean(text_of(_in_language(children(content, "headline"), language)))
    paragraphs = _body(item)
    story = story_or_kill(
        kill,
        headline,
        paragraphs,
        no_headline=_("the newsItem has no headline"),
        no_body=_("the newsItem has no text body"),
        dateline=_dateline(content),
        sources=_credits(meta, content),
        read_also=_links(meta),
        summary=text_of(_in_language(children(content, "description"), language)),
        byline=_byline(content),
        tags=_subjects(content, language),
    )
    return WireItem(
        story=story,
        format="newsml",
        guid=guid,
        version=_version(item.get("version", "1")),
        language=language or guess_language(headline + " ".join(paragraphs[:2])),
        version_created=parse_time(text_of(child(meta, "versionCreated"))),
        status=KILL if kill else USABLE,
        signal=signal,
        slugline=text_of(child(content, "slugline"))[:255],
    )


def _qcode_value(element) -> str:
    """'stat:canceled' -> 'canceled'; a URI form ('…/pubstatusg2/canceled') too."""
    if element is None:
        return ""
    code = element.get("qcode") or element.get("uri") or ""
    return code.replace("/", ":").rsplit(":", 1)[-1].strip().lower()


def _in_language(elements, language: str):
    """The element in the item's language when several are given, else the first."""
    for element in elements:
        if language and primary_language(language_of(element)) == language:
            return element
    return elements[0] if elements else None


def _body(item) -> list[str]:
    content_set = child(item, "contentSet")
    for element in list(content_set) if content_set is not None else []:
        kind = (element.get("contenttype") or "").lower()
        if local(element.tag) == "inlineXML":
            body = next((e for e in element.iter() if local(e.tag) == "body"), element)
            paragraphs = text_blocks(body)
        elif local(element.tag) == "inlineData" and (not kind or kind.startswith("text/")):
            paragraphs = [line for line in _clean_lines(element.text or "") if line]
        else:
            continue
        if paragraphs:
            return paragraphs
    return []


def _dateline(content) -> str:
    located = child(content, "located")
    place = text_of(child(located, "name")) if located is not None else ""
    if place:
        return place
    text = text_of(child(content, "dateline"))
    # "القاهرة (أ ف ب) -": the place only; the credit is read from the provider.
    return clean(text.split("(")[0].rstrip(" -–—:،,"))[:150]


def _credits(meta, content) -> tuple[str, ...]:
    names = []
    provider = child(meta, "provider")
    if provider is not None:
        names.append(
            text_of(child(provider, "name")) or provider.get("literal") or _qcode_value(provider)
        )
    for source in children(content, "infoSource"):
        names.append(text_of(child(source, "name")) or source.get("literal") or "")
    names.append(text_of(child(content, "creditline")))
    credited, keys = [], set()
    for name in names:
        name = clean(name)[:150]
        key = name_key(name)
        if key and key not in keys:
            keys.add(key)
            credited.append(name)
    return tuple(credited)


def _byline(content) -> str:
    by = text_of(child(content, "by"))
    if not by:
        by = "، ".join(
            filter(None, (text_of(child(c, "name")) for c in children(content, "creator")))
        )
    for prefix in ("By ", "by ", "بقلم:", "بقلم", "كتب:"):
        if by.startswith(prefix):
            by = by[len(prefix) :].strip()
    return by[:300]


def _subjects(content, language: str) -> tuple[str, ...]:
    tags: list[str] = []
    for element in children(content, "subject") + children(content, "keyword"):
        names = children(element, "name")
        name = text_of(_in_language(names, language)) if names else ""
        if local(element.tag) == "keyword":
            name = text_of(element)
        if name and name not in tags:
            tags.append(name[:100])
    return tuple(tags)


def _links(meta) -> tuple[ReadAlso, ...]:
    links = []
    for link in children(meta, "link"):
        if _qcode_value_of(link.get("rel", "")) not in SEE_ALSO:
            continue
        title = clean(link.get("title") or text_of(child(link, "title")))
        href = (link.get("href") or "").strip()
        url = href if href.startswith(("http://", "https://")) else ""
        if title:
            links.append(ReadAlso(title[:MAX_HEADLINE_CHARS], url))
    return tuple(links)


def _qcode_value_of(code: str) -> str:
    return code.replace("/", ":").rsplit(":", 1)[-1].strip().lower()
