"""Two-step sign-in in a real headless Chromium: a chief editor is sent to enrol, scans (here:
reads) the key, types the phone's code, sees the backup codes once and reaches the desk."""

import base64
import os
import time

import pytest
from django_otp.oath import TOTP

from tests.desk_forms import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone_code(secret: str) -> str:
    generator = TOTP(base64.b32decode(secret.replace(" ", "")))
    generator.time = time.time()
    return f"{generator.token():06d}"


@pytest.mark.parametrize("width", [1280, 360])
def test_a_chief_editor_enrols_and_reaches_the_desk(
    live_server, page, django_user_model, settings, width
):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.DESK_REQUIRE_2FA = True
    make_member(django_user_model, "huda", "chief")
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + "/admin/login/?next=/admin/articles/article/")
    page.fill("#id_username", "huda")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/two-factor/set-up/**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    qr = page.locator(".two-factor__qr svg")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=page.screenshots / f"two-factor-setup-{width}.png", full_page=True)

    page.fill("input[name=code]", "000000")
    page.click("input[type=submit]")
    assert page.locator(".errorlist").count() == 1
    time.sleep(1.1)  # django-otp slows the next try after a wrong code
    secret = page.locator(".two-factor__secret").inner_text()
    page.fill("input[name=code]", phone_code(secret))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/two-factor/backup-codes/**")
    assert page.locator(".two-factor__codes li").count() == 10
    assert page.locator(".messagelist li.success").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=page.screenshots / f"two-factor-codes-{width}.png", full_page=True)
    page.get_by_role("link", name="حفظتها").click()
    page.wait_for_url("**/admin/articles/article/")
    assert page.locator("#changelist").count() == 1
