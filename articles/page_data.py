"""Articles with their bylines, tags, credits, read-also links and notes in ONE query.

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
import functools

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import DateTimeField, JSONField
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, QuerySet
from django.utils.translation import get_language

quote_name = connection.ops.quote_name

# What each relation reads: the model's columns (attnames; "x__y" follows a foreign key and
# becomes the related object), in the order `prefetch_related` gave them.
AUTHOR_COLUMNS = ("id", "name", "name_ar", "name_en", "slug", "bio", "bio_ar", "bio_en")
TAG_COLUMNS = ("id", "name", "slug")
SOURCE_COLUMNS = ("id", "name", "name_ar", "name_en", "slug", "url")
TARGET_COLUMNS = ("id", "title", "title_ar", "title_en", "slug", "status", "published_at")
NOTE_COLUMNS = ("id", "article_id", "kind", "text", "noted_at", "created_by_id")


def _object(alias, columns, model):
    """json_build_object('column', alias.column, ...) over `model`'s columns."""
    pairs = ", ".join(
        f"'{column}', {alias}.{quote_name(model._meta.get_field(column).column)}"
        for column in columns
    )
    return f"jsonb_build_object({pairs})"


@functools.cache
def _relations(language):
    """The four subqueries, correlated with the outer articles row, written once per language
    (authors are ordered by their name in it). Hand-written SQL rather than the ORM's
    ArraySubquery(JSONObject(...)): compiling those expressions cost more Python per page
    than the queries they saved."""
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, ArticleSource, Author, Correction, RelatedLink, Source

    article = quote_name(Article._meta.db_table)
    bylines = Article.authors.through._meta
    author_name = quote_name(f"name_{language}")
    authors = f"""ARRAY(
        SELECT {_object("a", AUTHOR_COLUMNS, Author)}
          FROM {quote_name(Author._meta.db_table)} a
          JOIN {quote_name(bylines.db_table)} b ON b.author_id = a.id
         WHERE b.article_id = {article}.id
         ORDER BY a.{author_name}, a.id)"""
    tags = f"""ARRAY(
        SELECT {_object("t", TAG_COLUMNS, Tag)}
          FROM {quote_name(Tag._meta.db_table)} t
          JOIN {quote_name(TaggedItem._meta.db_table)} i ON i.tag_id = t.id
          JOIN django_content_type ct ON ct.id = i.content_type_id
         WHERE i.object_id = {article}.id
           AND ct.app_label = '{Article._meta.app_label}' AND ct.model = '{Article._meta.model_name}'
         ORDER BY t.id)"""
    credits = f"""ARRAY(
        SELECT jsonb_build_object('id', c.id, 'position', c.position, 'source_id', c.source_id,
                                  'source', {_object("s", SOURCE_COLUMNS, Source)})
          FROM {quote_name(ArticleSource._meta.db_table)} c
          JOIN {quote_name(Source._meta.db_table)} s ON s.id = c.source_id
         WHERE c.article_id = {article}.id
         ORDER BY c.position, c.id)"""
    links = f"""ARRAY(
        SELECT jsonb_build_object('id', l.id, 'position', l.position, 'target_id', l.target_id,
                                  'url', l.url, 'title', l.title, 'title_key', l.title_key,
                                  'target', {_object("g", TARGET_COLUMNS, Article)})
          FROM {quote_name(RelatedLink._meta.db_table)} l
          LEFT JOIN {article} g ON g.id = l.target_id
         WHERE l.article_id = {article}.id
         ORDER BY l.position, l.id)"""
    notes = f"""ARRAY(
        SELECT {_object("n", NOTE_COLUMNS, Correction)}
          FROM {quote_name(Correction._meta.db_table)} n
         WHERE n.article_id = {article}.id
         ORDER BY n.noted_at, n.id)"""
    as_json = ArrayField(JSONField())
    return {
        name: RawSQL(sql, (), output_field=as_json)
        for name, sql in (
            ("authors", authors),
            ("tags", tags),
            ("article_sources", credits),
            ("related_links", links),
            ("corrections", notes),
        )
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
    """JSON has no dates: date-and-time columns are parsed back."""
    if value is not None and isinstance(model._meta.get_field(name), DateTimeField):
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
                related = QuerySet(model, using=db)
                related._result_cache = [_instance(model, row, db) for row in rows]
                related._prefetch_done = True
                cache[name] = related
            yield article


RELATION_NAMES = ("authors", "tags", "article_sources", "related_links", "corrections")
CARD_RELATIONS = ("authors", "tags", "article_sources")


def with_relations(queryset, names=RELATION_NAMES):
    """`queryset` with its section and the relations `names` in the same query: the
    whole page (RELATION_NAMES), or the content API's cards (CARD_RELATIONS)."""
    relations = _relations(get_language())
    annotated = queryset.select_related("section").annotate(
        **{f"{name}_json": relations[name] for name in names}
    )
    annotated._iterable_class = WithRelations
    return annotated
