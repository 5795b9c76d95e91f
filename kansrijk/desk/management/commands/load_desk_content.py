"""Load the desk's pages and FAQ texts from kansrijk/desk/content/<language>.toml.

    manage.py load_desk_content                    # every language that has a file
    manage.py load_desk_content --language tr      # only Turkish (repeat for more)
    manage.py load_desk_content --overwrite        # also replace texts an administrator changed

Missing pages, FAQ items and texts are created; texts the loader wrote before follow the files;
texts an administrator saved are kept unless --overwrite. A file that misses a page or a FAQ
key stops the load before anything is written, and the command says what is missing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kansrijk.desk.content import ContentError, load_content


class Command(BaseCommand):
    help = "Load the desk's page and FAQ texts from the content files (kansrijk/desk/content/*.toml)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            action="append",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Load only this language (repeat for more). Default: every language with a file.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace texts an administrator changed in the application.",
        )

    def handle(self, *args, **options):
        try:
            counts = load_content(overwrite=options["overwrite"], languages=options["language"])
        except ContentError as error:
            raise CommandError(f"Nothing was loaded.\n{error}") from error
        self.stdout.write(self.style.SUCCESS(f"Desk content loaded: {counts}"))
        if counts.texts_kept and not options["overwrite"]:
            self.stdout.write(
                f"{counts.texts_kept} text(s) changed by an administrator were kept; use --overwrite to replace them."
            )
