"""wire_import_per_s: stories imported per second through the import command's code path.

Writes 10,000 generated wire stories to a temporary folder, then times
``import_paths`` over them (what ``manage.py import_wire`` runs:
read, decode, parse, match sources, one transaction per story, read-also links,
pending-link resolution). The imported articles are deleted afterwards, so the
corpus other benchmarks measure is left as it was.
"""

import random
import tempfile
import time
from pathlib import Path

from articles.models import Article, Source
from articles.wire.importer import import_paths

STORIES = 10_000

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


def run(report, *, articles: int) -> None:
    seed = time.time_ns() % 1_000_000  # fresh text each run: every story is "created"
    sources_before = set(Source.objects.values_list("pk", flat=True))
    with tempfile.TemporaryDirectory(prefix="wire-bench-") as folder:
        paths = []
        for index, text in enumerate(generate_stories(STORIES, seed)):
            path = Path(folder) / f"{index:05}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)

        created = []
        started = time.perf_counter()
        for outcome in import_paths(paths):
            if outcome.result is None:
                raise RuntimeError(outcome.line)
            created.append(outcome.result.article_id)
        elapsed = time.perf_counter() - started

    report("wire_import_per_s", round(len(created) / elapsed, 1), "stories/s")
    for start in range(0, len(created), 1000):
        Article.objects.filter(pk__in=created[start : start + 1000]).delete()
    Source.objects.exclude(pk__in=sources_before).delete()
