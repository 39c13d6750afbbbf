"""load_demo's live coverage (an election night, twelve entries, one a key event, one pinned)
and its corrected article: written through the live write path (articles/live/actions.py),
once (running load_demo again changes nothing)."""

import datetime

from articles.live import actions
from articles.live.models import LiveEntry
from articles.models import Article, unicode_slug

LIVE_TITLE = "مباشر: فرز الأصوات في الانتخابات البرلمانية"
LIVE_SUMMARY = "تابعوا لحظة بلحظة إغلاق مراكز الاقتراع وفرز الأصوات وإعلان النتائج الأولية."
LIVE_BODY = [
    "أغلقت مراكز الاقتراع أبوابها مساء اليوم وبدأت لجان الفرز عملها في الدوائر الانتخابية كلها.",
    "نتابع هنا آخر التطورات، الأحدث أولاً.",
]
LIVE_TITLE_EN = "Live: counting the votes in the parliamentary election"

# (minutes ago, headline, text, key event, pinned)
LIVE_ENTRIES = [
    (170, "", "أغلقت مراكز الاقتراع أبوابها في السابعة مساءً بالتوقيت المحلي.", False, False),
    (160, "", "بدأت لجان الفرز في العاصمة عملها بحضور مندوبي المرشحين والمراقبين.", False, False),
    (150, "", "قال رئيس اللجنة العليا للانتخابات إن العملية جرت في أجواء هادئة.", False, False),
    (135, "", "رصد مراقبون محليون تأخراً في وصول صناديق بعض القرى النائية.", False, False),
    (
        120,
        "نسبة المشاركة ٥٢٪",
        "أعلنت اللجنة العليا أن نسبة المشاركة بلغت <strong>٥٢٪</strong>، وهي الأعلى منذ عقدين.",
        True,
        False,
    ),
    (105, "", "احتفالات محدودة أمام مقار بعض الأحزاب مع ورود نتائج الدوائر الأولى.", False, False),
    (
        90,
        "",
        "النتائج الأولية في ثلاث دوائر تظهر تقارباً كبيراً بين القائمتين الرئيسيتين.",
        False,
        False,
    ),
    (
        75,
        "",
        "<p>ما نعرفه حتى الآن:</p><ul><li>المشاركة ٥٢٪</li><li>فرز ٦٠٪ من الصناديق</li>"
        "<li>لا طعون رسمية بعد</li></ul>",
        False,
        True,
    ),
    (60, "", "بعثة المراقبين الدولية تعقد مؤتمراً صحفياً صباح الغد.", False, False),
    (45, "", "أحد المرشحين المستقلين يقر بخسارته ويهنئ منافسه.", False, False),
    (
        30,
        "",
        "اللجنة: فرز ٨٠٪ من الصناديق، والنتائج النهائية متوقعة بعد منتصف الليل.",
        False,
        False,
    ),
    (10, "", "وصول رئيس الوزراء إلى مقر حزبه وسط هتافات المؤيدين.", False, False),
]

CORRECTED_TITLE = "البنك المركزي يثبت أسعار الفائدة للمرة الثالثة على التوالي"
CORRECTION = "ذكرت نسخة سابقة من هذا الخبر أن القرار هو الثاني على التوالي، والصحيح أنه الثالث."


def load(now, section):
    """Make the live coverage and the correction if they are not there yet; returns how many
    articles were created (0 or 1)."""
    created = 0
    slug = unicode_slug(LIVE_TITLE)
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        article = Article(
            slug=slug,
            title_ar=LIVE_TITLE,
            title_en=LIVE_TITLE_EN,
            summary_ar=LIVE_SUMMARY,
            body_ar="".join(f"<p>{p}</p>" for p in LIVE_BODY),
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=3),
            breaking=True,
        )
        article.save()
        created = 1
    if not LiveEntry.objects.filter(article=article).exists():
        actions.start_coverage(article, None)
        for minutes, headline, text, key, pinned in LIVE_ENTRIES:
            body = text if text.startswith("<") else f"<p>{text}</p>"
            entry = LiveEntry(
                article=article,
                headline=headline,
                body=body,
                key_event=key,
                posted_at=now - datetime.timedelta(minutes=minutes),
            )
            actions.save_entry(entry, None)
            if pinned:
                actions.pin_entry(article, entry, None)
    corrected = Article.objects.filter(title_ar=CORRECTED_TITLE).first()
    if corrected is not None and not corrected.corrections.exists():
        actions.add_note(corrected, "correction", CORRECTION, None)
    return created
