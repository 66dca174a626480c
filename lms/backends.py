from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class RoleModelBackend(ModelBackend):
    """Django's model backend, with the user's role standing for membership of its group."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(
            Q(group__user=user_obj) | Q(group__name=user_obj.role)
        ).distinct()


def axes_username(request, credentials):
    """The sign-in name django-axes counts failures for, in one case, as accounts are stored."""
    if credentials and credentials.get("username"):
        username = credentials["username"]
    else:
        username = request.POST.get("username", "") if request is not None else ""
    return (username or "").strip().lower()
