"""Roles and the Django permissions each role's group carries.

A user's role is the single source of truth: `lms.backends.RoleModelBackend` reads the permissions
of the group named after the role, so nobody has to keep group membership in step with the role.
The groups are created by a migration; their permissions are (re)granted after every migrate, app
by app, so a feature app that adds models later gets its permissions into the right roles without
`lms` importing it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    METHODIST = "methodist", _("Methodist")
    SCHOOL_HEAD = "school_head", _("School head")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that work in the Django admin (the methodists' authoring tools).
STAFF_ROLES = frozenset({Role.METHODIST, Role.ADMINISTRATOR})

# Roles that belong to one school.
SCHOOL_ROLES = frozenset({Role.TEACHER, Role.SCHOOL_HEAD})

ALL_PERMISSIONS = "*"

# Permission patterns by role: "app_label.*" grants every permission of an app,
# "app_label.codename" one permission, ALL_PERMISSIONS everything.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.TEACHER: (),
    Role.SCHOOL_HEAD: (),
    Role.METHODIST: (
        "lms.view_school",
        "lms.view_user",
        "diagnostics.*",
        "courses.*",
        "library.*",
        "forums.*",
    ),
    Role.ADMINISTRATOR: (ALL_PERMISSIONS,),
}


def role_grants(role: str, app_label: str, codename: str) -> bool:
    for pattern in ROLE_PERMISSIONS.get(role, ()):
        if pattern == ALL_PERMISSIONS or pattern == f"{app_label}.*":
            return True
        if pattern == f"{app_label}.{codename}":
            return True
    return False


def sync_role_groups(*, group_model, permission_model, app_label: str) -> None:
    """Give every role's group exactly the permissions of `app_label` that the table grants."""
    app_permissions = list(
        permission_model.objects.filter(content_type__app_label=app_label).only("codename")
    )
    for role in Role:
        group, _created = group_model.objects.get_or_create(name=role.value)
        granted = [p for p in app_permissions if role_grants(role, app_label, p.codename)]
        revoked = [p for p in app_permissions if p not in granted]
        group.permissions.add(*granted)
        group.permissions.remove(*revoked)
