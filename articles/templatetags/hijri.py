"""The Hijri (Umm al-Qura) date beside the Gregorian one, when NEWSROOM_HIJRI_DATES is on:
`{% hijri_date article.published_at %}` renders a small span (nothing when the setting is
off or the date is outside the Umm al-Qura tables); `{{ value|hijri }}` gives the words."""

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language

from articles.templatetags.newsroom import localise_digits
from articles.text.hijri import hijri_text

register = template.Library()


@register.filter
def hijri(value) -> str:
    """A moment (its local day in the newsroom's time zone) or a calendar day as its Umm
    al-Qura date in the active language: "12 جمادى الآخرة 1448 هـ", "12 Jumada al-Akhirah
    1448 AH"; "" when the setting is off, the value empty or outside the tables."""
    if not value or not settings.NEWSROOM_HIJRI_DATES:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    language = "en" if (get_language() or "").startswith("en") else "ar"
    text = hijri_text(value, language)
    return localise_digits(text) if language == "ar" else text


@register.simple_tag
def hijri_date(value, css_class="", separator=True):
    """<span class="hijri-date …">· 12 جمادى الآخرة 1448 هـ</span>, or "" (see `hijri`);
    without the dot where the layout already sets the dates apart (separator=False)."""
    text = hijri(value)
    if not text:
        return ""
    classes = f"hijri-date {css_class}".strip()
    if not separator:
        return format_html('<span class="{}">{}</span>', classes, text)
    return format_html(
        '<span class="{}"><span aria-hidden="true">· </span>{}</span>', classes, text
    )
