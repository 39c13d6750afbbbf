from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def localise_digits(text: str) -> str:
    if settings.NEWSROOM_ARABIC_INDIC_DIGITS:
        return text.translate(ARABIC_INDIC)
    return text


@register.filter
def newsdate(value, with_time=True):
    """A date in the active language's words and the newsroom's time zone:
    "20 سبتمبر 2023، 14:05" in Arabic (Arabic-Indic digits by setting)."""
    if not value:
        return ""
    local = timezone.localtime(value)
    text = date_format(local, "DATETIME_FORMAT" if with_time else "DATE_FORMAT")
    return localise_digits(text)


@register.filter
def digits(value):
    return localise_digits(str(value))


@register.simple_tag
def news_article_json_ld(article):
    """schema.org NewsArticle for search engines, escaped like json_script."""
    url = settings.SITE_URL + article.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "inLanguage": get_language(),
        "author": [{"@type": "Person", "name": a.name} for a in article.authors.all()],
        "sourceOrganization": [
            {"@type": "Organization", "name": link.source.name}
            for link in article.article_sources.all()
        ],
    }
    if article.lead_image:
        data["image"] = [settings.SITE_URL + article.lead_image.url]
    if article.section_id:
        data["articleSection"] = article.section.name
    script = json_script(data, element_id="news-article-ld")
    return mark_safe(script.replace('type="application/json"', 'type="application/ld+json"'))


@register.simple_tag(takes_context=True)
def page_in(context, language_code):
    """This page's path in another language (/news/1/x/ -> /en/news/1/x/)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)
