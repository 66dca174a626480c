"""The portfolio's "accepted works" section: each accepted work with its rubric results.

Given to the portfolio through `CoursesConfig.portfolio_sections`. Every viewer's portfolio
counts the works towards the stage (a creative exercise as a creative work); what a viewer reads
of them follows DESIGN.md's "submitted work and its review": the teacher and methodists see the
rubric results and open the work, a shared link shows the results when the teacher ticked the
section, and a school head sees which works were accepted, never their review.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from courses.assignments.queries import accepted_works_for_portfolio
from courses.models import LessonKind
from courses.portfolio.sections import (
    ACCEPTED_WORK,
    CREATIVE_WORK,
    PortfolioItem,
    PortfolioSection,
)

SECTION_KEY = "works"


@dataclass
class WorkItem(PortfolioItem):
    results: list = field(default_factory=list)


def _reads_review(user, viewer) -> bool:
    if viewer is None:  # a shared link (the teacher ticked the section) or the stage alone
        return True
    # Otherwise the owner or a methodist; the only other reader of a portfolio is a head.
    return viewer.pk == user.pk or viewer.is_staff


def accepted_works_section(user, viewer) -> PortfolioSection:
    """Three queries whatever the number of works (see `accepted_works_for_portfolio`)."""
    reads_review = _reads_review(user, viewer)
    opens_work = viewer is not None and reads_review
    items = [
        WorkItem(
            title=str(work.lesson.title),
            date=work.accepted_at,
            url=work.submission.get_absolute_url() if opens_work else "",
            detail=str(work.course.title) if work.course else "",
            counts_as=(
                CREATIVE_WORK if work.lesson.kind == LessonKind.CREATIVE else ACCEPTED_WORK,
            ),
            results=work.results if reads_review else [],
        )
        for work in accepted_works_for_portfolio(user)
    ]
    return PortfolioSection(
        key=SECTION_KEY,
        title=str(_("Accepted works")),
        items=items,
        order=20,
        template_name="courses/assignments/_portfolio_works.html",
        empty_text=str(_("No accepted work yet.")),
    )
