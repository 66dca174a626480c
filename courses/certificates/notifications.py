"""The notification kind of certificates, registered by CoursesConfig.ready."""

from django.utils.translation import gettext_lazy as _

from lms.notifications.registry import Delivery, NotificationKind, register_kind


def certificates_visible(user, notifications: list) -> list:
    """Only while the certificate of that course (the target) is still valid."""
    from courses.certificates.models import Certificate

    valid = set(
        Certificate.objects.valid()
        .filter(user=user, course_id__in=[n.target_id for n in notifications])
        .values_list("course_id", flat=True)
    )
    return [n for n in notifications if n.target_id in valid]


def certificates_visible_many(notifications: list) -> list:
    """The same for the digest's batch of recipients, in one query."""
    from courses.certificates.models import Certificate

    valid = set(
        Certificate.objects.valid()
        .filter(
            user_id__in={n.recipient_id for n in notifications},
            course_id__in={n.target_id for n in notifications},
        )
        .values_list("user_id", "course_id")
    )
    return [n for n in notifications if (n.recipient_id, n.target_id) in valid]


def register_kinds() -> None:
    from courses.certificates.services import CERTIFICATE_ISSUED

    register_kind(
        NotificationKind(
            key=CERTIFICATE_ISSUED,
            label=_("A certificate issued to you"),
            text=_("Your certificate for the course “%(course)s” is ready."),
            default_delivery=Delivery.IMMEDIATE,
            visible=certificates_visible,
            order=40,
            visible_many=certificates_visible_many,
        )
    )
