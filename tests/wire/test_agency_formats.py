"""NewsML-G2, NITF and ninjs items, the format told from the content, and XML that is
refused: pure functions, no database. The fixtures (tests/wire/fixtures/) are written from
the IPTC specifications: an AFP Arabic newsItem in four versions (first, update, correction,
kill), a Reuters newsMessage with an English and an Arabic item, a WAM Arabic NITF 3.6."""

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.wire.detect import detect_format, parse_items
from articles.wire.item import CORRECTION, KILL, UPDATE, USABLE
from articles.wire.newsml import parse_newsml
from articles.wire.nitf import parse_nitf
from articles.wire.story import ReadAlso, WireParseError

FIXTURES = Path(__file__).parent / "fixtures"
AFP_GUID = "urn:newsml:afp.com:20260502:TX-SGE-ABC12"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_newsml_item_parses_exactly():
    (item,) = parse_items(fixture("afp-ar-newsitem-v1.xml"))
    story = item.story
    assert (item.format, item.guid, item.version, item.language) == ("newsml", AFP_GUID, 1, "ar")
    assert item.version_created == datetime(2026, 5, 2, 9, 15, tzinfo=UTC)
    assert (item.status, item.signal, item.slugline) == (USABLE, "", "مصر-طقس-فيضانات")
    assert story.headline == "أمطار غزيرة تغرق شوارع القاهرة وتعطل حركة المرور"
    assert story.dateline == "القاهرة"
    assert story.sources == ("أ ف ب",)
    assert story.byline == "محمد علي"
    assert story.summary == "شهدت القاهرة أمطاراً غزيرة غير معتادة في هذا الوقت من العام."
    # Subject names in the item's language; a subject with no name is no tag.
    assert story.tags == ("البيئة", "الطقس")
    # Markup gone, the script's text never read, list items as paragraphs.
    assert story.paragraphs == (
        "غمرت أمطار غزيرة شوارع القاهرة صباح السبت، ما أدى إلى تعطل حركة المرور في عدة أحياء.",
        "وقالت هيئة الأرصاد الجوية إن الأمطار ستستمر حتى مساء الأحد.",
        "إغلاق نفق الأزهر",
        "تأخر القطارات",
    )
    # Only seeAlso/related links are read-also links (not previousVersion).
    assert story.read_also == (
        ReadAlso("الأرصاد تحذر من سيول في جنوب البلاد", "https://example.org/news/flood-warning"),
    )


@pytest.mark.parametrize(
    ("name", "version", "signal", "changed"),
    [
        ("afp-ar-newsitem-v2.xml", 2, UPDATE, "حتى صباح الاثنين، وإن منسوب المياه ارتفع في الجيزة"),
        ("afp-ar-newsitem-v3-correction.xml", 3, CORRECTION, "فجر السبت"),
    ],
)
def test_later_versions_carry_their_version_and_signal(name, version, signal, changed):
    (item,) = parse_items(fixture(name))
    assert (item.guid, item.version, item.signal, item.status) == (
        AFP_GUID,
        version,
        signal,
        USABLE,
    )
    assert changed in item.story.body_text


def test_canceled_item_is_a_kill_even_without_text():
    (item,) = parse_items(fixture("afp-ar-newsitem-kill.xml"))
    assert (item.guid, item.version, item.status, item.is_kill) == (AFP_GUID, 4, KILL, True)
    assert item.story is None


@pytest.mark.parametrize("status", ["stat:canceled", "stat:withheld"])
def test_withheld_and_canceled_with_text_are_kills(status):
    data = fixture("afp-ar-newsitem-v1.xml").replace(b"stat:usable", status.encode())
    (item,) = parse_items(data)
    assert item.is_kill and item.story is not None


def test_news_message_gives_each_item_in_order():
    english, arabic = parse_items(fixture("reuters-en-newsmessage.xml"))
    assert (english.guid, english.version, english.language) == (
        "tag:reuters.com,2026:newsml_L8N3XY01A",
        5,
        "en",
    )
    assert english.story.headline == "Oil steadies after OPEC+ output talks"
    assert english.story.paragraphs == (
        "Oil prices steadied on Saturday after talks between OPEC+ producers.",
        "Brent crude was little changed at $82 a barrel.",
    )
    assert english.story.dateline == "LONDON"
    assert english.story.sources == ("Reuters", "Thomson Reuters")
    assert english.story.byline == "Jane Doe، Omar Hassan"
    assert english.story.tags == ("Commodities", "oil")
    assert english.story.read_also == (ReadAlso("Oil prices rise on supply worries", ""),)
    assert english.version_created == datetime(2026, 5, 2, 9, 58, 12, tzinfo=UTC)
    # The headline in the item's own language; <br/> breaks a paragraph.
    assert arabic.language == "ar"
    assert arabic.story.headline == "الذهب يرتفع قليلاً"
    assert arabic.story.paragraphs == ("ارتفع سعر الذهب", "في التعاملات المبكرة.")
    assert arabic.version_created == datetime(
        2026, 5, 2, 9, 59, tzinfo=timezone(timedelta(hours=3))
    )


def test_nitf_document_parses_exactly():
    (item,) = parse_items(fixture("wam-ar-nitf.xml"))
    story = item.story
    assert (item.format, item.guid, item.version, item.language) == (
        "nitf",
        "WAM-2026-05-02-0042",
        2,
        "ar",
    )
    assert item.version_created == datetime(2026, 5, 2, 8, 15, tzinfo=timezone(timedelta(hours=4)))
    assert (item.signal, item.slugline) == (UPDATE, "إمارات-فضاء")
    assert story.headline == "الإمارات تطلق قمراً صناعياً لرصد المناخ"
    assert story.byline == "سارة أحمد"  # "بقلم:" and the byline's title dropped
    assert story.sources == ("وام",)
    assert story.dateline == "أبوظبي"
    assert story.summary == "أطلقت الإمارات قمراً صناعياً جديداً لرصد التغير المناخي."
    assert story.tags == ("فضاء", "المناخ")
    assert story.paragraphs == (
        "أطلقت دولة الإمارات اليوم قمراً صناعياً جديداً مخصصاً لرصد المناخ.",
        "وقال مسؤول في وكالة الفضاء إن القمر سيعمل سبع سنوات.",
        "الوزن 300 كغ",
    )


NITF_TEMPLATE = """<?xml version="1.0" encoding="{encoding}"?>
<nitf><head><docdata management-status="{status}"><doc-id id-string="X-1" regsrc="AFP"/>
{extra}</docdata></head><body><body.head><hedline><hl1>{headline}</hl1></hedline></body.head>
<body.content><p>{body}</p></body.content></body></nitf>"""


@pytest.mark.parametrize(
    ("status", "extra", "kill", "signal"),
    [
        ("usable", "", False, ""),
        ("canceled", "", True, ""),
        ("withheld", "", True, ""),
        ("usable", '<correction info="the toll was wrong" id-string="X-1"/>', False, CORRECTION),
        ("usable", '<du-key version="3"/>', False, UPDATE),
    ],
)
def test_nitf_status_and_signal(status, extra, kill, signal):
    text = NITF_TEMPLATE.format(
        encoding="UTF-8", status=status, extra=extra, headline="عنوان الخبر", body="نص الخبر"
    )
    item = parse_nitf(text.encode())
    assert (item.is_kill, item.signal) == (kill, signal)
    assert item.story.sources == ("AFP",)


def test_windows_1256_nitf_is_read_in_its_declared_encoding():
    text = NITF_TEMPLATE.format(
        encoding="windows-1256", status="usable", extra="", headline="عنوان الخبر", body="نص"
    )
    item = parse_nitf(text.encode("cp1256"))
    assert item.story.headline == "عنوان الخبر"
    # Pasted at the desk the text is already decoded: the declaration no longer applies.
    assert parse_items(text)[0].story.headline == "عنوان الخبر"


def test_ninjs_item_keeps_its_uri_version_and_status():
    data = json.dumps(
        {
            "uri": "urn:ninjs:qna:2026:77",
            "version": "3",
            "pubstatus": "canceled",
            "language": "ar-QA",
            "headline": "عنوان",
            "body_text": "نص",
        }
    )
    (item,) = parse_items(data)
    assert (item.format, item.guid, item.version, item.is_kill, item.language) == (
        "ninjs",
        "urn:ninjs:qna:2026:77",
        3,
        True,
        "ar",
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- AFP -->\n<newsItem guid="x"/>', "newsml"),
        (
            b'<?xml version="1.0"?><g2:newsMessage xmlns:g2="http://iptc.org/std/nar/2006-10-01/"/>',
            "newsml",
        ),
        (b'<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">\n<nitf/>', "nitf"),
        ("<nitf>".encode("utf-16"), "nitf"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"/>', "feed"),
        (b"<rss version='2.0'/>", "feed"),
        (b"<html><body>x</body></html>", "xml"),
        (b'{"headline": "x"}', "ninjs"),
        ("أمطار في القاهرة\n\nنص".encode(), "text"),
    ],
)
def test_format_is_told_from_the_content(data, kind):
    assert detect_format(data) == kind


def test_a_newsml_file_is_no_longer_taken_for_plain_text():
    # The old importer made an article headed '<?xml version="1.0" encoding="UTF-8"?>'.
    (item,) = parse_items(fixture("afp-ar-newsitem-v1.xml"), name="story.txt")
    assert item.story.headline.startswith("أمطار غزيرة")


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("billion-laughs.xml", {"xml_dtd", "xml_entities"}),
        ("external-entity.xml", {"xml_dtd", "xml_entities", "xml_external"}),
        ("external-dtd.xml", {"xml_dtd", "xml_entities", "xml_external"}),
        ("internal-subset.xml", {"xml_dtd"}),
    ],
)
def test_malicious_xml_is_refused_with_a_clear_error(name, codes):
    with pytest.raises(WireParseError) as caught:
        parse_items(fixture(name))
    assert caught.value.code in codes
    assert "رُفض حفاظاً على الأمان" in caught.value.reason  # the desk's language
    with translation.override("en"), pytest.raises(WireParseError) as caught:
        parse_items(fixture(name))
    assert "refused for safety" in caught.value.reason


def test_entity_declared_without_doctype_subset_and_undefined_entities_are_refused():
    undefined = (
        b'<newsItem guid="x"><contentMeta><headline>&secret;</headline></contentMeta></newsItem>'
    )
    with pytest.raises(WireParseError) as caught:
        parse_items(undefined)
    assert caught.value.code == "invalid_xml"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<newsItem guid='x'><contentMeta><headline>x</headline>", "invalid_xml"),
        (
            b"<newsItem guid='x'><contentSet><inlineData>x</inlineData></contentSet></newsItem>",
            "no_headline",
        ),
        (
            b"<newsItem guid='x'><contentMeta><headline>x</headline></contentMeta></newsItem>",
            "no_body",
        ),
        (b"<newsMessage><itemSet/></newsMessage>", "no_items"),
        (b"<nitf><body><body.content><p>x</p></body.content></body></nitf>", "no_headline"),
        (b"<html/>", "unknown_xml"),
        (b"<rss/>", "feed"),
        (b"   ", "empty"),
    ],
)
def test_broken_items_raise_the_parsers_error(data, code):
    with pytest.raises(WireParseError) as caught:
        parse_items(data)
    assert caught.value.code == code and caught.value.reason


def test_deep_nesting_is_read_without_exhausting_the_stack():
    depth = 40_000
    body = "<div>" * depth + "نص عميق" + "</div>" * depth
    data = (
        '<newsItem guid="x"><contentMeta><headline>عنوان</headline></contentMeta>'
        f"<contentSet><inlineXML><html><body>{body}</body></html></inlineXML></contentSet></newsItem>"
    )
    (item,) = parse_items(data.encode())
    assert item.story.paragraphs == ("نص عميق",)


# --- Fuzzing ----------------------------------------------------------------------------------

TAGS = [
    "newsItem",
    "newsMessage",
    "itemSet",
    "itemMeta",
    "contentMeta",
    "contentSet",
    "headline",
    "inlineXML",
    "inlineData",
    "body",
    "p",
    "pubStatus",
    "signal",
    "link",
    "nitf",
    "head",
    "docdata",
    "body.head",
    "hedline",
    "hl1",
    "body.content",
    "du-key",
]
ATTRIBUTES = [
    'guid="g"',
    'version="x"',
    'version="99999999999999"',
    'qcode="stat:canceled"',
    'qcode="sig:correction"',
    'rel="irel:seeAlso"',
    'href="javascript:x"',
    'management-status="withheld"',
    'xml:lang="ar"',
    'contenttype="text/plain"',
]
pieces = st.one_of(
    st.sampled_from(TAGS).flatmap(
        lambda tag: st.sampled_from([*ATTRIBUTES, ""]).map(lambda a: f"<{tag} {a}>")
    ),
    st.sampled_from(TAGS).map(lambda tag: f"</{tag}>"),
    st.sampled_from(
        [
            "نص",
            "عنوان",
            "&amp;",
            "&lt;",
            "<![CDATA[x]]>",
            "<!-- c -->",
            "\x00",
            "&#0;",
            "<!DOCTYPE nitf>",
            "<?pi x?>",
            "<br/>",
        ]
    ),
    st.text(max_size=20),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(pieces, max_size=40))
def test_xml_parsers_raise_nothing_but_their_own_error_for_any_markup(parts):
    text = "".join(parts)
    for data in (text, text.encode("utf-8", "surrogatepass")):
        for parse in (parse_items, parse_newsml, parse_nitf):
            try:
                items = parse(data)
            except WireParseError as error:
                assert error.reason
                continue
            for item in items if isinstance(items, list) else [items]:
                assert item.version >= 1
                assert item.story is not None or item.is_kill


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_items_or_the_parsers_error(data):
    try:
        parse_items(b"<?xml version='1.0'?>" + data)
        parse_items(data)
    except WireParseError as error:
        assert error.reason
