import datetime
import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from articles.demo import live
from articles.demo.content import ARTICLES, AUTHORS, SECTIONS, SOURCES, UNPUBLISHED
from articles.media.images import make_renditions
from articles.models import (
    Article,
    ArticleSource,
    Author,
    Section,
    Source,
    unicode_slug,
)
from articles.readership.demo import load_demo_reads
from articles.wire.importer import WireImporter

SAMPLE_STORY = Path(__file__).resolve().parents[2] / "demo" / "wire-seed.txt"
SECTION_COLOURS = ["#8d1b1f", "#0b4f8a", "#1d6b3a", "#6b3fa0", "#b85c00", "#00707a"]
SAMPLE_TAGS = ["أذربيجان", "أرمينيا", "ناغورنو كاراباخ", "القوقاز"]


class Command(BaseCommand):
    help = (
        "Load demo content (sections, sources, authors, 20+ articles, a live coverage, a "
        "corrected article). Safe to run again."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        sections = {}
        for position, (slug, name_ar, name_en) in enumerate(SECTIONS):
            sections[slug], _ = Section.objects.update_or_create(
                slug=slug, defaults={"name_ar": name_ar, "name_en": name_en, "position": position}
            )
        sources = {}
        for slug, name_ar, name_en, aliases in SOURCES:
            sources[slug], _ = Source.objects.update_or_create(
                slug=slug, defaults={"name_ar": name_ar, "name_en": name_en, "aliases": aliases}
            )
        authors = {}
        for slug, name_ar, name_en, bio in AUTHORS:
            authors[slug], _ = Author.objects.update_or_create(
                slug=slug, defaults={"name_ar": name_ar, "name_en": name_en, "bio_ar": bio}
            )

        created = 0
        for index, spec in enumerate(ARTICLES + UNPUBLISHED):
            article, was_created = self.save_article(spec, now, sections, sources, authors)
            created += was_created
            if was_created and index % 3 != 2:
                self.add_image(article, SECTION_COLOURS[list(sections).index(spec["section"])])
        _, was_created = self.load_sample_story(now, sections)
        created += was_created
        # A live coverage with its entries, and a corrected article (articles/demo/live.py).
        created += live.load(now, sections["سياسة"])
        # Reads over the last days, so the most-read lists and the desk's charts are filled.
        load_demo_reads(Article.objects.published())
        total = Article.objects.count()
        public = Article.objects.published().count()
        self.stdout.write(f"demo content ready: {total} articles ({public} public, {created} new)")

    def save_article(self, spec, now, sections, sources, authors):
        status = spec.get("status", Article.Status.PUBLISHED)
        hours_ago = spec.get("hours_ago")
        published_at = now - datetime.timedelta(hours=hours_ago) if hours_ago is not None else None
        body = "".join(f"<p>{paragraph}</p>" for paragraph in spec["body"])
        fields = {
            "title_ar": spec["title"],
            "summary_ar": spec["summary"],
            "body_ar": body,
            "section": sections[spec["section"]],
            "status": status,
            "published_at": published_at,
            "breaking": spec.get("breaking", False),
        }
        if "en" in spec:
            title_en, summary_en, paragraphs_en = spec["en"]
            fields.update(
                title_en=title_en,
                summary_en=summary_en,
                body_en="".join(f"<p>{p}</p>" for p in paragraphs_en),
            )
        slug = unicode_slug(spec["title"])
        article = Article.objects.filter(slug=slug).first()
        if article:
            return article, False
        article = Article(slug=slug, **fields)
        article.save()
        article.tags.set(spec["tags"])
        article.authors.set([authors[a] for a in spec["authors"]])
        for position, source_slug in enumerate(spec["sources"]):
            ArticleSource.objects.create(
                article=article, source=sources[source_slug], position=position
            )
        return article, True

    def load_sample_story(self, now, sections):
        """The agency story from the wire, through the same importer as `import_wire`: its
        credit line becomes its sources, its read-also line a link to the article it names."""
        importer = WireImporter(publish=True, section=sections["سياسة"], tags=SAMPLE_TAGS)
        result = importer.import_bytes(SAMPLE_STORY.read_bytes(), name=SAMPLE_STORY.name)
        article = Article.objects.get(pk=result.article_id)
        if result.created:
            self.add_image(article, SECTION_COLOURS[0])
        return article, result.created

    def add_image(self, article, colour):
        image = Image.new("RGB", (1200, 675), colour)
        draw = ImageDraw.Draw(image)
        for step in range(0, 675, 6):
            shade = int(255 * step / 675 * 0.35)
            draw.line([(0, step), (1200, step)], fill=(shade, shade, shade), width=3)
        draw.ellipse((760, 140, 1160, 540), outline="white", width=12)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80)
        article.lead_image.save(
            f"demo-{article.pk}.jpg", ContentFile(buffer.getvalue()), save=False
        )
        article.lead_image_caption_ar = "صورة توضيحية"
        article.lead_image_credit = "أرشيف غرفة الأخبار"
        article.save(update_fields=["lead_image", "lead_image_caption_ar", "lead_image_credit"])
        # Made now, so the first reader does not wait for them.
        make_renditions(article.lead_image.name)
