"""RSS 2.0 feeds: the latest articles, per section and per tag (published ones only).

Every link is absolute from SITE_URL, the lead image is an <enclosure>, and text that XML 1.0
cannot hold is cleaned by the feed generator itself, so the feed is well-formed whatever an
article holds."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from articles.media.sharing import shared_image
from articles.models import Article, Section
from articles.related import public_postings, tagged_newest_first
from articles.tags.redirects import TagMoved, tag_by_slug
from articles.text.xmltext import xml_text

FEED_SIZE = 30


def absolute(path: str) -> str:
    return settings.SITE_URL + path


class CleanRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose text is stripped of the characters XML 1.0 forbids (Django refuses to
    write them, which would turn a stray control character into a server error)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*(xml_text(a) for a in args), **_clean(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*(xml_text(a) for a in args), **_clean(kwargs))

    def add_item_elements(self, handler, item):
        """RSS 2.0 has no "updated" for an item: the Atom element (the namespace RSS feeds
        already declare) says when the article last changed (an edit, a live entry, a
        correction), beside its <pubDate>."""
        super().add_item_elements(handler, item)
        if item.get("updateddate") is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))


def _clean(fields: dict) -> dict:
    return {
        name: [xml_text(v) for v in value] if isinstance(value, (list, tuple)) else xml_text(value)
        for name, value in fields.items()
    }


def lead_image_enclosure(field_file) -> Enclosure | None:
    image = shared_image(field_file)
    if image is None:
        return None
    return Enclosure(image.url, str(image.length), image.mime_type)


class LatestFeed(Feed):
    feed_type = CleanRssFeed
    title = _("Newsroom: latest news")
    description = _("The latest published articles.")

    def link(self, obj=None):
        return absolute(reverse("articles:home"))

    def feed_url(self, obj=None):
        return absolute(reverse("articles:feed_latest"))

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.articles(obj)
            .with_card_data()
            .prefetch_related("authors")
            .newest_first()[:FEED_SIZE]
        )

    # Feed readers show titles and descriptions as HTML: markup an editor or a wire file
    # typed must reach them as text (Django's own default item_title escapes too).
    def item_title(self, item):
        return escape(item.title)

    def item_description(self, item):
        return escape(item.summary)

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return absolute(f"/news/{item.pk}/")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return "، ".join(author.name for author in item.authors.all()) or None

    def item_categories(self, item):
        return [item.section.name] if item.section else []

    def item_enclosures(self, item):
        enclosure = lead_image_enclosure(item.lead_image)
        return [enclosure] if enclosure else []


class SectionFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return _("Newsroom: %(section)s") % {"section": escape(obj.name)}

    def description(self, obj):
        # Channel texts are HTML to feed readers, like item texts: names reach them as text.
        return escape(
            obj.description or _("The latest articles in %(section)s.") % {"section": obj.name}
        )

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(reverse("articles:feed_section", args=[obj.slug]))

    def articles(self, obj):
        return Article.objects.published().in_section(obj)


class TagFeed(LatestFeed):
    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except TagMoved as moved:
            return moved.response(request, "articles:feed_tag")

    def get_object(self, request, slug):
        tag = tag_by_slug(slug)
        if not public_postings(tag).exists():  # like its page: nothing public, no feed
            raise Http404
        return tag

    def title(self, obj):
        return _("Newsroom: tag %(tag)s") % {"tag": escape(obj.name)}

    def description(self, obj):
        return escape(_("The latest articles tagged %(tag)s.") % {"tag": obj.name})

    def link(self, obj):
        return absolute(reverse("articles:tag", args=[obj.slug]))

    def feed_url(self, obj):
        return absolute(reverse("articles:feed_tag", args=[obj.slug]))

    def articles(self, obj):
        # Through the tag's postings, newest first: the cost does not grow with the archive.
        return tagged_newest_first(Article.objects.published(), obj)
