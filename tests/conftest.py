import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Pages may be cached; every test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("chief", password="pass-for-tests-1")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
