"""A parsed wire story and what every wire parser shares: its limits, its error, and the
matching keys of names and headlines."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext

from articles.text.arabic import normalize_arabic

# A long agency story is a few dozen kilobytes; anything near this is not one story.
MAX_WIRE_BYTES = 512 * 1024
MAX_WIRE_CHARS = MAX_WIRE_BYTES
# Headlines are one line; longer than this is almost always a paragraph pasted
# without its headline. Must not exceed Article.title's max_length.
MAX_HEADLINE_CHARS = 200


class WireParseError(ValueError):
    """The input cannot be read as a wire story.

    ``reason`` says why, for a person, in the active language (translated when raised);
    ``code`` names the kind of problem for code and tests ("empty", "no_body", ...).
    """

    def __init__(self, reason: str, code: str):
        super().__init__(reason)
        self.reason = reason
        self.code = code


def _(message: str) -> str:
    """``gettext``; the English source when Django is not configured, so the parser
    stays usable from a plain script."""
    return gettext(message) if settings.configured else message


def _kib(size: int) -> str:
    return f"{-(-size // 1024):,}"  # rounded up: a file just over the limit is not "512"


def _count(number: int) -> str:
    return f"{number:,}"


class ReadAlso(NamedTuple):
    """One "اقرأ أيضاً" line: the headline of another story, and its URL when given."""

    title: str
    url: str = ""


@dataclass(frozen=True)
class WireStory:
    headline: str
    paragraphs: tuple[str, ...]
    dateline: str = ""
    sources: tuple[str, ...] = ()
    read_also: tuple[ReadAlso, ...] = ()
    credit: str = ""
    # Filled by ninjs items only.
    summary: str = ""
    byline: str = ""
    tags: tuple[str, ...] = ()
    # The story as parsers before hard-wrapped lines were joined read it: each line a
    # paragraph or a whole read-also headline. None when no line was joined.
    line_by_line: WireStory | None = field(default=None, compare=False, repr=False)

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def fingerprint(self) -> str:
        """A content hash: the same story gives the same value whatever its encoding,
        line endings or spacing, so a re-import is recognised."""
        parts = [
            self.headline,
            self.credit,
            *self.paragraphs,
            *(f"{link.title}\x1e{link.url}" for link in self.read_also),
        ]
        if self.byline or self.tags or self.summary:
            parts += [self.summary, self.byline, *self.tags]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def fingerprints(self) -> tuple[str, ...]:
        """The fingerprint, then (when lines were joined) the one the story had when each
        line was read as a paragraph: either means "already imported"."""
        if self.line_by_line is None:
            return (self.fingerprint(),)
        return (self.fingerprint(), self.line_by_line.fingerprint())


# --- Matching keys (never for what is stored or shown) -------------------------------

_NOT_WORD = re.compile(r"[\W_]+")


def name_key(text: str) -> str:
    """A matching key that ignores hamza/ya/ta-marbuta forms, diacritics, tatweel,
    case, punctuation and spacing: "أ ف ب", "ا.ف.ب" and "أف ب" share one key."""
    return _NOT_WORD.sub("", normalize_arabic(text))


def headline_key(text: str) -> str:
    """Like ``name_key`` but keeps word boundaries, for comparing headlines."""
    return " ".join(_NOT_WORD.sub(" ", normalize_arabic(text)).split())


def check_length(text: str) -> None:
    if len(text) > MAX_WIRE_CHARS:
        raise WireParseError(
            _("the text has %(length)s characters; the limit for one story is %(limit)s")
            % {"length": _count(len(text)), "limit": _count(MAX_WIRE_CHARS)},
            "too_large",
        )


def check_headline(headline: str) -> None:
    if len(headline) > MAX_HEADLINE_CHARS:
        raise WireParseError(
            _(
                "the headline has %(length)s characters; the limit is %(limit)s (is the first "
                "line a paragraph? put the headline on its own first line)"
            )
            % {"length": _count(len(headline)), "limit": _count(MAX_HEADLINE_CHARS)},
            "headline_too_long",
        )
