"""Broken plurals: قوانين finds قانون and the other way round, and unrelated words stay apart."""

import pytest
from django.urls import reverse

from articles.search.engine import highlight
from articles.text.arabic import BROKEN_PLURAL_STEMS, light_stem, normalize_arabic, search_tokens
from articles.text.plurals import BROKEN_PLURALS
from tests.factories import make_article


def stem(text: str) -> str:
    (token,) = search_tokens(text)
    return token


PAIRS = sorted(BROKEN_PLURALS.items())


# --- The table -----------------------------------------------------------------------------------


def test_the_table_holds_a_few_hundred_news_plurals():
    assert len(BROKEN_PLURALS) >= 250


@pytest.mark.parametrize(("plural", "singular"), PAIRS)
def test_every_plural_meets_its_singular_with_or_without_clitics(plural, singular):
    target = stem(singular)
    assert stem(plural) == target
    for written in (
        *("ال" + plural, "وال" + plural, "بال" + plural, "و" + plural),
        *(plural + "ها", plural + "هم", "ب" + plural + "كم"),
    ):
        assert stem(written) == target, written
    assert stem("ال" + singular) == target


def test_the_table_is_applied_once_a_singular_is_never_taken_for_a_plural():
    singular_stems = set(BROKEN_PLURAL_STEMS.values())
    assert not singular_stems & set(BROKEN_PLURAL_STEMS)
    for singular in BROKEN_PLURALS.values():
        assert normalize_arabic(singular) not in BROKEN_PLURAL_STEMS, singular


def test_plurals_are_recognised_in_every_spelling_normalisation_allows():
    assert stem("أسلحة") == stem("اسلحه") == stem("الأسلحةُ") == stem("سلاح")
    assert stem("شؤون") == stem("شئون") == stem("الشأن")
    assert stem("رؤساء") == stem("رُؤَسَاءُ") == stem("الرئيس")
    assert stem("ضحايا") == stem("الضحايا") == stem("ضحية")
    assert stem("بلادنا") == stem("البلد")


def test_letters_that_look_like_proclitics_are_part_of_the_plural():
    # وزراء is not و + زراء, لجان not ل + جان, بحار not ب + حار
    assert stem("وزراء") == stem("للوزراء") == stem("وزير")
    assert stem("لجان") == stem("اللجنة")
    assert stem("بحار") == stem("البحر")


# --- Wrong merges are worse than misses ----------------------------------------------------------

UNRELATED = [
    ("الحي", "ألحان", "neighbourhood / melodies"),
    ("الحار", "بحار", "hot / seas"),
    ("دان", "بلدان", "condemned / countries"),
    ("جان", "لجان", "Jean / committees"),
    ("حان", "ألحان", "it is time / melodies"),
    ("بلا", "مليون", "without / million"),
    ("سنوي", "سنوات", "annual is not a plural"),
    ("المدني", "مدينة", "civil is not cities + ي"),
    ("صحفي", "صحيفة", "journalist is not newspapers + ي"),
    ("أسرة", "أسير", "family / prisoner"),
    ("مرض", "مريض", "disease / patient"),
    ("أدوات", "دواء", "tools / medicine"),
    ("أدوات", "أدوية", "tools / medicines (the clitic rules alone joined them)"),
    ("طلب", "طالب", "request / student"),
    ("طلاب", "طالب", "students / he demanded (and طالبي اللجوء, asylum seekers)"),
    ("فرق", "فريق", "difference / team"),
    ("كتب", "كتاب", "he wrote / book"),
    ("أثار", "أثر", "provoked / trace"),
    ("أشهر", "شهر", "most famous / month"),
    ("أسهم", "سهم", "contributed / share"),
    ("مدافع", "مدفع", "defender / cannon"),
    ("عقد", "عقود", "he held (a meeting) / contracts"),
    ("حد", "حدود", "(to an) extent / borders"),
    ("علماء", "عالم", "scholars / world"),
    ("حكام", "حكم", "rulers / verdict"),
    ("شهود", "شاهد", "witnesses / he watched"),
    ("ديون", "دين", "debts / religion"),
    ("أعراض", "عرض", "symptoms / offer"),
    ("طقوس", "طقس", "rites / weather"),
    ("جيران", "جار", "neighbours / ongoing"),
    ("أقارب", "قريب", "relatives / near"),
    ("أئمة", "أمام", "imams / in front of"),
    ("الموازية", "ميزان", "parallel (market) / scales"),
    ("أدلى", "دليل", "cast (a vote) / evidence"),
    ("مزارع", "مزرعة", "farmer / farm"),
    ("خصوم", "خصم", "opponents / discount"),
]


@pytest.mark.parametrize(("one", "other", "meanings"), UNRELATED, ids=[u[2] for u in UNRELATED])
def test_unrelated_words_do_not_meet(one, other, meanings):
    assert stem(one) != stem(other)


def test_words_next_to_a_plural_keep_their_own_stems():
    assert search_tokens("قوانين جديدة لحماية الأطفال") == [
        stem("قانون"),
        light_stem(normalize_arabic("جديدة")),
        light_stem(normalize_arabic("لحماية")),
        stem("طفل"),
    ]


# --- What a reader sees --------------------------------------------------------------------------


def test_highlight_marks_the_plural_when_the_reader_typed_the_singular():
    html = highlight("البرلمان يناقش قوانين الانتخاب", "قانون")
    assert html == "البرلمان يناقش <mark>قوانين</mark> الانتخاب"


@pytest.mark.django_db
def test_search_page_finds_singular_and_plural_both_ways(client):
    make_article("البرلمان يقر قانون الانتخاب")
    make_article("صفقة أسلحة جديدة للجيش")
    make_article("خبر عن الطقس")
    url = reverse("articles:search")

    response = client.get(url, {"q": "قوانين"})
    assert [hit["article"].title for hit in response.context["hits"]] == [
        "البرلمان يقر قانون الانتخاب"
    ]
    assert "<mark>قانون</mark>" in response.content.decode()

    response = client.get(url, {"q": "سلاح"})
    assert [hit["article"].title for hit in response.context["hits"]] == ["صفقة أسلحة جديدة للجيش"]
    assert "<mark>أسلحة</mark>" in response.content.decode()
