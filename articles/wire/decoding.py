"""Bytes to text: the encodings agencies send (UTF-8, UTF-16, Windows-1256), refused binaries,
and clean lines."""

from __future__ import annotations

import re

from articles.wire.story import MAX_WIRE_BYTES, WireParseError, _, _kib

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
