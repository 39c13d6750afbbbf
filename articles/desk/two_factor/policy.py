"""Who needs a second factor for the desk, and who has one: the rules once.

With DESK_REQUIRE_2FA=1, chief editors (articles.desk.roles.CHIEF_GROUP) and administrators
(superusers) must pass one before the desk opens; everyone else may enrol. Whoever has a
confirmed device passes it at every sign-in, required or not."""

from django.conf import settings
from django_otp import devices_for_user, user_has_device

from articles.desk.roles import CHIEF_GROUP

# Backup codes made at enrolment (each works once).
BACKUP_CODES = 10


def second_factor_required(user) -> bool:
    if not settings.DESK_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=CHIEF_GROUP).exists()


def has_second_factor(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def must_verify(user) -> bool:
    """True when this signed-in desk user may not use the desk until a code is given."""
    if not (user.is_authenticated and user.is_staff) or user.is_verified():
        return False
    return has_second_factor(user) or second_factor_required(user)


def remove_devices(user) -> int:
    """Every device of `user` (phones and backup codes), confirmed or not: the recovery for a
    lost phone (manage.py reset_two_factor). Returns how many were removed."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    return removed
