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

import hashlib
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
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


# --- Decoding --------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_OTHER_NON_ASCII_LETTER = re.compile(r"[^\W\d_\u0600-\u06ff\x00-\x7f]")


# Files an editor may pick by mistake: an agency's photo or PDF, a Word document (zipped XML).
_NOT_TEXT_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF8", "GIF"),
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP"),
)


def _refuse_known_binary(data: bytes) -> None:
    head = data[:16]
    kind = next((kind for magic, kind in _NOT_TEXT_SIGNATURES if head.startswith(magic)), None)
    if kind is None and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        kind = "WebP"
    if kind in ("JPEG", "PNG", "GIF", "WebP"):
        message = _("this is an image (%(format)s), not wire text") % {"format": kind}
    elif kind == "PDF":
        message = _("this is a PDF document, not wire text; copy its text into a text file")
    elif kind == "ZIP":
        message = _(
            "this is a zipped document (Word, OpenDocument…), not wire text; "
            "save it as plain text (UTF-8)"
        )
    else:
        return
    raise WireParseError(message, "binary")


def _needs_utf8() -> str:
    return _("save the file as UTF-8 (UTF-16, Windows-1256 and ISO-8859-6 are also accepted)")


def decode_wire(data: bytes) -> str:
    """Decode a wire file: UTF-8 (with or without BOM), UTF-16/32 with a BOM,
    UTF-16 without one, or Windows-1256 Arabic."""
    if not data.strip():
        raise WireParseError(_("the file is empty"), "empty")
    if len(data) > MAX_WIRE_BYTES:
        raise WireParseError(
            _("the file is %(size)s KB; the limit for one story is %(limit)s KB")
            % {"size": _kib(len(data)), "limit": _kib(MAX_WIRE_BYTES)},
            "too_large",
        )
    _refuse_known_binary(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise WireParseError(
                    _(
                        "the file starts with a %(encoding)s byte-order mark but is not "
                        "valid %(encoding)s; %(advice)s"
                    )
                    % {"encoding": encoding.upper(), "advice": _needs_utf8()},
                    "bad_encoding",
                ) from None
    if b"\x00" in data:
        return _decode_utf16_without_bom(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # The legacy Arabic code pages: Windows-1256, and the rarer ISO-8859-6 whose letters
    # sit elsewhere. Mis-decoded Arabic still looks Arabic, so the one that yields more
    # of the article "ال" wins.
    best = ""
    for encoding in ("cp1256", "iso8859_6"):
        text = data.decode(encoding, errors="replace")
        arabic = len(_ARABIC_LETTER.findall(text))
        foreign = len(_OTHER_NON_ASCII_LETTER.findall(text)) + text.count("\ufffd")
        if arabic and arabic >= 4 * foreign and text.count("ال") > best.count("ال"):
            best = text
    if best:
        return best.replace("\ufffd", "")
    raise WireParseError(
        _("the file is not UTF-8 and does not look like Arabic text; %(advice)s")
        % {"advice": _needs_utf8()},
        "bad_encoding",
    )


def _decode_utf16_without_bom(data: bytes) -> str:
    # ASCII characters (spaces, digits, line breaks) put a zero byte in their
    # high half, which tells the byte order.
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    encoding = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
    if len(data) % 2 == 0 and max(even_zeros, odd_zeros) > 2 * min(even_zeros, odd_zeros):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise WireParseError(
        _("the file contains zero bytes (binary, or an unknown encoding); %(advice)s")
        % {"advice": _needs_utf8()},
        "binary",
    )


# --- Lines -----------------------------------------------------------------------------

# Bidi marks and zero-width no-break space at line edges are invisible leftovers
# of copy-and-paste; inside a line they are kept.
_EDGE_INVISIBLES = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_CONTROLS = re.compile("[\x01-\x08\x0b-\x1f\x7f-\x9f]")


def _clean_lines(text: str) -> list[str]:
    if "\x00" in text:
        raise WireParseError(
            _("the text contains zero bytes: it looks like a binary file"), "binary"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise WireParseError(
            _("the text contains invalid characters (unpaired surrogates)"), "invalid_characters"
        ) from None
    lines = []
    for raw in text.splitlines():
        line = " ".join(_CONTROLS.sub(" ", raw).split())
        lines.append(line.strip(_EDGE_INVISIBLES + " "))
    return lines


# --- Read also -------------------------------------------------------------------------


def _spellings() -> tuple[dict[str, str], str]:
    """Regex classes derived from ``normalize_arabic``: for each normalised letter, every
    letter that normalises to it; and the marks (tashkeel, tatweel) it removes."""
    groups: dict[str, list[str]] = {}
    marks = []
    for code in [*range(0x0610, 0x06FF), *range(0x08D3, 0x0900)]:
        char = chr(code)
        folded = normalize_arabic(char)
        if folded == "" and unicodedata.category(char) in ("Mn", "Lm"):
            marks.append(char)
        elif len(folded) == 1 and unicodedata.category(char).startswith("L"):
            groups.setdefault(folded, []).append(char)
    classes = {folded: "[" + "".join(chars) + "]" for folded, chars in groups.items()}
    return classes, "[" + "".join(marks) + "]*"


_LETTER_CLASSES, _MARKS = _spellings()


def _tolerant(word: str) -> str:
    """A regex for an Arabic word in any of the spellings ``normalize_arabic`` equates,
    with tashkeel or tatweel anywhere in it."""
    return (
        _MARKS.join(_LETTER_CLASSES.get(ch, re.escape(ch)) for ch in normalize_arabic(word))
        + _MARKS
    )


_READ_ALSO = re.compile(
    r"^[\s\-–—•*>»«(\[]*"
    r"(?:"
    + r"و?"
    + "(?:"
    + _tolerant("اقرا")
    + "|"
    + _tolerant("طالع")
    + r")\s*(?:"
    + _tolerant("ايضا")
    + "|"
    + _tolerant("كذلك")
    + r")"
    + r"|read\s+also|also\s+read|see\s+also"
    r")"
    r"[\s:：\-–—.…»)\]]*"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
_URL = re.compile(r"\s*[(<\[]?(https?://\S+?)[)>\]]?\s*$")


def _read_also(line: str) -> ReadAlso | None:
    """The headline of a read-also line, ``ReadAlso("")`` for a bare marker, None otherwise."""
    match = _READ_ALSO.match(line)
    if not match:
        return None
    rest = match["rest"].strip()
    url = ""
    url_match = _URL.search(rest)
    if url_match:
        url = url_match[1]
        rest = rest[: url_match.start()].strip(" -–—:|")
    rest = rest.rstrip(")]").strip() if rest.count("(") < rest.count(")") else rest
    return ReadAlso(rest, url)


# --- Credit line -----------------------------------------------------------------------

# Names that are never places: agencies and the generic "agencies"/"follow-ups".
# The Source registry knows more; ``articles.wire.importer`` asks it too.
KNOWN_AGENCIES = frozenset(
    name_key(name)
    for name in (
        "وكالات",
        "وكالة",
        "متابعات",
        "مواقع",
        "رويترز",
        "أ ف ب",
        "فرانس برس",
        "أ ب",
        "أسوشيتد برس",
        "د ب أ",
        "الأناضول",
        "شينخوا",
        "سبوتنيك",
        "وفا",
        "سانا",
        "واس",
        "قنا",
        "كونا",
        "وام",
        "بترا",
        "معا",
        "صفا",
        "بنا",
        "العمانية",
        "Reuters",
        "AFP",
        "AP",
        "dpa",
        "Anadolu",
        "Xinhua",
        "agencies",
    )
)
# A word that makes a name an outlet, not a place ("مصدر الإخبارية", "Sky News").
_MEDIA_WORDS = re.compile(
    "(?:"
    + "|".join(
        [
            _tolerant("وكاله"),
            _tolerant("اخباريه"),
            _tolerant("صحيفه"),
            _tolerant("موقع"),
            _tolerant("قناه"),
            _tolerant("شبكه"),
            _tolerant("اذاعه"),
            _tolerant("تلفزيون"),
            "نيوز",
            "برس",
            "تايمز",
            "news",
            "press",
            "agency",
            "times",
            r"\btv\b",
        ]
    )
    + ")",
    re.IGNORECASE,
)
# Opening words of a reported-speech paragraph; a dateline never starts with one.
_SPEECH_VERBS = frozenset(
    name_key(prefix + verb)
    for verb in ("قال", "أضاف", "تابع", "جاء", "أكد", "أعلن", "ذكر", "أشار", "أوضح", "كشف")
    for prefix in ("", "و", "ف")
)
_SEPARATORS = re.compile(r"\s*[-–—/|،,+]\s*")
_COLON = re.compile(r"\s*[:：]\s*")
# "القاهرة (رويترز) - ..." or "(أ ف ب) - ..."
_PAREN_CREDIT = re.compile(
    r"^(?P<place>[^()\d:：]{0,40}?)"
    r"(?:[-–—،,]\s*(?P<date>[^()]{0,20}\d[^()]{0,20}?))?"  # "القاهرة - 20 سبتمبر (رويترز) -"
    r"\s*\((?P<agencies>[^()\d:：]{1,60})\)\s*[-–—:：]+\s*(?P<rest>.*)$"
)
# "الرياض /واس/ أعلنت ..." or "غزة/PNN/": an agency between slashes.
_SLASH_CREDIT = re.compile(
    r"^(?P<place>[^()\d:：/]{0,40}?)\s*/\s*(?P<agencies>[^()\d:：/]{1,40}?)\s*/"
    r"\s*[-–—:：]*\s*(?P<rest>.*)$"
)
# A last line "(رويترز)" credits the agency; "انتهى" / "(END)" closes agency copy.
_TRAILING_PAREN = re.compile(r"^[(\[]\s*(?P<names>[^()\[\]]{1,60}?)\s*[)\]]$")
_END_MARKER = re.compile(r"^[\W_]*(?:" + _tolerant("انتهي") + r"|end)[\W_]*$", re.IGNORECASE)
_TRAILING_SOURCE = re.compile(
    r"^[(\[]?\s*(?:"
    + _tolerant("المصدر")
    + r"|source)\s*[:：]\s*(?P<names>[^()\[\]]{1,80}?)\s*[)\]]?$",
    re.IGNORECASE,
)


def _words(text: str) -> int:
    return len(text.split())


def can_be_place(name: str) -> bool:
    """False for names that are certainly sources (known agencies, outlet-like names)."""
    return name_key(name) not in KNOWN_AGENCIES and not _MEDIA_WORDS.search(name)


def _is_agency(name: str) -> bool:
    return not can_be_place(name)


def _segments(text: str) -> list[str]:
    return [part.strip(" .") for part in _SEPARATORS.split(text) if part.strip(" .")]


# Words that open a credit line but are neither place nor source ("خاص - وكالات:").
_NOT_PLACES = frozenset(
    name_key(word)
    for word in ("خاص", "خاصة", "ترجمة", "ترجمة خاصة", "متابعة", "تقرير", "حصري", "exclusive")
)


def _split_credit(names: list[str]) -> tuple[str, tuple[str, ...]]:
    """The first name is the dateline when it can be a place; the rest are sources."""
    names = [name for name in names if name_key(name) not in _NOT_PLACES]
    if names and can_be_place(names[0]):
        return names[0], tuple(names[1:])
    return "", tuple(names)


@dataclass
class _Credit:
    line: str
    dateline: str
    sources: tuple[str, ...]
    rest: str  # text after the credit when it opens a paragraph


def _credit(line: str) -> _Credit | None:
    paren = _PAREN_CREDIT.match(line) or _SLASH_CREDIT.match(line)
    if paren and _words(paren["place"]) <= 3 and _words(paren["agencies"]) <= 5:
        agencies = _segments(paren["agencies"])
        place = paren["place"].strip(" -–—،,")
        if name_key(place) in _NOT_PLACES:
            place = ""
        if agencies and (place or any(_is_agency(a) for a in agencies)):
            credit_text = line[: len(line) - len(paren["rest"])].strip()
            return _Credit(credit_text, place, tuple(agencies), paren["rest"].strip())

    parts = _COLON.split(line, maxsplit=1)
    if len(parts) != 2:
        # A credit line without its colon: "القاهرة - رويترز"
        names = _segments(line)
        if len(names) >= 2 and _words(line) <= 6 and any(_is_agency(n) for n in names[1:]):
            return _Credit(line, *_split_credit(names), "")
        return None
    head, rest = parts[0].strip(), parts[1].strip()
    names = _segments(head)
    if not names or len(head) > 60 or any(_words(n) > 4 for n in names):
        return None
    if rest:
        # The credit opens the first paragraph: be strict, "قال الوزير: ..." is not one.
        if not any(_is_agency(n) for n in names[1:] or names):
            return None
    elif len(names) == 1 and can_be_place(names[0]) and _words(head) > 2:
        return None
    if can_be_place(names[0]) and name_key(names[0].split()[0]) in _SPEECH_VERBS:
        return None  # "وقال البيان:" introduces a quote
    return _Credit(head + ":", *_split_credit(names), rest)


# --- The parser ------------------------------------------------------------------------


def _is_word_char(char: str) -> bool:
    return char.isalnum() and char != "\u0640"  # tatweel is a letter to Unicode


def parse_wire(data: str | bytes) -> WireStory:
    """Parse one plain-text wire story. Raises only ``WireParseError``."""
    if isinstance(data, bytes | bytearray | memoryview):
        text = decode_wire(bytes(data))
    elif isinstance(data, str):
        _check_length(data)
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
    _check_headline(headline)
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


def _check_length(text: str) -> None:
    if len(text) > MAX_WIRE_CHARS:
        raise WireParseError(
            _("the text has %(length)s characters; the limit for one story is %(limit)s")
            % {"length": _count(len(text)), "limit": _count(MAX_WIRE_CHARS)},
            "too_large",
        )


def _check_headline(headline: str) -> None:
    if len(headline) > MAX_HEADLINE_CHARS:
        raise WireParseError(
            _(
                "the headline has %(length)s characters; the limit is %(limit)s (is the first "
                "line a paragraph? put the headline on its own first line)"
            )
            % {"length": _count(len(headline)), "limit": _count(MAX_HEADLINE_CHARS)},
            "headline_too_long",
        )


# --- IPTC ninjs ------------------------------------------------------------------------


def looks_like_ninjs(data: str | bytes) -> bool:
    head = data[:64].lstrip() if isinstance(data, str) else data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in ("{", b"{")


def parse_ninjs(data: str | bytes | dict) -> WireStory:
    """Parse one IPTC ninjs item (1.x or 2.x): headline, body_text/body_html,
    byline, located, subjects as tags, associations as read-also links."""
    if isinstance(data, bytes | bytearray):
        data = decode_wire(bytes(data))
    if isinstance(data, str):
        _check_length(data)
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise WireParseError(
                _("not valid JSON (line %(line)s, column %(column)s)")
                % {"line": error.lineno, "column": error.colno},
                "invalid_json",
            ) from None
        except (ValueError, RecursionError):
            raise WireParseError(_("not valid JSON"), "invalid_json") from None
    if not isinstance(data, dict):
        raise WireParseError(_("a ninjs item must be a JSON object"), "not_an_object")

    headline = _ninjs_text(data.get("headline")) or _ninjs_first(data.get("headlines"))
    headline = " ".join(headline.split())
    if not headline:
        raise WireParseError(_("the ninjs item has no headline"), "no_headline")
    _check_headline(headline)

    body_text = _ninjs_text(data.get("body_text"))
    body_html = _ninjs_text(data.get("body_html"))
    for body in _ninjs_list(data.get("bodies")):
        if isinstance(body, dict):
            kind = str(body.get("contenttype", "text/plain"))
            if "html" in kind and not body_html:
                body_html = _ninjs_text(body.get("value"))
            elif not body_text:
                body_text = _ninjs_text(body.get("value"))
    if body_html:
        paragraphs = _html_paragraphs(body_html)
    else:
        paragraphs = [line for line in _clean_lines(body_text) if line]
    if not paragraphs:
        raise WireParseError(
            _("the ninjs item has no body (body_text, body_html or bodies)"), "no_body"
        )

    byline = _ninjs_text(data.get("byline")) or _ninjs_by(data.get("by"))
    summary = _ninjs_text(data.get("description_text")) or _ninjs_first(data.get("descriptions"))
    located = _ninjs_text(data.get("located"))
    tags = []
    for subject in _ninjs_list(data.get("subject")) + _ninjs_list(data.get("subjects")):
        name = (
            _ninjs_text(subject.get("name")) if isinstance(subject, dict) else _ninjs_text(subject)
        )
        name = " ".join(name.split())
        if name and name not in tags:
            tags.append(name)
    associations = data.get("associations")
    if isinstance(associations, dict):
        associations = list(associations.values())
    read_also = []
    for item in _ninjs_list(associations):
        if not isinstance(item, dict):
            continue
        title = " ".join(
            (_ninjs_text(item.get("headline")) or _ninjs_first(item.get("headlines"))).split()
        )
        uri = _ninjs_text(item.get("uri"))
        url = uri if uri.startswith(("http://", "https://")) else ""
        if title:
            read_also.append(ReadAlso(title[:MAX_HEADLINE_CHARS], url))
    _clean_lines("\n".join([headline, byline, summary, located, *tags, *paragraphs]))
    _clean_lines("\n".join(f"{link.title} {link.url}" for link in read_also))
    return WireStory(
        headline=headline,
        paragraphs=tuple(" ".join(p.split()) for p in paragraphs),
        dateline=" ".join(located.split()),
        sources=(),
        read_also=tuple(read_also),
        summary=" ".join(summary.split()),
        byline=" ".join(byline.split()),
        tags=tuple(tags),
    )


def _ninjs_text(value) -> str:
    return value if isinstance(value, str) else ""


def _ninjs_list(value) -> list:
    return value if isinstance(value, list) else []


def _ninjs_first(values) -> str:
    for value in _ninjs_list(values):
        text = _ninjs_text(value.get("value")) if isinstance(value, dict) else _ninjs_text(value)
        if text.strip():
            return text
    return ""


def _ninjs_by(value) -> str:
    if isinstance(value, str):
        return value
    names = [
        _ninjs_text(person.get("name")) for person in _ninjs_list(value) if isinstance(person, dict)
    ]
    return "، ".join(name for name in names if name)


class _TextBlocks(HTMLParser):
    BLOCKS = frozenset(
        [
            "p",
            "div",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "br",
            "tr",
            "section",
            "article",
            "header",
            "footer",
        ]
    )
    SKIP = frozenset(("script", "style", "template"))

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def _break(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self._break()

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self._break()

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)


def _html_paragraphs(html: str) -> list[str]:
    parser = _TextBlocks()
    try:
        parser.feed(html)
        parser.close()
    except Exception as error:  # html.parser is lenient; this is a last resort
        raise WireParseError(
            _("body_html cannot be read: %(error)s") % {"error": error}, "bad_html"
        ) from None
    parser._break()
    return [_CONTROLS.sub(" ", block).replace("\x00", "") for block in parser.blocks]
