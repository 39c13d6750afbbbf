"""Articles with their bylines, tags, credits and read-also links in ONE query.

`prefetch_related` costs a query (and an ORM compilation) per relation: five round trips for
the article page, which were most of an uncached page's time (docs/benchmarks.md, "Uncached
pages"). Here each relation is a correlated `ARRAY(SELECT json_build_object(...))` column of
the article's own row, and the rows are turned back into model instances and stored where
`prefetch_related` stores them, so `article.authors.all()`, `article.tags.all()`,
`article.article_sources.all()` and `article.related_links.all()` answer from memory as
before, in the same order, and templates, the API and the preview need no change.

Only the columns a reader can be shown are read (a link target's headline, slug, status and
time, not its body; a tag's name and slug).
"""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef
from django.db.models.functions import JSONObject
from django.db.models.query import ModelIterable

# What each relation reads: the model's columns (attnames; "x__y" follows a foreign key and
# becomes the related object), in the order `prefetch_related` gave them.
AUTHOR_COLUMNS = ("id", "name", "name_ar", "name_en", "slug", "bio", "bio_ar", "bio_en")
TAG_COLUMNS = ("id", "name", "slug")
SOURCE_COLUMNS = ("id", "name", "name_ar", "name_en", "slug", "url")
TARGET_COLUMNS = ("id", "title", "title_ar", "title_en", "slug", "status", "published_at")


def _json(columns, prefix=""):
    return JSONObject(**{column: F(prefix + column) for column in columns})


def _relations():
    from taggit.models import Tag

    from articles.models import Article, ArticleSource, Author, RelatedLink

    return {
        "authors": ArraySubquery(
            Author.objects.filter(articles=OuterRef("pk"))
            .order_by("name", "id")
            .annotate(json=_json(AUTHOR_COLUMNS))
            .values("json")
        ),
        "tags": ArraySubquery(
            Tag.objects.filter(
                taggit_taggeditem_items__object_id=OuterRef("pk"),
                taggit_taggeditem_items__content_type__app_label=Article._meta.app_label,
                taggit_taggeditem_items__content_type__model=Article._meta.model_name,
            )
            .order_by("id")
            .annotate(json=_json(TAG_COLUMNS))
            .values("json")
        ),
        "article_sources": ArraySubquery(
            ArticleSource.objects.filter(article=OuterRef("pk"))
            .order_by("position", "id")
            .annotate(
                json=JSONObject(
                    id="id",
                    position="position",
                    source_id="source_id",
                    source=_json(SOURCE_COLUMNS, "source__"),
                )
            )
            .values("json")
        ),
        "related_links": ArraySubquery(
            RelatedLink.objects.filter(article=OuterRef("pk"))
            .order_by("position", "id")
            .annotate(
                json=JSONObject(
                    id="id",
                    position="position",
                    target_id="target_id",
                    url="url",
                    title="title",
                    title_key="title_key",
                    target=_json(TARGET_COLUMNS, "target__"),
                )
            )
            .values("json")
        ),
    }


def _instance(model, row, db):
    """A model instance from one JSON object, as if loaded from the database: the columns
    not read are deferred (touching one would cost a query, as with `.only()`)."""
    # from_db takes the values in the model's column order.
    names = [f.attname for f in model._meta.concrete_fields if f.attname in row]
    values = [_typed(model, name, row[name]) for name in names]
    instance = model.from_db(db, names, values)
    for name, value in row.items():
        if isinstance(value, dict):
            related = model._meta.get_field(name).related_model
            # A null foreign key comes back as an object of nulls.
            target = _instance(related, value, db) if value.get("id") is not None else None
            setattr(instance, name, target)
    return instance


def _typed(model, name, value):
    """JSON has no dates: the one date column read is parsed back."""
    if value is not None and name == "published_at":
        return datetime.datetime.fromisoformat(value)
    return value


class WithRelations(ModelIterable):
    """Yields the articles with the relations read as JSON stored as prefetched."""

    def __iter__(self):
        db = self.queryset.db
        for article in super().__iter__():
            cache = getattr(article, "_prefetched_objects_cache", None)
            if cache is None:
                cache = article._prefetched_objects_cache = {}
            for name in RELATION_NAMES:
                if f"{name}_json" not in article.__dict__:
                    continue
                rows = article.__dict__.pop(f"{name}_json") or []
                model = type(article)._meta.get_field(name).related_model
                related = getattr(article, name).get_queryset()
                related._result_cache = [_instance(model, row, db) for row in rows]
                related._prefetch_done = True
                cache[name] = related
            yield article


RELATION_NAMES = ("authors", "tags", "article_sources", "related_links")
CARD_RELATIONS = ("authors", "tags", "article_sources")


def with_relations(queryset, names=RELATION_NAMES):
    """`queryset` with its section and the relations `names` in the same query: the
    whole page (RELATION_NAMES), or the content API's cards (CARD_RELATIONS)."""
    relations = _relations()
    annotated = queryset.select_related("section").annotate(
        **{f"{name}_json": relations[name] for name in names}
    )
    annotated._iterable_class = WithRelations
    return annotated
