"""Near-duplicate detection for the incoming queue: do two agency items tell the same story?

Pure functions on text, no database. An item's text (headline and first paragraphs) is
normalised and lightly stemmed with the search's own rule (`articles.text.arabic.search_tokens`:
hamza, ya and ta marbuta forms, diacritics, prefixes and suffixes folded, stopwords out), so
"أعلنت الوزارة" and "اعلنت وزارة" are the same words. The words are shingled (single stems
and pairs of neighbouring stems) and summarised by a MinHash signature: `SIGNATURE_SIZE`
minimum hash values, one per hash function. The share of positions where two signatures
agree estimates the Jaccard similarity of the two shingle sets; items whose estimate reaches
`SAME_STORY` are the same story. Candidates are found by banding the signatures
(locality-sensitive hashing, `bands`), so a new item is compared with the few that may match,
not with the whole queue.
"""

from __future__ import annotations

import hashlib
import itertools
import random

from articles.text.arabic import search_tokens

SIGNATURE_SIZE = 64
SAME_STORY = 0.28
_PRIME = (1 << 31) - 1  # signatures fit PostgreSQL's integer
_rng = random.Random(20260502)  # fixed: signatures stored yesterday compare with today's
_PERMUTATIONS = [
    (_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(SIGNATURE_SIZE)
]
TEXT_WORDS = 120  # the headline and lead tell the story; later paragraphs add noise


def shingles(text: str) -> set[str]:
    stems = search_tokens(text)[:TEXT_WORDS]
    found = set(stems)
    found.update(f"{a} {b}" for a, b in itertools.pairwise(stems))
    return found


def signature(text: str) -> list[int]:
    """The MinHash signature of a text; empty for a text without words."""
    hashed = [
        int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") % _PRIME
        for s in shingles(text)
    ]
    if not hashed:
        return []
    return [min((a * x + b) % _PRIME for x in hashed) for a, b in _PERMUTATIONS]


BAND_ROWS = 2  # 32 bands of 2: a pair at the threshold shares a band 93% of the time


def bands(signature_: list[int]) -> list[int]:
    """Locality-sensitive hashes of a signature: one per band of `BAND_ROWS` values (and the
    band's position). Items that share a band are candidates, compared exactly; PostgreSQL
    finds them with a GIN index (``bands && …``) however long the queue."""
    found = []
    for start in range(0, len(signature_), BAND_ROWS):
        band = signature_[start : start + BAND_ROWS]
        digest = hashlib.blake2b(repr((start, band)).encode(), digest_size=4).digest()
        found.append(int.from_bytes(digest, "big", signed=True))
    return found


def similarity(first: list[int], second: list[int]) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures (0 to 1)."""
    if not first or len(first) != len(second):
        return 0.0
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def same_story(first: list[int], second: list[int]) -> bool:
    return similarity(first, second) >= SAME_STORY


def story_text(headline: str, paragraphs) -> str:
    return "\n".join([headline, headline, *list(paragraphs)[:3]])  # the headline counts twice


def best_match(signature_: list[int], candidates) -> tuple[object, float] | None:
    """The candidate (key, signature) most similar to `signature_`, if it is the same story."""
    best = None
    for key, other in candidates:
        score = similarity(signature_, other)
        if score >= SAME_STORY and (best is None or score > best[1]):
            best = (key, score)
    return best
