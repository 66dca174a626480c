from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self):
        # Celery's autodiscovery imports diagnostics.tasks only; scoring's tasks live apart.
        from diagnostics.scoring import tasks  # noqa: F401

        self._watch_structure()

    def _watch_structure(self):
        """Taking caches an instrument's questions: any edit of them renews the cache."""
        from django.db.models.signals import post_delete, post_save

        from diagnostics.models import Area, AttitudeScale, Choice, Instrument, Question
        from diagnostics.taking.pages import structure_changed

        for model in (Instrument, Area, AttitudeScale, Question, Choice):
            for signal in (post_save, post_delete):
                signal.connect(structure_changed, sender=model, dispatch_uid=f"structure-{model}")

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
