from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bpdialogue.backup import BackupError, dataset_restore


class Command(BaseCommand):
    help = "Restore an archive written by backup_data into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        try:
            summary = dataset_restore(archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {summary.rows} rows of {summary.models} models and "
            f"{summary.files} document files from {archive}."
        )
