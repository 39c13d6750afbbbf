"""Which format a file is in, from its content (never its name), and the one entry point that
parses any of them to agency items: plain-text copy, ninjs JSON, NewsML-G2 (newsItem or
newsMessage) and NITF."""

from __future__ import annotations

import json
import re

from articles.wire.decoding import decode_wire
from articles.wire.item import KILL, USABLE, WireItem, guess_language, version_number
from articles.wire.newsml import parse_newsml
from articles.wire.ninjs import looks_like_ninjs, parse_ninjs
from articles.wire.nitf import parse_nitf
from articles.wire.parser import parse_wire
from articles.wire.safexml import check_size, parse_time, primary_language
from articles.wire.story import WireParseError, _

TEXT, NINJS, NEWSML, NITF, FEED, OTHER_XML = "text", "ninjs", "newsml", "nitf", "feed", "xml"

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# The first element's name, after the XML declaration, comments, processing instructions and
# a DOCTYPE: enough to tell the formats apart without parsing the file twice.
_PROLOGUE = re.compile(
    r"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*", re.S
)
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def _head(data: bytes | str) -> str:
    if isinstance(data, bytes):
        for bom in _BOMS:
            if data.startswith(bom):
                encoding = "utf-8" if bom == _BOMS[0] else "utf-16"
                return data[:8192].decode(encoding, errors="ignore").lstrip("\ufeff")
        return data[:8192].decode("utf-8", errors="ignore")
    return data[:8192].lstrip("\ufeff")


def detect_format(data: bytes | str) -> str:
    head = _head(data)
    stripped = head.lstrip()
    if stripped.startswith("<"):
        prologue = _PROLOGUE.match(stripped)
        rest = stripped[prologue.end() :] if prologue else stripped
        root = _ROOT.match(rest)
        name = root.group(2) if root else ""
        if name in ("newsItem", "newsMessage"):
            return NEWSML
        if name == "nitf":
            return NITF
        if name in ("feed", "rss", "RDF"):
            return FEED
        return OTHER_XML
    if looks_like_ninjs(data):
        return NINJS
    return TEXT


def parse_items(data: bytes | str, name: str = "") -> list[WireItem]:
    """Every agency item in one file or pasted text, whatever its format; ``WireParseError``
    when it cannot be read (nothing of it is then imported)."""
    kind = detect_format(data)
    if kind == NEWSML:
        return parse_newsml(data)
    if kind == NITF:
        return [parse_nitf(data)]
    if kind == FEED:
        raise WireParseError(
            _("this is an Atom or RSS feed, not an item; add it at the desk as an agency feed"),
            "feed",
        )
    if kind == OTHER_XML:
        check_size(data)
        raise WireParseError(
            _("XML that is neither NewsML-G2 (newsItem, newsMessage) nor NITF"), "unknown_xml"
        )
    if kind == NINJS or name.lower().endswith(".json"):
        try:
            return [_ninjs_item(data)]
        except WireParseError as error:
            if error.code != "invalid_json" or name.lower().endswith(".json"):
                raise
            # A headline that happens to open with "{": plain text after all.
    story = parse_wire(data)
    return [WireItem(story=story, format=TEXT, language=guess_language(story.headline))]


def _ninjs_item(data: bytes | str) -> WireItem:
    """ninjs 1.x/2.x: the story, and its ``uri`` (or ``guid``), ``version``, ``pubstatus``,
    ``language`` and ``versioncreated`` when it has them."""
    text = decode_wire(data) if isinstance(data, bytes) else data
    story = parse_ninjs(text)  # checks size, JSON and the story itself
    document = json.loads(text)
    guid = document.get("uri") or document.get("guid") or ""
    status = str(document.get("pubstatus") or "").lower()
    return WireItem(
        story=story,
        format=NINJS,
        guid=guid.strip()[:255] if isinstance(guid, str) else "",
        version=version_number(document.get("version", 1)),
        language=primary_language(str(document.get("language") or ""))
        or guess_language(story.headline),
        version_created=parse_time(str(document.get("versioncreated") or "")),
        status=KILL if status in ("canceled", "withheld") else USABLE,
    )
