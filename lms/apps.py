from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_role_permissions(sender, apps=None, **kwargs):
    # Runs once per migrated app, after Django has created that app's permissions.
    from django.apps import apps as installed_apps

    from lms.roles import sync_role_groups

    apps = apps or installed_apps
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:
        return
    sync_role_groups(
        group_model=group_model, permission_model=permission_model, app_label=sender.label
    )


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Platform")

    def ready(self):
        from lms.notifications import tasks  # noqa: F401  (registers the Celery tasks)
        from lms.notifications.registry import Delivery, NotificationKind, register_kind
        from lms.sqlite import install_unicode_like

        # Diagnostics sends it (it may import lms); the platform owns the kind.
        register_kind(
            NotificationKind(
                key="lms.round_opened",
                label=_("A diagnosis round opened for you"),
                text=_("A diagnosis round is open for you: %(title)s"),
                default_delivery=Delivery.IMMEDIATE,
                order=10,
            )
        )

        post_migrate.connect(grant_role_permissions, dispatch_uid="lms.grant_role_permissions")
        connection_created.connect(install_unicode_like, dispatch_uid="lms.unicode_like")

    def navigation_entries(self, request):
        from lms.navigation import platform_entries

        return platform_entries(request)


class UstazAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site of lms/admin_site.py (installed by name in settings)."""

    default = False  # LmsConfig stays this module's configuration of the lms app
    default_site = "lms.admin_site.UstazAdminSite"
