"""Hostile markup for tests, and the checks that nothing executable reached a reader: HTML
pages (every script is JSON-LD that still parses, no event handlers, no javascript: URLs, no
embedded documents or inline styles), and RSS/sitemap XML that still parses and whose text,
read as HTML the way feed readers do, is harmless too."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute breakout": '"><img src=x onerror=alert(1)>',
    "javascript url": "javascript:alert(1)",
    "svg onload": "<svg onload=alert(1)>",
    "title breakout": "</title><script>alert(1)</script>",
    "template syntax": "{{ 7|add:7 }} {% now 'Y' %}",
    "json-ld breakout": "</script><script>alert(1)</script>",
    "unicode rlo": "\u202egnp.exe\u202c <b onmouseover=alert(1)>x</b>",
}

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href"}
DANGEROUS_SCHEMES = re.compile(r"^(javascript|vbscript|data:text/html)", re.I)
# The site's own scripts, served from its static files (the CSP allows no other): allowed on
# reader pages when empty (src only): the read beacon (docs/most-read.md) and live coverage's
# polling (docs/live-and-corrections.md).
OWN_SCRIPT = re.compile(r"/static/js/(read-beacon|live)(\.[0-9a-f]+)?\.js")
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "svg", "math", "base", "applet", "style"}


class _PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[dict] = []
        self.titles = 0
        self.text: list[str] = []
        self.attribute_values: list[str] = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.attribute_values.extend(value or "" for value in attributes.values())
        if tag == "script":
            self._in_script = {"type": attributes.get("type", ""), "src": attributes.get("src")}
            self._in_script["content"] = ""
            own = OWN_SCRIPT.fullmatch(attributes.get("src") or "") is not None
            self._in_script["own"] = own
            self.scripts.append(self._in_script)
            if self._in_script["type"] != "application/ld+json" and not own:
                self.problems.append(f"executable <script {attributes}>")
        if tag == "title":
            self.titles += 1
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"<meta http-equiv={attributes['http-equiv']}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                cleaned = re.sub(r"[\x00-\x20\u200b-\u200f\u202a-\u202e]", "", value)
                if DANGEROUS_SCHEMES.match(cleaned):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["content"] += data
        else:
            self.text.append(data)


def read_page(html: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader


def assert_nothing_executable(html: str, where: str = "", *, document: bool = True):
    """No script a browser would run, no handler, no javascript: URL, no embedded document;
    JSON-LD blocks still parse. `document`: a whole page, with exactly one <title>."""
    page = read_page(html)
    assert not page.problems, f"{where}: {page.problems}"
    for script in page.scripts:
        if script["own"]:
            assert not script["content"].strip(), f"{where}: inline code in our own <script>"
            continue
        data = json.loads(script["content"])
        assert data["@type"] in ("NewsArticle", "LiveBlogPosting"), where
    if document:
        assert page.titles == 1, f"{where}: {page.titles} <title> elements"
    return page


def page_text(html: str) -> str:
    """What a reader sees and what the page's attributes hold, entities decoded."""
    page = read_page(html)
    return " ".join(page.text + page.attribute_values)


def assert_feed_is_harmless(xml: bytes, where: str = ""):
    """The RSS parses, and its titles and descriptions, which feed readers show as HTML,
    hold no executable markup once decoded."""
    root = ET.fromstring(xml)
    texts = []
    for item in root.iter("item"):
        for name in ("title", "description"):
            element = item.find(name)
            if element is not None and element.text:
                assert_nothing_executable(element.text, f"{where} <{name}>", document=False)
                texts.append(read_page(element.text).text)
        for element in item:
            texts.append([element.text or ""])
    return " ".join(" ".join(part) for part in texts)


def assert_xml_parses(xml: bytes, where: str = "") -> str:
    root = ET.fromstring(xml)
    return " ".join(element.text or "" for element in root.iter())
