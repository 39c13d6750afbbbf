"""Atom and RSS feeds as entries: pure, no database."""

from datetime import UTC, datetime

import pytest

from articles.agency.syndication import parse_feed
from articles.wire.story import WireParseError

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">
  <id>urn:feed</id><title>QNA</title><updated>2026-05-02T10:00:00Z</updated>
  <entry><id>urn:qna:1</id><title>\xd8\xae\xd8\xa8\xd8\xb1 \xd8\xa3\xd9\x88\xd9\x84</title>
    <updated>2026-05-02T10:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>\xd9\x81\xd9\x82\xd8\xb1\xd8\xa9 1</p><p>\xd9\x81\xd9\x82\xd8\xb1\xd8\xa9 2</p></div></content></entry>
  <entry><id>urn:qna:2</id><title>Second</title><updated>2026-05-02T11:00:00Z</updated>
    <content type="application/vnd.iptc.g2.newsitem+xml" src="/items/2.xml"/></entry>
  <entry><id>urn:qna:3</id><title></title><summary>text without a title</summary></entry>
  <entry><id>urn:qna:4</id><title>Escaped HTML</title>
    <summary type="html">&lt;p&gt;One&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;&lt;p&gt;Two&lt;/p&gt;</summary></entry>
</feed>"""

RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
  <title>SPA</title><language>ar-sa</language>
  <item><title>Item</title><guid>https://spa.example/1</guid><pubDate>Sat, 02 May 2026 10:00:00 GMT</pubDate>
    <content:encoded><![CDATA[<p>A</p><p>B</p>]]></content:encoded></item>
  <item><title>NITF</title><guid>https://spa.example/2</guid>
    <enclosure url="https://spa.example/2.xml" type="application/nitf+xml" length="1"/></item>
  <item><title>No text</title><guid>https://spa.example/3</guid></item>
</channel></rss>"""


def test_atom_entries_carry_their_story_or_link_to_their_item():
    inline, linked, untitled, escaped = parse_feed(ATOM)
    assert inline.item.guid == "urn:qna:1" and inline.item.language == "ar"
    assert inline.item.story.headline == "خبر أول"
    assert inline.item.story.paragraphs == ("فقرة 1", "فقرة 2")
    assert inline.item.version == int(datetime(2026, 5, 2, 10, tzinfo=UTC).timestamp())
    assert (linked.guid, linked.item_url, linked.item) == ("urn:qna:2", "/items/2.xml", None)
    assert untitled.error and untitled.item is None
    assert escaped.item.story.paragraphs == ("One", "Two")


def test_rss_items_with_content_enclosures_and_errors():
    first, nitf, empty = parse_feed(RSS)
    assert first.item.story.paragraphs == ("A", "B") and first.item.language == "ar"
    assert first.item.version_created == datetime(2026, 5, 2, 10, tzinfo=UTC)
    assert nitf.item_url == "https://spa.example/2.xml"
    assert empty.error


@pytest.mark.parametrize(
    "data", [b"<html/>", b"<feed", b'<!DOCTYPE feed [<!ENTITY a "b">]><feed/>']
)
def test_what_is_not_a_readable_feed_raises_the_parsers_error(data):
    with pytest.raises(WireParseError):
        parse_feed(data)
