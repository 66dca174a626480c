import json
from decimal import Decimal
from pathlib import Path

import factory
from django.utils import timezone

from courses.models import (
    Condition,
    Course,
    Evidence,
    Lesson,
    LessonKind,
    LessonVariant,
    Module,
    Quiz,
)
from diagnostics.models import AreaScore, Response
from tests.diagnostics.factories import (
    ChoiceFactory,
    InstrumentFactory,
    QuestionFactory,
    ResponseFactory,
)

# The ready course's file, as the exchange tests import it (the `ready_world` fixture brings
# its framework and library).
READY = json.loads(
    (Path(__file__).resolve().parents[2] / "courses/fixtures/ready_course.json").read_text(
        encoding="utf-8"
    )
)


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


def quiz_lesson(module, area, *, questions=2, **quiz_fields) -> Quiz:
    """A quiz lesson (pass mark 75 %) whose pool holds `questions` single-choice questions with
    a right ("Right", credit 1) and a wrong choice."""
    lesson = LessonFactory(
        module=module,
        kind=LessonKind.QUIZ,
        area=area,
        completion_rule=Evidence.QUIZ_PASSED,
        pass_mark=Decimal(75),
    )
    instrument = InstrumentFactory(framework=area.framework, kind="knowledge_test")
    for n in range(questions):
        question = QuestionFactory(
            instrument=instrument, area=area, part="knowledge", code=f"q{n}", position=n
        )
        ChoiceFactory(question=question, text_en="Right", credit=1, position=1)
        ChoiceFactory(question=question, text_en="Wrong", credit=0, position=2)
    return Quiz.objects.create(lesson=lesson, instrument=instrument, **quiz_fields)
