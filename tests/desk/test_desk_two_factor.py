"""Two-step sign-in for the desk (django-otp) through Django's test client on PostgreSQL: who
must pass it, enrolment, codes right, wrong and reused, backup codes, login throttling, the
recovery command."""

import base64
import io
import re
import time

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.desk.two_factor.views import new_backup_codes
from tests.desk_forms import PASSWORD, make_member

pytestmark = pytest.mark.django_db

DESK = "/admin/"
ARTICLES = "/admin/articles/article/"


@pytest.fixture
def required(settings):
    settings.DESK_REQUIRE_2FA = True


@pytest.fixture
def chief(django_user_model):
    return make_member(django_user_model, "huda", "chief")


def sign_in(client, username, password=PASSWORD, next_url=DESK):
    return client.post(
        f"{reverse('admin:login')}?next={next_url}",
        {"username": username, "password": password, "next": next_url},
    )


def code_for(device):
    """What the phone shows now."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    return f"{generator.token():0{device.digits}d}"


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    codes = new_backup_codes(user)
    return device, codes


def give_code(client, code, next_url=DESK):
    return client.post(reverse("two_factor_verify"), {"code": code, "next": next_url})


def failures(username):
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


# --- who must pass it ---


def test_a_chief_editor_without_a_second_factor_cannot_reach_the_desk(client, chief, required):
    assert sign_in(client, "huda").status_code == 302
    for url in (
        DESK,
        ARTICLES,
        reverse("admin:taggit_tag_changelist"),
        reverse("two_factor_overview"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_setup")), url
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "<svg" in html and "<path" in html  # the QR code, drawn on the server
    assert "nav-sidebar" not in html  # no desk before the code


def test_administrators_are_required_too(client, django_user_model, required):
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    sign_in(client, "root")
    assert client.get(DESK)["Location"].startswith(reverse("two_factor_setup"))


def test_without_the_setting_a_chief_editor_without_a_device_reaches_the_desk(client, chief):
    sign_in(client, "huda")
    assert client.get(DESK).status_code == 200


def test_editors_are_not_required_but_may_enrol_and_then_must_give_the_code(
    client, django_user_model, required
):
    editor = make_member(django_user_model, "mona", "editor")
    sign_in(client, "mona")
    assert client.get(DESK).status_code == 200
    overview = client.get(reverse("two_factor_overview")).content.decode()
    assert reverse("two_factor_setup") in overview
    device, _codes = enrolled(editor)
    other = Client()
    sign_in(other, "mona")
    assert other.get(DESK)["Location"].startswith(reverse("two_factor_verify"))
    assert give_code(other, code_for(device)).status_code == 302
    assert other.get(DESK).status_code == 200


# --- enrolment ---


def test_enrolling_with_the_code_from_the_qr_code_opens_the_desk_and_shows_backup_codes(
    client, chief, required
):
    sign_in(client, "huda", next_url=ARTICLES)
    page = client.get(reverse("two_factor_setup") + f"?next={ARTICLES}")
    device = TOTPDevice.objects.get(user=chief, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    assert base64.b32decode(secret) == device.bin_key
    assert client.get(reverse("two_factor_setup")).context["secret"] == page.context["secret"]

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": ARTICLES})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(reverse("two_factor_setup"), {"code": code_for(device), "next": ARTICLES})
    assert done.status_code == 302
    codes_page = client.get(done["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=chief).values_list("token", flat=True)
    )
    assert client.get(reverse("two_factor_backup_codes")).status_code == 302  # shown once
    assert client.get(ARTICLES).status_code == 200
    assert TOTPDevice.objects.get(user=chief).confirmed


# --- the code after the password ---


def test_a_correct_code_lets_a_chief_editor_in_and_leads_where_they_were_going(
    client, chief, required
):
    device, _codes = enrolled(chief)
    sign_in(client, "huda", next_url=ARTICLES)
    asked = client.get(ARTICLES)
    assert asked["Location"].startswith(reverse("two_factor_verify"))
    form = client.get(asked["Location"])
    assert "تطبيق" in form.content.decode()  # Arabic: "the authenticator app"
    response = give_code(client, code_for(device), next_url=ARTICLES)
    assert response.status_code == 302
    assert response["Location"] == ARTICLES
    assert client.get(ARTICLES).status_code == 200


def test_arabic_indic_digits_are_the_same_code(client, chief, required):
    device, _codes = enrolled(chief)
    sign_in(client, "huda")
    arabic = code_for(device).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert give_code(client, arabic).status_code == 302
    assert client.get(DESK).status_code == 200


def test_a_reused_code_is_refused_and_counts_toward_throttling(client, chief, required):
    device, _codes = enrolled(chief)
    code = code_for(device)
    sign_in(client, "huda")
    assert give_code(client, code).status_code == 302

    thief = Client()
    sign_in(thief, "huda")
    assert failures("huda") == 0
    refused = give_code(thief, code)
    assert refused.status_code == 200
    assert refused.context["form"].errors["code"]
    assert failures("huda") == 1
    assert thief.get(DESK)["Location"].startswith(reverse("two_factor_verify"))


def test_wrong_codes_count_toward_throttling_until_the_lockout(client, chief, required, settings):
    device, _codes = enrolled(chief)
    sign_in(client, "huda")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        response = give_code(client, "123456" if code_for(device) != "123456" else "654321")
        assert response.status_code == 200, attempt
        assert failures("huda") == attempt
    locked = give_code(client, "000001")
    assert locked.status_code == 429
    assert "login-lockout" in locked.content.decode()  # the Arabic lockout page
    # The session ended; even the right password and code are refused for now.
    assert client.get(DESK)["Location"].startswith(reverse("admin:login"))
    assert sign_in(client, "huda").status_code == 429


def test_backup_codes_work_once_each(client, chief, required):
    _device, codes = enrolled(chief)
    sign_in(client, "huda")
    assert give_code(client, codes[0].upper()).status_code == 302
    assert client.get(DESK).status_code == 200
    assert StaticToken.objects.filter(device__user=chief).count() == 9

    again = Client()
    sign_in(again, "huda")
    refused = give_code(again, codes[0])
    assert refused.status_code == 200 and refused.context["form"].errors
    StaticDevice.objects.get(user=chief).throttle_reset()
    assert give_code(again, codes[1]).status_code == 302


def test_without_the_code_a_signed_in_user_cannot_turn_it_off_or_enrol_another_phone(
    client, django_user_model, required
):
    editor = make_member(django_user_model, "mona", "editor")
    enrolled(editor)
    sign_in(client, "mona")
    assert client.post(reverse("two_factor_turn_off"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 1


def test_required_users_cannot_turn_it_off_others_can(client, chief, django_user_model, required):
    device, _codes = enrolled(chief)
    sign_in(client, "huda")
    give_code(client, code_for(device))
    client.post(reverse("two_factor_turn_off"))
    assert TOTPDevice.objects.filter(user=chief).exists()

    editor = make_member(django_user_model, "mona", "editor")
    device, _codes = enrolled(editor)
    other = Client()
    sign_in(other, "mona")
    give_code(other, code_for(device))
    other.post(reverse("two_factor_turn_off"))
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()


# --- recovery ---


def test_reset_two_factor_removes_the_devices_and_the_sessions_verification(
    client, chief, required
):
    device, _codes = enrolled(chief)
    sign_in(client, "huda")
    give_code(client, code_for(device))
    assert client.get(DESK).status_code == 200
    out = io.StringIO()
    call_command("reset_two_factor", "huda", stdout=out)
    assert out.getvalue().strip() == "reset huda: 2 devices removed"
    assert client.get(DESK)["Location"].startswith(reverse("two_factor_setup"))


def test_reset_two_factor_of_an_unknown_user_fails_and_resets_nobody(chief):
    enrolled(chief)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("reset_two_factor", "huda", "nobody", stderr=err)
    assert re.search(r"error nobody: no such user", err.getvalue())
    assert TOTPDevice.objects.filter(user=chief).exists()


def test_a_preview_link_shows_nothing_before_the_code(client, chief, required):
    from articles.desk.preview import preview_url
    from tests.factories import make_article

    draft = make_article("مسودة تحت الحظر", status="draft")
    device, _codes = enrolled(chief)
    sign_in(client, "huda")
    assert client.get(preview_url(draft)).status_code == 404
    give_code(client, code_for(device))
    assert client.get(preview_url(draft)).status_code == 200
