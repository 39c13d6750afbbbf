"""NITF 3.x documents (the News Industry Text Format) as agency items: a pure function on
bytes.

Read: ``head/docdata``: ``doc-id`` (id-string: the guid; regsrc: the agency),
``du-key`` version, ``date.issue`` (the version's time), ``management-status`` (canceled
or withheld: a kill), ``correction`` (a correction), ``key-list`` keywords (tags),
``doc.copyright`` holder; ``body.head``: ``hedline/hl1`` (headline), ``byline``,
``distributor`` (the credited agency), ``dateline`` (its ``location`` / city),
``abstract`` (summary); ``body.content``: the paragraphs. The language is ``xml:lang`` on
the root, head or body, or guessed from the letters.
"""

from __future__ import annotations

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
from articles.wire.story import WireParseError, _, name_key

KILL_STATUSES = {"canceled", "cancelled", "withheld"}


def parse_nitf(data: bytes | str) -> WireItem:
    check_size(data)
    root = parse_xml(data)
    if local(root.tag) != "nitf":
        raise WireParseError(
            _("not an NITF document (the root is “%(name)s”)") % {"name": local(root.tag)[:60]},
            "not_nitf",
        )
    head = child(root, "head")
    docdata = child(head, "docdata")
    body = child(root, "body")
    body_head = child(body, "body.head")
    language = primary_language(
        language_of(root)
        or language_of(head)
        or language_of(body)
        or language_of(child(body, "body.content"))
    )

    doc_id = child(docdata, "doc-id")
    guid = clean(doc_id.get("id-string", "")) if doc_id is not None else ""
    du_key = child(docdata, "du-key")
    version = _version(du_key.get("version", "1")) if du_key is not None else 1
    status = (docdata.get("management-status", "") if docdata is not None else "").lower()
    kill = status.strip() in KILL_STATUSES
    correction = child(docdata, "correction") is not None
    signal = CORRECTION if correction else UPDATE if version > 1 else ""

    headline = text_of(child(body_head, "hedline", "hl1")) or text_of(child(head, "title"))
    paragraphs = text_blocks(child(body, "body.content")) if body is not None else []
    story = story_or_kill(
        kill,
        headline,
        paragraphs,
        no_headline=_("the NITF document has no headline (hl1)"),
        no_body=_("the NITF document has no body.content"),
        dateline=_dateline(body_head),
        sources=_credits(docdata, body_head, doc_id),
        summary=text_of(child(body_head, "abstract")),
        byline=_byline(body_head),
        tags=_keywords(docdata),
    )
    issued = child(docdata, "date.issue")
    return WireItem(
        story=story,
        format="nitf",
        guid=guid[:255],
        version=version,
        language=language or guess_language(headline + " ".join(paragraphs[:2])),
        version_created=parse_time(issued.get("norm", "")) if issued is not None else None,
        status=KILL if kill else USABLE,
        signal=signal,
        slugline=clean(du_key.get("key", ""))[:255] if du_key is not None else "",
    )


def _dateline(body_head) -> str:
    dateline = child(body_head, "dateline")
    if dateline is None:
        return ""
    location = child(dateline, "location")
    city = text_of(child(location, "city")) if location is not None else ""
    place = city or text_of(location) or text_of(dateline).split("(")[0]
    return clean(place.rstrip(" -–—:،,"))[:150]


def _credits(docdata, body_head, doc_id) -> tuple[str, ...]:
    copyright_ = child(docdata, "doc.copyright")
    names = [
        text_of(child(body_head, "distributor")),
        doc_id.get("regsrc", "") if doc_id is not None else "",
        copyright_.get("holder", "") if copyright_ is not None else "",
    ]
    credited, keys = [], set()
    for name in names:
        name = clean(name)[:150]
        key = name_key(name)
        if key and key not in keys:
            keys.add(key)
            credited.append(name)
    return tuple(credited[:1])  # one agency: the distributor, else whoever registered the id


def _byline(body_head) -> str:
    byline = child(body_head, "byline")
    if byline is None:
        return ""
    parts = [byline.text or ""]
    for element in byline:
        if local(element.tag) not in ("byttl", "virtloc"):
            parts.append(text_of(element))
        parts.append(element.tail or "")
    by = clean(" ".join(parts))
    for prefix in ("By ", "by ", "BY ", "بقلم:", "بقلم", "كتب:"):
        if by.startswith(prefix):
            by = by[len(prefix) :].strip()
    return by.rstrip(" ,،")[:300]


def _keywords(docdata) -> tuple[str, ...]:
    tags: list[str] = []
    for key_list in children(docdata, "key-list"):
        for keyword in children(key_list, "keyword"):
            name = clean(keyword.get("key", ""))[:100]
            if name and name not in tags:
                tags.append(name)
    return tuple(tags)
