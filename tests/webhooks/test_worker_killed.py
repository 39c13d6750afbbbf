"""A worker killed in the middle of a delivery loses nothing: another worker delivers the
event again, with the same event id, so the receiver can tell it is a repeat."""

import datetime
import os
import signal

import pytest

from articles.models import Article
from articles.tasks.recovery import recover_abandoned
from articles.webhooks.models import WebhookDelivery
from tests.factories import make_article
from tests.tasks.helpers import start_worker
from tests.tasks.test_recovery import wait_for
from tests.webhooks.receiver import Receiver


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_killing_a_worker_mid_delivery_loses_nothing(subscribe, tmp_path):
    receiver = Receiver(["block"]).start()
    try:
        subscription = subscribe(receiver.url)
        article = make_article("خبر", status=Article.Status.DRAFT)
        article.status = Article.Status.PUBLISHED
        article.save()
        worker = start_worker(tmp_path / "worker1.log")
        try:
            assert receiver.got_request.wait(20), (tmp_path / "worker1.log").read_text()
            os.kill(worker.pid, signal.SIGKILL)  # while the receiver holds the request
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        receiver.release()
        assert WebhookDelivery.objects.get().status == "pending"
        wait_for(lambda: len(recover_abandoned(grace=datetime.timedelta(0))) == 1, 10)
        second = start_worker(tmp_path / "worker2.log", "--batch")
        assert second.wait(30) == 0, (tmp_path / "worker2.log").read_text()
        assert len(receiver.received) == 2
        first, again = receiver.received
        assert first.headers["X-Newsroom-Event-Id"] == again.headers["X-Newsroom-Event-Id"]
        assert first.body == again.body
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.subscription) == (
            "delivered",
            1,
            subscription,
        )
    finally:
        receiver.stop()
