from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from diagnostics.models import (
    Answer,
    Area,
    Choice,
    Framework,
    Instrument,
    Level,
    LevelBand,
    Question,
    Response,
    Round,
)
from tests.lms.factories import TeacherFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"framework-{n}")
    name_en = factory.Sequence(lambda n: f"Framework {n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"area-{n}")
    position = factory.Sequence(lambda n: n)
    name_en = factory.Sequence(lambda n: f"Area {n}")


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"level-{n}")
    position = factory.Sequence(lambda n: n)
    name_en = factory.Sequence(lambda n: f"Level {n}")


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"instrument-{n}")
    kind = Instrument.Kind.COMBINED
    status = Instrument.Status.PUBLISHED
    title_en = factory.Sequence(lambda n: f"Instrument {n}")


class LevelBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LevelBand

    instrument = factory.SubFactory(InstrumentFactory)
    level = factory.SubFactory(LevelFactory)
    min_score = Decimal(0)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    instrument = factory.SubFactory(InstrumentFactory)
    area = factory.SubFactory(
        AreaFactory, framework=factory.SelfAttribute("..instrument.framework")
    )
    code = factory.Sequence(lambda n: f"q-{n}")
    position = factory.Sequence(lambda n: n)
    part = Question.Part.KNOWLEDGE
    kind = Question.Kind.SINGLE
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    weight = Decimal(1)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    text_en = factory.Sequence(lambda n: f"Choice {n}")
    credit = Decimal(0)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round
        skip_postgeneration_save = True

    instrument = factory.SubFactory(InstrumentFactory)
    title = factory.Sequence(lambda n: f"Round {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):
        if create and extracted:
            self.schools.set(extracted)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    round = factory.SubFactory(RoundFactory)
    instrument = factory.SelfAttribute("round.instrument")
    teacher = factory.SubFactory(TeacherFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        QuestionFactory, instrument=factory.SelfAttribute("..response.instrument")
    )
