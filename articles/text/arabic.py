"""Arabic text normalisation and light stemming.

`normalize_arabic` is the project's one definition of "the same Arabic text": search uses it on
documents and on queries, the wire importer uses it to compare headlines and source names. Keep
its name and behaviour stable; when a rule changes, stored search vectors must be rebuilt
(`refresh_search_vectors`).

The rules, applied in this order:

1. Invisible characters are removed: every Unicode *format* character (category Cf: the bidi
   controls LRM/RLM/ALM, embeddings, overrides and isolates; zero-width space, joiner and
   non-joiner; word joiner; byte-order mark; soft hyphen), unpaired surrogates, and control
   characters other than whitespace (NUL included, which PostgreSQL refuses in text).
2. Unicode NFKC: presentation forms (ﻻ, ﷲ, the isolated/final/initial glyph code points that
   PDF copy-paste produces) become ordinary letters, full-width Latin becomes ASCII, and letters
   written as base + combining hamza/madda are composed, so rule 5 sees one form.
3. Latin (and any other cased script) is case-folded (`str.casefold`: "Gaza" and "GAZA" match).
4. Tashkeel and tatweel are removed: fathatan to sukun, shadda, superscript (dagger) alef,
   the hamza and madda marks, Quranic annotation marks, and the tatweel ـ used to stretch words.
5. Letters with several accepted spellings are unified:
   - alef forms أ إ آ ٱ (and the rarer wavy-hamza alefs) → ا
   - alef maqsura ى and Persian yeh ی → ي
   - taa marbuta ة → ه
   - hamza on waw ؤ and hamza on yeh ئ → the bare hamza ء, and a yeh written before a hamza is
     dropped: newspapers alternate the seat (شؤون/شئون, مسؤول/مسئول) and old-style spellings put
     the hamza after a yeh (شاطىء/شاطئ, شيء/شئ); all of these meet on one spelling.
   - Persian keheh ک → ك, so text typed on a Persian keyboard matches.
6. Digits: Arabic-Indic ٠-٩ and Persian ۰-۹ → 0-9, and the Arabic decimal separator ٫ → ".".
7. Whitespace runs (including NBSP and line breaks) collapse to one space; ends are trimmed.

The function is pure, total (never raises on any `str`) and idempotent.
"""

import functools
import re
import unicodedata

from articles.text.plurals import BROKEN_PLURALS

__all__ = ["STOPWORDS", "light_stem", "normalize_arabic", "search_tokens", "tag_key"]


def _is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    if category in ("Cf", "Cs"):
        return True
    return category == "Cc" and not char.isspace()


_INVISIBLE_TABLE = dict.fromkeys(code for code in range(0x110000) if _is_invisible(chr(code)))

_TASHKEEL_AND_TATWEEL = dict.fromkeys(
    [
        *range(0x0610, 0x061B),  # honorific and Quranic signs above/below letters
        *range(0x064B, 0x0660),  # fathatan .. sukun, madda, hamza above/below, subscript alef
        0x0670,  # superscript (dagger) alef
        *range(0x06D6, 0x06DD),  # Quranic small high ligatures
        *range(0x06DF, 0x06E5),
        *range(0x06E7, 0x06E9),
        *range(0x06EA, 0x06EE),
        *range(0x08D3, 0x08E2),  # extended Arabic marks
        *range(0x08E3, 0x0900),
        0x0640,  # tatweel
    ]
)

_LETTER_FORMS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ة": "ه",
        "ؤ": "ء",
        "ئ": "ء",
        "ک": "ك",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        "٫": ".",
    }
)

_YEH_BEFORE_HAMZA = re.compile("ي+ء")
_WHITESPACE = re.compile(r"\s+")


def normalize_arabic(text: str) -> str:
    """Return `text` with the rules of this module's docstring applied (see there, in order)."""
    text = text.translate(_INVISIBLE_TABLE)
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKC", text.casefold())
    text = text.translate(_TASHKEEL_AND_TATWEEL)
    text = text.translate(_LETTER_FORMS)
    text = _YEH_BEFORE_HAMZA.sub("ء", text)
    text = _WHITESPACE.sub(" ", text).strip()
    # Removing marks can leave a Latin base letter and a combining accent side by side; compose
    # them so a second pass finds nothing left to do.
    return unicodedata.normalize("NFC", text)


_HASHTAG_MARKS = re.compile(r"^#+|_+")
_DEFINITE_ARTICLE = re.compile(r"(?<!\S)ال(?=\S\S)")


def tag_key(name: str) -> str:
    """What tags that mean the same subject have in common: `normalize_arabic`, then a
    leading "#" dropped and a hashtag's underscores read as spaces, and the article "ال"
    dropped from each word of three letters or more after it. غزة، غزه، #غزة and
    "الغزة" share one key; the desk's tag clean-up groups tags by it and suggests the
    existing tag when an editor types a near-duplicate (articles/tags/)."""
    text = _HASHTAG_MARKS.sub(" ", normalize_arabic(name).lstrip())
    text = _WHITESPACE.sub(" ", text).strip()
    return _DEFINITE_ARTICLE.sub("", text)


# --- Light stemming ------------------------------------------------------------------------------
#
# Search matches words after removing the clitics a reader may or may not type. The stemmer works
# on normalised words (so ة is already ه, أ is already ا) and is deliberately simple:
#
# * First, a final alef goes: it is mostly the seat of the accusative tanween (وفداً، رسمياً),
#   and dropping it also lets روسيا meet روسي and سوريا meet سورية.
# * Prefixes are stripped one at a time, always by the same rule, whatever came before:
#   "ال" and "لل" (ل + ال) when at least 2 letters remain; one of و ف ب ك ل when at least 3 letters
#   remain. Combinations (وال، بال، فال، كال، وبال، فلل، ولل ...) are these steps in sequence.
#   Because each step looks only at the current word, "والحكومه", "بالحكومه", "للحكومه" and
#   "حكومه" all reach the same stem: consistency matters more than linguistic accuracy here.
# * Frequent words whose first letters look like a clitic (لبنان، فلسطين، وزير، بريطانيا ...)
#   are protected: prefix stripping stops when the word starts with one of them (and a single
#   proclitic is preferred when it uncovers one: للبنان is ل + لبنان), and suffix stripping never
#   cuts into them (فلسطينيون → فلسطين, not فلسط).
# * Suffixes are then stripped, the first matching one of the list each time, until none is left
#   with at least 3 letters remaining: pronoun endings (ها، هم، هما، هن، كم، كما، نا), plural and
#   dual endings (ات، ون، ين، ان), the nisba/feminine endings (يه، ه، ي). Repeating (rather than
#   one pass) keeps the rule memoryless: مصريون → مصري → مصر, الأذربيجانية → اذربيجان → اذربيج,
#   the same stems as مصر and أذربيجان.
# * Words of 2 letters or fewer, Latin words and numbers are kept as they are.
# * Broken plurals (قوانين → قانون) come from the curated table in `articles/text/plurals.py`:
#   before each prefix step, the word (as it is, or without pronoun endings) is looked up, and a
#   listed plural gives its singular's stem at once. No pattern guessing.

_DEFINITE_ARTICLES = ("ال", "لل")
_SINGLE_PROCLITICS = frozenset("وفبكل")
_PROTECTED_STARTS = (
    "لبنان",
    "ليبي",
    "لندن",
    "لجن",
    "فلسطين",
    "فرنس",
    "فنزويل",
    "فنلند",
    "فيتنام",
    "بريطان",
    "بلجيك",
    "بولند",
    "بلغاري",
    "برلين",
    "بكين",
    "بيروت",
    "بغداد",
    "باريس",
    "كند",
    "كوري",
    "كوب",
    "كابول",
    "وزير",
    "وزار",
    "ولاي",
    "واشنطن",
    "وكال",
)
# ه is ها once the final alef has gone (قوانينها → قوانينه).
_PRONOUN_SUFFIXES = ("هما", "كما", "ها", "هم", "هن", "كم", "نا", "ه")
_SUFFIXES = (
    "هما",
    "كما",
    "ها",
    "هم",
    "هن",
    "كم",
    "نا",
    "ات",
    "ون",
    "ين",
    "ان",
    "يه",
    "ه",
    "ي",
)

# Function words too frequent to help a search (and costly to look up in a large index); they are
# left out of documents and queries alike.
_STOPWORD_TEXT = (
    "في من إلى الى على عن مع هذا هذه ذلك تلك التي الذي الذين اللذين هو هي هم هن نحن أنا أنت "
    "كان كانت يكون قد لقد لم لن لا ما ماذا إن أن إذا إذ أو أم ثم بل حتى كل بعض غير بين عند "
    "عندما منذ خلال بعد قبل حيث كما وقد وفي ومن وإن وأن وهو وهي وكان فقد وقال قال قالت "
    "ايضا أيضا يا و ف ب ك ل"
)
STOPWORDS = frozenset(normalize_arabic(word) for word in _STOPWORD_TEXT.split())

_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")


def _protected_length(word: str) -> int:
    if not word.startswith(_PROTECTED_STARTS):  # one C call for the common case
        return 0
    return max(len(start) for start in _PROTECTED_STARTS if word.startswith(start))


@functools.lru_cache(maxsize=262144)  # news vocabulary repeats: most words are seen before
def light_stem(word: str) -> str:
    """Return the search stem of one *normalised* word (see the rules above)."""
    return _stem(word, BROKEN_PLURAL_STEMS)


def _stem(word: str, plurals: dict[str, str]) -> str:
    if not _ARABIC_WORD.fullmatch(word) or len(word) <= 2:
        return word
    our = word.endswith("نا")  # maybe the pronoun نا ("our"), whose alef goes next
    if word.endswith("ا"):
        word = word[:-1]
    while not (keep := _protected_length(word)):
        # A known broken plural is recognised before any letter is taken for a proclitic:
        # لجان is a plural, not ل + جان; بحار is not ب + حار ("hot").
        if plurals and (singular := _singular_of(word, plurals, our)):
            return singular
        if word[0] in _SINGLE_PROCLITICS and _protected_length(word[1:]):
            word = word[1:]  # للبنان is ل + لبنان, not لل + بنان
        elif word.startswith(_DEFINITE_ARTICLES) and len(word) - 2 >= 2:
            word = word[2:]
        elif word[0] in _SINGLE_PROCLITICS and len(word) - 1 >= 3:
            word = word[1:]
        else:
            break
    return _strip_suffixes(word, keep)


def _strip_suffixes(word: str, keep: int) -> str:
    while shorter := _strip_one_suffix(word, keep):
        word = shorter
    return word


def _strip_one_suffix(word: str, keep: int) -> str:
    """`word` without the first suffix of the list it ends with, "" when none may go."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= max(3, keep):
            return word[: -len(suffix)]
    return ""


def _singular_of(word: str, plurals: dict[str, str], our: bool = False) -> str:
    """The singular's stem if `word`, or `word` without pronoun endings, is a listed plural.

    Only pronouns come off (قوانينها), not the nisba or sound-plural endings: مدني "civil" is not
    مدن "cities" + ي. `our`: the word ended in نا, so its last ن may be what is left of "our"
    (بلادنا، قواتنا) once the final alef has gone.
    """
    forms = [word, word[:-1]] if our and len(word) >= 4 else [word]
    for form in forms:  # grows while it is read: every way of taking suffixes off, shortest last
        if singular := plurals.get(form):
            return singular
        forms.extend(
            form[: -len(suffix)]
            for suffix in _PRONOUN_SUFFIXES
            if form.endswith(suffix) and len(form) - len(suffix) >= 3
        )
    return ""


def _broken_plural_stems(pairs: dict[str, str]) -> dict[str, str]:
    """{plural as written once normalised (and without its final alef): stem of the singular}.

    A word is looked up before any proclitic is stripped and after each one, as it is and
    without pronoun endings (الأسلحة، وبالأسلحة، قوانينها all find their plural); the singular is
    stemmed by the clitic rules alone, so every spelling and clitic of it already has that stem.
    Only whole plurals are keys: الحي is not ألحان without its ان.
    """
    table = {}
    for plural, singular in pairs.items():
        written = normalize_arabic(plural)
        singular_stem = _stem(normalize_arabic(singular), {})
        if _stem(written, {}) != singular_stem:  # else the stemmer already joins them
            table[written] = table[written.removesuffix("ا")] = singular_stem
    return table


# Broken plurals (قوانين → قانون, أسلحة → سلاح), from the curated list in
# `articles/text/plurals.py` (its docstring gives the method and what is left out on purpose).
BROKEN_PLURAL_STEMS = _broken_plural_stems(BROKEN_PLURALS)

_TOKEN = re.compile(r"[^\W_]+")


def search_tokens(text: str) -> list[str]:
    """Normalise `text` and return the stems of its words, stopwords left out, in order.

    Normalised space-separated piece by piece, each piece's words cached: what `_text_tokens`
    gives for the whole text (an ASCII space survives every rule, never joins with its
    neighbours under NFKC and is never part of a word, so no rule looks across it; the tests
    check the two agree), several times faster on news copy, whose words repeat. Stems come
    from `light_stem` (cached per word) each time.
    """
    stems = []
    for piece in text.split(" "):
        words = _piece_words(piece) if len(piece) <= _CACHED_PIECE else _words_of(piece)
        for word in words:
            if word not in STOPWORDS:
                stems.append(light_stem(word))
    return stems


_CACHED_PIECE = 40  # longer pieces (text without spaces) are not worth a cache entry


def _words_of(text: str) -> list[str]:
    return _TOKEN.findall(normalize_arabic(text))


@functools.lru_cache(maxsize=262144)
def _piece_words(piece: str) -> tuple[str, ...]:
    return tuple(_words_of(piece))


def _text_tokens(text: str) -> list[str]:
    """The definition: normalise the whole text, find its words, stem them."""
    stems = []
    for word in _TOKEN.findall(normalize_arabic(text)):
        if word in STOPWORDS:
            continue
        stems.append(light_stem(word))
    return stems
