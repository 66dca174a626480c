"""The demo's quiz: "Safe use of the internet" ends with a short quiz whose questions live in a
knowledge-test instrument, and the first teacher enrolled has passed it."""

from decimal import Decimal

from courses.models import Enrolment, Evidence, Lesson, LessonKind, Module, Quiz
from courses.quizzes.services import attempt_start, attempt_submit
from diagnostics.models import Choice, Instrument, Question

QUESTIONS = [
    (
        ("Қай құпиясөз ең сенімді?", "Какой пароль самый надёжный?"),
        [
            (("123456", "123456"), 0, ("Оны бірінші болып тексереді.", "Его подбирают первым.")),
            (("Туған күніңіз", "Ваш день рождения"), 0, ("Оны оңай табады.", "Его легко узнать.")),
            (("Ұзын сөз тіркесі мен сандар", "Длинная фраза с цифрами"), 1, ("Дұрыс!", "Верно!")),
        ],
    ),
    (
        ("Бейтаныс хаттағы сілтемені не істейміз?", "Что делать со ссылкой в незнакомом письме?"),
        [
            (("Бірден ашамыз", "Сразу открыть"), 0, ("Бұл фишинг болуы мүмкін.", "Это фишинг.")),
            (("Жіберушіні тексереміз", "Проверить отправителя"), 1, ("Дұрыс!", "Верно!")),
        ],
    ),
    (
        ("Дереккөздің сенімділігін не көрсетеді?", "Что говорит о надёжности источника?"),
        [
            (("Автор мен күні көрсетілген", "Указаны автор и дата"), 1, ("Дұрыс!", "Верно!")),
            (("Жарнамасы көп", "Много рекламы"), 0, ("Керісінше.", "Скорее наоборот.")),
        ],
    ),
]  # fmt: skip


def _pool(area) -> Instrument:
    instrument = Instrument.objects.create(
        framework_id=area.framework_id,
        code="demo-quiz-safe-internet",
        kind=Instrument.Kind.KNOWLEDGE_TEST,
        title_kk="Қауіпсіз интернет: тест",
        title_ru="Безопасный интернет: тест",
    )
    for position, ((text_kk, text_ru), choices) in enumerate(QUESTIONS, start=1):
        question = Question.objects.create(
            instrument=instrument,
            area=area,
            code=f"safe-{position}",
            position=position,
            part=Question.Part.KNOWLEDGE,
            kind=Question.Kind.SINGLE,
            text_kk=text_kk,
            text_ru=text_ru,
        )
        for n, ((choice_kk, choice_ru), credit, (note_kk, note_ru)) in enumerate(choices, 1):
            Choice.objects.create(
                question=question,
                position=n,
                text_kk=choice_kk,
                text_ru=choice_ru,
                credit=Decimal(credit),
                feedback_kk=note_kk,
                feedback_ru=note_ru,
            )
    return instrument


def demo_quiz_add(module: Module, area) -> Quiz:
    lesson = Lesson.objects.create(
        module=module,
        position=module.lessons.count() + 1,
        kind=LessonKind.QUIZ,
        area=area,
        title_kk="Қауіпсіз интернет: тест",
        title_ru="Безопасный интернет: тест",
        body_kk="Үш сұраққа жауап беріңіз. Өту шегі — 60 %.",
        body_ru="Ответьте на три вопроса. Проходной балл — 60 %.",
        completion_rule=Evidence.QUIZ_PASSED,
        pass_mark=Decimal(60),
    )
    quiz = Quiz.objects.create(lesson=lesson, instrument=_pool(area), attempts_allowed=3)
    enrolment = Enrolment.objects.filter(course=module.course).order_by("user__email").first()
    if enrolment is not None:
        attempt = attempt_start(user=enrolment.user, quiz=quiz)
        right = {
            f"q{q.pk}": str(q.choices.get(credit=1).pk)
            for q in Question.objects.filter(instrument=quiz.instrument)
        }
        attempt_submit(attempt=attempt, post=right)
    return quiz
