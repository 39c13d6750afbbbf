"""The Content-Security-Policy in a real Chromium: reader pages and the desk work with it and
report no violation, and script that slipped into a stored article would still not run."""

import pytest

from articles.models import Article
from tests.desk_forms import PASSWORD, make_member
from tests.factories import link, make_article, make_author, make_section, make_source
from tests.hostile import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (Playwright injects it outside the page's CSP): remembers every
# violation the page reports.
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__csp.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


@pytest.fixture
def watched(page):
    """The page, with CSP violations and dialogs (alert, confirm, prompt) recorded."""
    page.csp_console = []
    page.dialogs = []
    page.add_init_script(COLLECT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_console.append(message.text)
        ),
    )

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


def violations(page):
    return page.evaluate("window.__csp") + page.csp_console


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    return violations(page)


def test_reader_pages_work_without_any_csp_violation(live_server, watched):
    section = make_section("سياسة", slug="siyasa")
    article = make_article(
        "زلزال يضرب المدينة",
        summary="ملخص الخبر",
        body="<p>ضرب زلزال المدينة فجر اليوم.</p>",
        section=section,
        sources=[make_source("وكالات", slug="wakalat")],
        authors=[make_author("سلمى حداد", slug="salma")],
        tags=["زلازل"],
    )
    make_article("زلزال ثان", section=section, tags=["زلازل"], hours_ago=3)
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": "/section/siyasa/",
        "tag": "/tag/زلازل/",
        "search": "/search/?q=زلزال",
        "english": "/en/",
    }
    for name, path in pages.items():
        assert visit(watched, live_server.url + path) == [], name
        # The page still works: our stylesheet is applied and the content is there.
        header = watched.locator(".site-header")
        assert header.evaluate("e => getComputedStyle(e).display") != "inline", name
        assert watched.locator("main").inner_text().strip(), name
    watched.goto(live_server.url + article.get_absolute_url())
    assert watched.get_by_role("heading", level=1).inner_text() == "زلزال يضرب المدينة"
    assert watched.locator('script[type="application/ld+json"]').count() == 1
    assert watched.dialogs == []


def test_script_that_slipped_into_a_stored_article_is_blocked_by_the_policy(live_server, watched):
    article = make_article("خبر ملغوم")
    # Straight into the database, around the sanitiser: as if markup had slipped through.
    Article.objects.filter(pk=article.pk).update(
        body_ar='<p>نص</p><script>document.title = "pwned"; alert(1)</script>'
        '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)" id="bad">رابط</a>'
    )
    found = visit(watched, live_server.url + article.get_absolute_url())
    watched.click("#bad")
    assert watched.title() != "pwned"
    assert watched.dialogs == []
    assert any("script-src" in v for v in found), found


def test_hostile_article_in_every_field_never_opens_a_dialog(live_server, watched):
    section = make_section("سياسة", slug="siyasa")
    for number, payload in enumerate(PAYLOADS.values()):
        article = make_article(
            f"زلزال {payload}",
            slug=f"hostile-{number}",
            summary=payload,
            body=f"<p>زلزال</p>{payload}<p>{payload}</p>",
            lead_image_caption=payload,
            lead_image_credit=payload,
            section=section,
            sources=[make_source(payload[:100], slug=f"s{number}")],
            authors=[make_author(payload[:100], slug=f"a{number}")],
            tags=[payload[:90]],
        )
        link(article, url="https://example.org/", title=payload)
    section.name = PAYLOADS["attribute breakout"]
    section.save()
    for article in Article.objects.all():
        assert visit(watched, live_server.url + article.get_absolute_url()) == []
        watched.locator("h1").hover()
    for path in ("/", "/search/?q=زلزال", "/section/siyasa/"):
        assert visit(watched, live_server.url + path) == []
    assert watched.dialogs == []


def test_desk_pages_work_without_any_csp_violation(live_server, watched, django_user_model):
    make_member(django_user_model, "mona", "chief")
    article = make_article("خبر للتحرير", body="<p>نص الخبر.</p>")
    watched.goto(live_server.url + "/admin/login/")
    watched.fill("#id_username", "mona")
    watched.fill("#id_password", PASSWORD)
    watched.click("input[type=submit]")
    watched.wait_for_url(live_server.url + "/admin/")
    for path in (
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/section/add/",
        "/admin/articles/article/import-wire/",
    ):
        assert visit(watched, live_server.url + path) == [], path
    # The rich-text editor and the language tabs still run under the policy.
    watched.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    editor = watched.locator(".prose-editor:has(#id_body_ar) [contenteditable=true]")
    editor.click()
    watched.keyboard.press("Control+End")
    watched.keyboard.insert_text(" إضافة")
    assert "إضافة" in editor.inner_text()
    assert violations(watched) == []


READS_LEFT_TO_RIGHT = """([selector, word]) => {
  const element = [...document.querySelectorAll(selector)].find((e) => e.textContent.includes(word));
  const node = element.firstChild;
  const at = node.textContent.indexOf(word);
  const left = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                        return r.getBoundingClientRect().left; };
  return left(at) < left(at + word.length - 1);
}"""


def test_a_right_to_left_override_in_a_name_cannot_reverse_the_names_after_it(live_server, watched):
    # An unterminated U+202E in one agency's name would otherwise run on to the end of the
    # line and show the next names backwards ("Reuters" as "sretueR").
    article = make_article(
        "خبر",
        sources=[make_source("وكالات\u202e", slug="rlo"), make_source("Reuters", slug="reuters")],
        tags=["وسم\u202e", "Gaza"],
    )
    link(article, url="https://example.org/a", title="تقرير\u202e", position=0)
    link(article, url="https://example.org/b", title="Report", position=1)
    watched.goto(live_server.url + article.get_absolute_url())
    assert watched.evaluate(READS_LEFT_TO_RIGHT, [".article__sources a", "Reuters"])
    assert watched.evaluate(READS_LEFT_TO_RIGHT, [".tags a", "Gaza"])
    assert watched.evaluate(READS_LEFT_TO_RIGHT, [".read-also a", "Report"])
