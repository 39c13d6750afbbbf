"""Everything a backup must keep, as plain JSON: run in a process configured for one database
(`manage.py shell -c "from tests.plumbing.backup_snapshot import main; main()"`), so two databases can
be compared field by field."""

import hashlib
import json

from django.core.files.storage import default_storage


def _rows(queryset):
    return [
        {name: str(value) for name, value in row.items()}
        for row in queryset.order_by("pk").values()
    ]


def snapshot() -> dict:
    from taggit.models import Tag

    from articles.models import Article, Author, Section, Source, StatusChange
    from articles.related import related_articles
    from articles.search.engine import search
    from newsroom.backups import storage_files

    articles = {}
    for article in Article.objects.order_by("pk"):
        fields = {
            field.attname: str(getattr(article, field.attname))
            for field in Article._meta.concrete_fields
        }
        fields["tags"] = sorted(article.tags.names())
        fields["sources"] = list(
            article.article_sources.order_by("position").values_list("source__slug", "position")
        )
        fields["authors"] = sorted(article.authors.values_list("slug", flat=True))
        fields["related_links"] = list(
            article.related_links.order_by("position").values(
                "position", "target_id", "url", "title", "title_key"
            )
        )
        articles[article.pk] = fields
    public = Article.objects.published()
    related = {}
    for article in public.order_by("pk"):
        tag_ids = list(article.tags.values_list("pk", flat=True))
        related[article.pk] = [other.pk for other in related_articles(article, tag_ids)]
    searches = {
        query: [found.pk for found in search(public, query).articles[:10]]
        for query in ("النفط", "الطاقة", "سد النهضة", "Oil")
    }
    media = {}
    for name in storage_files(default_storage):
        with default_storage.open(name, "rb") as handle:
            media[name] = hashlib.sha256(handle.read()).hexdigest()
    return {
        "articles": articles,
        "sections": _rows(Section.objects.all()),
        "sources": _rows(Source.objects.all()),
        "authors": _rows(Author.objects.all()),
        "tags": _rows(Tag.objects.all()),
        "status_changes": _rows(StatusChange.objects.all()),
        "related": related,
        "search": searches,
        "media": media,
    }


def main():
    print(json.dumps(snapshot(), ensure_ascii=False, sort_keys=True))
