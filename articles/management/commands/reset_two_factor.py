"""manage.py reset_two_factor USERNAME...: the recovery for a lost phone (docs/security.md).

Removes every two-step sign-in device of each user (the phone and the backup codes). Sessions
verified with those devices stop being verified at once; at the next sign-in the user enrols a
new phone (required for chief editors and administrators when DESK_REQUIRE_2FA=1)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.desk.two_factor.policy import remove_devices


class Command(BaseCommand):
    help = (
        "Remove the two-step sign-in devices (phone and backup codes) of desk users who lost "
        "their phone; they enrol again at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")

    def handle(self, *args, usernames, **options):
        User = get_user_model()
        users = {u.get_username(): u for u in User.objects.filter(username__in=usernames)}
        missing = [name for name in usernames if name not in users]
        for name in missing:
            self.stderr.write(f"error {name}: no such user")
        if missing:
            raise CommandError("nothing was reset", returncode=1)
        with transaction.atomic():
            for name in usernames:
                removed = remove_devices(users[name])
                self.stdout.write(f"reset {name}: {removed} devices removed")
