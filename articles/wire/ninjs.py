"""IPTC ninjs (JSON) items as wire stories."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from articles.wire.decoding import _CONTROLS, _clean_lines, decode_wire
from articles.wire.story import (
    MAX_HEADLINE_CHARS,
    ReadAlso,
    WireParseError,
    WireStory,
    _,
    check_headline,
    check_length,
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
        check_length(data)
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
    check_headline(headline)

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
