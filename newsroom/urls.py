from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.site import views as article_views
from articles.site.sitemaps import SITEMAPS, NewsSitemap, sitemap_index
from newsroom.page_cache import cache_for_readers
from newsroom.security import serve_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", article_views.healthz, name="healthz"),
    path("robots.txt", cache_for_readers(article_views.robots_txt), name="robots"),
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
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", include("articles.site.urls")),
    prefix_default_language=False,
)

if settings.BENCH:
    urlpatterns += [path("bench/hello/", article_views.hello, name="bench_hello")]

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve_media)]

handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"
