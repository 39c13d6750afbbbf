import pytest


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Arabic, whatever language the previous request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _forget_process_state():
    """Empty the shared cache and what this process keeps in memory in front of it: the page
    cache's generation and pages, the rendered article cards and the remembered rendition
    manifests."""
    from django.core.cache import cache

    from articles.media.images import forget_manifests
    from articles.site.cards import forget_cards
    from newsroom.page_cache import forget_local_state

    cache.clear()
    forget_local_state()
    forget_cards()
    forget_manifests()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Pages and image manifests may be cached, in the shared cache or in this process's
    memory; every test starts from empty caches and leaves them empty. The one place tests
    reset process-wide cache state."""
    _forget_process_state()
    yield
    _forget_process_state()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("chief", password="pass-for-tests-1")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def desk_editor(django_user_model):
    """A member of the editors' group (محرر): the desk's permissions, not a superuser's."""
    from tests.desk_forms import make_member

    return make_member(django_user_model, "mona", "editor")


@pytest.fixture
def desk_editor_client(client, desk_editor):
    client.force_login(desk_editor)
    return client


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (no browser download at run time)."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed: apt-get install chromium (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (fixtures, assertions) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, tmp_path):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.screenshots = tmp_path
    yield page
    context.close()


@pytest.fixture
def public_site(settings, tmp_path):
    """Absolute links on a real-looking address, media in a fresh folder (no remembered
    rendition manifests: `_fresh_cache` forgets them after every test): for tests that read
    feeds, sitemaps and page metadata."""
    settings.SITE_URL = "https://news.example.org"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.SITE_URL
