from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from articles.media.sharing import shared_image
from articles.site.cards import card_html, section_menu_html
from newsroom.reverse_cache import cached_reverse

register = template.Library()

LOGO = "img/logo.png"
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
def newsday(value):
    """A calendar date in the active language's words: "20 سبتمبر 2023"."""
    if not value:
        return ""
    return localise_digits(date_format(value, "DATE_FORMAT"))


@register.filter
def digits(value):
    return localise_digits(str(value))


@register.filter
def day_archive_url(value):
    """The day archive of a moment's local date (/archive/2023/09/20/)."""
    if not value:
        return ""
    day = timezone.localtime(value).date()
    return reverse("articles:day_archive", args=[day.year, day.month, day.day])


@register.simple_tag
def shared_lead_image(article):
    """The lead image as shared with other sites (absolute JPEG rendition), or None."""
    return shared_image(article.lead_image)


def publisher() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": gettext("Newsroom"),
        "url": settings.SITE_URL + reverse("articles:home"),
        "logo": {
            "@type": "ImageObject",
            "url": settings.SITE_URL + static(LOGO),
            "width": 512,
            "height": 512,
        },
    }


@register.simple_tag
def news_article_json_ld(article, tags=(), image=None, live=None):
    """schema.org NewsArticle for search engines, escaped like json_script; a live coverage's
    page is a LiveBlogPosting with its entries (articles/live/structured.py)."""
    url = settings.SITE_URL + article.get_absolute_url()
    authors = [
        {"@type": "Person", "name": a.name, "url": settings.SITE_URL + a.get_absolute_url()}
        for a in article.authors.all()
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.summary,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "inLanguage": get_language(),
        # Google asks for an author; agency copy without a byline is the newsroom's.
        "author": authors or [publisher()],
        "publisher": publisher(),
        "sourceOrganization": [
            {"@type": "Organization", "name": link.source.name}
            for link in article.article_sources.all()
        ],
    }
    if image:
        data["image"] = [
            {"@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height}
            if image.width
            else image.url
        ]
    if article.section_id:
        data["articleSection"] = article.section.name
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    if live:
        from articles.live.structured import live_blog_fields

        data.update(live_blog_fields(article, live))
    script = json_script(data, element_id="news-article-ld")
    return mark_safe(script.replace('type="application/json"', 'type="application/ld+json"'))


@register.simple_tag(takes_context=True)
def page_in(context, language_code):
    """This page's path in another language (/news/1/x/ -> /en/news/1/x/), worked out once
    per request and language (a page asks three or four times) from the URL pattern the
    request already matched, instead of resolving its path again."""
    request = context["request"]
    known = request.__dict__.setdefault("_page_in", {})
    if language_code not in known:
        known[language_code] = _page_in(request, language_code)
    return known[language_code]


def _page_in(request, language_code):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return translate_url(request.get_full_path(), language_code)
    try:
        with translation.override(language_code):
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return translate_url(request.get_full_path(), language_code)
    query = request.META.get("QUERY_STRING")
    return f"{path}?{query}" if query else path


@register.simple_tag
def section_menu():
    """The section menu (articles/site/cards.py)."""
    return section_menu_html()


@register.simple_tag
def card(article, lead=False, level=3, hide_section=False):
    """An article's card, rendered once per process and edit (articles/site/cards.py)."""
    return card_html(article, lead=lead, level=level, hide_section=hide_section)


@register.simple_tag(name="path")
def path_tag(name, *args):
    """`{% url %}` for the links every page prints (newsroom/reverse_cache.py): the same
    path, without resolving the URL pattern again on each call."""
    return cached_reverse(name, *args)
