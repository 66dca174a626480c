"""Reads for the pages and for other apps, each in a fixed number of queries.

`accepted_works_for_portfolio(user)` is the portfolio's hook: the teacher's accepted works with
their rubric results and the levels in areas they are evidence of.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from courses.assignments.models import (
    PeerReview,
    Review,
    RubricRow,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from courses.models import Course
from diagnostics.models import StudyGroup
from lms.models import School

WAITING_DAYS_CHOICES = (1, 3, 7, 14, 30)


def review_queue(*, course_id=None, group_id=None, school_id=None, waiting_days=None):
    """Works waiting for review, oldest first, with what a row of the queue shows."""
    rows = Submission.objects.waiting()
    if course_id:
        rows = rows.filter(course_id=course_id)
    if group_id:
        rows = rows.filter(group_id=group_id)
    if school_id:
        rows = rows.filter(school_id=school_id)
    if waiting_days:
        rows = rows.waiting_at_least(waiting_days)
    return (
        rows.oldest_first()
        .select_related("author", "assignment__lesson", "course", "school", "group")
        .only(
            "pk",
            "status",
            "submitted_at",
            "versions_count",
            "author__full_name",
            "author__email",
            "course__slug",
            "school__name",
            "group__name",
            *_every_language("assignment__lesson__title"),
            *_every_language("course__title"),
        )
    )


def review_queue_page(rows, number, per_page: int) -> Page:
    """One page of the queue. The page is found among the works' ids alone (the queue's index,
    no join) and only its rows are joined: with 70,000 works waiting, page 500 made
    PostgreSQL join and skip 25,000 rows to show 50."""
    ids = rows.values("pk")  # the same filters and order, no join
    page = Paginator(ids, per_page).get_page(number)
    page.object_list = rows.filter(pk__in=page.object_list)
    return page


def _every_language(field: str) -> list[str]:
    # modeltranslation reads title_<active language> (falling back to the others): all of them
    # are loaded, none of the lesson's long texts.
    return [field, *(f"{field}_{code}" for code, _name in settings.LANGUAGES)]


def queue_filter_choices(course_id=None, school_id=None):
    """Courses that carry assignments and schools (one query each); study groups only once a
    course or school narrows them, so the list never holds every group of every round."""
    courses = list(
        Course.objects.filter(modules__lessons__assignment__isnull=False)
        .distinct()
        .order_by("title", "pk")
        .only("pk", "title", "slug")
    )
    schools = list(School.objects.order_by("name", "pk").only("pk", "name"))
    groups = []
    if course_id or school_id:
        narrowed = Submission.objects.waiting()
        if course_id:
            narrowed = narrowed.filter(course_id=course_id)
        if school_id:
            narrowed = narrowed.filter(school_id=school_id)
        groups = list(
            StudyGroup.objects.filter(pk__in=narrowed.values("group_id"))
            .select_related("level", "weakest_area")
            .order_by("name", "pk")
        )
    return courses, schools, groups


def versions_with_everything(submission: Submission) -> list[SubmissionVersion]:
    """Every version, newest first, with its files, its review and its peers' feedback."""
    return list(
        SubmissionVersion.objects.filter(submission=submission)
        .order_by("-number")
        .prefetch_related(
            Prefetch("files", queryset=SubmissionFile.objects.order_by("uploaded_at", "pk")),
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
            Prefetch(
                "peer_reviews",
                queryset=PeerReview.objects.filter(written_at__isnull=False).select_related(
                    "reviewer"
                ),
            ),
        )
    )


def rubric_rows(assignment) -> list[RubricRow]:
    return list(
        RubricRow.objects.filter(assignment=assignment)
        .select_related("area", "level")
        .order_by("position", "pk")
    )


@dataclass
class RubricResult:
    row: RubricRow
    points: int | None

    @property
    def met(self) -> bool:
        return self.row.is_met(self.points)


def rubric_results(rows: list[RubricRow], scores: dict) -> list[RubricResult]:
    return [RubricResult(row, scores.get(str(row.pk))) for row in rows]


@dataclass
class AcceptedWork:
    submission: Submission
    review: Review
    results: list[RubricResult] = field(default_factory=list)

    @property
    def lesson(self):
        return self.submission.assignment.lesson

    @property
    def course(self):
        return self.submission.course

    @property
    def accepted_at(self):
        return self.review.decided_at

    @property
    def levels_evidenced(self) -> list[tuple]:
        """(area, level) of every level-statement row the work met."""
        return [(r.row.area, r.row.level) for r in self.results if r.row.level_id and r.met]


def accepted_works_for_portfolio(user) -> list[AcceptedWork]:
    """The teacher's accepted works, newest first, with rubric results (three queries)."""
    submissions = list(
        Submission.objects.accepted()
        .filter(author=user)
        .select_related("assignment__lesson", "course")
        .prefetch_related(
            Prefetch(
                "assignment__rubric_rows",
                queryset=RubricRow.objects.select_related("area", "level").order_by(
                    "position", "pk"
                ),
            )
        )
        .order_by("-reviewed_at", "-pk")
    )
    reviews = {
        review.version.submission_id: review
        for review in Review.objects.filter(
            version__submission__in=[s.pk for s in submissions],
            decision=Review.Decision.ACCEPTED,
        ).select_related("version")
    }
    works = []
    for submission in submissions:
        review = reviews.get(submission.pk)
        if review is None:
            continue
        rows = list(submission.assignment.rubric_rows.all())
        works.append(AcceptedWork(submission, review, rubric_results(rows, review.scores)))
    return works
