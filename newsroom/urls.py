"""The root URLconf: the desk, health, crawlers' files and the reader site (Arabic without a
prefix, English under /en/). The newsroom's own URLs live with the app (articles.site)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from newsroom.errors import healthz
from newsroom.security import serve_media

urlpatterns = [
    # The desk's narrowed doors come first, then Django's admin.
    path("admin/", include("articles.desk.view_on_site")),
    path("admin/two-factor/", include("articles.desk.two_factor.urls")),
    path("admin/", include("articles.desk.dashboard")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # robots.txt and the sitemaps: one URL whatever the language
    path("", include("articles.site.crawler_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The content API: one URL whatever the language (?lang=en or Accept-Language choose).
    path("api/v1/", include("articles.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("articles.site.urls")),
    prefix_default_language=False,
)

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve_media)]

handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"
