import pytest

from articles.webhooks.models import EventType, WebhookSubscription
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def subscribe():
    def make(url, events=tuple(EventType.values), **fields):
        return WebhookSubscription.objects.create(
            name="مستقبل", url=url, events=list(events), **fields
        )

    return make
