"""What a caller may read, and the listing filters. Public is `Article.objects.published()`,
the one definition; a key with the read:scheduled scope also reads scheduled (embargoed)
articles, `Article.objects.scheduled()`. Nothing else is ever visible: no draft, no article
in review, nothing archived."""

from django.db.models import Exists, OuterRef
from rest_framework import serializers

from articles.api.auth import caller_key
from articles.api.models import ApiKey
from articles.models import Article
from articles.querysets import CARD_SKIPS  # noqa: F401 (not in cards: the body, the vector)

# Never sent: the stored search document is large and only the database reads it.
UNSENT = ("search_vector",)


def reads_scheduled(request) -> bool:
    key = caller_key(request)
    return key is not None and key.has_scope(ApiKey.Scope.READ_SCHEDULED)


def visible_articles(request):
    public = Article.objects.published()
    if reads_scheduled(request):
        return public | Article.objects.scheduled()
    return public


def with_card_relations(articles):
    """What a card shows, in a fixed number of queries whatever the page size."""
    return articles.with_bylines_and_credits()


def having_visible_articles(queryset, request, relation: str):
    """The names (tags, authors, sources) with at least one article the caller may read:
    a name only on an embargoed or draft article is not shown (nor is it to readers)."""
    visible = visible_articles(request).filter(**{relation: OuterRef("pk")})
    return queryset.filter(Exists(visible))


class ArticleFilters(serializers.Serializer):
    """The listing and search filters; an invalid value is a 400 naming the parameter."""

    section = serializers.SlugField(allow_unicode=True, max_length=100, required=False)
    tag = serializers.SlugField(allow_unicode=True, max_length=100, required=False)
    author = serializers.SlugField(allow_unicode=True, max_length=150, required=False)
    source = serializers.SlugField(allow_unicode=True, max_length=150, required=False)
    published_since = serializers.DateTimeField(
        required=False, help_text="ISO 8601, e.g. 2025-05-01T08:00:00+03:00"
    )
    updated_since = serializers.DateTimeField(
        required=False, help_text="ISO 8601, e.g. 2025-05-01T08:00:00Z"
    )

    @classmethod
    def from_request(cls, request) -> dict:
        given = {
            name: value
            for name, value in request.query_params.items()
            if name in cls._declared_fields and value != ""
        }
        filters = cls(data=given)
        filters.is_valid(raise_exception=True)
        return filters.validated_data

    @staticmethod
    def apply(articles, data: dict):
        """Unknown names match nothing (an empty page), exactly like names with nothing
        visible, so a filter never tells whether an unpublished name exists."""
        if "section" in data:
            articles = articles.filter(section__slug=data["section"])
        if "tag" in data:
            # Through the tag postings (only published articles have them): an indexed join.
            articles = articles.filter(tag_postings__tag__slug=data["tag"])
        if "author" in data:
            articles = articles.filter(authors__slug=data["author"])
        if "source" in data:
            articles = articles.filter(sources__slug=data["source"])
        if "published_since" in data:
            articles = articles.filter(published_at__gte=data["published_since"])
        if "updated_since" in data:
            articles = articles.filter(updated_at__gte=data["updated_since"])
        return articles
