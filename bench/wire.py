"""wire_import_per_s and newsml_import_per_s: items imported per second through the import
command's code path.

wire_import_per_s writes 10,000 generated plain-text wire stories to a temporary folder, then
times ``import_paths`` over them (what ``manage.py import_wire`` runs: read, decode, parse,
match sources, one transaction per story, read-also links, pending-link resolution).
newsml_import_per_s does the same with 5,000 NewsML-G2 newsItems (XHTML bodies, subjects,
a guid and version each), which also go through the agency path: safe XML parsing, the
agency story and its version, the incoming queue and its near-duplicate grouping. The imported
articles (and queue rows) are deleted afterwards, so the corpus other benchmarks measure is
left as it was.
"""

import random
import tempfile
import time
from pathlib import Path

from django.utils.html import escape

from articles.agency.models import IncomingItem, StoryGroup
from articles.models import Article, Source
from articles.wire.importer import import_paths

STORIES = 10_000
NEWSML_ITEMS = 5_000

PLACES = ["القاهرة", "غزة", "بيروت", "عمّان", "الرياض", "الدوحة", "رام الله", "تونس", "بغداد"]
AGENCIES = ["رويترز", "أ ف ب", "وكالات", "الأناضول", "د ب أ", "مصدر الإخبارية", "شينخوا"]
READ_ALSO = ["اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضاً", "اقرأ أيضا"]
WORDS = str.split(
    "الحكومة الوزير المجلس الاتفاق الاجتماع المحادثات الأمن الاقتصاد الأسعار النفط "
    "الانتخابات البرلمان الرئيس المدينة القرار المفاوضات الوفد الجيش الشرطة المستشفى "
    "الجامعة الطلاب المياه الكهرباء الموازنة الضرائب السوق التجارة الصادرات المطار "
    "أعلن قال أكد أضاف أشار يبحث يناقش يستأنف يرفض يوافق جديد عاجل رسمي دولي محلي "
    "اليوم أمس الأسبوع المقبل الماضي خلال بعد قبل في على من إلى مع عن"
)


def generate_stories(count: int, seed: int) -> list[str]:
    """Agency-shaped stories: headline, credit line, paragraphs, read-also lines that
    point at earlier headlines (resolved) or at stories never written (pending)."""
    rng = random.Random(seed)
    headlines: list[str] = []
    stories = []
    for index in range(count):
        words = rng.sample(WORDS, rng.randint(5, 9))
        headline = f"{' '.join(words)} {seed}-{index}"
        credit = f"{rng.choice(PLACES)} - {rng.choice(AGENCIES)}:"
        paragraphs = [
            " ".join(rng.choices(WORDS, k=rng.randint(18, 40))) + "."
            for _ in range(rng.randint(4, 9))
        ]
        lines = [headline, credit, *paragraphs]
        for _ in range(rng.randint(0, 2)):
            if headlines and rng.random() < 0.6:
                linked = rng.choice(headlines)
            else:
                linked = f"{' '.join(rng.sample(WORDS, 6))} {seed}-{index}-لاحقاً"
            lines.insert(rng.randint(3, len(lines)), f"{rng.choice(READ_ALSO)}: {linked}")
        headlines.append(headline)
        stories.append("\n\n".join(lines) + "\n")
    return stories


def newsml_item(text: str, guid: str, rng: random.Random) -> str:
    """A generated story as a NewsML-G2 newsItem (its credit line's agency as provider)."""
    headline, credit, *paragraphs = [line for line in text.split("\n\n") if line.strip()]
    place, agency = credit.rstrip(":").split(" - ")
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if not p.startswith(tuple(READ_ALSO)))
    subjects = "".join(
        f'<subject qcode="medtop:{rng.randint(1, 20):08}"><name xml:lang="ar">{word}</name></subject>'
        for word in rng.sample(WORDS[:30], 2)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="1"
    standard="NewsML-G2" standardversion="2.34" conformance="power" xml:lang="ar">
  <itemMeta><itemClass qcode="ninat:text"/><provider><name>{agency}</name></provider>
    <versionCreated>2026-05-02T09:15:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
  <contentMeta><located><name>{place}</name></located><language tag="ar"/>{subjects}
    <headline>{escape(headline)}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>
  </inlineXML></contentSet>
</newsItem>
"""


def _import_folder(texts: list[str], suffix: str) -> tuple[list[int], float]:
    with tempfile.TemporaryDirectory(prefix="wire-bench-") as folder:
        paths = []
        for index, text in enumerate(texts):
            path = Path(folder) / f"{index:05}{suffix}"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        created = []
        started = time.perf_counter()
        for outcome in import_paths(paths):
            if outcome.result is None:
                raise RuntimeError(outcome.line)
            created += outcome.created_ids
        return created, time.perf_counter() - started


def _delete(created: list[int]) -> None:
    for start in range(0, len(created), 1000):
        Article.objects.filter(pk__in=created[start : start + 1000]).delete()


def run(report, *, articles: int) -> None:
    seed = time.time_ns() % 1_000_000  # fresh text each run: every story is "created"
    sources_before = set(Source.objects.values_list("pk", flat=True))

    created, elapsed = _import_folder(generate_stories(STORIES, seed), ".txt")
    report("wire_import_per_s", round(len(created) / elapsed, 1), "stories/s")
    _delete(created)

    rng = random.Random(seed)
    items_before = IncomingItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    texts = [
        newsml_item(text, f"urn:newsml:bench:{seed}:{index}", rng)
        for index, text in enumerate(generate_stories(NEWSML_ITEMS, seed + 1))
    ]
    created, elapsed = _import_folder(texts, ".xml")
    if len(created) != NEWSML_ITEMS:
        raise RuntimeError(f"{len(created)} of {NEWSML_ITEMS} NewsML items were created")
    report("newsml_import_per_s", round(len(created) / elapsed, 1), "items/s")
    groups = set(
        IncomingItem.objects.filter(pk__gt=items_before).values_list("group_id", flat=True)
    )
    IncomingItem.objects.filter(pk__gt=items_before).delete()
    StoryGroup.objects.filter(pk__in=groups, items__isnull=True).delete()
    _delete(created)
    Source.objects.exclude(pk__in=sources_before).delete()
