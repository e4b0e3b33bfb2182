"""``manage.py generate_demands --count 100000 [--seed N] [--batch 2000] [--reset]``: adds
published (and some closed) demands of realistic Chinese text, for benchmarks and staging
databases. The generator itself is :mod:`demands.generators`, which ``bench/`` and tests use
too; ``--reset`` deletes exactly what earlier runs generated."""

from django.core.management.base import BaseCommand, CommandError

from demands.generators import GeneratorError, generate, generated_demands, reset_generated


class Command(BaseCommand):
    help = (
        "Generate published demands of realistic Chinese text (for benchmarks and staging "
        "databases; needs load_contest). --reset first deletes what an earlier run "
        "generated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=1000, help="How many demands to add (default 1000)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--batch", type=int, default=2000, help="Demands per insert batch (default 2000)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="Processes tokenising with jieba (default 2; 0 or 1: none).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete previously generated demands and organisations first.",
        )
        parser.add_argument(
            "--total",
            type=int,
            default=None,
            help="Instead of --count: make the generated demands exactly this "
            "many (nothing to do when they are; reset first when there "
            "are more).",
        )

    def handle(self, *args, **options):
        count, batch, total = options["count"], options["batch"], options["total"]
        if count < 0 or (total is not None and total < 0):
            raise CommandError("--count and --total must not be negative.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        reset = options["reset"]
        if total is not None:
            have = 0 if reset else generated_demands().count()
            reset = reset or have > total
            count = total if reset else total - have
        if reset:
            deleted = reset_generated()
            self.stdout.write(f"Deleted {deleted} generated demands.")
        verbosity = options["verbosity"]

        def progress(done, total):
            if verbosity >= 1:
                self.stdout.write(f"  {done}/{total}")

        try:
            report = generate(
                count,
                seed=options["seed"],
                batch=batch,
                workers=options["workers"],
                progress=progress,
            )
        except GeneratorError as error:
            raise CommandError(str(error)) from None
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.phases.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {report.demands} demands, {report.organisations} organisations and "
                f"{report.indicators} indicators in {report.seconds:.1f} s "
                f"({report.rate:.0f} demands/s; {phases})."
            )
        )
