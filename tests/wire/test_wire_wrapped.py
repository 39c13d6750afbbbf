"""Hard-wrapped wire copy: lines of one paragraph are joined back, nothing else is."""

import io
import textwrap
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.wire.importer import WireImporter
from articles.wire.parser import parse_wire
from articles.wire.story import ReadAlso, WireStory

SAMPLE = Path("/work/shared/samples/wire-seed.txt")

HEADLINE = "البنك المركزي يبقي أسعار الفائدة دون تغيير للمرة الثالثة"
CREDIT = "القاهرة - رويترز:"
# Three paragraphs as the desk wants them; the wrapped forms below are these at 70 columns.
P1 = (
    "أبقى البنك المركزي المصري أسعار الفائدة الرئيسية دون تغيير للاجتماع الثالث على "
    "التوالي، في خطوة توقعها معظم المحللين الذين استطلعت رويترز آراءهم الأسبوع الماضي."
)
P2 = (
    "وقالت لجنة السياسة النقدية في بيان إن معدلات التضخم السنوية تراجعت خلال الأشهر "
    "الأخيرة لكنها لا تزال أعلى من المستهدف، وإن اللجنة ستواصل متابعة التطورات "
    "الاقتصادية عن كثب قبل اتخاذ أي قرار جديد"
)
P3 = "وأضاف البيان أن القرار يتسق مع تحقيق استقرار الأسعار على المدى المتوسط."
LINK = "اقرأ أيضاً: الجنيه يتراجع أمام الدولار في السوق الموازية"
LONG_LINK = LINK + " وسط ترقب لقرارات البنك المركزي المقبلة"  # wraps at 70 columns


def wrap(paragraph: str, width: int = 70) -> str:
    return textwrap.fill(paragraph, width, break_long_words=False, break_on_hyphens=False)


def story(*blocks: str, separator: str = "\n\n") -> str:
    return separator.join([HEADLINE, CREDIT, *blocks])


WRAPPED = [
    pytest.param(
        story(wrap(P1), wrap(P2), wrap(P3)),
        (P1, P2, P3),
        id="wrapped, blank lines between paragraphs",
    ),
    pytest.param(
        story(wrap(P1), wrap(P2), wrap(P3), separator="\n"),
        (P1, P2, P3),
        id="wrapped, no blank lines between paragraphs",
    ),
    pytest.param(
        story(wrap(P1, 62), wrap(P2, 62), wrap(P3, 62), separator="\r\n").replace("\n", "\r\n"),
        (P1, P2, P3),
        id="wrapped at 62 columns, CRLF, no blank lines",
    ),
    pytest.param(
        story(P1, P2, P3),
        (P1, P2, P3),
        id="one line per paragraph, blank lines (unchanged)",
    ),
    pytest.param(
        story(P1, P2, P3, separator="\n"),
        (P1, P2, P3),
        id="one line per paragraph, no blank lines (unchanged)",
    ),
    pytest.param(
        story(wrap(P1), P2, wrap(P3)),
        (P1, P2, P3),
        id="mixed: wrapped and one-line paragraphs with blank lines",
    ),
    pytest.param(
        story(wrap(P1), LINK, wrap(P2), separator="\n"),
        (P1, P2),
        id="read-also line between wrapped paragraphs, no blank lines",
    ),
    pytest.param(
        story(wrap(P1) + "\n" + LINK + "\n" + wrap(P2)),
        (P1, P2),
        id="read-also line inside a wrapped block",
    ),
    pytest.param(
        story(wrap(P1), wrap(P2) + "\n(رويترز)"),
        (P1, P2),
        id="agency sign-off line after the last wrapped line",
    ),
    pytest.param(
        story(wrap(P1), "***", wrap(P2), separator="\n"),
        (P1, P2),
        id="decorative line separates like a blank line",
    ),
]


@pytest.mark.parametrize(("text", "paragraphs"), WRAPPED)
def test_wrapped_paragraphs_are_joined_and_others_are_kept(text, paragraphs):
    parsed = parse_wire(text)
    assert parsed.headline == HEADLINE
    assert parsed.dateline == "القاهرة"
    assert parsed.sources == ("رويترز",)
    assert parsed.paragraphs == paragraphs


def test_read_also_line_inside_wrapped_text_is_still_a_link():
    parsed = parse_wire(story(wrap(P1) + "\n" + LINK + "\n" + wrap(P2)))
    assert [link.title for link in parsed.read_also] == [
        "الجنيه يتراجع أمام الدولار في السوق الموازية"
    ]


def test_credit_opening_a_wrapped_first_paragraph_is_split_and_the_rest_joined():
    text = HEADLINE + "\n\n" + wrap("القاهرة (رويترز) - " + P1) + "\n\n" + wrap(P2)
    parsed = parse_wire(text)
    assert parsed.dateline == "القاهرة"
    assert parsed.paragraphs == (P1, P2)


SHORT_LINES = [
    pytest.param(
        [
            "أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية",
            "وتشمل الخطة قروضاً ميسرة وبذوراً محسنة",
            "وقال وزير الزراعة إن التنفيذ يبدأ الشهر المقبل في خمس محافظات",
            "ورحب اتحاد المزارعين بالخطة",
        ],
        id="short paragraphs without full stops, no blank lines",
    ),
    pytest.param(
        [
            "الخلفية",
            "اندلعت الأزمة قبل عامين حين رفعت الحكومة أسعار الوقود بنسبة كبيرة.",
            "ردود الفعل",
            "ونظمت النقابات احتجاجات في عدة مدن.",
        ],
        id="subheadings between one-line paragraphs, no blank lines",
    ),
    pytest.param(
        [
            "أولاً: رفع الحد الأدنى للأجور بنسبة عشرين في المئة اعتباراً من يناير",
            "ثانياً: زيادة المعاشات بنسبة خمسة عشر في المئة من الشهر نفسه",
            "ثالثاً: إعفاء صغار المزارعين من الضريبة العقارية لمدة سنتين",
        ],
        id="a numbered list of lines of similar length",
    ),
]


@pytest.mark.parametrize("lines", SHORT_LINES)
def test_short_one_line_paragraphs_without_blank_lines_are_not_joined(lines):
    assert parse_wire(story(*lines, separator="\n")).paragraphs == tuple(lines)


def test_blank_line_before_the_agency_sign_off_does_not_make_paragraphs_blocks():
    lines = SHORT_LINES[0].values[0]
    parsed = parse_wire(story(*lines, separator="\n") + "\n\n(أ ف ب)\n")
    assert parsed.paragraphs == tuple(lines)
    assert parsed.sources == ("رويترز", "أ ف ب")


def test_long_read_also_line_in_wrapped_copy_does_not_take_the_next_paragraph():
    link = "اقرأ أيضاً: الجنيه يتراجع أمام الدولار في السوق الموازية وسط ترقب لقرارات البنك"
    parsed = parse_wire(story(wrap(P1), link, wrap(P3), separator="\n"))
    assert parsed.paragraphs == (P1, P3)
    assert [item.title for item in parsed.read_also] == [link.split(": ", 1)[1]]


@pytest.mark.parametrize("separator", ["\n", "\n\n"])
def test_read_also_line_near_the_width_does_not_take_the_next_paragraph(separator):
    # 66 characters: the next paragraph's first word would not fit within 70 columns
    # after it, but that line is continued itself (or ends a sentence): a paragraph.
    link = "اقرأ أيضاً: الجنيه يتراجع أمام الدولار في السوق الموازية بالقاهرة"
    for following in (wrap(P2), P3):
        parsed = parse_wire(story(wrap(P1) + "\n" + link + "\n" + following, separator=separator))
        assert parsed.paragraphs == (P1, following.replace("\n", " "))
        assert [item.title for item in parsed.read_also] == [link.split(": ", 1)[1]]


def test_subheading_in_its_own_block_is_not_joined():
    text = story(wrap(P1), "ردود الفعل", wrap(P2))
    assert parse_wire(text).paragraphs == (P1, "ردود الفعل", P2)


def test_subheading_on_the_line_before_its_wrapped_paragraph_is_not_joined():
    text = story(wrap(P1), "ردود الفعل\n" + wrap(P2))
    assert parse_wire(text).paragraphs == (P1, "ردود الفعل", P2)


def test_long_one_line_paragraphs_in_one_block_are_not_joined():
    # Blank lines elsewhere, but these paragraphs (longer than any wrapped line) sit
    # on consecutive lines: each stays a paragraph.
    text = story(P3, P1.replace(" ", "  ") + "\n" + P2 + " " + P3)
    assert parse_wire(text).paragraphs == (P3, P1, P2 + " " + P3)


def test_wrapped_windows_1256_file_is_joined():
    text = story(wrap(P1, 66), wrap(P2, 66), separator="\r\n").replace("\n", "\r\n")
    data = text.encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert parse_wire(data).paragraphs == (P1, P2)


def test_sample_wire_story_is_unchanged_and_its_wrapped_forms_give_the_same_paragraphs():
    sample = SAMPLE.read_text(encoding="utf-8")
    parsed = parse_wire(sample)
    assert len(parsed.paragraphs) == 14
    assert parsed.line_by_line is None
    assert parsed.fingerprints() == (parsed.fingerprint(),)
    blocks = sample.strip().split("\n\n")
    for separator in ("\n\n", "\n"):
        for width in (60, 72, 80):
            wrapped = separator.join([blocks[0], *(wrap(block, width) for block in blocks[1:])])
            again = parse_wire(wrapped)
            assert again.paragraphs == parsed.paragraphs, (separator, width)
            assert again.read_also == parsed.read_also  # their headlines are wrapped too
            assert again.fingerprint() == parsed.fingerprint()


def test_joined_story_keeps_the_fingerprint_of_its_lines_as_an_earlier_one():
    link_lines = wrap(LONG_LINK).splitlines()
    parsed = parse_wire(story(wrap(P1), "\n".join(link_lines), wrap(P2)))
    assert parsed.paragraphs == (P1, P2)
    assert [item.title for item in parsed.read_also] == [LONG_LINK.split(": ", 1)[1]]
    lines = tuple(wrap(P1).splitlines() + link_lines[1:] + wrap(P2).splitlines())
    as_lines = WireStory(
        parsed.headline,
        lines,
        parsed.dateline,
        parsed.sources,
        read_also=(ReadAlso(link_lines[0].split(": ", 1)[1]),),
        credit=CREDIT,
    )
    assert parsed.line_by_line == as_lines
    assert parsed.fingerprints() == (parsed.fingerprint(), as_lines.fingerprint())
    assert parsed.fingerprint() == parse_wire(story(P1, LONG_LINK, P2)).fingerprint()


# --- Properties ------------------------------------------------------------------------

arabic_word = st.builds(
    str.__add__,
    st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ٠١٢", min_size=1, max_size=11),
    st.sampled_from(["", "", "", "،"]),  # no full stop inside a paragraph (see the rule)
)
paragraph_text = st.lists(arabic_word, min_size=1, max_size=60).map(" ".join)
long_word = st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ٠١٢", min_size=4, max_size=11)
long_paragraph = st.lists(long_word, min_size=50, max_size=90).map(lambda w: " ".join(w) + ".")


@settings(max_examples=200, deadline=None)
@given(
    others=st.lists(paragraph_text, min_size=1, max_size=5),
    long=long_paragraph,
    position=st.integers(0, 5),
    width=st.integers(60, 80),
)
def test_rewrapping_paragraphs_between_blank_lines_gives_them_back(others, long, position, width):
    # Any paragraphs, one of them long enough to give the rule its evidence (two lines
    # broken by the wrapping), with a blank line between paragraphs.
    paragraphs = [*others[:position], long, *others[position:]]
    text = "\n\n".join([HEADLINE, CREDIT, *(wrap(p, width) for p in paragraphs)])
    assert parse_wire(text).paragraphs == tuple(paragraphs)


@settings(max_examples=200, deadline=None)
@given(
    paragraphs=st.lists(
        long_paragraph,
        min_size=1,
        max_size=5,
    ),
    width=st.integers(60, 80),
)
def test_rewrapping_paragraphs_without_blank_lines_gives_them_back(paragraphs, width):
    # Without blank lines the rule needs the evidence of several wrapped lines, and
    # paragraphs that end a sentence, and no line inside one ending like a sentence:
    # paragraphs of four lines and more, ending with "." and without one inside.
    text = "\n".join([HEADLINE, CREDIT, *(wrap(p, width) for p in paragraphs)])
    assert parse_wire(text).paragraphs == tuple(paragraphs)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(paragraph_text.map(lambda p: p + "."), min_size=1, max_size=12),
    separators=st.lists(st.sampled_from(["\n", "\n\n", "\n***\n"]), min_size=12, max_size=12),
)
def test_lines_that_end_a_sentence_stay_paragraphs_whatever_the_spacing(lines, separators):
    text = HEADLINE + "\n" + CREDIT + "".join(map(str.__add__, separators, lines))
    assert parse_wire(text).paragraphs == tuple(lines)


# --- Import ----------------------------------------------------------------------------


def run_import(path):
    out = io.StringIO()
    with translation.override(django_settings.LANGUAGE_CODE):
        call_command("import_wire", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue().split()


@pytest.mark.django_db
def test_import_of_a_hard_wrapped_file_makes_one_p_per_paragraph(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text(story(wrap(P1), wrap(P2), wrap(P3), separator="\n"), encoding="utf-8")
    outcome, pk, _ = run_import(path)
    article = Article.objects.get()
    assert (outcome, pk) == ("created", str(article.pk))
    assert article.body.count("<p>") == 3
    assert P2 in article.body
    assert run_import(path)[:2] == ["exists", str(article.pk)]
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_reimport_of_a_wrapped_story_saved_line_by_line_answers_exists(tmp_path):
    """Before lines were joined, a hard-wrapped file was saved with one paragraph per
    line; importing the same file again must find that article, not make a second."""
    text = story(wrap(P1), wrap(P2) + "\n" + wrap(LONG_LINK))
    parsed = parse_wire(text)
    earlier = WireImporter().import_story(parsed.line_by_line)
    assert Article.objects.get().body.count("<p>") == len(parsed.line_by_line.paragraphs) > 2
    path = tmp_path / "wrapped.txt"
    path.write_text(text, encoding="utf-8")
    assert run_import(path)[:2] == ["exists", str(earlier.article_id)]
    assert Article.objects.count() == 1
    assert WireImporter().preview(parsed).existing.pk == earlier.article_id
