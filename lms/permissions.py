from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from lms.models import School


def role_required(*roles):
    """Let in signed-in users of these roles (and administrators); send strangers to sign in."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_administrator or user.role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_school_for_user(user, school_id) -> School:
    """The school with this id if the user may manage it; 404 otherwise, so that ids of other
    schools are not confirmed to exist."""
    return get_object_or_404(School.objects.visible_to(user), pk=school_id)
