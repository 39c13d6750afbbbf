"""Deliveries to a real HTTP receiver, driven by the real worker (django-tasks-db's Worker in
this process): signed, retried with back-off, given up, paused, redelivered."""

import datetime
import hashlib
import hmac

import pytest
from django.utils import timezone

from articles.models import Article
from articles.webhooks import delivery as http
from articles.webhooks import tasks
from articles.webhooks.models import EventType, WebhookDelivery, WebhookSubscription
from newsroom.dev.local_servers import free_port
from tests.factories import make_article
from tests.tasks.helpers import make_waiting_tasks_due, run_queue, waiting_tasks
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def publish(title="خبر عاجل"):
    article = make_article(title, status=Article.Status.DRAFT)
    article.status = Article.Status.PUBLISHED
    article.save()
    return article


def time_passes():
    """Retries and the deliveries waiting for them are due now."""
    make_waiting_tasks_due()
    WebhookDelivery.objects.filter(status="pending").update(next_attempt_at=timezone.now())


def verifies(secret, received) -> bool:
    """The receiver's check, as docs/webhooks.md shows it."""
    timestamp = received.headers["X-Newsroom-Timestamp"]
    signed = timestamp.encode() + b"." + received.body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, received.headers["X-Newsroom-Signature"])


def test_a_publish_delivers_exactly_one_signed_event(receiver, subscribe):
    subscription = subscribe(receiver.url)
    article = publish()
    assert receiver.received == []  # nothing is sent from the publishing process
    run_queue()
    [received] = receiver.received
    assert verifies(subscription.secret, received)
    assert not verifies("another secret", received)
    document = received.document
    assert received.headers["X-Newsroom-Event"] == document["type"] == EventType.PUBLISHED
    assert received.headers["X-Newsroom-Event-Id"] == document["id"]
    assert document["data"]["id"] == article.pk
    assert document["data"]["headline"]["ar"] == "خبر عاجل"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    run_queue()
    assert len(receiver.received) == 1


@pytest.mark.parametrize("failure", [500, ("sleep", 1.5)], ids=["answers-500", "times-out"])
def test_a_failing_receiver_gets_retries_with_back_off_and_finally_the_event(
    subscribe, monkeypatch, failure
):
    monkeypatch.setattr(http, "TIMEOUT", 0.5)
    receiver = Receiver([failure, failure]).start()
    try:
        subscribe(receiver.url)
        publish()
        run_queue()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        [retry] = waiting_tasks()
        wait = retry.run_after - delivery.last_attempt_at
        assert datetime.timedelta(seconds=25) < wait <= datetime.timedelta(seconds=30)
        assert retry.run_after == delivery.next_attempt_at
        time_passes()
        run_queue()
        [retry] = waiting_tasks()
        wait = retry.run_after - WebhookDelivery.objects.get().last_attempt_at
        assert datetime.timedelta(seconds=55) < wait <= datetime.timedelta(seconds=60)
        time_passes()
        run_queue()
        assert len(receiver.received) == 3
        assert len(set(receiver.event_ids)) == 1  # one event, recognisable as a repeat
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
            "delivered",
            3,
            200,
        )
        assert not waiting_tasks().exists()
    finally:
        receiver.stop()


def test_a_receiver_that_is_down_gets_the_event_once_it_is_back(subscribe):
    port = free_port()
    subscribe(f"http://127.0.0.1:{port}/hook")
    publish()
    run_queue()
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status_code is None
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
    receiver = Receiver(port=port).start()
    try:
        time_passes()
        run_queue()
        assert len(receiver.received) == 1
        assert WebhookDelivery.objects.get().status == "delivered"
    finally:
        receiver.stop()


def test_after_24_hours_a_delivery_is_given_up_and_repeated_failures_pause(subscribe, monkeypatch):
    monkeypatch.setattr(tasks, "PAUSE_AFTER_FAILED_EVENTS", 2)
    receiver = Receiver([500] * 10).start()
    try:
        subscription = subscribe(receiver.url)
        for title in ("أول", "ثان"):
            publish(title)
            run_queue()
            # A day goes by: the retry waiting in the queue was first enqueued 25 hours ago.
            [retry] = waiting_tasks()
            since = (timezone.now() - datetime.timedelta(hours=25)).isoformat()
            retry.args_kwargs["kwargs"]["_retry"]["since"] = since
            retry.save()
            time_passes()
            run_queue()
            assert not waiting_tasks().exists()
        assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
        subscription.refresh_from_db()
        assert subscription.paused_at is not None and subscription.consecutive_failures == 2

        # Paused: new events wait, nothing is sent.
        publish("ثالث")
        sent = len(receiver.received)
        run_queue()
        assert len(receiver.received) == sent
        assert WebhookDelivery.objects.filter(status="pending").count() == 1

        # The desk resumes it: what waited is delivered.
        receiver.answers.clear()
        tasks.resume(WebhookSubscription.objects.all())
        run_queue()
        assert receiver.received[-1].document["data"]["headline"]["ar"] == "ثالث"
        subscription.refresh_from_db()
        assert subscription.is_receiving and subscription.consecutive_failures == 0
    finally:
        receiver.stop()


def test_the_desk_redelivers_an_event_with_the_same_id(receiver, subscribe, editor_client):
    subscribe(receiver.url)
    publish()
    run_queue()
    delivery = WebhookDelivery.objects.get()
    changelist = "/admin/articles/webhookdelivery/"
    page = editor_client.get(changelist, {"subscription__id__exact": delivery.subscription_id})
    assert page.status_code == 200 and b"200" in page.content
    answer = editor_client.post(
        changelist, {"action": "deliver_again", "_selected_action": [delivery.pk]}
    )
    assert answer.status_code == 302
    run_queue()
    assert len(receiver.received) == 2
    assert receiver.event_ids[0] == receiver.event_ids[1]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_a_slow_receiver_never_slows_the_publish(subscribe):
    receiver = Receiver([("sleep", 3)]).start()
    try:
        subscribe(receiver.url)
        started = timezone.now()
        publish()
        assert (timezone.now() - started).total_seconds() < 1
        assert receiver.received == []
    finally:
        receiver.stop()


def test_a_delivery_whose_task_was_lost_is_enqueued_again(receiver, subscribe):
    subscribe(receiver.url)
    publish()
    waiting_tasks().delete()  # the process died between the commit and the enqueue
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.requeue_stranded() == 1
    assert tasks.requeue_stranded() == 0  # already queued
    run_queue()
    assert len(receiver.received) == 1
