"""A synthetic Arabic news corpus for benchmarks: plain data, no database.

Tags follow a Zipf law (a few ubiquitous tags such as "سياسة", a long tail of specific ones),
sections have uneven weights, dates spread over years, and headlines, summaries and bodies are
composed from word lists so that full-text search has real Arabic words to index.
`articles.management.commands.make_corpus` turns these rows into database rows.
"""

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    return text.split()


SECTIONS = [
    # slug, name, weight
    ("سياسة", "سياسة", 30),
    ("اقتصاد", "اقتصاد", 20),
    ("رياضة", "رياضة", 15),
    ("ثقافة", "ثقافة وفنون", 8),
    ("علوم-وتكنولوجيا", "علوم وتكنولوجيا", 7),
    ("صحة", "صحة", 7),
    ("منوعات", "منوعات", 7),
    ("رأي", "رأي", 6),
]

SOURCES = [
    ("وكالات", "وكالات"),
    ("رويترز", "رويترز"),
    ("أ-ف-ب", "أ ف ب"),
    ("الأناضول", "الأناضول"),
    ("أسوشيتد-برس", "أسوشيتد برس"),
    ("مصدر-الإخبارية", "مصدر الإخبارية"),
    ("وام", "وام"),
    ("واس", "واس"),
    ("قنا", "قنا"),
    ("بترا", "بترا"),
    ("سانا", "سانا"),
    ("كونا", "كونا"),
]

FIRST_NAMES = _words(
    "سلمى كريم ليلى يوسف عمر نور هدى خالد مريم أحمد رنا سامي دينا طارق هالة زياد لينا فادي منى باسل"
)
LAST_NAMES = _words(
    "حداد منصور العلي عبد الله الخطيب النجار الحسيني يعقوب السيد الشامي المصري القاسم البدوي الزين"
)

SUBJECTS = _words(
    "الحكومة الرئيس الوزير البرلمان المجلس الوفد الجيش الشرطة الوزارة المعارضة "
    "البنك الشركة المنتخب النادي المدرب اللاعب الفريق الجامعة الباحثون العلماء "
    "الأطباء المنظمة الاتحاد السفير المتحدث الناطق المحكمة اللجنة "
    "المستثمرون الأسواق البورصة المهرجان الفنانون الكاتب الشاعر المخرج النقابة العمال"
)
VERBS = _words(
    "يعلن يبحث يناقش يرفض يؤكد يطالب يستقبل يوقع يفتتح يحذر يدعو يكشف يقرر يبدأ "
    "يختتم يعلق يستأنف يدرس يقترح يتابع يلتقي يزور يشارك يتوقع يرحب ينفي يواجه يحقق"
)
OBJECTS = _words(
    "خطة اتفاق مشروع قانون موازنة قرار مبادرة حملة برنامج تقرير دراسة مفاوضات "
    "إصلاحات استثمارات صفقة بطولة مباراة معرض مؤتمر قمة انتخابات تعديلات إجراءات "
    "عقوبات مساعدات منحة شراكة استراتيجية رؤية"
)
TOPICS = _words(
    "الطاقة المياه التعليم الصحة النقل الإسكان الزراعة السياحة التجارة الصناعة "
    "الاتصالات البيئة المناخ الأمن الدفاع الثقافة الرياضة الشباب المرأة التوظيف "
    "الضرائب الديون التضخم النفط الغاز الذهب العملة الرقمنة الروبوتات الفضاء "
    "اللاجئين الحدود الغذاء الدواء اللقاحات الكهرباء الطرق الموانئ الاتصال"
)
PLACES = _words(
    "القاهرة بيروت دمشق عمان بغداد الرياض الدوحة أبوظبي دبي الكويت المنامة مسقط "
    "صنعاء الخرطوم طرابلس تونس الجزائر الرباط نواكشوط القدس غزة إسطنبول "
    "طهران باريس لندن واشنطن موسكو بكين جنيف نيويورك برلين روما مدريد نيروبي"
)
CONNECTIVES = _words("وأضاف وأوضح وأشار وقال وتابع ولفت وبين وذكر وأكد واعتبر ونقلت وأفادت وكشفت")
FILLERS = _words(
    "في ظل على صعيد من أجل بحسب وفق خلال بعد قبل أمام نحو لدى عبر ضمن إلى من "
    "المقبل الماضي الجديد الحالي الأولى الثانية الكبرى العامة الوطنية الدولية "
    "الإقليمية المحلية الرسمية المشتركة الاقتصادية السياسية الاجتماعية الأمنية"
)
TAG_HEADS = _words(
    "أزمة ملف قضية مستقبل أسعار سوق قطاع إصلاح تحديات مشاريع قمة حرب سلام انتخابات "
    "اتفاقية مفاوضات احتجاجات موسم بطولة كأس دوري معرض مهرجان جائزة سد ميناء مطار "
    "طريق جامعة مستشفى وباء زلزال فيضانات جفاف"
)


def zipf_cumulative(n: int, exponent: float = 1.07) -> list[float]:
    """Cumulative Zipf weights of ranks 1..n (rank 1 is the most common)."""
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, n + 1)))


def tag_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct Arabic tag names, most common first: the section names and the
    topics (ubiquitous), then combinations such as "أزمة المياه" or "قمة الرياض"."""
    names = [name for _, name, _ in SECTIONS] + TOPICS + PLACES
    combos = [f"{head} {tail}" for head in TAG_HEADS for tail in TOPICS + PLACES]
    rng.shuffle(combos)
    names += combos
    year = 2000
    while len(names) < count:  # very large vocabularies: dated editions of the combinations
        names += [f"{combo} {year}" for combo in combos]
        year += 1
    seen, unique = set(), []
    for name in names:
        if name not in seen:
            seen.add(name)
            unique.append(name)
    return unique[:count]


def sentence(rng: random.Random, length: int = 14) -> str:
    words = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TOPICS)]
    while len(words) < length:
        words.append(rng.choice(FILLERS if rng.random() < 0.4 else TOPICS + OBJECTS + PLACES))
    return " ".join(words) + "."


@dataclass
class ArticleRow:
    title: str
    summary: str
    body: str
    section: int  # index into SECTIONS
    status: str
    published_at: datetime.datetime | None
    created_at: datetime.datetime
    tags: list[int]  # indexes into the tag names (0 = most common)
    sources: list[int]  # indexes into SOURCES, in credit order
    authors: list[int]


class CorpusGenerator:
    """Deterministic for a given seed: the same corpus every run."""

    STATUSES = [("published", 0.96), ("draft", 0.02), ("review", 0.01), ("archived", 0.005)]

    def __init__(
        self, *, tags: int, seed: int = 1, years: float = 5, now=None, authors=60, scheduled=0.005
    ):
        # Share of articles published with a time still to come (a desk schedules a few
        # dozen at most, however large its archive).
        self.scheduled = scheduled
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = now or datetime.datetime.now(datetime.UTC)
        self.span = datetime.timedelta(days=365 * years).total_seconds()
        self.tag_count = tags
        self.author_count = authors
        self.tag_cumulative = zipf_cumulative(tags)
        self.section_cumulative = list(itertools.accumulate(w for _, _, w in SECTIONS))
        self.sentences = [sentence(self.rng, self.rng.randint(10, 22)) for _ in range(5000)]
        status_weights = [w for _, w in self.STATUSES]
        self.status_cumulative = list(itertools.accumulate(status_weights))

    def _pick(self, cumulative):
        return bisect.bisect(cumulative, self.rng.random() * cumulative[-1])

    def _tags(self) -> list[int]:
        chosen = {self._pick(self.tag_cumulative) for _ in range(self.rng.randint(2, 7))}
        return sorted(chosen)

    def _headline(self) -> str:
        rng = self.rng
        parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TOPICS)]
        if rng.random() < 0.6:
            parts += ["في", rng.choice(PLACES)]
        if rng.random() < 0.4:
            parts.append(rng.choice(FILLERS[18:]))
        return " ".join(parts)

    def _body(self) -> str:
        rng = self.rng
        paragraphs = []
        for _ in range(rng.randint(3, 5)):
            text = " ".join(rng.choices(self.sentences, k=rng.randint(2, 3)))
            paragraphs.append(f"<p>{rng.choice(CONNECTIVES)} {text}</p>")
        return "".join(paragraphs)

    def article(self) -> ArticleRow:
        rng = self.rng
        status = self.STATUSES[self._pick(self.status_cumulative)][0]
        moment = self.now - datetime.timedelta(seconds=rng.random() * self.span)
        published_at = moment if status in ("published", "archived") else None
        if status == "published" and rng.random() < self.scheduled / 0.96:
            published_at = self.now + datetime.timedelta(seconds=rng.random() * 7 * 86400)
        sources = rng.sample(range(len(SOURCES)), rng.choice((1, 1, 1, 2)))
        authors = rng.sample(range(self.author_count), rng.choice((0, 1, 1, 2)))
        return ArticleRow(
            title=self._headline(),
            summary=rng.choice(self.sentences),
            body=self._body(),
            section=self._pick(self.section_cumulative),
            status=status,
            published_at=published_at,
            created_at=min(moment, self.now),
            tags=self._tags(),
            sources=sources,
            authors=authors,
        )

    def batch(self, number: int, size: int) -> list[ArticleRow]:
        """Articles of batch `number`, drawn from a generator seeded by the seed and the number
        alone: batches can be made in any order, in any process, and each is the same every run
        (what came before does not change it)."""
        self.rng = random.Random(f"{self.seed}:{number}")
        return [self.article() for _ in range(size)]

    def author_names(self) -> list[str]:
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        return random.Random(0).sample(names, self.author_count)
