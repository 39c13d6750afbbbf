"""An agency item: a wire story with what the agency says about it (its guid and version,
language, time, publishing status and signal). Every format parses to this; plain-text copy
and ninjs without an id carry no guid, so they have no versions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from articles.wire.story import WireParseError, WireStory, check_headline

USABLE = "usable"
KILL = "kill"  # the agency withdrew the item (NewsML-G2 stat:canceled / stat:withheld, NITF too)
UPDATE = "update"
CORRECTION = "correction"

_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z]")


@dataclass(frozen=True)
class WireItem:
    story: WireStory | None  # None only for a kill notice that carries no text
    format: str  # "newsml", "nitf", "ninjs" or "text"
    guid: str = ""
    version: int = 1
    language: str = ""
    version_created: datetime | None = None
    status: str = USABLE
    signal: str = ""  # "", UPDATE or CORRECTION
    slugline: str = ""

    @property
    def is_kill(self) -> bool:
        return self.status == KILL


def guess_language(text: str) -> str:
    """'ar' or 'en' by the letters that dominate: for items that do not say."""
    arabic = len(_ARABIC.findall(text))
    latin = len(_LATIN.findall(text))
    if not arabic and not latin:
        return ""
    return "ar" if arabic >= latin else "en"


def version_number(value) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 2**31 - 1)


def story_or_kill(kill: bool, headline: str, paragraphs, *, no_headline, no_body, **fields):
    """The story an XML item carries, checked as every wire story is; None for a kill notice
    that carries none (a kill may come as a bare status). `no_headline` and `no_body` are
    the format's own messages for what is missing."""
    if kill and not (headline and paragraphs):
        return None
    if not headline:
        raise WireParseError(no_headline, "no_headline")
    check_headline(headline)
    if not paragraphs:
        raise WireParseError(no_body, "no_body")
    return WireStory(headline=headline, paragraphs=tuple(paragraphs), **fields)
