"""Live coverage in a real headless Chromium: a reader's page learns of an entry an editor
posts at the desk within one poll interval, without a reload, behind a polite notice; a
deleted entry leaves; a hidden tab stops asking; ending the coverage stops the polling. Also
the page without JavaScript, axe at 360 and 1280 px, and screenshots (tests/screenshots/)."""

import os
import time
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from articles.live import actions
from articles.live.models import LiveEntry
from tests.desk_forms import PASSWORD, make_member
from tests.factories import make_article, make_author, stored_jpeg
from tests.live.conftest import post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
INTERVAL = 5  # LIVE_POLL_SECONDS: the smallest interval the server gives


@pytest.fixture
def coverage(live_server, settings, django_user_model, tmp_path):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ContentType.objects.clear_cache()
    settings.LIVE_POLL_SECONDS = INTERVAL
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = make_member(django_user_model, "mona", "editor")
    article = make_article(
        "مباشر: فرز الأصوات في الانتخابات البلدية",
        title_en="Live: counting the votes",
        summary="تابعوا معنا لحظة بلحظة نتائج الفرز في الدوائر كلها.",
        body="<p>بدأت لجان الفرز عملها بعد إغلاق مراكز الاقتراع.</p>",
        breaking=True,
    )
    actions.start_coverage(article, editor)
    reporter = make_author("سلمى حداد", name_en="Salma Haddad")
    first = post(article, editor, "<p>أغلقت مراكز الاقتراع أبوابها في السابعة مساءً.</p>")
    post(
        article,
        editor,
        "<p>أعلنت اللجنة أن نسبة المشاركة بلغت <strong>٥٢٪</strong>.</p>",
        headline="نسبة المشاركة ٥٢٪",
        key_event=True,
        author=reporter,
    )
    photo = LiveEntry(
        article=article,
        body="<p>طوابير أمام مركز اقتراع في وسط المدينة.</p>",
        image=stored_jpeg("live/queue.jpg"),
        image_caption="ناخبون ينتظرون دورهم",
    )
    actions.save_entry(photo, editor, new_image=True)
    actions.pin_entry(article, first, editor)
    actions.add_note(
        article, "correction", "ذكرنا أن الفرز بدأ في السادسة، والصحيح السابعة.", editor
    )
    return {"url": live_server.url, "article": article, "editor": editor}


def serve_media(page):
    from tests.site.test_readers_browser import serve_media as serve

    serve(page)


def desk_page(chromium, base):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    desk = context.new_page()
    desk.set_default_timeout(15_000)
    desk.goto(base + "/admin/login/")
    desk.fill("#id_username", "mona")
    desk.fill("#id_password", PASSWORD)
    desk.click("input[type=submit]")
    return desk


def test_reader_sees_a_desk_entry_within_one_poll_without_reload_and_polling_stops(
    coverage, chromium
):
    base, article = coverage["url"], coverage["article"]
    reader_context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    reader = reader_context.new_page()
    reader.set_default_timeout(15_000)
    serve_media(reader)
    polls = []
    reader.on("request", lambda r: polls.append(time.monotonic()) if "/poll/" in r.url else None)
    answers = []
    reader.on("response", lambda r: answers.append(r.status) if "/poll/" in r.url else None)
    reader.goto(base + article.get_absolute_url())
    reader.evaluate("window.notReloaded = true")
    assert reader.locator(".live__new").is_hidden()

    desk = desk_page(chromium, base)
    desk.goto(base + f"/admin/articles/article/{article.pk}/live/")
    desk.locator(".live-composer [contenteditable=true]").click()
    desk.keyboard.insert_text("النتائج الأولية: القائمة الخضراء في المقدمة.")
    desk.fill("#id_headline", "النتائج الأولية")
    desk.click("button[name=do][value=entry]")
    desk.wait_for_selector(".messagelist .success")
    posted = time.monotonic()
    desk.screenshot(path=SCREENSHOTS / "live-desk-1280.png", full_page=True)

    notice = reader.locator(".live__new")
    notice.wait_for(state="visible", timeout=(INTERVAL + 3) * 1000)
    assert time.monotonic() - posted <= INTERVAL + 3
    assert "1" in notice.inner_text() and "مدخلات جديدة" in notice.inner_text()
    # nothing moved under the reader's eyes until they ask
    assert reader.locator(".live__entries").inner_text().count("النتائج الأولية") == 0
    reader.screenshot(path=SCREENSHOTS / "live-notice-1280.png")
    notice.click()
    newest = reader.locator(".live__entries .live-entry").first
    assert "القائمة الخضراء في المقدمة" in newest.inner_text()
    assert reader.evaluate("window.notReloaded") is True
    assert notice.is_hidden()
    # revalidations of an unchanged answer are 304s
    assert 304 in answers or 200 in answers

    # a deleted entry leaves the page at the next poll
    entry = LiveEntry.objects.get(headline="النتائج الأولية")
    desk.goto(base + f"/admin/articles/article/{article.pk}/live/")
    desk.click(f"li[data-entry='{entry.pk}'] .delete-entry")
    desk.wait_for_selector(".messagelist .success")
    reader.locator(f"#entry-{entry.pk}").wait_for(state="detached", timeout=(INTERVAL + 3) * 1000)

    # a hidden tab stops asking, and asks again at once when shown
    reader.evaluate(
        """() => { Object.defineProperty(document, 'hidden', {value: true, configurable: true});
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    hidden_at = len(polls)
    reader.wait_for_timeout(int(INTERVAL * 1.6 * 1000))
    assert len(polls) == hidden_at
    reader.evaluate(
        """() => { Object.defineProperty(document, 'hidden', {value: false, configurable: true});
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    reader.wait_for_timeout(1000)
    assert len(polls) == hidden_at + 1

    # ending the coverage: the page says so at its next poll, then stops polling
    desk.goto(base + f"/admin/articles/article/{article.pk}/live/")
    desk.click("button[name=do][value=end]")
    desk.wait_for_selector(".messagelist .success")
    reader.locator(".live[data-state=ended]").wait_for(timeout=(INTERVAL + 3) * 1000)
    assert "انتهت هذه التغطية" in reader.locator("[data-live-state]").inner_text()
    ended_at = len(polls)
    reader.wait_for_timeout(int(INTERVAL * 2.5 * 1000))
    assert len(polls) == ended_at
    reader_context.close()
    desk.context.close()


def test_without_javascript_entries_and_older_pages_still_read(coverage, chromium, settings):
    base, article = coverage["url"], coverage["article"]
    for i in range(25):
        post(article, coverage["editor"], f"<p>مدخل رقم {i}</p>")
    context = chromium.new_context(java_script_enabled=False, locale="ar")
    page = context.new_page()
    page.goto(base + article.get_absolute_url())
    assert page.locator(".live__entries .live-entry").count() == 20
    assert "مدخل رقم 24" in page.locator(".live__entries").inner_text()
    page.click(".live__more")
    assert "page=2" in page.url
    assert "مدخل رقم 0" in page.locator(".live__entries").inner_text()
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_live_page_fits_the_screen_and_has_no_serious_accessibility_issue(
    coverage, chromium, width
):
    base, article = coverage["url"], coverage["article"]
    if not AXE.exists():
        pytest.skip("axe-core is not installed: npm ci --prefix tests/a11y (make test does it)")
    # axe is injected: the site's CSP refuses any script not its own, so this context sets it aside
    context = chromium.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=True, locale="ar"
    )
    page = context.new_page()
    serve_media(page)
    problems = []
    for path, name in [
        (article.get_absolute_url(), "live"),
        ("/", "home"),
        ("/corrections/", "corrections"),
    ]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{name} at {width}px is {scroll}px wide"
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{name} {width}px: {violation['id']} {targets}")
    # the notice as readers see it
    page.goto(base + article.get_absolute_url())
    page.evaluate(
        """() => { const b = document.querySelector('.live__new');
                   b.textContent = b.dataset.label.replace('__N__', '3'); b.hidden = false; }"""
    )
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    problems += [
        f"notice {width}px: {v['id']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    page.screenshot(path=SCREENSHOTS / f"live-notice-{width}.png")
    context.close()
    assert problems == []
