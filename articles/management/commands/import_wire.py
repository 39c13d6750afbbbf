from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.wire.credits import split_tags
from articles.wire.importer import import_paths
from newsroom.progress import Progress


class Command(BaseCommand):
    help = (
        "Import agency items (plain-text wire copy, IPTC ninjs JSON, NewsML-G2 newsItem or "
        "newsMessage, NITF; the format is told from the content) as draft articles. "
        'Prints one line per item: "created <id> <path>", "exists <id> <path>", '
        '"updated <id> <path>" (a newer version), "killed <id> <path>" (withdrawn by the '
        'agency) or "error <file>: <reason>" (the reason in the active language, '
        "LANGUAGE_CODE); a failed file writes nothing; exits with status 1 when any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--publish", action="store_true", help="Publish now instead of saving drafts."
        )
        parser.add_argument("--section", metavar="SLUG", help="File the articles in this section.")
        parser.add_argument(
            "--tags", default="", help='Comma-separated tags for every article: "وسم١,وسم٢".'
        )

    def handle(self, *args, files, publish, section, tags, **options):
        failed = 0
        outcomes = import_paths(files, publish=publish, section=section, tags=split_tags(tags))
        # Progress on stderr when it is a terminal; stdout keeps exactly one line per file.
        with Progress("import_wire", len(files), stream=self.stderr) as progress:
            for outcome in outcomes:
                failed += outcome.result is None
                if self.stdout.isatty():
                    progress.clear()  # the same terminal: the file's line goes above the bar
                for line in outcome.lines:
                    self.stdout.write(line)
                progress.advance()
        if failed:
            raise CommandError(
                _("%(failed)d of %(count)d files failed") % {"failed": failed, "count": len(files)},
                returncode=1,
            )
