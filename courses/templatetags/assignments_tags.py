"""The lesson page's assignment panel, without the lesson view having to know assignments."""

from django import template
from django.db.models import OuterRef, Subquery

from courses.assignments.models import ASSIGNABLE_KINDS, Assignment, Submission

register = template.Library()


@register.inclusion_tag("courses/assignments/_lesson_panel.html", takes_context=True)
def assignment_panel(context, lesson):
    """One query, and none at all on lessons whose kind never carries an assignment."""
    if lesson.kind not in ASSIGNABLE_KINDS:
        return {"assignment": None}
    user = context["request"].user
    mine = Submission.objects.filter(assignment=OuterRef("pk"), author_id=user.pk)
    assignment = (
        Assignment.objects.filter(lesson=lesson)
        .annotate(my_status=Subquery(mine.values("status")[:1]))
        .only("pk", "due_at", "lesson_id")
        .first()
    )
    if assignment is None:
        return {"assignment": None}
    label = Submission.Status(assignment.my_status).label if assignment.my_status else None
    return {"assignment": assignment, "status_label": label}
