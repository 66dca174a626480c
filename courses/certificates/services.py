"""Issuing and revoking certificates.

`certificates_issue` is called by the progress recompute (courses.progress) for every chunk of
enrolments it brings up to date: it issues for each completed enrolment without a certificate,
so issuing follows completion whichever path completed the course (a lesson marked done, a quiz,
a methodist's recompute) and running it twice issues nothing new.
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation

from courses.certificates.codes import new_code
from courses.certificates.models import Certificate
from courses.models import Course, Enrolment
from courses.portfolio.tasks import refresh_stages
from lms.notifications.services import notify
from lms.tasks_enqueue import enqueue_on_commit

CERTIFICATE_ISSUED = "courses.certificate_issued"


def _snapshot(course: Course, language: str) -> tuple[str, list[str]]:
    with translation.override(language):
        return str(course.title), [str(area.name) for area in course.areas.all()]


def certificates_issue(*, course_id: int, enrolment_ids: list[int]) -> list[Certificate]:
    """Certificates for the completed enrolments among these that have none yet."""
    has_certificate = Certificate.objects.filter(
        user=OuterRef("user_id"), course=OuterRef("course_id")
    )
    enrolments = list(
        Enrolment.objects.filter(pk__in=enrolment_ids, course_id=course_id)
        .filter(completed_at__isnull=False)
        .exclude(Exists(has_certificate))
        .select_related("user")
    )
    if not enrolments:
        return []
    course = Course.objects.prefetch_related("areas").get(pk=course_id)
    snapshots = {}
    rows = []
    for enrolment in enrolments:
        language = enrolment.user.preferred_language or settings.LANGUAGE_CODE
        if language not in snapshots:
            snapshots[language] = _snapshot(course, language)
        title, areas = snapshots[language]
        rows.append(
            Certificate(
                user=enrolment.user,
                course=course,
                code=new_code(),
                language=language,
                holder_name=enrolment.user.full_name,
                course_title=title,
                hours=course.estimated_hours,
                areas=areas,
                issued_on=timezone.localdate(enrolment.completed_at),
            )
        )
    with transaction.atomic():
        # Two recomputes of one teacher racing: the unique (user, course) keeps one.
        Certificate.objects.bulk_create(rows, ignore_conflicts=True)
        issued = list(
            Certificate.objects.filter(code__in=[row.code for row in rows]).select_related("user")
        )
        _notify_issued(issued, course)
        holders = [certificate.user_id for certificate in issued]
        # A course completed may move the teacher's stage (the directory reads the stored one).
        # With the broker down the certificate stands and the stage follows at beat's nightly
        # refresh of every stage (refresh-portfolio-stages), instead of a 500 after the commit.
        enqueue_on_commit(refresh_stages, holders)
    return issued


def _notify_issued(certificates: list[Certificate], course: Course) -> None:
    # One notification call per language: the course title is a parameter in the holder's
    # language, the sentence around it is translated when read.
    by_title = defaultdict(list)
    for certificate in certificates:
        by_title[certificate.course_title].append(certificate.user_id)
    for title, user_ids in by_title.items():
        notify(
            recipients=user_ids,
            kind=CERTIFICATE_ISSUED,
            params={"course": title},
            link=reverse("certificates:mine"),
            target_id=course.pk,
        )


def certificate_revoke(*, certificate: Certificate, reason: str, by=None) -> Certificate:
    with transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason.strip(), revoked_by=by
        )
    certificate.refresh_from_db()
    return certificate


def certificate_restore(*, certificate: Certificate) -> Certificate:
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=None, revoked_reason="", revoked_by=None
    )
    certificate.refresh_from_db()
    return certificate
