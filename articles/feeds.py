from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .models import Article, Section
from .related import tagged_newest_first

FEED_SIZE = 30


class LatestFeed(Feed):
    feed_type = Rss201rev2Feed
    title = _("Newsroom: latest news")
    description = _("The latest published articles.")

    def link(self):
        return "/"

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
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return f"{settings.SITE_URL}/news/{item.pk}/"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return "، ".join(author.name for author in item.authors.all()) or None

    def item_categories(self, item):
        return [item.section.name] if item.section else []


class SectionFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return _("Newsroom: %(section)s") % {"section": escape(obj.name)}

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().in_section(obj)


class TagFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return _("Newsroom: tag %(tag)s") % {"tag": escape(obj.name)}

    def link(self, obj):
        return reverse("articles:tag", args=[obj.slug])

    def articles(self, obj):
        # Through the tag's postings, newest first: the cost does not grow with the archive.
        return tagged_newest_first(Article.objects.published(), obj)
