"""The near-duplicate scorer: pure, no database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.agency.similarity import (
    SAME_STORY,
    best_match,
    same_story,
    signature,
    similarity,
    story_text,
)
from tests.agency.stories import EARTHQUAKE, ELECTIONS, FLOODS


def sig(story):
    _agency, headline, paragraphs = story
    return signature(story_text(headline, paragraphs))


def test_three_agencies_telling_one_event_are_the_same_story():
    afp, reuters, anadolu = (sig(story) for story in EARTHQUAKE)
    assert same_story(afp, reuters) and same_story(afp, anadolu) and same_story(reuters, anadolu)


@pytest.mark.parametrize("other", [FLOODS, ELECTIONS])
def test_different_events_sharing_words_are_not(other):
    for story in EARTHQUAKE:
        assert not same_story(sig(story), sig(other)), story[0]
    assert not same_story(sig(FLOODS), sig(ELECTIONS))


def test_spelling_variants_of_arabic_do_not_hide_a_duplicate():
    headline, paragraphs = EARTHQUAKE[0][1], EARTHQUAKE[0][2]
    # Hamza forms, ya / alif maqsura, ta marbuta, diacritics and tatweel folded.
    variant = [
        p.replace("أ", "ا").replace("ة", "ه").replace("ى", "ي").replace("زلزال", "زلـزالٌ")
        for p in paragraphs
    ]
    score = similarity(
        signature(story_text(headline, paragraphs)), signature(story_text(headline, variant))
    )
    assert score > 0.9


def test_best_match_picks_the_closest_group_above_the_threshold():
    afp, reuters, _anadolu = (sig(story) for story in EARTHQUAKE)
    candidates = [("floods", sig(FLOODS)), ("quake", reuters), ("elections", sig(ELECTIONS))]
    assert best_match(afp, candidates)[0] == "quake"
    assert best_match(afp, [("floods", sig(FLOODS))]) is None


def test_a_text_without_words_has_no_signature_and_matches_nothing():
    assert signature("... !! ، — «»") == []
    assert signature("في من على") == []  # stopwords only
    assert similarity([], sig(FLOODS)) == 0.0
    assert not same_story([], [])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_similarity_is_symmetric_bounded_and_one_for_the_same_text(first, second):
    a, b = signature(first), signature(second)
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, b) == similarity(b, a)
    if a:
        assert similarity(a, a) == 1.0 >= SAME_STORY


def test_items_of_one_story_share_a_band_and_unrelated_items_mostly_do_not():
    from articles.agency.similarity import bands

    afp, reuters, anadolu = (set(bands(sig(story))) for story in EARTHQUAKE)
    assert afp & reuters and afp & anadolu and reuters & anadolu
    assert len(bands(sig(FLOODS))) == 32
    assert not set(bands(sig(ELECTIONS))) & set(bands(sig(FLOODS)))
