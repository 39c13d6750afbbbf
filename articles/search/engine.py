"""Arabic-aware full-text search over published articles.

How it works
------------
* Documents and queries go through the same pipeline, `articles.text.arabic.search_tokens`:
  normalise (`normalize_arabic`), split into words, drop stopwords, light-stem. The stems are
  joined with spaces and handed to PostgreSQL's `simple` text-search configuration, which only
  lower-cases and splits: all the Arabic knowledge lives in one Python module, used on both sides.
  (docs/search.md explains, with figures, why `simple` over our stems beats PostgreSQL's
  `arabic` Snowball configuration.)
* `Article.search_vector` stores the weighted vector: title A, summary and tag names B, body C,
  source names and aliases D. The write path (`articles.actions`) rebuilds it whenever an article
  is saved or its tags or sources change, and in bulk after imports (`articles.search.index`).
  A GIN index serves `@@`.
* Queries are parsed by `websearch_to_tsquery`, after our own pass that keeps only words, quotes,
  `-exclusions` and `or`: quotes make phrases, and no input can make the query fail.
* Ranking multiplies `ts_rank` (normalised by document length) by a recency factor going from 2
  for an article published now towards 1 for old ones (half the boost is gone after 30 days).
  Only the RANKED most recent matches are ranked, found by plans whose cost is bounded whatever
  the archive size (see `articles.search.candidates`).
"""

import datetime
import functools
import html
import itertools
import re
from dataclasses import dataclass

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from articles.search.candidates import RANKED as RANKED  # re-exported: the API pages over it
from articles.search.candidates import newest_matches
from articles.text.arabic import STOPWORDS, light_stem, normalize_arabic, search_tokens

SEARCH_CONFIG = "simple"
MAX_QUERY_CHARS = 300  # longer input is cut: nobody types more, and it bounds the query's cost
MAX_QUERY_TERMS = 12
RECENCY_HALF_LIFE_DAYS = 30
REFRESH_BATCH = 2000

# --- Documents -----------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote|figcaption|td|tr)\s*>|<br\s*/?>", re.I)


def html_to_text(value: str) -> str:
    """Plain text of sanitised article HTML (block ends become spaces so words do not join)."""
    value = _BLOCK_END.sub(" ", value or "")
    return html.unescape(_TAG.sub(" ", value))


def search_text(value: str) -> str:
    """The stems of `value` as one space-separated string: what PostgreSQL indexes."""
    return " ".join(search_tokens(value or ""))


@dataclass(frozen=True)
class DocumentTexts:
    """The four weighted parts of an article's search vector, already stemmed."""

    title: str
    summary: str
    body: str
    sources: str

    @classmethod
    def build(cls, *, title="", summary="", body="", tags=(), sources=()):
        return cls(
            title=search_text(title),
            summary=search_text(" ".join([summary or "", *tags])),
            body=search_text(html_to_text(body)),
            sources=search_text(" ".join(sources)),
        )

    def params(self):
        return [self.title, self.summary, self.body, self.sources]


def vector_sql(config: str = SEARCH_CONFIG) -> str:
    """SQL for a weighted tsvector from four text placeholders: title, summary, body, sources."""
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, %s), '{weight}')" for weight in "ABCD"
    )


# --- Queries -------------------------------------------------------------------------------------

# What survives of a query: quotes, a minus that starts a word, and words.
_QUERY_PIECE = re.compile(r'"|(?<!\S)-(?=[^\W_])|[^\W_]+')


def parse_query(raw: str) -> str:
    """Turn what a reader typed into websearch syntax over stems; "" when nothing is searchable.

    Words are normalised and stemmed exactly as documents are; stopwords and punctuation go;
    quotes and a leading minus keep their websearch meaning. A query made only of exclusions is
    not searchable (it would match nearly everything).
    """
    text = normalize_arabic((raw or "")[:MAX_QUERY_CHARS])
    pieces: list[str] = []
    positive = terms = 0
    negate = False
    for piece in _QUERY_PIECE.findall(text):
        if piece == '"':
            pieces.append(piece)
        elif piece == "-":
            negate = True
        elif piece == "or":
            pieces.append(piece)
        else:
            if piece not in STOPWORDS and terms < MAX_QUERY_TERMS:
                pieces.append(("-" if negate else "") + light_stem(piece))
                terms += 1
                positive += not negate
            negate = False
    return " ".join(pieces) if positive else ""


def query_stems(raw: str) -> frozenset[str]:
    """The stems a query looks for, for highlighting (exclusions and operators left out)."""
    return frozenset(
        piece for piece in parse_query(raw).replace('"', " ").split() if piece[0] != "-"
    ) - {"or"}


def web_search_query(parsed: str, config: str = SEARCH_CONFIG) -> SearchQuery:
    return SearchQuery(parsed, config=config, search_type="websearch")


class _Epoch(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def recency_factor():
    """2 for an article published now, 1.5 after RECENCY_HALF_LIFE_DAYS, towards 1 later."""
    age_seconds = Func(
        _Epoch(Now() - F("published_at")),
        Value(0.0),
        function="GREATEST",
        output_field=FloatField(),
    )
    half_life = Value(float(RECENCY_HALF_LIFE_DAYS * 86400))
    return Value(1.0) + Value(1.0) / (Value(1.0) + age_seconds / half_life)


@dataclass
class SearchResults:
    """Ranked articles for a query, and how many articles matched."""

    articles: QuerySet  # the ranked candidates, best first, ready to paginate
    total: int  # articles matching (exact unless `more`)
    more: bool  # True when more than `total` matched: only the most recent were ranked


def search(queryset: QuerySet, raw: str, *, config: str = SEARCH_CONFIG) -> SearchResults:
    """Find and rank the articles of `queryset` matching `raw`.

    Pass `Article.objects.published()` or a narrower queryset: this adds no rule of its own about
    what is public. Only the RANKED newest matches are ranked (ranking reads each candidate's
    whole vector); `candidates.newest_matches` finds them at a cost bounded whatever the archive
    size. A quoted phrase is looked for among the candidates of its words: checking word
    positions reads every vector, so it is done on the candidates only.
    """
    parsed = parse_query(raw)
    if not parsed:
        return SearchResults(queryset.none(), 0, False)
    query = web_search_query(parsed, config)
    has_phrase = '"' in parsed
    unquoted = " ".join(parsed.replace('"', " ").split())
    words = web_search_query(unquoted, config) if has_phrase else query
    pks, total, more = newest_matches(queryset, unquoted, words, config)
    articles = queryset.filter(pk__in=pks)
    if has_phrase:
        articles = articles.filter(search_vector=query)
    rank = SearchRank(F("search_vector"), query, normalization=Value(1))
    articles = articles.annotate(search_rank=rank * recency_factor()).order_by(
        "-search_rank", "-published_at", "-pk"
    )
    if has_phrase and not more:
        total = articles.count()
    return SearchResults(articles, total, more)


def search_articles(queryset: QuerySet, raw: str, *, config: str = SEARCH_CONFIG) -> QuerySet:
    """The ranked articles of `search()`, as a queryset."""
    return search(queryset, raw, config=config).articles


# --- The search form ------------------------------------------------------------------------------


class _FetchedChoices(forms.models.ModelChoiceIterator):
    """The choices from one ordinary query: ModelChoiceIterator reads through `iterator()`,
    on PostgreSQL a server-side cursor held past the transaction (DECLARE … WITH HOLD, FETCH,
    CLOSE), which costs more than the few sections it reads (about 1 ms a search page)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _SectionField(forms.ModelChoiceField):
    iterator = _FetchedChoices


class SearchForm(forms.Form):
    """What the search page accepts. Invalid filters are reported and ignored, never fatal."""

    q = forms.CharField(required=False, strip=True)
    section = _SectionField(
        queryset=None, required=False, to_field_name="slug", empty_label=_("All sections")
    )
    date_from = forms.DateField(required=False, label=_("From"))
    date_to = forms.DateField(required=False, label=_("To"))

    def __init__(self, *args, **kwargs):
        from articles.models import Section

        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.all()
        self.fields["section"].label = _("Section")

    def clean_q(self):
        # Cut, and drop NUL and other invisible characters, before the value is shown back.
        value = self.cleaned_data["q"][:MAX_QUERY_CHARS]
        return "".join(char for char in value if char.isprintable() or char == " ").strip()

    def filter(self, queryset: QuerySet) -> QuerySet:
        """`queryset` narrowed by the valid filters (section, date range in the newsroom's
        time zone, both ends inclusive)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("section"):
            queryset = queryset.filter(section=data["section"])
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            start = datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=zone)
            queryset = queryset.filter(published_at__gte=start)
        if data.get("date_to"):
            end = datetime.datetime.combine(data["date_to"], datetime.time.min, tzinfo=zone)
            queryset = queryset.filter(published_at__lt=end + datetime.timedelta(days=1))
        return queryset

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("section", "date_from", "date_to"))


# --- Highlighting --------------------------------------------------------------------------------

# A written word: letters and digits with the marks, tatweel and joiners that may sit inside it.
_WRITTEN_WORD = re.compile(
    "(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d\u200e\u200f\u00ad])+"
)
SNIPPET_WORDS = 40
SNIPPET_SCAN_WORDS = 300  # the best window is looked for in the first words only: bounded cost


@functools.lru_cache(maxsize=65536)
def _word_stems(word: str) -> frozenset[str]:
    return frozenset(search_tokens(word))


@functools.lru_cache(maxsize=1024)
def _highlighted_stems(raw_query: str) -> frozenset[str]:
    """`query_stems`, once per query (a results page highlights ten titles and snippets)."""
    return query_stems(raw_query)


def _word_matches(word: str, stems: frozenset[str]) -> bool:
    return not stems.isdisjoint(_word_stems(word))


@functools.lru_cache(maxsize=64)
def _matches_of(stems: frozenset[str]) -> dict[str, bool]:
    """Which words match `stems`, filled as words are met: a page's snippets share words."""
    return {}


def _word_hits(words, stems: frozenset[str]) -> list[bool]:
    known = _matches_of(stems)
    hits = []
    for word in words:
        hit = known.get(word)
        if hit is None:
            hit = known[word] = _word_matches(word, stems)
        hits.append(hit)
    return hits


def highlight(text: str, raw_query: str) -> SafeString:
    """`text` escaped, with the words matching the query wrapped in <mark>."""
    return _highlight_span(text, _highlighted_stems(raw_query), 0, len(text))


def _highlight_span(text: str, stems: frozenset[str], start: int, end: int) -> SafeString:
    out, position = [], start
    matches = list(_WRITTEN_WORD.finditer(text, start, end))
    hits = _word_hits(map(re.Match.group, matches), stems)
    for match, hit in zip(matches, hits, strict=True):
        if hit:
            out.append(escape(text[position : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    out.append(escape(text[position:end]))
    return mark_safe("".join(out))


def snippet(text: str, raw_query: str, words: int = SNIPPET_WORDS) -> SafeString:
    """The `words`-word window of `text` with the most query matches (the first of equals),
    highlighted, with ellipses where it was cut."""
    text = " ".join(text.split())
    stems = _highlighted_stems(raw_query)
    spans = list(itertools.islice(_WRITTEN_WORD.finditer(text), SNIPPET_SCAN_WORDS))
    if not spans:
        return mark_safe("")
    # matched[i]: how many of the first i words match; a window's matches are a difference
    matched = [0, *itertools.accumulate(_word_hits(map(re.Match.group, spans), stems))]
    count = len(spans)
    if count <= words:
        windows = [matched[count]]
    else:
        windows = [
            b - a for a, b in zip(matched[: count - words + 1], matched[words:], strict=True)
        ]
    best = windows.index(max(windows))
    last = min(count, best + words) - 1
    start = 0 if best == 0 else spans[best].start()
    end = spans[last].end()
    if last == count - 1 and not _WRITTEN_WORD.search(text, end):
        end = len(text)
    body = _highlight_span(text, stems, start, end)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)
