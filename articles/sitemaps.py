import datetime

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from .models import Article, Section

NEWS_WINDOW = datetime.timedelta(hours=48)


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Article.objects.published().only("pk", "slug", "updated_at").order_by("-id")

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.all()


class NewsSitemap(Sitemap):
    """Google News sitemap: articles published in the last 48 hours."""

    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("pk", "slug", "title", "title_ar", "title_en", "published_at")
            .newest_first()
        )

    def lastmod(self, item):
        return item.published_at
