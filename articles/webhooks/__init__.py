"""Signed webhooks: subscribers are told when public articles are published, updated,
unpublished or deleted (docs/webhooks.md).

  models.py    WebhookSubscription, WebhookEvent (the outbox), WebhookDelivery (one per
               subscriber and event: attempts, response, next attempt)
  payload.py   an article's public representation in an event (our own, small)
  events.py    `record_*`: events and deliveries written in the write path's transaction,
               delivery tasks enqueued once it commits (called from articles.actions)
  delivery.py  signing and POSTing one delivery, with retries (a task)
  tasks.py     the tasks: deliver, and the periodic go-live and stranded-delivery sweeps
  admin.py     the desk: subscriptions with their delivery log, redelivery, resume
"""
