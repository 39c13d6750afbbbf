"""Parse agency wire copy into a structured story.

Pure functions on plain data: no database, no models (only Django's translation of error
messages, which falls back to English outside a configured project). The import command, the
desk's paste page and the benchmark all go through ``parse_wire`` (plain text)
or ``parse_ninjs`` (IPTC ninjs JSON), then ``articles.wire.importer`` does the saving.

The shape of a plain-text story::

    <headline>
    <credit line>            e.g. "القاهرة - رويترز:" or "وكالات- مصدر الإخبارية:"
    <paragraph>
    اقرأ أيضاً: <headline of another story>
    <paragraph>
    ...

The credit line is optional and may also open the first paragraph
("القاهرة (رويترز) - قال ..."). Text is kept as written: typographic quotes,
tatweel and Arabic punctuation survive; only whitespace is tidied.

Hard-wrapped copy (a paragraph broken into lines of 40-100 characters) is joined
back into paragraphs; see ``_Wrapping`` for the rule.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import NamedTuple

from articles.wire.credit import (
    _END_MARKER,
    _TRAILING_PAREN,
    _TRAILING_SOURCE,
    _credit,
    _is_agency,
    _read_also,
    _segments,
)
from articles.wire.decoding import _clean_lines, decode_wire
from articles.wire.story import (
    ReadAlso,
    WireParseError,
    WireStory,
    _,
    check_headline,
    check_length,
)

# --- The parser ------------------------------------------------------------------------


def _is_word_char(char: str) -> bool:
    return char.isalnum() and char != "\u0640"  # tatweel is a letter to Unicode


def parse_wire(data: str | bytes) -> WireStory:
    """Parse one plain-text wire story. Raises only ``WireParseError``."""
    if isinstance(data, bytes | bytearray | memoryview):
        text = decode_wire(bytes(data))
    elif isinstance(data, str):
        check_length(data)
        text = data
    else:
        raise WireParseError(
            _("expected text or bytes, got %(type)s") % {"type": type(data).__name__},
            "not_text",
        )

    # Lines without a letter or digit ("***", "ـــــ") only decorate; like blank lines,
    # they separate paragraphs.
    lines: list[_Line] = []
    gap = False
    for line in _clean_lines(text):
        if any(map(_is_word_char, line)):
            lines.append(_Line(line, len(line), gap, not gap))
            gap = False
        else:
            gap = True
    if not lines:
        raise WireParseError(_("the text is empty"), "empty")

    headline = lines[0].text
    if _read_also(headline) is not None:
        raise WireParseError(
            _("the first line is a read-also line; the first line must be the headline"),
            "read_also_first",
        )
    check_headline(headline)
    opening = _credit(headline)
    if opening is not None and not opening.rest:
        raise WireParseError(
            _("the first line (%(line)s) is a credit line; the headline must be the first line")
            % {"line": headline},
            "credit_first",
        )

    body = lines[1:]
    credit = _credit(body[0].text) if body else None
    if credit is not None:
        first = body[0]
        body = ([_Line(credit.rest, first.length, first.gap, False)] if credit.rest else []) + body[
            1:
        ]
        if body:
            body[0] = body[0]._replace(joinable=False)  # nothing before it to join to

    links = [_read_also(line.text) for line in body]
    sources = credit.sources if credit else ()
    # Agency sign-offs at the end ("(رويترز)", "انتهى") leave first, so that they are
    # never taken for the rest of a wrapped line; read-also lines may follow them.
    index = len(body) - 1
    while index >= 0:
        after_bare_marker = (
            index > 0 and links[index - 1] is not None and not links[index - 1].title
        )
        if links[index] is not None or after_bare_marker:
            index -= 1  # a read-also line, or the headline after a bare marker
            continue
        names = _sign_off(body[index].text)
        if names is None:
            break
        del body[index], links[index]
        sources += tuple(name for name in names if name not in sources)
        index -= 1
    wrapping = _Wrapping.of(body, links)
    paragraphs: list[_Line] = []
    read_also: list[ReadAlso] = []
    # What parsers before the join made of the lines: each a paragraph or a whole link.
    lines_read: list[str] = []
    links_read: list[ReadAlso] = []
    waiting_for_title = False
    after_structure = False  # a read-also line stands between this line and the last
    for index, (line, link) in enumerate(zip(body, links, strict=True)):
        if link is not None:
            if link.title:
                read_also.append(link)
                links_read.append(link)
                waiting_for_title = False
            else:
                waiting_for_title = True
            after_structure = True
            continue
        if waiting_for_title:
            # "اقرأ أيضاً:" on its own line, the headline on the next.
            read_also.append(ReadAlso(line.text))
            links_read.append(ReadAlso(line.text))
            waiting_for_title = False
            continue
        lines_read.append(line.text)
        after = body[index + 1] if index + 1 < len(body) and links[index + 1] is None else None
        if after_structure and read_also and wrapping.ends_headline(body[index - 1], line, after):
            # The read-also headline was wrapped onto this line.
            title, url = read_also[-1]
            if not url:
                read_also[-1] = ReadAlso(f"{title} {line.text}")
                continue
        paragraphs.append(line._replace(joinable=False) if after_structure else line)
        after_structure = False

    if not paragraphs:
        raise WireParseError(_("the story has a headline but no body paragraphs"), "no_body")
    story = WireStory(
        headline=headline,
        paragraphs=wrapping.join(paragraphs),
        dateline=credit.dateline if credit else "",
        sources=sources,
        read_also=tuple(read_also),
        credit=credit.line if credit else "",
    )
    line_by_line = replace(story, paragraphs=tuple(lines_read), read_also=tuple(links_read))
    return story if line_by_line == story else replace(story, line_by_line=line_by_line)


# --- Hard-wrapped paragraphs -----------------------------------------------------------


class _Line(NamedTuple):
    text: str
    length: int  # of the whole line as it arrived (a credit may have opened it)
    gap: bool  # a blank or decorative line comes before it
    joinable: bool  # it may continue the line before (no gap, credit or read-also line)


# A wrapped line is at most this long, and wrapping narrower than the minimum is
# not prose (lists, tables, verse): such lines are left alone.
MAX_WRAP_WIDTH = 100
MIN_WRAP_WIDTH = 40
# A line ending with one of these ends a paragraph, wrapped or not.
_SENTENCE_END = (".", "!", "?", "؟", ":", "»", "”", '"', "۔", "…")


@dataclass(frozen=True)
class _Wrapping:
    """How the body was hard-wrapped, if it was, and which lines to join.

    The *width* is the longest paragraph line (at most ``MAX_WRAP_WIDTH``) that has
    another line of its block next to it; under ``MIN_WRAP_WIDTH`` nothing is joined.
    A line *reaches the margin* when it and the next line of its block (no blank,
    decorative or read-also line between) are within the width, and the next line's
    first word would not have fitted after it: a wrapping program broke it there.

    A line is joined to the next one, with a space, when it reaches the margin, does
    not end a sentence (``. ! ? ؟ : » ” …``), and the story shows it was wrapped: at
    least two of its lines reach the margin, and, when no blank line separates its
    paragraphs, they are at least a third of its paragraph lines. A read-also line is
    continued by the same rule (unless it ends with a URL) when the next line reads like
    the end of a headline (``ends_headline``).
    """

    blank_separated: bool
    width: int
    looks_wrapped: bool

    @classmethod
    def of(cls, body: list[_Line], links: list[ReadAlso | None]) -> _Wrapping:
        lines = [line for line, link in zip(body, links, strict=True) if link is None]
        blank_separated = any(line.gap for line in lines[1:])
        pairs = [
            (line, following)
            for (line, link), (following, next_link) in itertools.pairwise(
                zip(body, links, strict=True)
            )
            if link is None and next_link is None and not following.gap
        ]
        lengths = (line.length for pair in pairs for line in pair)
        width = max((length for length in lengths if length <= MAX_WRAP_WIDTH), default=0)
        if width < MIN_WRAP_WIDTH:
            return cls(blank_separated, 0, False)
        full = sum(cls(blank_separated, width, True).reaches_margin(*pair) for pair in pairs)
        looks_wrapped = full >= 2 and (blank_separated or 3 * full >= len(lines))
        return cls(blank_separated, width, looks_wrapped)

    def reaches_margin(self, line: _Line, following: _Line) -> bool:
        return (
            following.joinable
            and line.length <= self.width
            and following.length <= self.width
            and line.length + 1 + len(following.text.split(" ", 1)[0]) > self.width
        )

    def continues(self, line: _Line, following: _Line) -> bool:
        """Whether ``following`` is the rest of ``line``, broken by the wrapping."""
        return (
            self.looks_wrapped
            and not line.text.endswith(_SENTENCE_END)
            and self.reaches_margin(line, following)
        )

    def ends_headline(self, headline: _Line, line: _Line, after: _Line | None) -> bool:
        """Whether ``line`` is the end of a wrapped read-also ``headline``: it continues
        it, and reads like the end of a headline, not a paragraph (it does not end a
        sentence and is not continued itself)."""
        return (
            self.continues(headline, line)
            and not line.text.endswith(_SENTENCE_END)
            and (after is None or not self.reaches_margin(line, after))
        )

    def join(self, lines: list[_Line]) -> tuple[str, ...]:
        if not self.looks_wrapped or len(lines) < 2:
            return tuple(line.text for line in lines)
        joins = [self.continues(line, following) for line, following in itertools.pairwise(lines)]
        paragraphs = [lines[0].text]
        for line, join in zip(lines[1:], joins, strict=True):
            if join:
                paragraphs[-1] += " " + line.text
            else:
                paragraphs.append(line.text)
        return tuple(paragraphs)


def _sign_off(line: str) -> tuple[str, ...] | None:
    """The sources a closing line names ("(رويترز)", "المصدر: ..."), ``()`` for an end
    marker ("انتهى"), None for any other line."""
    if _END_MARKER.match(line):
        return ()
    trailing = _TRAILING_SOURCE.match(line) or _TRAILING_PAREN.match(line)
    names = _segments(trailing["names"]) if trailing else []
    if not names or (trailing.re is _TRAILING_PAREN and not all(map(_is_agency, names))):
        return None
    return tuple(names)
