"""The content API's URLs (docs/api.md)."""

from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from articles.api import views
from articles.api.errors import not_found
from articles.api.most_read import MostReadView

app_name = "api"

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("sections", views.SectionViewSet, basename="section")
router.register("tags", views.TagViewSet, basename="tag")
router.register("authors", views.AuthorViewSet, basename="author")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    *format_suffix_patterns(
        [
            *router.urls,
            path("search/", views.SearchView.as_view(), name="search"),
            path("most-read/", MostReadView.as_view(), name="most_read"),
        ],
        allowed=["json", "ninjs"],
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # ReDoc styles itself with inline <style> elements and runs its search in a blob: worker;
    # this page alone allows both (docs/security.md).
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api:api_schema")
        ),
        name="api_docs",
    ),
    # Anything else under /api/v1/: a JSON 404 (a path without its slash is redirected first).
    re_path(r"^.*/$", not_found),
]
