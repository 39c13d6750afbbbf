"""Slugs: the one rule for every model with a slug (articles, sections, authors, sources, and
taggit's tags through `articles.signal_handlers`).

A slug keeps Arabic letters (URLs carry them percent-encoded), holds at least one letter or
digit, and is unique per table. A name with nothing sluggable (",", "؟", "!!!") is refused as a
tag (`check_tag_names`); anything else that has none falls back to the model's name ("tag",
"tag-2"), so a URL can always be built."""

import re

from django.db import connection
from django.utils.text import slugify

_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def unicode_slug(text: str, max_length: int = 200) -> str:
    """A slug that keeps Arabic letters (URLs carry them percent-encoded); "" when the text
    has no letter or digit."""
    slug = slugify(text, allow_unicode=True)[:max_length].strip("-_")
    return slug if _LETTER_OR_DIGIT.search(slug) else ""


def tag_names_without_slug(names) -> list[str]:
    """The tag names among `names` that have no letter or digit, so no slug: a tag must have
    one (its page, feed and sitemap entry are built from it)."""
    return [name for name in names if not unicode_slug(name)]


def free_slug(model, slug: str, *, exclude_pk=None) -> str:
    """`slug`, or `slug-2`, `slug-3` …: the first that no other row of `model` holds.

    Plain SQL on purpose: it runs on every save and import, and through modeltranslation's
    queryset the same lookup costs ten times more. The prefix LIKE uses the slug's
    pattern index."""
    slug = (slug or model._meta.model_name)[: model._meta.get_field("slug").max_length - 6]
    pattern = re.sub(r"([\\%_])", r"\\\1", slug) + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT slug FROM {model._meta.db_table} WHERE slug LIKE %s AND id IS DISTINCT FROM %s",
            [pattern, exclude_pk],
        )
        taken = {row[0] for row in cursor.fetchall()}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
