from django.core.management.base import BaseCommand
from tqdm import tqdm

from demo.budapest_process import load_demo

STEPS = 6


class Command(BaseCommand):
    help = "Load the Budapest Process demo data (24th Senior Officials Meeting). Idempotent."

    def handle(self, *args, **options):
        with tqdm(total=STEPS, desc="Loading demo data", unit="step", file=self.stderr) as bar:

            def progress(label):
                bar.set_postfix_str(label)
                bar.update(1)

            counts = load_demo(progress=progress)
        for label, count in counts.items():
            self.stdout.write(f"{label:32} {count:>5}")
