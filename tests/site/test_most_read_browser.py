"""Most read in a real Chromium: the beacon counts a reader once, also from a cached page;
the lists sit in the side column on a desktop and below the story on a phone; the desk's
dashboard draws its charts; axe finds nothing serious. Screenshots in tests/screenshots/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.readership import lists
from articles.readership.models import HourlyReads
from articles.readership.rollup import roll_up
from tests.factories import make_article, make_section
from tests.site.test_readers_browser import AXE, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)
TITLES = [
    "الحكومة تعلن خطة لخفض أسعار الخبز والوقود قبل شهر رمضان",
    "منتخب المغرب يتأهل إلى نصف النهائي بعد مباراة مثيرة",
    "ارتفاع أسعار النفط مع تراجع المخزونات الأمريكية",
    "افتتاح معرض الكتاب الدولي بمشاركة ٤٠ دولة",
    "أمطار غزيرة تغلق طرقاً في العاصمة وتعطل الدراسة",
    "البنك المركزي يبقي أسعار الفائدة دون تغيير",
]


@pytest.fixture
def site(live_server):
    section = make_section("اقتصاد", slug="اقتصاد", name_en="Economy")
    stories = [
        make_article(
            title,
            summary="ملخص قصير للخبر.",
            body="<p>" + "فقرة من نص الخبر تشرح ما جرى بالتفصيل. " * 40 + "</p>",
            section=section,
            hours_ago=i + 1,
        )
        for i, title in enumerate(TITLES)
    ]
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for rank, story in enumerate(stories):
        for hours_ago in range(0, 30, 3):
            HourlyReads.objects.create(
                article=story, hour=hour - timedelta(hours=hours_ago), reads=(6 - rank) * 10
            )
    lists.refresh()
    return {"url": live_server.url, "stories": stories, "section": section}


@pytest.fixture
def reader_page(chromium):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="ar", user_agent=READER
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shot(page, name, width):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 760})
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"most-read-{name}-{width}.png", full_page=True)


def test_a_reader_is_counted_once_by_the_beacon_even_from_the_page_cache(
    site, reader_page, chromium
):
    story = site["stories"][-1]
    url = site["url"] + story.get_absolute_url()
    beacon = f"/read/{story.pk}/"
    before = sum(HourlyReads.objects.filter(article=story).values_list("reads", flat=True))
    with reader_page.expect_request(lambda r: r.url.endswith(beacon)) as sent:
        first = reader_page.goto(url)
    assert first.headers["x-page-cache"] == "miss"
    assert sent.value.method == "POST"
    assert sent.value.response().status == 204
    with reader_page.expect_request(lambda r: r.url.endswith(beacon)):
        reader_page.reload()  # the same reader again, within the hour
    # another reader (another browser) gets the page from the page cache: counted all the same
    other = chromium.new_context(locale="ar", user_agent=READER.replace("124.0", "125.0"))
    try:
        second = other.new_page()
        with second.expect_request(lambda r: r.url.endswith(beacon)) as sent_again:
            cached = second.goto(url)
        assert cached.headers["x-page-cache"] == "hit"
        assert sent_again.value.response().status == 204
        assert other.cookies() == []
    finally:
        other.close()
    roll_up()
    after = sum(HourlyReads.objects.filter(article=story).values_list("reads", flat=True))
    assert after == before + 2
    assert reader_page.context.cookies() == []


@pytest.mark.parametrize("width", [360, 1280])
def test_the_lists_sit_beside_the_story_on_a_desktop_and_below_it_on_a_phone(
    site, reader_page, width
):
    page = reader_page
    page.set_viewport_size({"width": width, "height": 900})
    story = site["stories"][-1]
    page.goto(site["url"] + story.get_absolute_url())
    aside = page.locator(".most-read--aside")
    assert aside.locator("li").count() == 10
    assert TITLES[0] in aside.inner_text()
    article, box = page.locator("article.article").bounding_box(), aside.bounding_box()
    if width >= 1280:
        assert box["x"] + box["width"] <= article["x"] + 1  # on the left: the column after, in RTL
        assert box["y"] < article["y"] + 200
    else:
        assert box["y"] >= article["y"] + article["height"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width
    shot(page, "article", width)
    page.goto(site["url"] + "/")
    assert page.locator(".most-read--block li").count() == 10
    shot(page, "home", width)
    page.goto(site["url"] + site["section"].get_absolute_url())
    assert "الأكثر قراءة في اقتصاد" in page.locator(".most-read--aside").inner_text()
    shot(page, "section", width)
    page.goto(site["url"] + "/en" + story.get_absolute_url())
    assert "Most read" in page.locator(".most-read--aside").inner_text()
    shot(page, "article-en", width)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_desk_dashboard_draws_its_charts(site, page, editor, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site["url"] + "/admin/login/?next=/admin/dashboard/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pass-for-tests-1")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/dashboard/")
    charts = page.locator("svg.chart")
    assert charts.count() == len(TITLES) + 1
    assert charts.first.locator("rect").count() == 48
    assert page.locator("svg.chart rect:not(.zero)").count() > 0
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"most-read-dashboard-{width}.png", full_page=True)
    wide = page.evaluate(
        """[...document.querySelectorAll('#content-main *')].filter(
            e => e.getBoundingClientRect().left < -1 || e.getBoundingClientRect().right > innerWidth + 1
        ).map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert wide == []


def test_no_serious_accessibility_violations(site, chromium, editor):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: npm ci --prefix tests/a11y (make test does it)")
    context = chromium.new_context(bypass_csp=True, user_agent=READER)
    page = context.new_page()
    story = site["stories"][-1]
    paths = ["/", story.get_absolute_url(), site["section"].get_absolute_url(), "/en/"]
    problems = []
    try:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for path in [*paths, "desk"]:
                if path == "desk":
                    page.goto(site["url"] + "/admin/login/?next=/admin/dashboard/")
                    if "/login/" in page.url:
                        page.fill("#id_username", "chief")
                        page.fill("#id_password", "pass-for-tests-1")
                        page.click("input[type=submit]")
                        page.wait_for_url("**/admin/dashboard/")
                else:
                    page.goto(site["url"] + path)
                page.add_script_tag(path=str(AXE))
                result = page.evaluate(
                    "async () => await axe.run(document, {resultTypes: ['violations']})"
                )
                for violation in result["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        problems.append(f"{path} {width}px: {violation['id']} {targets}")
    finally:
        context.close()
    assert problems == []
