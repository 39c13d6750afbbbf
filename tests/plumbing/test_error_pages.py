"""Error pages readers and editors meet, in their language and the site's (or the desk's) look,
never Django's English defaults."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_csrf_failure_on_the_desk_login_is_explained_in_arabic():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "انتهت صلاحية النموذج" in page
    assert "CSRF" not in page and "Forbidden" not in page


def test_a_bad_request_is_explained_in_arabic_and_english(client):
    # A Host that is not allowed is Django's classic 400.
    for prefix, words in (("", "تعذر فهم الطلب"), ("/en", "could not be understood")):
        response = client.get(f"{prefix}/", HTTP_HOST="evil.example")
        assert response.status_code == 400
        assert words in response.content.decode()


def test_a_403_at_the_desk_is_in_the_desks_look(client, django_user_model):
    user = django_user_model.objects.create_user("guest", password="x", is_staff=True)
    client.force_login(user)
    response = client.get("/admin/articles/article/add/")  # no permission to add
    assert response.status_code == 403
    page = response.content.decode()
    assert "ليس لديك إذن" in page and "مكتب التحرير" in page
    assert 'dir="rtl"' in page
