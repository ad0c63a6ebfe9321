from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demo.loader import SECTIONS, DemoDataRefused, load_demo
from demo.translating import issue_translated_summaries

OUTCOMES = ("created", "updated", "unchanged")


class Command(BaseCommand):
    help = (
        "Load the Budapest Process demo data (demo/data/*.json) through the services. "
        "Idempotent: reports what it created and updated, and a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--documents",
            action="store_true",
            help="also issue the Russian Summary/conclusions of the records translated in full "
            "(the 24th meeting's, an unofficial translation), rendered here (a few seconds)",
        )

    def handle(self, *args, **options):
        with tqdm(
            total=len(SECTIONS), desc="Loading demo data", unit="step", file=self.stderr
        ) as bar:

            def progress(section):
                bar.set_postfix_str(section)
                bar.update(1)

            try:
                report = load_demo(progress=progress)
            except DemoDataRefused as error:
                raise CommandError(f"Nothing was loaded: {error}") from error
        width = max(map(len, report.kinds), default=0)
        self.stdout.write(f"{'':{width}} " + " ".join(f"{outcome:>9}" for outcome in OUTCOMES))
        for label, counts in sorted(report.kinds.items()):
            self.stdout.write(f"{label:{width}} " + " ".join(f"{counts[o]:>9}" for o in OUTCOMES))
        if report.changed:
            summary = f"{report.total('created')} rows created, {report.total('updated')} updated."
        else:
            summary = "Nothing changed: the database already holds the demo data."
        self.stdout.write(self.style.SUCCESS(summary))
        if options["documents"]:
            try:
                issued = issue_translated_summaries()
            except DemoDataRefused as error:
                raise CommandError(str(error)) from error
            for document in issued:
                self.stdout.write(f"Issued {document.title} ({document.language})")
