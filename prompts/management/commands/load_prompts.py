from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prompts.library import PROMPTS_DIR, LibraryError, load_prompts, read_prompts


class Command(BaseCommand):
    help = "Load the prompt library (upsert by key; keys no longer in the files are deactivated)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=PROMPTS_DIR,
            help="one TOML file, or a directory of them (default: the library)",
        )

    def handle(self, *args, file: Path, **options) -> None:
        try:
            entries = read_prompts(file)
        except (OSError, LibraryError) as error:
            raise CommandError(str(error)) from error
        counts = load_prompts(entries)
        self.stdout.write(
            "Prompts: {created} created, {updated} updated, {unchanged} unchanged, {deactivated} deactivated.".format(
                **counts
            )
        )
