from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self):
        # Celery's autodiscovery imports diagnostics.tasks only; scoring's tasks live apart.
        from diagnostics.scoring import tasks  # noqa: F401

    def dashboard_panels(self, request):
        from diagnostics.dashboard import panels_for

        return panels_for(request)

    def seed_demo(self):
        from diagnostics.demo import seed_diagnostics_demo

        summary = seed_diagnostics_demo()
        if not summary:
            return []
        return [
            f"Diagnosis: instrument “{summary['instrument']}”, rounds "
            + ", ".join(str(r) for r in summary["rounds"])
            + f"; {summary['responses']} demo responses scored now."
        ]
