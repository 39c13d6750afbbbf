"""The credit line ("القاهرة - رويترز:") and read-also lines ("اقرأ أيضاً: ...") of plain-text
wire copy."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from articles.text.arabic import normalize_arabic
from articles.wire.story import ReadAlso, name_key

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
