from pathlib import Path

from django.core.management.base import BaseCommand

from bpdialogue.backup import dataset_backup


class Command(BaseCommand):
    help = "Write the whole dataset (with change history) and the document files to one archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="e.g. backup.tar.gz")

    def handle(self, *args, output: Path, **options):
        summary = dataset_backup(output=output)
        self.stdout.write(
            f"Wrote {output}: {summary.rows} rows of {summary.models} models, "
            f"{summary.files} document files."
        )
