from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Library")

    def dashboard_panels(self, request):
        from library.dashboard import panels_for

        return panels_for(request)

    def navigation_entries(self, request):
        from django.urls import reverse

        from lms.navigation import NavEntry

        # Every signed-in user reads the library: right after the dashboard.
        return [NavEntry(_("Library"), reverse("library:home"), "bi-book", order=100)]

    def seed_demo(self):
        from library.demo import seed_library_demo

        created = seed_library_demo()
        if not created:
            return []
        return [f"Library: {created} demo resources and their collections added."]
