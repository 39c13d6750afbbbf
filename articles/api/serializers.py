"""The API's JSON: articles as cards (listings, search, related) and in full (one article),
and the names articles are filed under. Text follows the active language, falling back to
Arabic field by field (django-modeltranslation); `language` says which one the headline is in.
Article HTML is the sanitised body (the one allow-list), with its plain text beside it."""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from PIL import Image
from rest_framework import serializers

from articles.media.images import RENDITION_FORMATS, focus_of, make_renditions
from articles.search.engine import html_to_text
from articles.text.sanitize import clean_html

logger = logging.getLogger(__name__)
MIME_TYPES = {ext: mime for ext, _pil_format, mime in RENDITION_FORMATS}


def absolute(url: str) -> str:
    """An absolute URL on SITE_URL (media on object storage may already be absolute)."""
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def content_language(article) -> str:
    """The language the article's headline is in: the active one, unless it falls back."""
    language = get_language() or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE and not getattr(article, f"title_{language}", ""):
        return settings.LANGUAGE_CODE
    return language


def lead_image(article) -> dict | None:
    """The lead image with its renditions (made once, as reader pages make them), or None
    when there is none or it cannot be read (the article is still served, without it)."""
    field = article.lead_image
    if not field or not field.name:
        return None
    try:
        manifest = make_renditions(field.name, field.storage, focus_of(field))
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        logger.warning("no renditions for %s: %s", field.name, error)
        return None
    renditions = [
        {
            "url": absolute(field.storage.url(path)),
            "width": width,
            "height": height,
            "type": MIME_TYPES[ext],
            "bytes": manifest.get("bytes", {}).get(path),
        }
        for ext in manifest["renditions"]
        for width, height, path in manifest["renditions"][ext]
    ]
    return {
        "width": manifest["width"],
        "height": manifest["height"],
        "caption": article.lead_image_caption,
        "credit": article.lead_image_credit,
        "renditions": renditions,
    }


class NameSerializer(serializers.Serializer):
    """A section, tag, author or source as an article shows it."""

    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


def tag_url(slug: str) -> str:
    return reverse("articles:tag", args=[slug])


class TagSerializer(NameSerializer):
    def get_url(self, obj) -> str:
        return absolute(tag_url(obj.slug))


class SectionSerializer(NameSerializer):
    description = serializers.CharField()
    position = serializers.IntegerField()


class AuthorSerializer(NameSerializer):
    bio = serializers.CharField()


class SourceSerializer(NameSerializer):
    website = serializers.URLField(source="url")


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    type = serializers.CharField()
    bytes = serializers.IntegerField(allow_null=True)


class ImageSerializer(serializers.Serializer):
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    caption = serializers.CharField()
    credit = serializers.CharField()
    renditions = RenditionSerializer(many=True)


class ArticleCardSerializer(serializers.Serializer):
    """An article in a listing: everything but its body. Needs `with_card_data()` and the
    authors, tags and credits prefetched (views.ArticleViewSet.get_queryset)."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField()
    title = serializers.CharField()
    slug = serializers.CharField()
    summary = serializers.CharField()
    section = SectionSerializer(allow_null=True)
    authors = AuthorSerializer(many=True, source="authors.all")
    sources = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    embargoed_until = serializers.SerializerMethodField()
    breaking = serializers.BooleanField()
    version = serializers.IntegerField()
    image = serializers.SerializerMethodField()

    def get_url(self, article) -> str:
        return absolute(article.get_absolute_url())

    def get_api_url(self, article) -> str:
        return absolute(reverse("api:article-detail", args=[article.pk]))

    def get_language(self, article) -> str:
        return content_language(article)

    # Plain dicts, not a nested serializer per card: a page of 20 cards built 40 serializers.
    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, article):
        return [
            {
                "slug": credit.source.slug,
                "name": credit.source.name,
                "url": absolute(credit.source.get_absolute_url()),
                "website": credit.source.url,
            }
            for credit in article.article_sources.all()
        ]

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, article):
        return [
            {"slug": tag.slug, "name": tag.name, "url": absolute(tag_url(tag.slug))}
            for tag in article.tags.all()
            if tag.slug
        ]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_embargoed_until(self, article):
        """Set only for scheduled articles, which keys with the read:scheduled scope see."""
        if article.published_at and article.published_at > timezone.now():
            return serializers.DateTimeField().to_representation(article.published_at)
        return None

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, article):
        return lead_image(article)


class ReadAlsoSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class ArticleSerializer(ArticleCardSerializer):
    """One article in full. Needs `with_page_data()`."""

    body_html = serializers.SerializerMethodField()
    body_text = serializers.SerializerMethodField()
    read_also = serializers.SerializerMethodField()
    related_url = serializers.SerializerMethodField()

    def get_body_html(self, article) -> str:
        return clean_html(article.body)

    def get_body_text(self, article) -> str:
        return " ".join(html_to_text(clean_html(article.body)).split())

    @extend_schema_field(ReadAlsoSerializer(many=True))
    def get_read_also(self, article):
        shown = (link.reader_link() for link in article.related_links.all())
        return [{"url": absolute(href), "title": title} for href, title in filter(None, shown)]

    def get_related_url(self, article) -> str:
        return absolute(reverse("api:article-related", args=[article.pk]))
