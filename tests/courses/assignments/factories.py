import factory

from courses.assignments.models import Assignment, RubricRow
from courses.models import Evidence, LessonKind
from tests.courses.factories import LessonFactory


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    lesson = factory.SubFactory(
        LessonFactory, kind=LessonKind.PRACTICAL_WORK, completion_rule=Evidence.WORK_ACCEPTED
    )
    instructions = "Make a **lesson plan**."
    accepts_link = True


class RubricRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricRow

    assignment = factory.SubFactory(AssignmentFactory)
    position = factory.Sequence(lambda n: n)
    criterion = factory.Sequence(lambda n: f"Criterion {n}")
    max_points = 3


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n"
)
