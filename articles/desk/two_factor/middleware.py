"""The desk's door for the second factor: a signed-in desk user who must pass one (has a
device, or is required to by DESK_REQUIRE_2FA) is sent to give a code, or to enrol, before any
desk page; only signing in and out, giving the code, enrolling (refused to whoever has a
device and has not given its code) and the backup codes just made stay open. The overview,
new backup codes and turning it off need the code like any desk page."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from articles.desk.two_factor import policy


class DeskTwoFactorMiddleware:
    """After django-otp's OTPMiddleware (which tells whether the session is verified)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(settings.NEWSROOM_DESK_PATH) and not self._always_open(path):
            user = request.user
            if policy.must_verify(user):
                target = (
                    "two_factor_verify" if policy.has_second_factor(user) else "two_factor_setup"
                )
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _always_open(path) -> bool:
        return path in _open_paths()


@functools.cache
def _open_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in OPEN_PAGES)


OPEN_PAGES = [
    "admin:login",
    "admin:logout",
    "two_factor_verify",
    "two_factor_setup",
    "two_factor_backup_codes",
]
