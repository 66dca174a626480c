from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lms.models import User


def set_password_url(user: User, *, base_url: str) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def send_set_password_links(user_ids: list[int], *, base_url: str, language: str) -> int:
    """Send the invitation letters of these users over one mail connection."""
    users = User.objects.filter(pk__in=user_ids, is_active=True).select_related("school")
    messages = []
    for user in users:
        with translation.override(user.preferred_language or language):
            context = {"user": user, "url": set_password_url(user, base_url=base_url)}
            subject = render_to_string("lms/email/invitation_subject.txt", context).strip()
            body = render_to_string("lms/email/invitation_body.txt", context)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return get_connection().send_messages(messages) or 0
