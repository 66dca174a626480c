"""Small demo courses built in code, with enrolments, progress and learning paths for the demo
teachers. Safe to run twice: courses are found by slug, enrolments and events are not repeated.
(The ready course "ICT in the teacher's professional activity" lives in courses/fixtures/.)
"""

from django.db import transaction
from django.utils import timezone

from courses.models import Condition, Course, Lesson, LessonKind, LessonVariant, Module
from courses.models.choices import DEFAULT_RULE_BY_KIND, Evidence
from courses.paths import learning_path_build
from courses.quizzes.demo import demo_quiz_add
from courses.services import enrolment_create, lesson_mark_done
from diagnostics.models import Area, Level
from lms.models import User
from lms.roles import Role

K = LessonKind
DEMO_COURSES = [
    {
        "slug": "demo-documents-first-steps",
        "title": {"kk": "Құжаттармен алғашқы қадамдар", "ru": "Первые шаги с документами",
                  "ky": "Документтер менен алгачкы кадамдар", "en": "First steps with documents"},
        "area": 0,
        "levels": [0, 1],
        "modules": [
            ("Мәтіндік құжат", "Текстовый документ", [
                (K.EXPLANATION_CONVERSATION, "Компьютерден қорықпаймыз", "Не боимся компьютера"),
                (K.EXERCISES_TRAINING, "Мәтінді теру және пішімдеу", "Набор и оформление текста"),
                (K.PRACTICAL_WORK, "Үлгі бойынша сабақ жоспары", "План урока по образцу"),
            ]),
            ("Презентация", "Презентация", [
                (K.LECTURE, "Жақсы слайд қандай болады", "Каким бывает хороший слайд"),
                (K.CREATIVE, "Сабаққа арналған презентация", "Презентация к уроку"),
            ]),
        ],
    },
    {
        "slug": "demo-safe-internet",
        "title": {"kk": "Интернетті қауіпсіз пайдалану", "ru": "Безопасный интернет",
                  "ky": "Коопсуз интернет", "en": "Safe use of the internet"},
        "area": 1,
        "levels": [],
        "modules": [
            ("Іздеу және бағалау", "Поиск и оценка", [
                (K.LECTURE, "Ақпаратты қалай іздейміз", "Как искать информацию"),
                (K.LABORATORY, "Дереккөздің сенімділігі", "Надёжность источника"),
                (K.INDEPENDENT, "Өз құпиясөздеріңіз", "Ваши пароли"),
            ]),
        ],
    },
    {
        "slug": "demo-web-authoring",
        "title": {"kk": "Веб-бет, блог және вики", "ru": "Веб-страница, блог и вики",
                  "ky": "Веб-барак, блог жана вики", "en": "Web pages, blogs and wikis"},
        "area": 2,
        "levels": [1, 2],
        "modules": [
            ("Блог", "Блог", [
                (K.EXPLANATION_CONVERSATION, "Мұғалімге блог не үшін керек", "Зачем учителю блог"),
                (K.PRACTICAL_WORK, "Сынып блогын ашу", "Открываем блог класса"),
            ]),
            ("Вики", "Вики", [
                (K.EXERCISES_TRAINING, "Бірлесіп жазу", "Пишем вместе"),
                (K.CREATIVE, "Сынып викиі", "Вики класса"),
            ]),
        ],
    },
]  # fmt: skip

BODY = {
    "kk": "Бұл сабақта біз **{title}** тақырыбын қарастырамыз.\n\n1. Оқыңыз.\n2. Орындаңыз.",
    "ru": "На этом уроке мы разбираем тему **{title}**.\n\n1. Прочитайте.\n2. Выполните.",
}
VARIANT_BODY = {
    "kk": "Бастапқы деңгейге: әр қадамды баяу, суретпен орындаймыз — «{title}».",
    "ru": "Для начального уровня: выполняем каждый шаг медленно, с картинками — «{title}».",
}


def _course(spec, areas, levels) -> Course:
    course = Course.objects.create(
        slug=spec["slug"],
        language="kk",
        estimated_hours=2 * len(spec["modules"]),
        published=True,
        published_at=timezone.now(),
        **{f"title_{code}": text for code, text in spec["title"].items()},
        **{f"summary_{code}": spec["title"][code] + "." for code in ("kk", "ru")},
    )
    area = areas[spec["area"] % len(areas)]
    course.areas.set([area])
    course.levels.set([levels[i] for i in spec["levels"] if i < len(levels)])
    previous = None
    for m, (title_kk, title_ru, lessons) in enumerate(spec["modules"], start=1):
        module = Module.objects.create(course=course, position=m, title_kk=title_kk,
                                       title_ru=title_ru)  # fmt: skip
        for n, (kind, lesson_kk, lesson_ru) in enumerate(lessons, start=1):
            lesson = Lesson.objects.create(
                module=module,
                position=n,
                kind=kind,
                area=area,
                title_kk=lesson_kk,
                title_ru=lesson_ru,
                body_kk=BODY["kk"].format(title=lesson_kk),
                body_ru=BODY["ru"].format(title=lesson_ru),
                completion_rule=DEFAULT_RULE_BY_KIND.get(kind, Evidence.MARKED_DONE),
            )
            if levels:
                LessonVariant.objects.create(
                    lesson=lesson,
                    level=levels[0],
                    body_kk=VARIANT_BODY["kk"].format(title=lesson_kk),
                    body_ru=VARIANT_BODY["ru"].format(title=lesson_ru),
                )
            if previous is not None and n == 1:
                # A module opens once the previous one's last lesson is done.
                Condition.objects.create(
                    module=module, kind=Condition.Kind.LESSON_COMPLETED, required_lesson=previous
                )
            previous = lesson
    return course


def seed_courses_demo() -> dict:
    if Course.objects.filter(slug=DEMO_COURSES[0]["slug"]).exists():
        return {}
    areas = list(Area.objects.order_by("framework", "position"))
    levels = list(Level.objects.order_by("framework", "position"))
    if not areas:
        return {}
    teachers = list(User.objects.filter(role=Role.TEACHER).order_by("email")[:24])
    enrolments = 0
    with transaction.atomic():
        courses = [_course(spec, areas, levels) for spec in DEMO_COURSES]
        for index, teacher in enumerate(teachers):
            course = courses[index % len(courses)]
            enrolment_create(user=teacher, course=course)
            enrolments += 1
            lessons = list(Lesson.objects.of_course(course).in_order())
            for lesson in lessons[: index % (len(lessons) + 1)]:
                if lesson.completion_rule == Evidence.MARKED_DONE:
                    lesson_mark_done(user=teacher, lesson=lesson)
        # The safe-internet course ends with a quiz; its first teacher has passed it.
        safe = courses[1]
        demo_quiz_add(safe.modules.order_by("position").last(), safe.areas.first())
        for teacher in teachers:
            learning_path_build(teacher=teacher)
    return {"courses": len(courses), "enrolments": enrolments}
