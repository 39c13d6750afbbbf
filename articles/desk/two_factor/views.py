"""The desk's two-factor pages, in the desk's language: the overview (enrolled or not, new
backup codes, turning it off), enrolment with a QR code made on the server, and the code asked
for after the password. A wrong or reused code is refused and counts toward the login
throttling (django-axes) like a wrong password; django-otp also slows repeated failures on the
device itself, whatever the address."""

from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.desk.two_factor import policy
from articles.desk.two_factor.forms import CodeForm
from newsroom.security import login_lockout

PHONE = "phone"
BACKUP = "backup"
SHOW_ONCE_KEY = "two_factor_new_backup_codes"


def desk_page(view):
    """Signed-in desk users only (the admin's own check), never cached."""
    return admin.site.admin_view(never_cache(view))


def _next_url(request, default="admin:index"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _with_next(view_name, request):
    return f"{reverse(view_name)}?{urlencode({'next': _next_url(request)})}"


def _context(request, title, **values):
    return {**admin.site.each_context(request), "title": title, **values}


def _credentials(user):
    return {"username": user.get_username()}


def _locked_out(request):
    """Throttled like a wrong password: the session ends and the lockout page answers."""
    logout(request)
    return login_lockout(request)


# --- The code after the password ---


@desk_page
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not policy.has_second_factor(user):
        return redirect(_with_next("two_factor_setup", request))
    if AxesProxyHandler.is_locked(request, _credentials(user)):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("Backup code used; %(count)d left. Make new ones if you are running out.")
                    % {"count": left},
                )
            return redirect(_next_url(request))
        user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        form.add_error(
            "code",
            _(
                "This code is wrong or was already used. After several wrong codes, wait a "
                "few seconds before trying again."
            ),
        )
    return TemplateResponse(
        request,
        "admin/two_factor/verify.html",
        _context(
            request,
            _("Second sign-in step"),
            form=form,
            next=_next_url(request),
            is_nav_sidebar_enabled=False,  # the desk opens once the code is given
        ),
    )


# --- Enrolment ---


def qr_code_svg(text: str) -> str:
    """An SVG QR code of `text` (white background, so it scans in the dark theme too)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    return image.to_string(encoding="unicode")


def _pending_phone(user) -> TOTPDevice:
    """The phone being enrolled: the same secret until it is confirmed, so reloading the
    page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, name=PHONE, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=PHONE, confirmed=False)


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with fresh ones; returns them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(policy.BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@desk_page
def setup(request):
    user = request.user
    if policy.has_second_factor(user) and not user.is_verified():
        return redirect(_with_next("two_factor_verify", request))
    device = _pending_phone(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if device.verify_token(form.cleaned_data["code"]):
                # The new phone replaces any earlier one.
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_backup_codes(user)
            else:
                codes = None
        if codes is not None:
            request.session.cycle_key()
            otp_login(request, device)
            request.session[SHOW_ONCE_KEY] = codes
            messages.success(request, _("Two-step sign-in is on for your account."))
            return redirect(_with_next("two_factor_backup_codes", request))
        form.add_error(
            "code", _("This code does not match. Check the time on your phone and try again.")
        )
    secret = b32encode(device.bin_key).decode()
    return TemplateResponse(
        request,
        "admin/two_factor/setup.html",
        _context(
            request,
            _("Set up two-step sign-in"),
            form=form,
            qr_code=mark_safe(qr_code_svg(device.config_url)),  # made here, no user markup
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            required=policy.second_factor_required(user),
            next=_next_url(request),
            is_nav_sidebar_enabled=user.is_verified(),
        ),
    )


@desk_page
def backup_codes(request):
    """The backup codes just made, shown once."""
    codes = request.session.pop(SHOW_ONCE_KEY, None)
    if not codes:
        return redirect("two_factor_overview")
    return TemplateResponse(
        request,
        "admin/two_factor/backup_codes.html",
        _context(request, _("Your backup codes"), codes=codes, next=_next_url(request)),
    )


# --- The overview ---


@desk_page
def overview(request):
    user = request.user
    backup = StaticDevice.objects.filter(user=user, name=BACKUP).first()
    return TemplateResponse(
        request,
        "admin/two_factor/overview.html",
        _context(
            request,
            _("Two-step sign-in"),
            enrolled=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            backup_codes_left=backup.token_set.count() if backup else 0,
            required=policy.second_factor_required(user),
        ),
    )


@desk_page
@require_POST
def regenerate_backup_codes(request):
    if not policy.has_second_factor(request.user):
        return redirect("two_factor_overview")
    request.session[SHOW_ONCE_KEY] = new_backup_codes(request.user)
    return redirect("two_factor_backup_codes")


@desk_page
@require_POST
def turn_off(request):
    user = request.user
    if policy.second_factor_required(user):
        messages.error(request, _("Your role requires two-step sign-in; it cannot be turned off."))
    else:
        policy.remove_devices(user)
        messages.success(request, _("Two-step sign-in is off for your account."))
    return redirect("two_factor_overview")
