"""The wire parser: pure functions, no database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.wire.decoding import decode_wire
from articles.wire.ninjs import parse_ninjs
from articles.wire.parser import parse_wire
from articles.wire.story import (
    MAX_HEADLINE_CHARS,
    MAX_WIRE_BYTES,
    ReadAlso,
    WireParseError,
    headline_key,
    name_key,
)

SAMPLE = Path("/work/shared/samples/wire-seed.txt")

HEADLINE = "الحكومة تقرّ موازنة العام المقبل بعجز أقل من المتوقع"
PARA_1 = "أقرّ مجلس الوزراء مساء الأحد مشروع موازنة العام المقبل، بعد جلسة استمرت خمس ساعات."
PARA_2 = "وقال وزير المالية إن «العجز سينخفض إلى 3 في المئة» من الناتج المحلي."


def story(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


# --- Credit lines ----------------------------------------------------------------------

CREDIT_LINES = [
    # (credit line, dateline, sources)
    ("القاهرة - رويترز:", "القاهرة", ("رويترز",)),
    ("وكالات- مصدر الإخبارية:", "", ("وكالات", "مصدر الإخبارية")),
    ("غزة – مصدر الإخبارية:", "غزة", ("مصدر الإخبارية",)),
    ("بيروت/ أ ف ب:", "بيروت", ("أ ف ب",)),
    ("رام الله - وفا:", "رام الله", ("وفا",)),
    ("عمّان — بترا", "عمّان", ("بترا",)),
    ("واشنطن - رويترز - أ ف ب:", "واشنطن", ("رويترز", "أ ف ب")),
    ("رويترز:", "", ("رويترز",)),
    ("القدس المحتلة - وكالات:", "القدس المحتلة", ("وكالات",)),
    ("أنقرة، الأناضول:", "أنقرة", ("الأناضول",)),
    ("الخرطوم:", "الخرطوم", ()),
    ("سكاي نيوز عربية:", "", ("سكاي نيوز عربية",)),
    ("الرياض - صحيفة الوطن:", "الرياض", ("صحيفة الوطن",)),
    ("دبي - وام :", "دبي", ("وام",)),
    ("Reuters:", "", ("Reuters",)),
    ("جنيف - شبكة الأخبار العالمية:", "جنيف", ("شبكة الأخبار العالمية",)),
    ("خاص - مصدر الإخبارية:", "", ("مصدر الإخبارية",)),
    ("ترجمة خاصة - وكالات:", "", ("وكالات",)),
    ("غزة/PNN/", "غزة", ("PNN",)),
]


@pytest.mark.parametrize(("credit", "dateline", "sources"), CREDIT_LINES)
def test_credit_line_on_its_own_line_gives_dateline_and_sources(credit, dateline, sources):
    parsed = parse_wire(story(HEADLINE, credit, PARA_1, PARA_2))
    assert parsed.headline == HEADLINE
    assert parsed.dateline == dateline
    assert parsed.sources == sources
    assert parsed.paragraphs == (PARA_1, PARA_2)


INLINE_CREDITS = [
    # (first paragraph as written, dateline, sources, paragraph kept)
    (
        "الرياض /واس/ أعلنت وزارة الصحة تسجيل حالات جديدة.",
        "الرياض",
        ("واس",),
        "أعلنت وزارة الصحة تسجيل حالات جديدة.",
    ),
    (
        "القاهرة - رويترز: قال مسؤول إن المحادثات انتهت.",
        "القاهرة",
        ("رويترز",),
        "قال مسؤول إن المحادثات انتهت.",
    ),
    (
        "باريس (أ ف ب) - أعلنت الحكومة الفرنسية الإثنين خطة جديدة.",
        "باريس",
        ("أ ف ب",),
        "أعلنت الحكومة الفرنسية الإثنين خطة جديدة.",
    ),
    (
        "(رويترز) - ارتفعت أسعار النفط صباح اليوم.",
        "",
        ("رويترز",),
        "ارتفعت أسعار النفط صباح اليوم.",
    ),
    ("دمشق - سانا: استقبل الوزير وفداً رسمياً.", "دمشق", ("سانا",), "استقبل الوزير وفداً رسمياً."),
    (
        "الدوحة (قنا) : عقدت اللجنة اجتماعها الأول.",
        "الدوحة",
        ("قنا",),
        "عقدت اللجنة اجتماعها الأول.",
    ),
]


@pytest.mark.parametrize(("first", "dateline", "sources", "kept"), INLINE_CREDITS)
def test_credit_opening_the_first_paragraph_is_split_from_it(first, dateline, sources, kept):
    parsed = parse_wire(story(HEADLINE, first, PARA_2))
    assert (parsed.dateline, parsed.sources) == (dateline, sources)
    assert parsed.paragraphs == (kept, PARA_2)


NOT_CREDITS = [
    "قال الوزير: إن الحكومة ماضية في خطتها.",
    "وأضاف البيان: «لن نتراجع».",
    "وجاء في البيان:",
    "وقال المتحدث:",
    "الرئيس (75 عاما) - الذي تولى الحكم عام 2015 - يزور المدينة.",
    "قال المتحدث - في بيان: إن الاجتماع تأجل.",
    "أعلنت الوزارة الأربعاء ما يلي: تعليق الدراسة يومين.",
]


@pytest.mark.parametrize("first", NOT_CREDITS)
def test_paragraph_with_a_colon_is_not_mistaken_for_a_credit_line(first):
    parsed = parse_wire(story(HEADLINE, first, PARA_2))
    assert parsed.dateline == ""
    assert parsed.sources == ()
    assert parsed.paragraphs == (first, PARA_2)


@pytest.mark.parametrize(
    "headline",
    [
        "وزير الخارجية: لا تفاوض تحت النار",
        "عاجل | الرئيس: الانتخابات في موعدها",
        "رويترز: أسعار النفط تقفز 5%",
        "مصر - السودان: اتفاق على تقاسم المياه",
    ],
)
def test_colon_inside_the_headline_is_not_a_credit_line(headline):
    parsed = parse_wire(story(headline, "القاهرة - رويترز:", PARA_1))
    assert parsed.headline == headline
    assert parsed.dateline == "القاهرة"
    assert parsed.sources == ("رويترز",)
    assert parsed.paragraphs == (PARA_1,)


def test_credit_with_a_date_before_the_agency():
    parsed = parse_wire(
        story(HEADLINE, "القاهرة - 20 سبتمبر (رويترز) - قال مسؤول إن الاتفاق قريب.")
    )
    assert (parsed.dateline, parsed.sources) == ("القاهرة", ("رويترز",))
    assert parsed.paragraphs == ("قال مسؤول إن الاتفاق قريب.",)


@pytest.mark.parametrize(
    ("ending", "sources"),
    [
        (["(أ ف ب)"], ("رويترز", "أ ف ب")),
        (["(رويترز)"], ("رويترز",)),
        (["(المصدر: الجزيرة نت)", "انتهى"], ("رويترز", "الجزيرة نت")),
        (["(انتهى)"], ("رويترز",)),
        (["/انتهى/"], ("رويترز",)),
        (["-END-"], ("رويترز",)),
    ],
)
def test_agency_sign_off_lines_leave_the_body(ending, sources):
    parsed = parse_wire(story(HEADLINE, "القاهرة - رويترز:", PARA_1, PARA_2, *ending))
    assert parsed.sources == sources
    assert parsed.paragraphs == (PARA_1, PARA_2)


def test_closing_remark_in_brackets_stays_in_the_body():
    remark = "(وهو ما نفته الحكومة لاحقاً)"
    parsed = parse_wire(story(HEADLINE, "القاهرة - رويترز:", PARA_1, remark))
    assert parsed.paragraphs == (PARA_1, remark)
    assert parsed.sources == ("رويترز",)


def test_decorative_lines_are_dropped():
    parsed = parse_wire(story("***", HEADLINE, "ــــــــ", PARA_1, "* * *", PARA_2, "...."))
    assert parsed.headline == HEADLINE
    assert parsed.paragraphs == (PARA_1, PARA_2)


def test_story_without_credit_line_has_no_sources():
    parsed = parse_wire(story(HEADLINE, PARA_1, PARA_2))
    assert (parsed.dateline, parsed.sources, parsed.credit) == ("", (), "")
    assert parsed.paragraphs == (PARA_1, PARA_2)


def test_trailing_source_line_adds_a_source_and_leaves_the_body():
    parsed = parse_wire(story(HEADLINE, "غزة - وكالات:", PARA_1, "(المصدر: الجزيرة نت)"))
    assert parsed.sources == ("وكالات", "الجزيرة نت")
    assert parsed.paragraphs == (PARA_1,)


# --- Read also -------------------------------------------------------------------------

READ_ALSO_SPELLINGS = [
    "اقرأ أيضاً: {}",
    "اقرأ أيضا: {}",
    "إقرأ أيضاً: {}",
    "اقرأ ايضا: {}",
    "اقرأ ايضاً: {}",
    "إقرا ايضا: {}",
    "أقرأ أيضًا: {}",
    "اقـرأ أيضـاً: {}",
    "اقرأ أيضاً - {}",
    "اقرأ أيضاً… {}",
    "اقرأ أيضاً : {}",
    "اقرأ أيضاً:{}",
    "(اقرأ أيضاً: {})",
    "- اقرأ أيضا: {}",
    "• اقرأ أيضاً: {}",
    "واقرأ أيضاً: {}",
    "اقرأ كذلك: {}",
    "طالع أيضاً: {}",
    "[اقرأ أيضا] {}",
    "Read also: {}",
]


@pytest.mark.parametrize("pattern", READ_ALSO_SPELLINGS)
def test_read_also_spellings_are_recognised(pattern):
    linked = "البرلمان يناقش قانون الانتخابات الجديد"
    parsed = parse_wire(story(HEADLINE, PARA_1, pattern.format(linked), PARA_2))
    assert parsed.read_also == (ReadAlso(linked),)
    assert parsed.paragraphs == (PARA_1, PARA_2)


def test_read_also_between_paragraphs_keep_their_order():
    first, second, third = "خبر أول عن الطقس", "خبر ثانٍ: عن الأسعار", "“خبر ثالث” عن الرياضة"
    parsed = parse_wire(
        story(
            HEADLINE,
            "القاهرة - رويترز:",
            f"اقرأ أيضاً: {first}",
            PARA_1,
            f"إقرأ ايضا: {second}",
            PARA_2,
            f"اقرأ أيضا: {third}",
        )
    )
    assert [link.title for link in parsed.read_also] == [first, second, third]
    assert parsed.paragraphs == (PARA_1, PARA_2)


def test_read_also_marker_alone_takes_the_next_line_as_headline():
    parsed = parse_wire(story(HEADLINE, PARA_1, "اقرأ أيضاً:", "عنوان الخبر المرتبط", PARA_2))
    assert parsed.read_also == (ReadAlso("عنوان الخبر المرتبط"),)
    assert parsed.paragraphs == (PARA_1, PARA_2)


def test_read_also_with_a_url_keeps_the_url_apart():
    parsed = parse_wire(
        story(HEADLINE, PARA_1, "اقرأ أيضاً: انتخابات البلدية https://example.com/news/1/")
    )
    assert parsed.read_also == (ReadAlso("انتخابات البلدية", "https://example.com/news/1/"),)


def test_paragraph_that_only_mentions_reading_is_kept():
    text = "وقال: اقرأ الكتاب أيضاً قبل أن تحكم عليه."
    parsed = parse_wire(story(HEADLINE, PARA_1, text))
    assert parsed.paragraphs == (PARA_1, text)
    assert parsed.read_also == ()


# --- Kept as written -------------------------------------------------------------------


def test_quotes_tatweel_diacritics_and_arabic_punctuation_are_kept():
    paragraph = "قـــال المتحدث: “لن نقبل بذلك”؛ وأضاف «الوضعُ خطِرٌ»، فهل من مجيب؟"
    headline = "«الصحة»: لا إصابات جـديدة… حتى الآن!"
    parsed = parse_wire(story(headline, paragraph))
    assert parsed.headline == headline
    assert parsed.paragraphs == (paragraph,)


def test_whitespace_is_tidied_without_changing_words():
    text = (
        "\u200f  "
        + HEADLINE
        + "  \r\n\r\n\r\n\t"
        + PARA_1
        + "   \r\n"
        + "وقال  الوزير\t إن\u00a0الخطة جاهزة.\r\n"
    )
    parsed = parse_wire(text)
    assert parsed.headline == HEADLINE
    assert parsed.paragraphs == (PARA_1, "وقال الوزير إن الخطة جاهزة.")


def test_each_line_of_the_body_is_a_paragraph():
    parsed = parse_wire(f"{HEADLINE}\n{PARA_1}\n{PARA_2}")
    assert parsed.paragraphs == (PARA_1, PARA_2)


def test_sample_wire_story():
    parsed = parse_wire(SAMPLE.read_bytes())
    assert parsed.headline.startswith("وزارة الدفاع الأذربيجانية:")
    assert parsed.sources == ("وكالات", "مصدر الإخبارية")
    assert parsed.dateline == ""
    assert parsed.paragraphs[0].startswith("قالت وزارة الدفاع")
    assert "“تستمر بنجاح”" in parsed.paragraphs[0]
    assert parsed.paragraphs[-1].startswith("وفي نوفمبر 2020")
    assert [link.title for link in parsed.read_also] == [
        "هرتسوغ يتجه إلى أذربيجان في أول زيارة رسمية وسط مخاوف أمنية"
    ]


# --- Errors ----------------------------------------------------------------------------

# (input, code, the Arabic reason an editor reads)
BAD_STORIES = [
    ("", "empty", "النص فارغ"),
    ("   \n\n \t \n", "empty", "النص فارغ"),
    (HEADLINE, "no_body", "للخبر عنوان بلا متن: لا فقرات بعد العنوان"),
    (story(HEADLINE, "القاهرة - رويترز:"), "no_body", "للخبر عنوان بلا متن"),
    (story(HEADLINE, "اقرأ أيضاً: خبر آخر"), "no_body", "للخبر عنوان بلا متن"),
    (story("اقرأ أيضاً: خبر آخر", PARA_1), "read_also_first", "السطر الأول سطر «اقرأ أيضاً»"),
    (
        story("القاهرة - رويترز:", PARA_1),
        "credit_first",
        "السطر الأول («القاهرة - رويترز:») سطر المصدر، والعنوان يجب أن يكون السطر الأول",
    ),
    (
        story("ع" * (MAX_HEADLINE_CHARS + 1), PARA_1),
        "headline_too_long",
        f"عدد أحرف العنوان {MAX_HEADLINE_CHARS + 1}، والحد الأقصى {MAX_HEADLINE_CHARS}",
    ),
    (
        "x" * (MAX_WIRE_BYTES + 1),
        "too_large",
        f"عدد أحرف النص {MAX_WIRE_BYTES + 1:,}، والحد الأقصى للخبر الواحد {MAX_WIRE_BYTES:,}",
    ),
    (story(HEADLINE, "a\x00b"), "binary", "ويبدو أنه ليس ملفاً نصياً"),
    (story(HEADLINE, "a\ud800b"), "invalid_characters", "في النص رموز غير صالحة"),
]


@pytest.mark.parametrize(("text", "code", "reason"), BAD_STORIES)
def test_bad_input_raises_a_parse_error_with_an_arabic_reason(text, code, reason):
    with translation.override("ar"), pytest.raises(WireParseError) as caught:
        parse_wire(text)
    assert caught.value.code == code
    assert reason in caught.value.reason


def test_reasons_follow_the_active_language_with_english_source_strings():
    with translation.override("en"), pytest.raises(WireParseError) as caught:
        parse_wire(HEADLINE)
    assert caught.value.reason == "the story has a headline but no body paragraphs"
    with translation.override("ar"), pytest.raises(WireParseError) as caught:
        parse_wire(HEADLINE)
    assert caught.value.reason == "للخبر عنوان بلا متن: لا فقرات بعد العنوان"


def test_parser_works_in_a_plain_script_without_django_settings():
    script = (
        "from articles.wire.parser import WireParseError, parse_wire\n"
        "print(parse_wire('عنوان\\nفقرة').paragraphs)\n"
        "try:\n    parse_wire('عنوان')\n"
        "except WireParseError as error:\n    print(error.code, error.reason)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "('فقرة',)",
        "no_body the story has a headline but no body paragraphs",
    ]


def test_headline_at_the_limit_is_accepted():
    parsed = parse_wire(story("ع" * MAX_HEADLINE_CHARS, PARA_1))
    assert len(parsed.headline) == MAX_HEADLINE_CHARS


def test_file_over_the_size_limit_is_refused_before_decoding():
    data = story(HEADLINE, PARA_1).encode() + b" " * MAX_WIRE_BYTES
    with translation.override("ar"), pytest.raises(WireParseError) as caught:
        parse_wire(data)
    size_kb = -(-len(data) // 1024)
    assert caught.value.code == "too_large"
    assert caught.value.reason == (
        f"حجم الملف {size_kb} كيلوبايت، والحد الأقصى للخبر الواحد {MAX_WIRE_BYTES // 1024} كيلوبايت"
    )


def test_file_one_byte_over_the_limit_is_not_shown_as_the_limit():
    with translation.override("en"), pytest.raises(WireParseError) as caught:
        decode_wire(b"x" * (MAX_WIRE_BYTES + 1))
    assert caught.value.reason == "the file is 513 KB; the limit for one story is 512 KB"


# --- Decoding --------------------------------------------------------------------------

TEXT = story(HEADLINE, "القاهرة - رويترز:", PARA_1, "اقرأ أيضاً: خبر آخر")

ENCODINGS = [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8 with BOM", TEXT.encode("utf-8-sig")),
    ("utf-16 LE with BOM", b"\xff\xfe" + TEXT.encode("utf-16-le")),
    ("utf-16 BE with BOM", b"\xfe\xff" + TEXT.encode("utf-16-be")),
    ("utf-16 LE without BOM", TEXT.encode("utf-16-le")),
    ("utf-16 BE without BOM", TEXT.encode("utf-16-be")),
    ("utf-32 with BOM", TEXT.encode("utf-32")),
    ("windows-1256", TEXT.encode("cp1256")),
    ("iso-8859-6", TEXT.encode("iso8859_6")),
    ("windows line endings", TEXT.replace("\n", "\r\n").encode("utf-8")),
]


@pytest.mark.parametrize(("label", "data"), ENCODINGS, ids=[label for label, _ in ENCODINGS])
def test_encodings_decode_to_the_same_story(label, data):
    parsed = parse_wire(data)
    assert parsed == parse_wire(TEXT)
    assert parsed.fingerprint() == parse_wire(TEXT).fingerprint()


@pytest.mark.parametrize(
    ("data", "code", "problem"),
    [
        (
            "Le ministère a annoncé une réforme très attendue à l'été.".encode("latin-1"),
            "bad_encoding",
            "الملف ليس بترميز UTF-8 ولا يبدو نصاً عربياً؛ ",
        ),
        (bytes(range(128, 256)) * 4, "bad_encoding", "ولا يبدو نصاً عربياً؛ "),
        (b"\x00\x01\x02\x03\x00\x00\x00\rIHDR\x00\x00", "binary", "في الملف بايتات صفرية"),
        (b"\xff\xfe\x00\xd8", "bad_encoding", "يبدأ الملف بعلامة الترميز UTF-16 ‏(BOM)"),
    ],
)
def test_undecodable_bytes_say_which_encoding_is_needed(data, code, problem):
    with translation.override("ar"), pytest.raises(WireParseError) as caught:
        decode_wire(data)
    assert caught.value.code == code
    assert problem in caught.value.reason
    assert caught.value.reason.endswith(
        "احفظ الملف بترميز UTF-8 (ويُقبل أيضاً UTF-16 وWindows-1256 وISO-8859-6)"
    )


def test_fingerprint_changes_when_the_text_changes():
    assert parse_wire(TEXT).fingerprint() != parse_wire(TEXT + "\nفقرة إضافية").fingerprint()
    assert parse_wire(TEXT).fingerprint() == parse_wire(TEXT + "\n\n  \n").fingerprint()


# --- Matching keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("أ ف ب", "ا.ف.ب"),
        ("أ ف ب", "أف ب"),
        ("الأناضول", "الاناضول"),
        ("وكالة الأنباء", "وكاله الانباء"),
        ("مصدر الإخبارية", "مصدر  الاخباريه"),
        ("صحيفة الشرق الأوسط", "صحيفه الشرق الاوسط"),
        ("سبوتنيك", "سبـوتنيـك"),
        ("المستقبل", "المستقبَل"),
        ("مسؤول الإعلام", "مسئول الاعلام"),
        ("الشؤون الخارجية", "الشئون الخارجيه"),
        ("الهيئة", "الهيئه"),
        ("على الهواء", "علي الهواء"),
        ("Reuters", "REUTERS"),
    ],
)
def test_name_key_tolerates_hamza_ya_ta_marbuta_and_spacing(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(("one", "other"), [("رويترز", "وفا"), ("قنا", "كونا"), ("أ ب", "أ ف ب")])
def test_name_key_keeps_different_names_apart(one, other):
    assert name_key(one) != name_key(other)


def test_headline_key_ignores_quotes_punctuation_and_letter_forms():
    assert headline_key("“هرتسوغ” يتجه إلى أذربيجان!") == headline_key("هرتسوغ يتجه الى اذربيجان")
    assert headline_key("هرتسوغ يتجه إلى أذربيجان") != headline_key("هرتسوغ يتجه إلى أرمينيا")


# --- IPTC ninjs ------------------------------------------------------------------------

NINJS_1 = {
    "uri": "urn:newsml:example.com:20240101:abc",
    "type": "text",
    "headline": "افتتاح معرض الكتاب بمشاركة 30 دولة",
    "byline": "سارة أحمد",
    "located": "الشارقة",
    "description_text": "يستمر المعرض عشرة أيام.",
    "body_html": "<p>افتتح <b>معرض الكتاب</b> أبوابه اليوم.</p>"
    "<p>ويشارك فيه 500 ناشر &amp; كاتب.</p><script>alert(1)</script>",
    "subject": [{"code": "01000000", "name": "ثقافة"}, {"name": "كتب"}, {"name": "ثقافة"}],
    "associations": {
        "related1": {"headline": "جائزة الرواية تعلن قائمتها القصيرة"},
        "related2": {"headline": "مكتبة جديدة في المدينة", "uri": "https://example.com/library"},
        "featureimage": {"type": "picture", "uri": "urn:image:1"},
    },
}

NINJS_2 = {
    "uri": "urn:example:2",
    "headlines": [{"value": "ارتفاع أسعار الذهب", "contenttype": "text/plain"}],
    "bodies": [
        {"value": "سجل الذهب مستوى قياسياً.\n\nوتوقع محللون المزيد.", "contenttype": "text/plain"}
    ],
    "by": [{"name": "رامي خليل"}, {"name": "منى سعيد"}],
    "subjects": [{"name": "اقتصاد", "uri": "http://cv.iptc.org/newscodes/mediatopic/04000000"}],
    "associations": [{"name": "r", "headlines": [{"value": "النفط يتراجع"}]}],
}


def test_ninjs_1_item_maps_headline_body_byline_subjects_and_associations():
    parsed = parse_ninjs(json.dumps(NINJS_1, ensure_ascii=False).encode())
    assert parsed.headline == "افتتاح معرض الكتاب بمشاركة 30 دولة"
    assert parsed.paragraphs == ("افتتح معرض الكتاب أبوابه اليوم.", "ويشارك فيه 500 ناشر & كاتب.")
    assert parsed.byline == "سارة أحمد"
    assert parsed.dateline == "الشارقة"
    assert parsed.summary == "يستمر المعرض عشرة أيام."
    assert parsed.tags == ("ثقافة", "كتب")
    assert parsed.read_also == (
        ReadAlso("جائزة الرواية تعلن قائمتها القصيرة"),
        ReadAlso("مكتبة جديدة في المدينة", "https://example.com/library"),
    )


def test_ninjs_2_item_uses_headlines_bodies_and_by():
    parsed = parse_ninjs(NINJS_2)
    assert parsed.headline == "ارتفاع أسعار الذهب"
    assert parsed.paragraphs == ("سجل الذهب مستوى قياسياً.", "وتوقع محللون المزيد.")
    assert parsed.byline == "رامي خليل، منى سعيد"
    assert parsed.tags == ("اقتصاد",)
    assert parsed.read_also == (ReadAlso("النفط يتراجع"),)


@pytest.mark.parametrize(
    ("data", "code", "reason"),
    [
        (b"{not json", "invalid_json", "صيغة JSON غير سليمة (السطر 1، العمود 2)"),
        (b"[1, 2]", "not_an_object", "عنصر ninjs يجب أن يكون كائن JSON ‏(object)"),
        (b'{"body_text": "x"}', "no_headline", "عنصر ninjs بلا عنوان (headline)"),
        (
            b'{"headline": "h", "body_html": "<p> </p>"}',
            "no_body",
            "عنصر ninjs بلا متن (body_text أو body_html أو bodies)",
        ),
        (
            json.dumps({"headline": "ع" * 500, "body_text": "x"}).encode(),
            "headline_too_long",
            "عدد أحرف العنوان 500، والحد الأقصى 200 (هل السطر الأول فقرة؟ ضع العنوان وحده في السطر الأول)",
        ),
        (b"", "empty", "الملف فارغ"),
    ],
)
def test_bad_ninjs_raises_a_parse_error(data, code, reason):
    with translation.override("ar"), pytest.raises(WireParseError) as caught:
        parse_ninjs(data)
    assert caught.value.code == code
    assert caught.value.reason == reason


# --- Properties ------------------------------------------------------------------------

arabic_word = st.builds(
    str.__add__,
    st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ٠١٢", min_size=1, max_size=6),
    st.text(alphabet="ـًٌٍَُِّْ", max_size=2),
)
words = st.lists(arabic_word, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parser_raises_nothing_but_its_own_error_for_any_text(text):
    try:
        parse_wire(text)
    except WireParseError as error:
        assert error.reason


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_parser_raises_nothing_but_its_own_error_for_any_bytes(data):
    for parse in (parse_wire, parse_ninjs):
        try:
            parse(data)
        except WireParseError as error:
            assert error.reason


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                ["اقرأ أيضاً:", "القاهرة - رويترز:", ":", "(", ")", "-", "\r", "\n", "\ufeff"]
            ),
            words,
        ),
        max_size=30,
    ).map("\n".join)
)
def test_parser_raises_nothing_but_its_own_error_for_wire_like_text(text):
    try:
        parse_wire(text)
    except WireParseError as error:
        assert error.reason


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["headline", "headlines", "body_text", "body_html", "bodies", "byline", "by", "subject",
             "subjects", "associations", "value", "name", "uri", "contenttype", "located"]
        ),
        children,
        max_size=6,
    ),
    max_leaves=20,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_ninjs_parser_raises_nothing_but_its_own_error_for_any_json(value):
    try:
        parse_ninjs(json.dumps(value))
    except WireParseError as error:
        assert error.reason


@settings(max_examples=200, deadline=None)
@given(
    headline=words,
    paragraphs=st.lists(words, min_size=1, max_size=6),
    links=st.lists(words, max_size=3),
    place=st.sampled_from(["القاهرة", "غزة", "رام الله", "بيروت"]),
    agency=st.sampled_from(["رويترز", "أ ف ب", "وكالات", "الأناضول"]),
)
def test_generated_stories_round_trip(headline, paragraphs, links, place, agency):
    lines = [headline, f"{place} - {agency}:", *paragraphs, *(f"اقرأ أيضاً: {t}" for t in links)]
    parsed = parse_wire("\n\n".join(lines))
    assert parsed.headline == headline
    assert parsed.dateline == place
    assert parsed.sources == (agency,)
    assert parsed.paragraphs == tuple(paragraphs)
    assert [link.title for link in parsed.read_also] == links


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        # A JPEG's JFIF header has zero bytes in pairs that once read as UTF-16 text.
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01", "هذا ملف صورة (JPEG)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "هذا ملف صورة (PNG)"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "هذا ملف صورة (GIF)"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "هذا ملف صورة (WebP)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "هذا مستند PDF وليس نص خبر"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "هذا مستند مضغوط (Word"),
    ],
)
def test_an_image_or_document_picked_by_mistake_is_named_for_what_it_is(data, problem):
    with translation.override("ar"), pytest.raises(WireParseError) as caught:
        decode_wire(data)
    assert caught.value.code == "binary"
    assert problem in caught.value.reason
