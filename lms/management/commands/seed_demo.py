from django.apps import apps
from django.core.management.base import BaseCommand

from lms.demo import DEMO_PASSWORD, SCHOOLS, TEACHERS_PER_SCHOOL, seed_demo


class Command(BaseCommand):
    help = "Create the demo region (two schools, heads, teachers, a methodist, an administrator)."

    def handle(self, *args, **options):
        logins = seed_demo()
        # Feature apps add their own demo data (instruments, rounds, courses, ...) through their
        # AppConfig, so the platform does not import them.
        for app_config in apps.get_app_configs():
            seeder = getattr(app_config, "seed_demo", None)
            if seeder is not None:
                for line in seeder():
                    self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo region ready: {len(SCHOOLS)} schools, {TEACHERS_PER_SCHOOL} teachers each."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.role:<14} {login.email}")
        self.stdout.write(
            "  (heads: head1@ / head2@; teachers: teacher1.01@ … teacher2.30@demo.ustaz.kz)"
        )
