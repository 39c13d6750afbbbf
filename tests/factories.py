"""Small factories for tests: real rows in PostgreSQL, sensible Arabic defaults."""

import datetime
import io
import itertools

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleSource, Author, RelatedLink, Section, Source

_counter = itertools.count(1)


def make_section(name="سياسة", slug=None, **fields):
    return Section.objects.create(name=name, slug=slug or f"{name}-{next(_counter)}", **fields)


def make_source(name="وكالات", slug=None, aliases=(), **fields):
    return Source.objects.create(
        name=name, slug=slug or f"source-{next(_counter)}", aliases=list(aliases), **fields
    )


def make_author(name="سلمى حداد", slug=None, **fields):
    return Author.objects.create(name=name, slug=slug or f"author-{next(_counter)}", **fields)


def make_article(
    title=None,
    *,
    status=Article.Status.PUBLISHED,
    published_at=None,
    hours_ago=1,
    tags=(),
    sources=(),
    authors=(),
    **fields,
):
    """A public article by default, published `hours_ago` hours ago."""
    if title is None:
        title = f"خبر رقم {next(_counter)}"
    if published_at is None and status == Article.Status.PUBLISHED:
        published_at = timezone.now() - datetime.timedelta(hours=hours_ago)
    fields.setdefault("body", "<p>نص الخبر.</p>")
    article = Article.objects.create(
        title=title, status=status, published_at=published_at, **fields
    )
    if tags:
        article.tags.set(list(tags))
    for position, source in enumerate(sources):
        ArticleSource.objects.create(article=article, source=source, position=position)
    if authors:
        article.authors.set(authors)
    return article


def link(article, *, target=None, url="", title="", position=0):
    return RelatedLink.objects.create(
        article=article, target=target, url=url, title=title, position=position
    )


def stored_jpeg(name="lead/photo.jpg", size=(1600, 900), colour=(30, 90, 160)):
    """A JPEG saved to the default storage; returns its name (for Article.lead_image)."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return default_storage.save(name, ContentFile(out.getvalue()))
