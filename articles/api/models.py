"""API keys: who may call the content API beyond what anonymous readers get.

A key is shown once, when it is made at the desk; only a SHA-256 digest of it is stored, with a
short prefix to find the row. The key is 256 random bits, so a fast digest is enough: there is
nothing to guess that a slow password hash would protect (docs/api.md, "Keys and scopes").
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_START = "nr"
# How often a key's "last used" time is written: at most once a minute, not on every request.
LAST_USED_EVERY_SECONDS = 60


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKey(models.Model):
    class Scope(models.TextChoices):
        READ_SCHEDULED = "read:scheduled", _("Read scheduled (embargoed) articles")

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses this key, e.g. the mobile app.")
    )
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = ArrayField(
        models.CharField(max_length=40, choices=Scope.choices),
        verbose_name=_("scopes"),
        default=list,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(
        _("revoked"), default=False, help_text=_("A revoked key is refused at once.")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def issue(self) -> str:
        """Give this (unsaved) key its secret and return the key in clear: the only time it
        exists outside the caller's hands."""
        self.prefix = secrets.token_hex(4)
        key = f"{KEY_START}_{self.prefix}_{secrets.token_urlsafe(32)}"
        self.secret_hash = _digest(key)
        return key

    @classmethod
    def find(cls, key: str):
        """The live key matching `key` in clear, or None (unknown, malformed or revoked)."""
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_START or not parts[1].isalnum():
            return None
        found = cls.objects.filter(prefix=parts[1][:16], revoked=False).first()
        if found is None or not hmac.compare_digest(found.secret_hash, _digest(key)):
            return None
        return found

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def note_use(self) -> None:
        """Record that the key was used, at most once a minute (one UPDATE, no save())."""
        now = timezone.now()
        if (
            self.last_used_at
            and (now - self.last_used_at).total_seconds() < LAST_USED_EVERY_SECONDS
        ):
            return
        type(self).objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now

    def revoke(self) -> None:
        if not self.revoked:
            self.revoked, self.revoked_at = True, timezone.now()
