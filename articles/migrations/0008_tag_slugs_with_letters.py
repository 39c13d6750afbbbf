"""Tags whose slug has no letter or digit ("" or "_1", from names such as "؟" or "!!!") get a
usable one, so their pages, feeds and the tag sitemap can be built. New tags are slugged by
the project's rule (articles.slugs, through articles.signal_handlers)."""

import re

from django.db import migrations
from django.utils.text import slugify

LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def reslug(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.all():
        if LETTER_OR_DIGIT.search(tag.slug):
            continue
        base = slugify(tag.name, allow_unicode=True)[:94].strip("-_")
        base = base if LETTER_OR_DIGIT.search(base) else "tag"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_breaking"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(reslug, migrations.RunPython.noop)]
