"""Production hardening a reader, an editor or an operator notices: the deploy check, security
headers and Content-Security-Policy, login throttling on the desk, upload limits and safe media."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from articles.models import Article
from newsroom.security import serve_media
from tests.desk_forms import PASSWORD, change_form_data, make_member
from tests.factories import make_article
from tests.media.test_images import image_bytes
from tests.settings_process import settings_under

ROOT = Path(__file__).resolve().parents[2]

# --- check --deploy ---


def test_production_settings_pass_check_deploy_without_any_warning():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": os.urandom(48).hex(),
        "ALLOWED_HOSTS": "news.example.org",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


# --- headers ---


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_reader_pages_carry_the_production_security_headers(client):
    article = make_article("خبر الأمان")
    for url in ("/", article.get_absolute_url(), "/search/?q=الأمان", "/en/"):
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert response["Strict-Transport-Security"].startswith("max-age=31536000"), url
        assert "includeSubDomains" in response["Strict-Transport-Security"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        directives = csp_directives(response)
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert "'self'" in directives["img-src"]


@pytest.mark.django_db
def test_a_cached_page_keeps_its_content_security_policy(client):
    make_article("خبر في الذاكرة")
    first = client.get("/")
    again = client.get("/")
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "script-src 'self'" in again["Content-Security-Policy"]


@pytest.mark.django_db
def test_feeds_and_sitemaps_carry_nosniff(client):
    make_article("خبر في الخلاصة")
    for url in ("/feeds/latest/", "/sitemap.xml", "/sitemap-news.xml"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_desk_allows_inline_styles_but_never_inline_scripts(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    directives = csp_directives(response)
    # Beyond 'self', only this response's nonce: it is on the rich-text editor's import map.
    self_, nonce = directives["script-src"]
    assert self_ == "'self'" and nonce.startswith("'nonce-")
    html = response.content.decode()
    assert f'<script type="importmap" nonce="{nonce[7:-1]}">' in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert inline and all(f'nonce="{nonce[7:-1]}"' in tag for tag in inline), inline
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_media_origins_join_img_src_only():
    directives = settings_under(
        {
            "SECRET_KEY": "x" * 60,
            "CSP_MEDIA_ORIGINS": "https://media.example.org, https://cdn.example.org",
        },
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']",
    )
    assert directives["img-src"] == [
        "'self'",
        "data:",
        "https://media.example.org",
        "https://cdn.example.org",
    ]
    assert directives["script-src"] == ["'self'"]


# --- login throttling ---

LOCKOUT_MESSAGE = "أخفقت محاولات الدخول إلى هذا الحساب من عنوانك مرات كثيرة (5)"


def login(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


@pytest.fixture
def reporter(django_user_model):
    return make_member(django_user_model, "salma", "reporter")


@pytest.mark.django_db
def test_five_wrong_passwords_lock_out_even_the_right_one_with_an_arabic_page(client, reporter):
    for _ in range(4):
        response = login(client, "salma", "wrong-password")
        assert response.status_code == 200  # the login form again, with its error
    response = login(client, "salma", "wrong-password")
    assert response.status_code == 429
    response = login(client, "salma", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKOUT_MESSAGE in page
    assert "أُوقف الدخول مؤقتاً لمدة 30 دقيقة" in page
    assert "مكتب التحرير" in page and "جانغو" not in page  # the desk's own header
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_for_that_user_from_that_address_only(client, reporter, django_user_model):
    make_member(django_user_model, "karim", "reporter")
    for _ in range(5):
        login(client, "salma", "wrong-password")
    assert login(client, "salma", PASSWORD).status_code == 429
    # Another desk member in the same newsroom (same address) still gets in.
    response = login(client, "karim", PASSWORD)
    assert response.status_code == 302
    client.logout()
    # The same reporter from another address (say, her phone) still gets in.
    response = login(client, "salma", PASSWORD, address="198.51.100.20")
    assert response.status_code == 302


@pytest.mark.django_db
def test_forged_forwarded_for_does_not_escape_the_lockout(client, reporter):
    for number in range(5):
        login(client, "salma", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = login(client, "salma", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


@pytest.mark.django_db
def test_behind_the_proxy_the_address_it_appended_counts(client, reporter, settings):
    settings.NEWSROOM_BEHIND_PROXY = True
    proxy = "127.0.0.1"
    for _ in range(5):
        login(client, "salma", "wrong", address=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    locked = login(client, "salma", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429
    # Another reader behind the same proxy is a different address.
    other = login(client, "salma", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert other.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(client, reporter):
    for _ in range(4):
        login(client, "salma", "wrong")
    assert login(client, "salma", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "salma", "wrong")
    assert login(client, "salma", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_force_login_still_works_with_throttling_on(editor_client, settings):
    assert settings.AXES_ENABLED is not False
    assert editor_client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_client_login_works_when_given_a_request(client, reporter):
    # django-axes needs the request to know the address; Client.login passes it through.
    assert client.login(request=HttpRequest(), username="salma", password=PASSWORD)
    assert client.get("/admin/").status_code == 200


# --- uploads ---


@pytest.fixture
def desk(client, django_user_model):
    client.force_login(make_member(django_user_model, "mona", "editor"))
    return client


def post_with_image(desk, content, name, content_type, title="صورة"):
    add_url = reverse("admin:articles_article_add")
    data = change_form_data(desk.get(add_url), title_ar=title, slug="sora")
    data["lead_image"] = SimpleUploadedFile(name, content, content_type=content_type)
    return desk.post(add_url, data)


NOT_AN_IMAGE = "ارفع صورة بصيغة JPEG أو PNG أو WebP؛ هذا الملف ليس منها."

HOSTILE_UPLOADS = {
    "svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "x.svg",
        "image/svg+xml",
    ),
    "svg named jpg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "x.jpg",
        "image/jpeg",
    ),
    "html": (b"<html><script>alert(1)</script></html>", "x.html", "text/html"),
    "html named png": (b"<!doctype html><script>alert(1)</script>", "x.png", "image/png"),
    "html behind a png signature": (
        b"\x89PNG\r\n\x1a\n<script>alert(1)</script>",
        "x.png",
        "image/png",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(HOSTILE_UPLOADS))
def test_desk_refuses_svg_and_html_uploads_with_an_arabic_error(desk, kind):
    content, name, content_type = HOSTILE_UPLOADS[kind]
    response = post_with_image(desk, content, name, content_type)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["lead_image"] == [NOT_AN_IMAGE]
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_desk_refuses_an_image_over_the_byte_limit(desk, monkeypatch):
    from articles.media import images

    monkeypatch.setattr(images, "MAX_BYTES", 50_000)
    noise = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))  # does not compress
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > 50_000
    response = post_with_image(desk, out.getvalue(), "big.png", "image/png")
    errors = response.context["adminform"].form.errors["lead_image"]
    assert len(errors) == 1 and errors[0].startswith("حجم الصورة كبير جداً")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_request_over_the_size_limit_is_refused_before_it_is_read(desk, settings):
    settings.NEWSROOM_MAX_REQUEST_BYTES = 100_000
    add_url = reverse("admin:articles_article_add")
    response = desk.post(add_url, {"title_ar": "x" * 200_000})
    assert response.status_code == 413
    assert response.content.decode() == "الطلب أكبر من المسموح؛ الحد الأقصى 0.1 ميغابايت."
    assert not Article.objects.exists()


# --- media served by `make run` (SERVE_MEDIA) ---


@pytest.fixture
def media_files():
    names = {
        "image": default_storage.save(
            "lead/security/photo.png", SimpleUploadedFile("p", image_bytes("PNG", (20, 20)))
        ),
        "html": default_storage.save(
            "lead/security/page.html", SimpleUploadedFile("h", b"<script>alert(1)</script>")
        ),
        "svg": default_storage.save(
            "lead/security/logo.svg", SimpleUploadedFile("s", b"<svg onload='alert(1)'/>")
        ),
        "unknown": default_storage.save(
            "lead/security/notes", SimpleUploadedFile("n", b"<script>alert(1)</script>")
        ),
    }
    yield names
    for name in names.values():
        default_storage.delete(name)


def get_media(name):
    """What `make run` answers for /media/<name> (tests run with SERVE_MEDIA off)."""
    return serve_media(RequestFactory().get("/media/" + name), name)


def test_media_images_are_served_as_images_with_nosniff(media_files):
    response = get_media(media_files["image"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.get("Content-Disposition", "inline").startswith("inline")
    assert "sandbox" not in response.get("Content-Security-Policy", "")


@pytest.mark.parametrize("kind", ["html", "svg", "unknown"])
def test_media_that_is_not_an_image_is_a_sandboxed_download(media_files, kind):
    response = get_media(media_files[kind])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.django_db
def test_guessing_many_accounts_from_one_address_meets_the_address_ceiling(
    client, django_user_model, settings
):
    # Four wrong passwords for each of five names stays under the per-pair limit every time;
    # the address's own ceiling (LOGIN_ADDRESS_FAILURE_LIMIT, 20) stops the fifth name.
    names = [f"member{n}" for n in range(5)]
    for name in names:
        make_member(django_user_model, name, "reporter")
    for name in names:
        for _ in range(4):
            login(client, name, "wrong-password")
    assert login(client, "member0", PASSWORD).status_code == 429
    assert login(client, "salma-never-tried", PASSWORD).status_code == 429
    # Another address is not concerned.
    assert login(client, "member1", PASSWORD, address="198.51.100.30").status_code == 302


@pytest.mark.django_db
def test_guessing_one_account_from_many_addresses_meets_the_account_ceiling(client, reporter):
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
        for _ in range(4):
            login(client, "salma", "wrong-password", address=address)
    login(client, "salma", "wrong-password", address="203.0.113.5")
    login(client, "salma", "wrong-password", address="203.0.113.5")
    login(client, "salma", "wrong-password", address="203.0.113.5")
    login(client, "salma", "wrong-password", address="203.0.113.5")
    # Twenty failures for the account: even a new address and the right password wait.
    assert login(client, "salma", PASSWORD, address="198.51.100.40").status_code == 429
