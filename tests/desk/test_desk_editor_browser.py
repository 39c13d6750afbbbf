"""The rich-text editor speaks the desk's language: in the Arabic desk every menu title, dropdown
option and the link dialog are Arabic (in a real headless Chromium, under the desk's CSP)."""

import os
import re

import pytest

from articles.models import Article
from tests.desk_forms import PASSWORD, make_member
from tests.plumbing.test_security_browser import COLLECT_VIOLATIONS, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LATIN = re.compile(r"[A-Za-z]")

MENU_TITLES = {
    "bulletList": "قائمة نقطية",
    "orderedList": "قائمة مرقمة",
    "blockquote": "اقتباس",
    "horizontalRule": "خط فاصل",
    "bold": "عريض",
    "italic": "مائل",
    "link": "إدراج رابط",
    "unlink": "إزالة الرابط",
    "history:undo": "تراجع",
    "history:redo": "إعادة",
}


def test_every_label_of_the_rich_text_editor_is_arabic_in_the_arabic_desk(
    live_server, page, django_user_model
):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    make_member(django_user_model, "mona", "editor")
    page.add_init_script(COLLECT_VIOLATIONS)
    page.csp_console = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_console.append(message.text)
        ),
    )
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "mona")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/articles/article/add/")
    editor = page.locator(".prose-editor:has(#id_body_ar)")
    menu = editor.locator(".prose-menubar")
    menu.locator("button[data-name=bold]").wait_for()

    # Every button's tooltip and accessible name, by the item it belongs to.
    for name, label in MENU_TITLES.items():
        button = menu.locator(f"button[data-name='{name}']")
        assert button.get_attribute("title") == label, name
        assert button.get_attribute("aria-label") == label, name
    labels = menu.locator("button").evaluate_all(
        "buttons => buttons.flatMap(b => [b.title, b.getAttribute('aria-label') || ''])"
    )
    assert labels and not [label for label in labels if LATIN.search(label)]
    # The block-type dropdown: its options ("Heading 2", "Paragraph") and its current choice.
    body = editor.locator("[contenteditable=true]")
    body.click()
    page.keyboard.insert_text("موقع البلدية")
    selected = menu.locator(".prose-menubar__selected button")
    assert selected.get_attribute("title") == "فقرة"
    menu.locator(".prose-menubar__selected").click()
    options = menu.locator(".prose-menubar__option:not(.hidden)").all_inner_texts()
    assert options == ["عنوان 2", "عنوان 3", "عنوان 4", "فقرة"]
    page.screenshot(path=page.screenshots / "desk-editor-block-types.png")
    menu.locator(".prose-menubar__option[data-name=heading3]").click()
    assert selected.get_attribute("title") == "عنوان 3"
    assert selected.get_attribute("aria-label") == "عنوان 3"

    # The link dialog: title, field labels and buttons.
    page.keyboard.press("Control+a")
    menu.locator("button[data-name=link]").click()
    dialog = page.locator("dialog[open]")
    assert dialog.locator(".prose-editor-dialog-title").inner_text() == "تحرير الرابط"
    assert dialog.locator("label").all_inner_texts() == ["عنوان الرابط", "تلميح الرابط"]
    assert dialog.locator("button").all_inner_texts() == ["تحديث", "إلغاء"]
    assert not LATIN.search(dialog.inner_text())
    page.screenshot(path=page.screenshots / "desk-editor-link-dialog.png")

    # The dialog still works: the link lands in the text.
    dialog.locator("input").first.fill("https://example.org/baladiya")
    dialog.locator("button[type=submit]").click()
    assert body.locator("h3 a").get_attribute("href") == "https://example.org/baladiya"
    assert violations(page) == []
    assert Article.objects.count() == 0  # nothing saved by opening the editor
