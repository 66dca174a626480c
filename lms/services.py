from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import get_language

from lms.models import School, User
from lms.roles import Role
from lms.roster import RosterError, RosterRow, parse_roster
from lms.tasks import invitations_queue


@dataclass
class RosterImportResult:
    created: list[User] = field(default_factory=list)
    reinvited: list[int] = field(default_factory=list)
    # Rows whose address is already a teacher of this school (which the head can see anyway);
    # an address of another school is counted with the new ones, never apart.
    already_here: int = 0
    errors: list[RosterError] = field(default_factory=list)
    rows: int = 0
    # The broker could not take the letters: they wait for beat's sweeper (lms.tasks).
    letters_waiting: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _existing_accounts(rows: list[RosterRow], school: School) -> tuple[set[str], list[int], int]:
    """The addresses that already have an account, which of them are this school's teachers
    still waiting to set their first password (their invitation goes out again), and how many
    are this school's teachers (whom the head's list shows anyway)."""
    existing = User.objects.filter(email__in=[row.email for row in rows])
    emails = set(existing.values_list("email", flat=True))
    here = existing.filter(school=school, role=Role.TEACHER).count()
    waiting = [
        user.pk
        for user in existing.filter(
            school=school, role=Role.TEACHER, is_active=True, last_login__isnull=True
        )
        if not user.has_usable_password()
    ]
    return emails, waiting, here


def roster_import(*, school: School, data: bytes, base_url: str) -> RosterImportResult:
    """Create a teacher account for every new row of a roster file, or none if any row is bad.

    Accounts start without a usable password; each teacher is e-mailed a link to set one
    once the accounts are committed. A row of this school's teacher who has not set a password
    yet (a lost or expired invitation) sends the invitation again; a row whose address has an
    account otherwise (signed in, or at another school) is left alone, and the result does not
    say which: a head must not learn who is registered at another school.
    """
    rows, errors = parse_roster(data, max_rows=settings.ROSTER_MAX_ROWS)
    if errors:
        return RosterImportResult(errors=sorted(errors, key=lambda error: error.line))
    existing, reinvited, already_here = _existing_accounts(rows, school)
    new_rows = [row for row in rows if row.email not in existing]

    language = get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=row.email,
                full_name=row.full_name,
                subject=row.subject,
                years_of_teaching=row.years_of_teaching,
                role=Role.TEACHER,
                school=school,
                password=make_password(None),
            )
            for row in new_rows
        )
        # bulk_create returns primary keys on PostgreSQL and SQLite; fetch them to be sure.
        user_ids = list(
            User.objects.filter(email__in=[row.email for row in new_rows]).values_list(
                "pk", flat=True
            )
        )
        invited = user_ids + reinvited
        result = RosterImportResult(
            created=users, reinvited=reinvited, rows=len(rows), already_here=already_here
        )
        if invited:

            def letters_wait():
                result.letters_waiting = True

            invitations_queue(
                invited, base_url=base_url, language=language, on_waiting=letters_wait
            )
    # The letters were sent (or kept waiting) as the transaction above committed.
    return result
