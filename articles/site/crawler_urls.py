"""robots.txt and the sitemaps, outside the language prefixes (included by newsroom.urls)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from articles.site import views
from articles.site.sitemaps import SITEMAPS, NewsSitemap, sitemap_index
from newsroom.page_cache import cache_for_readers

urlpatterns = [
    path("robots.txt", cache_for_readers(views.robots_txt), name="robots"),
    path("sitemap.xml", cache_for_readers(sitemap_index), name="sitemap_index"),
    path(
        "sitemap-news.xml",
        cache_for_readers(sitemap_views.sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemap_news.xml"},
        name="sitemap_news",
    ),
    path(
        "sitemap-<section>.xml",
        cache_for_readers(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
