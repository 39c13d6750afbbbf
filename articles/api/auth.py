"""Who is calling: an API key in `Authorization: Api-Key <key>` or `X-Api-Key: <key>`, else an
anonymous reader. A key that is unknown, malformed or revoked is refused (401), never quietly
treated as anonymous, so a client learns at once that its key stopped working."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from articles.api.models import ApiKey

KEYWORD = "Api-Key"
MAX_KEY_CHARS = 200


def presented_key(request) -> str | None:
    """The key the request carries, or None when it carries none."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        keyword, _space, key = header.partition(" ")
        if keyword.lower() == KEYWORD.lower():
            return key.strip()
        return None  # another scheme (Basic, Bearer): not ours, and not a key
    key = request.META.get("HTTP_X_API_KEY")
    return key.strip() if key is not None else None


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        key = presented_key(request)
        if key is None:
            return None
        found = ApiKey.find(key) if key and len(key) <= MAX_KEY_CHARS else None
        if found is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked API key."))
        found.note_use()
        return AnonymousUser(), found

    def authenticate_header(self, request):
        return KEYWORD


def caller_key(request) -> ApiKey | None:
    """The caller's API key (after authentication), or None for an anonymous reader."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiKey) else None


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
