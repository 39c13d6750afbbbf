"""Rate limits: anonymous callers per address, keyed callers per key (a higher rate). The
rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from API_RATE_ANONYMOUS and
API_RATE_KEY), read on every request so a changed setting applies at once. Over the limit,
DRF answers 429 with Retry-After."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from articles.api.auth import caller_key
from newsroom.security import client_ip_address


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AddressRateThrottle(_SettingsRate):
    """Anonymous callers, per client address (the last proxy hop behind our proxy)."""

    scope = "api_anonymous"

    def get_cache_key(self, request, view):
        if caller_key(request) is not None:
            return None
        address = client_ip_address(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": address}


class ApiKeyRateThrottle(_SettingsRate):
    """Keyed callers, per key whatever their address."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        key = caller_key(request)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.pk}
