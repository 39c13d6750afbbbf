"""The tag clean-up's pieces: likely duplicates and suggestions by the one Arabic tag key
(`articles.text.arabic.tag_key`), and the statements a merge, rename or delete is made of.
The order they run in, and what follows them, is the write path's (`articles.actions`:
`merge_tags`, `rename_tag`, `delete_tags`)."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Count, Q
from taggit.models import Tag, TaggedItem

from articles.models import Article
from articles.tags.models import TagRedirect
from articles.text.arabic import tag_key


class TagCleanupError(ValueError):
    """A rename, merge or delete that cannot be made as asked; the message says why."""


# --- Pure: grouping names by their key ---


def duplicate_groups(tags):
    """Groups of two or more of `tags` (objects with `name`) that share a tag key, in the
    order of their first member; each group in the order given."""
    groups = defaultdict(list)
    for tag in tags:
        key = tag_key(tag.name)
        if key:
            groups[key].append(tag)
    return [group for group in groups.values() if len(group) > 1]


def near_duplicates(typed: str, tags):
    """The tags among `tags` that an editor typing `typed` most likely means: the same key,
    another spelling (the exact name needs no suggestion)."""
    key = tag_key(typed)
    if not key:
        return []
    typed = typed.strip()
    return [tag for tag in tags if tag_key(tag.name) == key and tag.name != typed]


# --- Reading ---


def with_article_counts(queryset=None):
    """Tags with `article_count`, the articles (any status) tagged with each."""
    queryset = Tag.objects.all() if queryset is None else queryset
    return queryset.annotate(
        article_count=Count(
            "taggit_taggeditem_items",
            filter=Q(taggit_taggeditem_items__content_type__model="article"),
        )
    )


def tagged_article_ids(tag_ids) -> list[int]:
    """The articles carrying any of these tags."""
    return sorted(
        {
            int(pk)
            for pk in TaggedItem.objects.filter(
                tag_id__in=list(tag_ids),
                content_type__app_label=Article._meta.app_label,
                content_type__model=Article._meta.model_name,
            ).values_list("object_id", flat=True)
        }
    )


# --- Writing: statements of a merge ---


def move_taggings(survivor_id: int, other_ids) -> None:
    """Every tagging of the other tags becomes a tagging of the survivor: an object that
    already had the survivor (or several of the others) keeps one row."""
    others = [int(pk) for pk in other_ids]
    table = TaggedItem._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (tag_id, content_type_id, object_id)
            SELECT DISTINCT %s, content_type_id, object_id FROM {table} WHERE tag_id = ANY(%s)
            ON CONFLICT DO NOTHING
            """,
            [survivor_id, others],
        )
        cursor.execute(f"DELETE FROM {table} WHERE tag_id = ANY(%s)", [others])


def keep_addresses(survivor, old_slugs) -> None:
    """The old slugs answer 301 to the survivor, and so do the slugs that already pointed at
    the tags it absorbed (no chains of redirects). Its own slug never redirects."""
    old_slugs = [slug for slug in old_slugs if slug and slug != survivor.slug]
    TagRedirect.objects.filter(old_slug=survivor.slug).delete()
    for slug in old_slugs:
        TagRedirect.objects.update_or_create(old_slug=slug, defaults={"tag": survivor})


def redirect_pointing_to(tag_ids, survivor) -> None:
    TagRedirect.objects.filter(tag_id__in=list(tag_ids)).update(tag=survivor)
