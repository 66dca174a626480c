from decimal import Decimal

import factory
from django.utils import timezone

from courses.models import Condition, Course, Lesson, LessonVariant, Module
from diagnostics.models import AreaScore, Response
from tests.diagnostics.factories import ResponseFactory


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    language = "en"
    published = True
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create and extracted:
            self.levels.set(extracted)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n)
    title_en = factory.Sequence(lambda n: f"Module {n}")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    position = factory.Sequence(lambda n: n)
    title_en = factory.Sequence(lambda n: f"Lesson {n}")
    body_en = "Read **this**."


class LessonVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonVariant

    lesson = factory.SubFactory(LessonFactory)
    body_en = "Variant text."


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition
        skip_postgeneration_save = True

    kind = Condition.Kind.LESSON_COMPLETED

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create and extracted:
            self.levels.set(extracted)


def course_with_lessons(lessons=3, modules=1, **course_fields):
    course = CourseFactory(**course_fields)
    made = []
    for m in range(modules):
        module = ModuleFactory(course=course, position=m + 1)
        made += [LessonFactory(module=module, position=i + 1) for i in range(lessons)]
    return course, made


def scored_diagnosis(
    teacher, *, level, area_levels: dict, percents: dict | None = None, round=None
):
    """A scored response whose overall level is `level` and area levels as given
    ({area: level}); percents ({area: percent}) order the weakest areas."""
    fields = {"teacher": teacher, "status": Response.Status.SCORED}
    if round is not None:
        fields["round"] = round
    response = ResponseFactory(**fields, scored_at=timezone.now(), level=level)
    percents = percents or {}
    for area, area_level in area_levels.items():
        AreaScore.objects.create(
            response=response,
            area=area,
            part=AreaScore.Part.ALL,
            points=Decimal(1),
            max_points=Decimal(2),
            percent=Decimal(percents.get(area, 50)),
            level=area_level,
        )
    return response
