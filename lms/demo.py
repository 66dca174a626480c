"""The demo region: people and schools that `manage.py seed_demo` creates, with fixed logins."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lms.models import School, User
from lms.roles import Role

# Published in the README on purpose: demo accounts exist only in demo installations.
DEMO_PASSWORD = "ustaz-demo-2026"  # noqa: S105
TEACHERS_PER_SCHOOL = 30

SCHOOLS = [
    {
        "code": "DEMO-001",
        "name": "№ 1 мектеп-лицей",
        "region": "Алматы облысы",
        "district": "Қарасай ауданы",
        "language": "kk",
        "subjects": [
            "Қазақ тілі",
            "Математика",
            "Информатика",
            "Физика",
            "Тарих",
            "Бастауыш сынып",
            "Ағылшын тілі",
            "Биология",
        ],
    },
    {
        "code": "DEMO-002",
        "name": "Средняя школа № 2",
        "region": "Алматы облысы",
        "district": "Талгарский район",
        "language": "ru",
        "subjects": [
            "Русский язык",
            "Математика",
            "Информатика",
            "Химия",
            "География",
            "Начальные классы",
            "Английский язык",
            "История",
        ],
    },
]

FIRST_NAMES = [
    "Айгүл",
    "Нұрлан",
    "Гүлнар",
    "Ерлан",
    "Сәуле",
    "Бақыт",
    "Динара",
    "Асқар",
    "Жанар",
    "Мұрат",
    "Әсем",
    "Талғат",
    "Ләззат",
    "Серік",
    "Мөлдір",
]
SURNAMES = [
    "Ахметова",
    "Садықов",
    "Омарова",
    "Жұмабаев",
    "Исаева",
    "Төлеуов",
    "Серікбаева",
    "Қасымов",
    "Нұрланова",
    "Бекмұратов",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


def _teacher_name(index: int) -> str:
    return f"{SURNAMES[index % len(SURNAMES)]} {FIRST_NAMES[index % len(FIRST_NAMES)]}"


def _demo_people():
    """Every demo account as (email, defaults); the order is fixed so reruns match."""
    yield "admin@demo.ustaz.kz", {"full_name": "Әкімші Демо", "role": Role.ADMINISTRATOR}
    yield "methodist@demo.ustaz.kz", {"full_name": "Әдіскер Айжан", "role": Role.METHODIST}
    for number, spec in enumerate(SCHOOLS, start=1):
        school = School.objects.get(code=spec["code"])
        yield (
            f"head{number}@demo.ustaz.kz",
            {"full_name": f"Директор {number}", "role": Role.SCHOOL_HEAD, "school": school},
        )
        for index in range(TEACHERS_PER_SCHOOL):
            yield (
                f"teacher{number}.{index + 1:02d}@demo.ustaz.kz",
                {
                    "full_name": _teacher_name(index + number * 7),
                    "role": Role.TEACHER,
                    "school": school,
                    "subject": spec["subjects"][index % len(spec["subjects"])],
                    "years_of_teaching": (index * 3) % 32,
                    "preferred_language": spec["language"],
                },
            )


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create the demo region; running it again changes nothing."""
    for spec in SCHOOLS:
        School.objects.get_or_create(
            code=spec["code"],
            defaults={key: spec[key] for key in ("name", "region", "district")},
        )
    existing = set(
        User.objects.filter(email__endswith="@demo.ustaz.kz").values_list("email", flat=True)
    )
    # One hash for every demo account: hashing is deliberately slow, 64 times would be seconds.
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        User(email=email, password=password, **defaults)
        for email, defaults in _demo_people()
        if email not in existing
    )
    return [
        DemoLogin("administrator", "admin@demo.ustaz.kz", "Әкімші Демо"),
        DemoLogin("methodist", "methodist@demo.ustaz.kz", "Әдіскер Айжан"),
        DemoLogin("school head", "head1@demo.ustaz.kz", "Директор 1"),
        DemoLogin("teacher", "teacher1.01@demo.ustaz.kz", _teacher_name(7)),
    ]
