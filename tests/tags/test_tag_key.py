"""The Arabic tag key (pure): which spellings the desk treats as one tag."""

import pytest

from articles.tags.cleanup import duplicate_groups, near_duplicates
from articles.text.arabic import tag_key


class Named:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("غزة", "غزه"),  # taa marbuta
        ("غزة", "#غزة"),  # a leading hash
        ("غزة", "##غزة"),
        ("إيران", "ايران"),  # hamza on alef
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("القدس", "قدس"),  # the article
        ("الأمم المتحدة", "أمم متحدة"),  # in each word
        ("قطاع غزة", "#قطاع_غزة"),  # a hashtag's underscores
        ("غزّة", "غزة"),  # tashkeel
        ("غـــزة", "غزة"),  # tatweel
        ("Gaza", "GAZA"),
        ("مسؤول", "مسئول"),
    ],
)
def test_spellings_of_one_subject_share_a_key(one, other):
    assert tag_key(one) == tag_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("غزة", "قطاع غزة"),  # another subject, however close
        ("الى", "لي"),  # "ال" is an article only before three letters or more
        ("مصر", "مصري"),
    ],
)
def test_different_subjects_keep_different_keys(one, other):
    assert tag_key(one) != tag_key(other)


def test_a_name_of_marks_only_has_an_empty_key():
    assert tag_key("#") == ""
    assert tag_key("  ") == ""


def test_duplicate_groups_gather_spellings_and_leave_single_tags_out():
    tags = [Named(n) for n in ["غزة", "اقتصاد", "غزه", "#غزة", "القدس", "قدس", "#"]]
    groups = duplicate_groups(tags)
    assert [[t.name for t in group] for group in groups] == [
        ["غزة", "غزه", "#غزة"],
        ["القدس", "قدس"],
    ]


def test_near_duplicates_offer_other_spellings_not_the_name_typed():
    tags = [Named(n) for n in ["غزة", "غزه", "اقتصاد"]]
    assert [t.name for t in near_duplicates("#غزة ", tags)] == ["غزة", "غزه"]
    assert [t.name for t in near_duplicates("غزة", tags)] == ["غزه"]
    assert near_duplicates("سياسة", tags) == []
    assert near_duplicates("#", tags) == []
