"""Sitemaps for crawlers, every location absolute from SITE_URL.

`/sitemap.xml` is always an index (so robots.txt names one stable address whatever the size of
the archive) of `/sitemap-<section>.xml` pages: articles, sections and tags, each paginated
with `?p=` below the protocol's 50,000 URLs per file. Articles with an English translation are
listed in both languages, each <url> with `xhtml:link rel="alternate" hreflang` links to both
and to the Arabic x-default. `/sitemap-news.xml` is the Google News sitemap: the last 48 hours.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.db.models import Exists, Max, OuterRef
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from taggit.models import Tag

from articles.models import Article, Section
from articles.related import public_postings
from articles.text.xmltext import xml_text

NEWS_WINDOW = datetime.timedelta(hours=48)
ENGLISH = "en"


def in_language(path_of, item, language: str) -> str:
    """The absolute URL of `item` in `language` (Arabic unprefixed, English under /en/)."""
    with translation.override(language):
        return settings.SITE_URL + path_of(item)


def alternates(path_of, item) -> list[dict]:
    """hreflang links for an item shown in Arabic and English; Arabic is the x-default."""
    arabic = in_language(path_of, item, settings.LANGUAGE_CODE)
    return [
        {"lang_code": settings.LANGUAGE_CODE, "location": arabic},
        {"lang_code": ENGLISH, "location": in_language(path_of, item, ENGLISH)},
        {"lang_code": "x-default", "location": arabic},
    ]


class SiteSitemap(Sitemap):
    """Locations from SITE_URL, not from the request's host."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def location(self, item):
        with translation.override(settings.LANGUAGE_CODE):
            return item.get_absolute_url()

    def translated(self, item) -> bool:
        return False

    def get_urls(self, page=1, site=None, protocol=None):
        """Each item's Arabic URL; a translated item's English URL beside it, both with the
        full set of alternates (as search engines ask)."""
        urls = []
        for url in super().get_urls(page=page, site=site, protocol=protocol):
            item = url["item"]
            if not self.translated(item):
                urls.append(url)
                continue
            links = alternates(self.path_of, item)
            urls.append({**url, "alternates": links})
            urls.append({**url, "location": links[1]["location"], "alternates": links})
        return urls

    def path_of(self, item) -> str:
        return item.get_absolute_url()


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"
    # Articles per page: at most twice as many URLs (English translations), under 50,000.
    limit = 20_000

    def items(self):
        return (
            Article.objects.published()
            .only("pk", "slug", "updated_at", "title_en")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate, instead of Django's default of reading every item.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def translated(self, item):
        return bool(item.title_en)


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.order_by("position", "pk")

    def translated(self, item):
        return True  # section pages exist in both languages, with translated names


class TagSitemap(SiteSitemap):
    """Tags that carry at least one public article (through their postings: one index probe
    per tag)."""

    changefreq = "daily"

    def items(self):
        # A tag without a slug has no URL: left out rather than failing the whole sitemap.
        public = Exists(public_postings(OuterRef("pk")))
        return Tag.objects.filter(public).exclude(slug="").order_by("pk")

    def path_of(self, item):
        return reverse("articles:tag", args=[item.slug])

    def location(self, item):
        with translation.override(settings.LANGUAGE_CODE):
            return self.path_of(item)


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "tags": TagSitemap}


@x_robots_tag
def sitemap_index(request, sitemaps=SITEMAPS):
    """The index at /sitemap.xml: every page of every section's sitemap, from SITE_URL."""
    entries = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("sitemap_section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        for page in range(1, sitemap.paginator.num_pages + 1):
            entries.append(
                {"location": location if page == 1 else f"{location}?p={page}", "last_mod": lastmod}
            )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


class NewsSitemap(SiteSitemap):
    """Google News sitemap: articles published in the last 48 hours, in Arabic, and in English
    too when translated, each with the publication's name and language."""

    limit = 1000  # Google News reads at most 1,000 URLs per sitemap

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("pk", "slug", "title_ar", "title_en", "published_at")
            .newest_first()
        )

    def lastmod(self, item):
        return item.published_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = []
        for url in Sitemap.get_urls(self, page=page, site=site, protocol=protocol):
            item = url["item"]
            languages = [settings.LANGUAGE_CODE] + ([ENGLISH] if item.title_en else [])
            for language in languages:
                with translation.override(language):
                    urls.append(
                        {
                            "location": settings.SITE_URL + item.get_absolute_url(),
                            "language": language,
                            "publication": xml_text(gettext("Newsroom")),
                            "title": xml_text(item.title),
                            "published_at": item.published_at,
                        }
                    )
        return urls
