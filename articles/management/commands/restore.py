from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `backup` into the configured database, which must be "
        "empty unless --force, and its media files into the media storage."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder made by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the objects of a database that is not empty",
        )

    def handle(self, *args, folder, force, **options):
        try:
            manifest = restore(Path(folder), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = manifest["rows"].get("articles.Article", 0)
        self.stdout.write(
            f"restored {Path(folder).resolve()}: {rows} articles, "
            f"{len(manifest['media'])} media files"
        )
