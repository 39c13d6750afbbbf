from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the media files into a new folder, "
        "with a manifest of row counts and checksums (README: Operations)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the backup folder to create (must not exist)")
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="the database only (media kept in a versioned, replicated bucket)",
        )

    def handle(self, *args, folder, no_media, **options):
        try:
            manifest = backup(Path(folder), media=not no_media)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = manifest["rows"].get("articles.Article", 0)
        self.stdout.write(
            f"backup {Path(folder).resolve()}: {rows} articles, "
            f"{len(manifest['media'])} media files"
        )
