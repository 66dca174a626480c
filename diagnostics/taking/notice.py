"""What a teacher reads before starting: who sees what of their answers and results.

Generated from the instrument's settings (what a school head sees, whether it has attitude
scales) and from the rules the reports keep (diagnostics/access.py, diagnostics/reports/), in
the teacher's language, so the page never promises more privacy than the system keeps.
"""

from django.utils.translation import gettext as _

from diagnostics.models import Instrument
from diagnostics.reports.privacy import MIN_SUBGROUP


def who_sees_what(instrument: Instrument, *, has_scales: bool) -> list[str]:
    """The notice, one sentence a line."""
    lines = [
        _(
            "Your answers are seen only by you and the methodists. Your school head never sees "
            "your answers."
        )
    ]
    if instrument.head_sees == Instrument.HeadSees.GROUPS_ONLY:
        lines.append(
            _(
                "Your school head sees only figures over groups of at least %(count)d teachers, "
                "never your own level or scores."
            )
            % {"count": MIN_SUBGROUP}
        )
    else:
        lines.append(
            _(
                "Your school head sees your readiness level and your score in each area, and "
                "the methodists see them too."
            )
        )
    if has_scales:
        lines.append(
            _(
                "The questions about you and technology do not count towards your level. If "
                "your answers suggest you may want support, the methodists see your name so "
                "that they can offer it; your school head sees only how many teachers of the "
                "school may want support, never who."
            )
        )
    lines.append(
        _(
            "Comparisons with the district and the region never show a figure over fewer than "
            "%(count)d teachers."
        )
        % {"count": MIN_SUBGROUP}
    )
    return lines
