import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from articles.desk.roles import CHIEF_GROUP, EDITOR_GROUP, REPORTER_GROUP

# Demo desk accounts: username → role (group). The first is the one the README points to.
DEMO_ACCOUNTS = {
    "editor": EDITOR_GROUP,
    "chief": CHIEF_GROUP,
    "reporter": REPORTER_GROUP,
}


class Command(BaseCommand):
    help = (
        "Create the demo desk accounts once (editor: محرر, chief: رئيس التحرير, reporter: "
        "مراسل) and print their logins; later runs only remind."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username", help="create only this account (as an editor unless --role says)"
        )
        parser.add_argument("--role", choices=["editor", "chief", "reporter"])

    def handle(self, *args, username=None, role=None, **options):
        roles = {"editor": EDITOR_GROUP, "chief": CHIEF_GROUP, "reporter": REPORTER_GROUP}
        accounts = {username: roles[role or "editor"]} if username else DEMO_ACCOUNTS
        User = get_user_model()
        for name, group_name in accounts.items():
            if User.objects.filter(username=name).exists():
                self.stdout.write(
                    f"desk account '{name}' exists (its password was printed when it was made; "
                    f"reset it with: manage.py changepassword {name})"
                )
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username=name, email="", password=password, is_staff=True
            )
            user.groups.add(Group.objects.get(name=group_name))
            self.stdout.write(
                f"{group_name} login for /admin/: username {name}  password {password}"
            )
