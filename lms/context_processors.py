from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lms.roles import Role


def _entries_for(user):
    entries = [(_("Dashboard"), reverse("dashboard"), "bi-house")]
    entries.append((_("Library"), reverse("library:home"), "bi-book"))
    # Feature apps add their entries through their AppConfig (`nav_entries(user)`).
    for app_config in apps.get_app_configs():
        provider = getattr(app_config, "nav_entries", None)
        if provider is not None:
            entries.extend(provider(user))
    if user.role in (Role.SCHOOL_HEAD,) and user.school_id:
        entries.append(
            (_("Teachers"), reverse("school-teachers", args=[user.school_id]), "bi-people")
        )
        entries.append(
            (_("Import roster"), reverse("roster-import", args=[user.school_id]), "bi-upload")
        )
    if user.is_administrator:
        entries.append((_("Schools"), reverse("school-list"), "bi-building"))
    if user.is_staff:
        entries.append((_("Authoring"), reverse("admin:index"), "bi-tools"))
    entries.append((_("Profile"), reverse("profile"), "bi-person"))
    return entries


def navigation(request):
    """The navigation entries of the signed-in user's role, for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    return {"nav_entries": _entries_for(user)}
