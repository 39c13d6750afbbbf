"""The content API's views (docs/api.md). Read-only; every article comes through
`query.visible_articles`, so a caller sees public articles, and scheduled ones only with a key
that has the read:scheduled scope."""

import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from taggit.models import Tag

from articles.api import serializers as out
from articles.api.auth import ApiKeyAuthentication, caller_key
from articles.api.languages import accepted_language
from articles.api.ninjs import ninjs_item
from articles.api.pagination import NewestFirstCursor, SearchPages
from articles.api.query import (
    CARD_SKIPS,
    UNSENT,
    ArticleFilters,
    having_visible_articles,
    visible_articles,
    with_card_relations,
)
from articles.api.renderers import NinjsRenderer, wants_ninjs
from articles.api.throttling import AddressRateThrottle, ApiKeyRateThrottle
from articles.models import Article, Author, Section, Source
from articles.related import related_articles
from articles.search.engine import SearchForm, search
from newsroom.page_cache import reader_cache_control

VARY = ("Accept", "Accept-Language", "Authorization", "X-Api-Key")
LANG = OpenApiParameter(
    "lang",
    str,
    enum=["ar", "en"],
    description="Language of the texts (else Accept-Language, else Arabic).",
)
FILTERS = [
    OpenApiParameter("section", str, description="Section slug"),
    OpenApiParameter("tag", str, description="Tag slug"),
    OpenApiParameter("author", str, description="Author slug"),
    OpenApiParameter("source", str, description="Source slug"),
    OpenApiParameter("published_since", OpenApiTypes.DATETIME, description="ISO 8601"),
    OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="ISO 8601"),
]
NINJS_ITEM = OpenApiResponse(
    OpenApiTypes.OBJECT, description="An IPTC ninjs 2.0 object (docs/api.md)."
)


class ApiViewMixin:
    """What every API view does: key or anonymous, rate limits, the caller's language,
    conditional GET (ETag, and Last-Modified where the view knows it), Cache-Control."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateThrottle, ApiKeyRateThrottle]
    renderer_classes = [JSONRenderer]
    last_modified = None

    def initial(self, request, *args, **kwargs):
        self._outer_language = translation.get_language()
        translation.activate(accepted_language(request))
        lang = request.query_params.get("lang")
        if lang is not None:
            if lang not in dict(settings.LANGUAGES):
                raise ValidationError({"lang": [_("Either ar or en.")]}, code="invalid")
            translation.activate(lang)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        try:
            keyed = caller_key(request) is not None
        except APIException:  # the request failed before its key was checked
            keyed = False
        patch_vary_headers(response, VARY)
        response.headers["Content-Language"] = translation.get_language()
        response.render()
        language = getattr(self, "_outer_language", None)
        if language and language != translation.get_language():
            translation.activate(language)
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            response.headers["Cache-Control"] = "no-store"
            return response
        response.headers["Cache-Control"] = "private, no-store" if keyed else reader_cache_control()
        etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response.headers["ETag"] = etag
        modified = None
        if self.last_modified is not None:
            modified = int(self.last_modified.timestamp())
            response.headers["Last-Modified"] = http_date(modified)
        return get_conditional_response(
            request, etag=etag, last_modified=modified, response=response
        )


@extend_schema(parameters=[LANG])
class ArticleViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Articles, newest first. JSON, or IPTC ninjs 2.0 (Accept: application/ninjs+json,
    ?format=ninjs or the .ninjs suffix)."""

    renderer_classes = [JSONRenderer, NinjsRenderer]
    pagination_class = NewestFirstCursor
    lookup_value_regex = "[0-9]+"
    queryset = Article.objects.none()  # the schema reads the model here; get_queryset decides

    def get_queryset(self):
        articles = visible_articles(self.request)
        if self.action == "list":
            articles = ArticleFilters.apply(articles, ArticleFilters.from_request(self.request))
            skipped = UNSENT if wants_ninjs(self.request) else CARD_SKIPS
            return with_card_relations(articles).defer(*skipped)
        return articles.with_page_data().defer(*UNSENT)

    def get_serializer_class(self):
        return out.ArticleCardSerializer if self.action == "list" else out.ArticleSerializer

    def _items(self, articles, serializer_class):
        if wants_ninjs(self.request):
            return [ninjs_item(article) for article in articles]
        return serializer_class(articles, many=True, context={"request": self.request}).data

    @extend_schema(
        parameters=FILTERS,
        responses={
            (200, "application/json"): out.ArticleCardSerializer(many=True),
            (200, "application/ninjs+json"): NINJS_ITEM,
        },
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._items(page, out.ArticleCardSerializer))

    @extend_schema(
        responses={
            (200, "application/json"): out.ArticleSerializer,
            (200, "application/ninjs+json"): NINJS_ITEM,
        }
    )
    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        self.last_modified = article.updated_at
        if wants_ninjs(request):
            return self._response(ninjs_item(article))
        return self._response(out.ArticleSerializer(article).data)

    @extend_schema(
        responses={
            (200, "application/json"): out.ArticleCardSerializer(many=True),
            (200, "application/ninjs+json"): NINJS_ITEM,
        }
    )
    @action(detail=True, pagination_class=None)
    def related(self, request, *args, **kwargs):
        """Public articles sharing the article's rarest tags, best first (as on its page)."""
        article = self.get_object()
        tags = [tag.pk for tag in article.tags.all() if tag.slug]
        linked = [link.target_id for link in article.related_links.all() if link.target_id]
        ranked = [card.pk for card in related_articles(article, tags, exclude_ids=linked)]
        skipped = UNSENT if wants_ninjs(request) else CARD_SKIPS
        cards = {
            card.pk: card
            for card in with_card_relations(visible_articles(request).filter(pk__in=ranked))
            .defer(*skipped)
            .order_by()
        }
        ordered = [cards[pk] for pk in ranked if pk in cards]
        return self._response(self._items(ordered, out.ArticleCardSerializer))

    @staticmethod
    def _response(data):
        return Response(data)


class SearchView(ApiViewMixin, APIView):
    """Arabic-aware full-text search over the articles the caller may read (the site's
    search: stems, broken plurals, ranking with recency), numbered pages."""

    renderer_classes = [JSONRenderer, NinjsRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="The words to look for"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            LANG,
            *FILTERS,
        ],
        responses={
            (200, "application/json"): SearchPages.schema(
                {"$ref": "#/components/schemas/ArticleCard"}
            ),
            (200, "application/ninjs+json"): SearchPages.schema({"type": "object"}),
        },
    )
    def get(self, request, *args, **kwargs):
        form = SearchForm({"q": request.query_params.get("q", "")})
        form.is_valid()
        query = form.cleaned_data.get("q", "")
        if not query:
            raise ValidationError({"q": [_("Give the words to look for.")]}, code="required")
        filters = ArticleFilters.from_request(request)
        results = search(ArticleFilters.apply(visible_articles(request), filters), query)
        pages = SearchPages(request, results)
        skipped = UNSENT if wants_ninjs(request) else CARD_SKIPS
        rows = pages.articles(with_card_relations(results.articles).defer(*skipped))
        if wants_ninjs(request):
            data = [ninjs_item(article) for article in rows]
        else:
            data = out.ArticleCardSerializer(rows, many=True).data
        return pages.response(rows, data)


class NamesViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = NewestFirstCursor
    cursor_ordering = ("slug",)
    lookup_field = "slug"
    lookup_value_regex = "[^/.]+"


@extend_schema(parameters=[LANG])
class SectionViewSet(NamesViewSet):
    """The sections, in the site's order."""

    queryset = Section.objects.all()
    serializer_class = out.SectionSerializer
    cursor_ordering = ("position", "id")


@extend_schema(parameters=[LANG])
class TagViewSet(NamesViewSet):
    """Tags with at least one article the caller may read."""

    serializer_class = out.TagSerializer
    queryset = Tag.objects.all()

    def get_queryset(self):
        tags = Tag.objects.exclude(slug="")
        return having_visible_articles(tags, self.request, "tag_postings__tag")


@extend_schema(parameters=[LANG])
class AuthorViewSet(NamesViewSet):
    """Authors with at least one article the caller may read."""

    serializer_class = out.AuthorSerializer
    queryset = Author.objects.all()

    def get_queryset(self):
        return having_visible_articles(Author.objects.all(), self.request, "authors")


@extend_schema(parameters=[LANG])
class SourceViewSet(NamesViewSet):
    """Sources credited on at least one article the caller may read."""

    serializer_class = out.SourceSerializer
    queryset = Source.objects.all()

    def get_queryset(self):
        return having_visible_articles(Source.objects.all(), self.request, "sources")
