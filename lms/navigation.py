"""The main navigation, and the hook through which apps add their entries.

An app contributes by giving its AppConfig a method `navigation_entries(request) ->
list[NavEntry]` (called for signed-in users only); `lms` asks every installed app, itself
included, and never imports one. Entries are shown by their `order`, as dashboard panels are
(lms/dashboard.py).
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lms.roles import Role

# Where the platform's own entries stand, so that an app can place its entry among them.
DASHBOARD_ORDER = 0
SCHOOL_ORDER = 200
ADMINISTRATION_ORDER = 300
PROFILE_ORDER = 1000


@dataclass(frozen=True)
class NavEntry:
    label: str
    url: str
    icon: str  # a Bootstrap Icons class, such as "bi-book"
    order: int = 100


def collect_entries(request) -> list[NavEntry]:
    entries: list[NavEntry] = []
    for app_config in apps.get_app_configs():
        provider = getattr(app_config, "navigation_entries", None)
        if provider is not None:
            entries.extend(provider(request))
    return sorted(entries, key=lambda entry: entry.order)


def platform_entries(request) -> list[NavEntry]:
    """The platform's own entries: the dashboard, a head's school, administration, the profile."""
    user = request.user
    entries = [NavEntry(_("Dashboard"), reverse("dashboard"), "bi-house", DASHBOARD_ORDER)]
    if user.role == Role.SCHOOL_HEAD and user.school_id:
        entries.append(
            NavEntry(
                _("Teachers"),
                reverse("school-teachers", args=[user.school_id]),
                "bi-people",
                SCHOOL_ORDER,
            )
        )
        entries.append(
            NavEntry(
                _("Import roster"),
                reverse("roster-import", args=[user.school_id]),
                "bi-upload",
                SCHOOL_ORDER + 10,
            )
        )
    if user.is_administrator:
        entries.append(
            NavEntry(_("Schools"), reverse("school-list"), "bi-building", ADMINISTRATION_ORDER)
        )
    if user.is_staff:
        entries.append(
            NavEntry(_("Authoring"), reverse("admin:index"), "bi-tools", ADMINISTRATION_ORDER + 10)
        )
    entries.append(NavEntry(_("Profile"), reverse("profile"), "bi-person", PROFILE_ORDER))
    return entries
