"""``kexie recount_stats [--fix]``: compare the coverage cells with a count from the rows."""

from django.core.management.base import BaseCommand, CommandError

from kexie.coverage.services import recount


class Command(BaseCommand):
    help = "Recount coverage statistics from the rows and report (or, with --fix, repair) any difference."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="rewrite the counties that differ")

    def handle(self, *args, fix: bool = False, **options):
        differences = recount(fix=fix)
        for d in differences[:50]:
            self.stdout.write(str(d))
        if len(differences) > 50:
            self.stdout.write(f"… {len(differences) - 50} more")
        if not differences:
            self.stdout.write("coverage statistics agree with the rows: 0 differences")
            return
        if fix:
            self.stdout.write(f"{len(differences)} differences repaired")
            return
        raise CommandError(f"{len(differences)} differences between the coverage statistics and the rows")
