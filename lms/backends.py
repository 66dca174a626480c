import ipaddress

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


class RoleModelBackend(ModelBackend):
    """Django's model backend, with the user's role standing for membership of its group."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(
            Q(group__user=user_obj) | Q(group__name=user_obj.role)
        ).distinct()

    def get_user(self, user_id):
        # The bell's unread count rides on the query that loads the signed-in user for each
        # request, so showing it costs no query of its own.
        from lms.notifications.models import Notification

        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .values("recipient")
            .annotate(total=Count("pk"))
            .values("total")
        )
        users = self._user_model()
        try:
            user = users._default_manager.annotate(
                unread_notification_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0)
            ).get(pk=user_id)
        except users.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    @staticmethod
    def _user_model():
        from django.contrib.auth import get_user_model

        return get_user_model()


def axes_username(request, credentials):
    """The sign-in name django-axes counts failures for, in one case, as accounts are stored."""
    if credentials and credentials.get("username"):
        username = credentials["username"]
    else:
        username = request.POST.get("username", "") if request is not None else ""
    return (username or "").strip().lower()


def client_ip_address(request):
    """The address a request comes from, as django-axes counts failed sign-ins by it.

    Behind settings.USTAZ_TRUSTED_PROXIES reverse proxies, REMOTE_ADDR is the nearest proxy's
    and each proxy appends the address it saw to X-Forwarded-For: the client's is that many
    entries from the end. With fewer entries than proxies, or an entry that is no address, the
    request did not come through them and REMOTE_ADDR is what is known.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.USTAZ_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def sign_in_unlock(user) -> None:
    """Forget the account's failed sign-ins at every address: whoever set a new password through
    the e-mailed link owns the account, wherever the failures came from."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.reset_attempts(username=axes_username(None, {"username": user.email}))
