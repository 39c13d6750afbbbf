"""Fixtures the desk's tests share."""

import pytest

from tests.desk_forms import make_member


@pytest.fixture
def reporter(django_user_model):
    return make_member(django_user_model, "sami", "reporter")


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client
