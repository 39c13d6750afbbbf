"""XML from outside, read safely, and small helpers to read the tree.

An agency file is data, never instructions to the parser: expat is given handlers that
refuse every entity declaration (the "billion laughs") and every external reference (files
or URLs an entity would pull in); a DOCTYPE is allowed only as the bare line NITF files carry
(``<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">``, never fetched), and one with an internal subset
(``[ ... ]``, where every XML bomb lives) is refused. Whatever is refused raises
``WireParseError`` before anything is written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from xml.parsers.expat import ExpatError

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from articles.wire.decoding import _CONTROLS
from articles.wire.story import MAX_WIRE_BYTES, WireParseError, _, _kib

XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"


class _Refused(Exception):
    def __init__(self, reason: str, code: str):
        super().__init__(reason)
        self.reason, self.code = reason, code


class _SafeParser(DefusedXMLParser):
    def __init__(self):
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.parser.StartDoctypeDeclHandler = self._refuse_internal_subset

    def _refuse_internal_subset(self, name, sysid, pubid, has_internal_subset):
        if has_internal_subset:
            raise _Refused(
                _("the XML declares its own DTD (an internal subset); refused for safety"),
                "xml_dtd",
            )

    def defused_entity_decl(self, name, *args):
        raise _Refused(
            _("the XML declares entities (“%(name)s”); refused for safety") % {"name": name},
            "xml_entities",
        )

    def defused_unparsed_entity_decl(self, name, *args):
        self.defused_entity_decl(name)

    def defused_external_entity_ref_handler(self, context, base, sysid, pubid):
        raise _Refused(
            _("the XML refers to an external resource (“%(ref)s”); refused for safety")
            % {"ref": (sysid or pubid or "")[:100]},
            "xml_external",
        )


def check_size(data: bytes | str) -> None:
    """Empty or over the one-file limit: the same errors as plain-text copy."""
    if not data.strip():
        raise WireParseError(_("the file is empty"), "empty")
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
    if size > MAX_WIRE_BYTES:
        raise WireParseError(
            _("the file is %(size)s KB; the limit for one story is %(limit)s KB")
            % {"size": _kib(size), "limit": _kib(MAX_WIRE_BYTES)},
            "too_large",
        )


_ENCODING_DECLARATION = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def parse_xml(data: bytes | str) -> ET.Element:
    """The root element of an XML document from outside, or ``WireParseError``.

    Bytes keep their own encoding declaration; text (pasted at the desk) is already decoded,
    so its declaration is made to say UTF-8."""
    if isinstance(data, str):
        data = _ENCODING_DECLARATION.sub(r"\1\2UTF-8\2", data.lstrip("\ufeff"), count=1)
        data = data.encode("utf-8")
    parser = _SafeParser()
    try:
        parser.feed(data)
        return parser.close()
    except _Refused as error:
        raise WireParseError(error.reason, error.code) from None
    except DefusedXmlException:
        raise WireParseError(_("the XML was refused for safety"), "xml_refused") from None
    except (ET.ParseError, ExpatError) as error:
        position = getattr(error, "position", None)
        if position:
            reason = _("not well-formed XML (line %(line)s, column %(column)s)") % {
                "line": position[0],
                "column": position[1] + 1,
            }
        else:
            reason = _("not well-formed XML")
        raise WireParseError(reason, "invalid_xml") from None
    except (LookupError, ValueError, RecursionError):
        raise WireParseError(_("not well-formed XML"), "invalid_xml") from None


# --- Reading the tree, whatever the namespace ----------------------------------------------


def local(tag) -> str:
    """The element's name without its namespace ("{ns}headline" -> "headline")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element, name: str) -> list[ET.Element]:
    return [child for child in element if local(child.tag) == name] if element is not None else []


def child(element, *path: str) -> ET.Element | None:
    """The first descendant along ``path`` of local names, or None."""
    for name in path:
        found = children(element, name)
        if not found:
            return None
        element = found[0]
    return element


def text_of(element) -> str:
    """All the text inside an element, spaces folded (iterative: any depth)."""
    if element is None:
        return ""
    parts = []
    stack = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
            continue
        if node.tail and node is not element:
            stack.append(node.tail)
        stack.extend(reversed(list(node)))
        if node.text:
            stack.append(node.text)
    return clean(" ".join(parts))


def clean(text: str) -> str:
    return " ".join(_CONTROLS.sub(" ", text or "").replace("\x00", "").split())


def language_of(element) -> str:
    return (element.get(f"{XML_NAMESPACE}lang") or "") if element is not None else ""


def primary_language(tag: str) -> str:
    """'ar-EG' -> 'ar'; 'en_GB' -> 'en'."""
    return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0][:8]


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
        "hl1",
        "hl2",
        "blockquote",
        "pre",
        "tr",
        "dd",
        "dt",
        "section",
        "article",
        "header",
        "footer",
        "block",
        "caption",
        "figcaption",
    ]
)
SPACED = frozenset(["td", "th"])  # table cells: words apart, one paragraph per row
SKIPPED = frozenset(["script", "style", "template", "head", "title", "media", "object"])


def text_blocks(element) -> list[str]:
    """The paragraphs of a body (XHTML or NITF): the text of each block element, in order,
    without any markup. Iterative, so no nesting depth can exhaust the stack."""
    blocks: list[str] = []
    current: list[str] = []

    def flush():
        text = clean("".join(current))
        if text:
            blocks.append(text)
        current.clear()

    stack: list[tuple[ET.Element, bool]] = [(element, False)]
    while stack:
        node, closing = stack.pop()
        name = local(node.tag)
        if closing:
            if name in BLOCKS:
                flush()
            if node.tail and node is not element:
                current.append(node.tail)
            continue
        if name in SKIPPED:
            if node.tail and node is not element:
                current.append(node.tail)
            continue
        if name in BLOCKS or name == "br":
            flush()
        elif name in SPACED:
            current.append(" ")
        if name == "br":
            current.append(node.tail or "")
            continue
        if node.text:
            current.append(node.text)
        stack.append((node, True))
        stack.extend((item, False) for item in reversed(list(node)))
    flush()
    return blocks


_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{4})?$")


def parse_time(value: str) -> datetime | None:
    """ISO 8601 ("2026-05-01T10:00:00Z") or NITF's compact form ("20260501T100000Z"); a
    time without zone is taken as UTC; anything else is None (the item still imports)."""
    value = (value or "").strip()
    if not value:
        return None
    match = _COMPACT.match(value)
    try:
        if match:
            year, month, day, hour, minute, second, zone = match.groups()
            value = f"{year}-{month}-{day}T{hour or '00'}:{minute or '00'}:{second or '00'}"
            if zone and zone != "Z":
                value += f"{zone[:3]}:{zone[3:]}"
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
