import functools
import ipaddress

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q

from lms.params import int_or_none
from lms.prepared import executable


class RoleModelBackend(ModelBackend):
    """Django's model backend, with the user's role standing for membership of its group."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(
            Q(group__user=user_obj) | Q(group__name=user_obj.role)
        ).distinct()

    def get_user(self, user_id):
        # Every request loads its signed-in user, so this is the most frequent query of all. The
        # bell's unread count rides on it (showing it costs no query of its own), and the SQL is
        # written out once: compiling the same ORM annotation on each request cost more CPU than
        # running it (0.98 against 0.29 ms for the plain user, docs/benchmarks.md).
        users = self._user_model()
        try:
            user_id = users._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if int_or_none(user_id, minimum=1) is None:
            return None  # no such user (and beyond the column, as a parameter, an error)
        manager = users._default_manager
        sql = executable(manager.db, "ustaz_user", _user_with_unread_sql(), ("bigint",))
        user = next(iter(manager.raw(sql, [user_id])), None)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None

    @staticmethod
    def _user_model():
        from django.contrib.auth import get_user_model

        return get_user_model()


@functools.cache
def _user_with_unread_sql() -> str:
    """SELECT the user and `unread_notification_count` (the recipient's notifications not yet
    read), for one id parameter; quoted for the database in use."""
    from django.contrib.auth import get_user_model

    from lms.notifications.models import Notification

    quote = connection.ops.quote_name
    user_meta = get_user_model()._meta
    user_table, user_pk = quote(user_meta.db_table), quote(user_meta.pk.column)
    meta = Notification._meta
    recipient = quote(meta.get_field("recipient").column)
    read_at = quote(meta.get_field("read_at").column)
    columns = ", ".join(f"{user_table}.{quote(f.column)}" for f in user_meta.concrete_fields)
    # Only the models' own table and column names go into the text, quoted; the id is a parameter.
    # The columns are named (not `*`): a statement prepared on a connection keeps its columns.
    return (
        f"SELECT {columns}, (SELECT COUNT(*) FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {recipient} = {user_table}.{user_pk} AND {read_at} IS NULL) "
        f"AS unread_notification_count FROM {user_table} WHERE {user_table}.{user_pk} = %s"
    )


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
