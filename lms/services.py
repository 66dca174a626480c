from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lms.models import School, User
from lms.roles import Role
from lms.roster import RosterError, RosterRow, parse_roster
from lms.tasks import send_invitations


@dataclass
class RosterImportResult:
    created: list[User] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows_with_existing_accounts(rows: list[RosterRow]) -> list[RosterError]:
    existing = set(
        User.objects.filter(email__in=[row.email for row in rows]).values_list("email", flat=True)
    )
    return [
        RosterError(
            row.line,
            _("an account with the e-mail “%(email)s” already exists") % {"email": row.email},
        )
        for row in rows
        if row.email in existing
    ]


def roster_import(*, school: School, data: bytes, base_url: str) -> RosterImportResult:
    """Create a teacher account for every row of a roster file, or none if any row is bad.

    Accounts start without a usable password; each teacher is e-mailed a link to set one
    once the accounts are committed.
    """
    rows, errors = parse_roster(data, max_rows=settings.ROSTER_MAX_ROWS)
    errors += _rows_with_existing_accounts(rows)
    if errors:
        return RosterImportResult(errors=sorted(errors, key=lambda error: error.line))

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
            for row in rows
        )
        # bulk_create returns primary keys on PostgreSQL and SQLite; fetch them to be sure.
        user_ids = list(
            User.objects.filter(email__in=[row.email for row in rows]).values_list("pk", flat=True)
        )
        transaction.on_commit(
            lambda: send_invitations.delay(user_ids, base_url=base_url, language=language)
        )
    return RosterImportResult(created=users)
