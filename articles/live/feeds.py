"""The corrections feed (/feeds/corrections/): every correction of a public article, newest
first, linking to the note on its article."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.live.models import Correction
from articles.site.feeds import FEED_SIZE, CleanRssFeed, absolute


class CorrectionsFeed(Feed):
    feed_type = CleanRssFeed
    title = gettext_lazy("Newsroom: corrections")
    description = gettext_lazy("Corrections to published articles, newest first.")

    def link(self):
        return absolute(reverse("articles:corrections"))

    def feed_url(self):
        return absolute(reverse("articles:feed_corrections"))

    def items(self):
        return (
            Correction.objects.public()
            .corrections()
            .select_related("article")
            .newest_first()[:FEED_SIZE]
        )

    # Text, never markup, to feed readers (like the other feeds).
    def item_title(self, item):
        return escape(_("Correction: %(title)s") % {"title": item.article.title})

    def item_description(self, item):
        return escape(item.text)

    def item_link(self, item):
        return absolute(f"{item.article.get_absolute_url()}#note-{item.pk}")

    def item_guid(self, item):
        return absolute(f"/corrections/#{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.noted_at
