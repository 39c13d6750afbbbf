"""Arabic normalisation and light stemming: pure functions, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.text.arabic import STOPWORDS, light_stem, normalize_arabic, search_tokens

# --- normalize_arabic, rule by rule -------------------------------------------------------------


def test_tashkeel_is_removed():
    assert normalize_arabic("كَتَبَ الطَّالِبُ دَرْسًا") == "كتب الطالب درسا"


def test_dagger_alef_and_quranic_marks_are_removed():
    assert normalize_arabic("هٰذا") == "هذا"
    assert normalize_arabic("الرَّحْمَٰنِ") == "الرحمن"


def test_tatweel_is_removed():
    assert normalize_arabic("الـــرئـيـس") == normalize_arabic("الرئيس")


@pytest.mark.parametrize("alef", ["أ", "إ", "آ", "ٱ"])
def test_alef_forms_become_bare_alef(alef):
    assert normalize_arabic(f"{alef}سد") == "اسد"


def test_alef_written_with_combining_hamza_is_unified_too():
    assert normalize_arabic("ا\u0654حمد") == normalize_arabic("أحمد") == "احمد"


def test_alef_maqsura_becomes_yeh():
    assert normalize_arabic("مستشفى") == "مستشفي"
    assert normalize_arabic("على") == normalize_arabic("علي")


def test_persian_yeh_and_keheh_become_arabic_letters():
    assert normalize_arabic("کتابی") == normalize_arabic("كتابي")


def test_taa_marbuta_becomes_heh():
    assert normalize_arabic("مدينة") == "مدينه"


def test_hamza_seats_are_unified():
    assert normalize_arabic("شؤون") == normalize_arabic("شئون")
    assert normalize_arabic("مسؤول") == normalize_arabic("مسئول")


def test_yeh_before_hamza_meets_the_hamza_on_yeh_spelling():
    assert normalize_arabic("شاطىء") == normalize_arabic("شاطئ")
    assert normalize_arabic("شيء") == normalize_arabic("شئ")


def test_arabic_indic_and_persian_digits_become_latin():
    assert normalize_arabic("عام ١٩٩١") == "عام 1991"
    assert normalize_arabic("۲۰۲۴") == "2024"
    assert normalize_arabic("٣٫٥") == "3.5"


@pytest.mark.parametrize(
    "invisible",
    ["\u200e", "\u200f", "\u061c", "\u202b", "\u202e", "\u2067", "\u2069", "\u200b", "\u200c",
     "\u200d", "\u2060", "\ufeff", "\u00ad"],
)  # fmt: skip
def test_bidi_controls_and_zero_width_characters_are_stripped(invisible):
    assert normalize_arabic(f"غ{invisible}زة") == "غزه"


def test_nul_and_control_characters_are_stripped():
    assert normalize_arabic("غزة\x00\x07") == "غزه"


def test_latin_case_is_folded():
    assert normalize_arabic("GAZA Reuters") == "gaza reuters"
    assert normalize_arabic("Straße") == normalize_arabic("STRASSE")


def test_presentation_forms_become_ordinary_letters():
    # "سلام" as the isolated/initial/medial/final glyph code points a PDF copy can produce
    assert normalize_arabic("\ufeb3\ufefc\ufee1") == "سلام"


def test_whitespace_runs_collapse_and_ends_are_trimmed():
    assert normalize_arabic("  غزة\u00a0\n\t  اليوم ") == "غزه اليوم"


def test_fully_decorated_headline_meets_plain_typing():
    written = "وَزَارَةُ الدِّفَاعِ الأذربيجانيّة: عمليّاتنا مستمرّة مُنْذُ ١٩ أيلول"
    typed = "وزاره الدفاع الاذربيجانيه: عملياتنا مستمره منذ 19 ايلول"
    assert normalize_arabic(written) == normalize_arabic(typed)


@given(st.text())
def test_normalisation_never_raises_and_is_idempotent(text):
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once


@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)))
def test_normalisation_of_arabic_block_text_is_idempotent(text):
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once


@given(st.text())
def test_normalised_text_holds_no_invisible_or_marked_characters(text):
    result = normalize_arabic(text)
    for char in "\u200f\u200e\u200b\u0640\u064e\u0651أإآىةؤئ\x00":
        assert char not in result


# --- light_stem ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["حكومه", "الحكومه", "والحكومه", "بالحكومه", "فالحكومه", "كالحكومه", "للحكومه", "وللحكومه",
     "وبالحكومه", "حكومات", "الحكومات"],
)  # fmt: skip
def test_clitics_and_plurals_reach_one_stem(written):
    assert light_stem(written) == light_stem("حكومه")


@pytest.mark.parametrize("prefix", ["و", "ف", "ب", "ك", "ل"])
def test_single_letter_proclitics_are_stripped(prefix):
    assert light_stem(prefix + "مدرسه") == light_stem("مدرسه")


def test_short_words_keep_their_first_letter():
    # ب، و، ل are part of these words, not proclitics
    assert light_stem("بيت") == "بيت"
    assert light_stem("ولد") == "ولد"
    assert light_stem("لعب") == "لعب"


@pytest.mark.parametrize(
    ("written", "stem"),
    [("لبنان", "لبنان"), ("للبنان", "لبنان"), ("اللبنانيون", "لبنان"), ("فلسطين", "فلسطين"),
     ("الفلسطينيه", "فلسطين"), ("والوزير", "وزير"), ("بريطانيا", "بريطان")],
)  # fmt: skip
def test_protected_words_are_not_eaten_by_the_stemmer(written, stem):
    assert light_stem(written) == stem


@pytest.mark.parametrize("suffix", ["ها", "هم", "ات", "ون", "ين", "يه", "ي"])
def test_common_suffixes_are_stripped(suffix):
    assert light_stem("مصر" + suffix) == "مصر"


def test_latin_words_and_numbers_are_left_alone():
    assert light_stem("reuters") == "reuters"
    assert light_stem("2024") == "2024"


def test_search_tokens_normalise_stem_and_drop_stopwords():
    tokens = search_tokens("وَصَلَ الوزيرُ إلى بيروت في ١٢ آذار")
    assert tokens == ["وصل", "وزير", "بيروت", "12", "اذار"]


def test_stopwords_are_normalised_like_everything_else():
    assert all(normalize_arabic(word) == word for word in STOPWORDS)


@given(st.text())
def test_search_tokens_never_raise_and_return_non_empty_words(text):
    assert all(token and " " not in token for token in search_tokens(text))


def test_country_and_its_adjective_share_a_stem():
    assert light_stem("روسيا") == light_stem("روسي") == light_stem(normalize_arabic("الروسية"))
    assert light_stem("سوريا") == light_stem(normalize_arabic("سورية"))


def test_accusative_tanween_alef_is_stripped():
    assert light_stem(normalize_arabic("وفداً")) == light_stem("وفد")


def test_stacked_suffixes_reach_the_stem_of_the_bare_word():
    assert light_stem("مصريون") == light_stem("مصريين") == light_stem("مصر")
    assert light_stem(normalize_arabic("الأذربيجانية")) == light_stem(normalize_arabic("أذربيجان"))
