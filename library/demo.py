"""Demo library: real, well-known documents (the education laws, UNESCO's and the EU's
frameworks of teachers' digital competence) given by their official addresses, a few short
methodological materials written for the demo in Kazakh, Kyrgyz and Russian (their files are
generated here, so downloads and search in file text work), and two collections.

Anything made up for the demo says so in its title or issuer ("demo"): no invented official
numbers. Idempotent: resources are found again by title.
"""

import io
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from diagnostics.demo import ready_instrument
from library.models import Collection, CollectionItem, Resource, Subject, Tag
from library.services import resource_saved

K = Resource.Kind

SUBJECTS = [
    ("informatics", {"kk": "Информатика", "ru": "Информатика", "ky": "Информатика",
                     "en": "Computer science"}),
    ("all-subjects", {"kk": "Барлық пәндер", "ru": "Все предметы", "ky": "Бардык сабактар",
                      "en": "All subjects"}),
]  # fmt: skip

RESOURCES = [
    {
        "kind": K.NORMATIVE_ACT,
        "language": "ru",
        "title": "Закон Республики Казахстан «Об образовании»",
        "description": "Основной закон, регулирующий систему образования Казахстана: права и "
        "обязанности педагогов, уровни образования, государственные стандарты. Официальный "
        "текст с изменениями — на портале «Әділет».",
        "issuer": "Республика Казахстан",
        "act_number": "319-III",
        "adopted_on": date(2007, 7, 27),
        "year": 2007,
        "external_url": "https://adilet.zan.kz/rus/docs/Z070000319_",
        "areas": ["understanding"],
        "tags": ["закон", "нормативная база"],
        "subjects": ["all-subjects"],
    },
    {
        "kind": K.NORMATIVE_ACT,
        "language": "kk",
        "title": "Қазақстан Республикасының «Білім туралы» Заңы",
        "description": "Қазақстандағы білім беру жүйесін реттейтін негізгі заң: педагогтердің "
        "құқықтары мен міндеттері, білім беру деңгейлері, мемлекеттік стандарттар. Ресми мәтіні "
        "өзгерістерімен «Әділет» порталында.",
        "issuer": "Қазақстан Республикасы",
        "act_number": "319-III",
        "adopted_on": date(2007, 7, 27),
        "year": 2007,
        "external_url": "https://adilet.zan.kz/kaz/docs/Z070000319_",
        "areas": ["understanding"],
        "tags": ["заң", "нормативтік база"],
        "subjects": ["all-subjects"],
    },
    {
        "kind": K.NORMATIVE_ACT,
        "language": "ru",
        "title": "[Демо] Приказ методического центра о требованиях к цифровым урокам (2019)",
        "description": "Демонстрационная запись, не настоящий документ: показывает, как "
        "библиотека предупреждает об утратившем силу акте и ведёт к действующему.",
        "issuer": "Демонстрационный методический центр (учебные данные Ustaz)",
        "adopted_on": date(2019, 8, 20),
        "in_force_on": date(2019, 9, 1),
        "repealed_on": date(2025, 8, 31),
        "year": 2019,
        "body": "Требования к цифровому уроку: цели, электронные ресурсы, безопасность.",
        "areas": ["curriculum", "organisation"],
        "tags": ["приказ"],
        "replaced_by": "[Демо] Приказ методического центра о требованиях к цифровым урокам (2025)",
    },
    {
        "kind": K.NORMATIVE_ACT,
        "language": "ru",
        "title": "[Демо] Приказ методического центра о требованиях к цифровым урокам (2025)",
        "description": "Демонстрационная запись, не настоящий документ: действующая редакция, "
        "заменившая приказ 2019 года.",
        "issuer": "Демонстрационный методический центр (учебные данные Ustaz)",
        "adopted_on": date(2025, 8, 15),
        "in_force_on": date(2025, 9, 1),
        "year": 2025,
        "body": "Требования к цифровому уроку: цели урока, отбор электронных ресурсов, "
        "защита персональных данных учащихся, резервное копирование материалов.",
        "areas": ["curriculum", "organisation"],
        "tags": ["приказ"],
    },
    {
        "kind": K.LINK,
        "language": "en",
        "title": "UNESCO ICT Competency Framework for Teachers, version 3",
        "authors": "UNESCO",
        "description": "The framework of teachers' ICT competence in six aspects of their work "
        "(understanding ICT in education policy, curriculum and assessment, pedagogy, digital "
        "skills, organisation and administration, teacher professional learning) at three "
        "levels: knowledge acquisition, knowledge deepening, knowledge creation.",
        "year": 2018,
        "licence": "CC BY-SA 3.0 IGO",
        "external_url": "https://unesdoc.unesco.org/ark:/48223/pf0000265721",
        "areas": [
            "understanding",
            "curriculum",
            "pedagogy",
            "digital_skills",
            "organisation",
            "professional_learning",
        ],
        "tags": ["UNESCO", "ICT CFT"],
        "subjects": ["all-subjects"],
    },  # fmt: skip
    {
        "kind": K.LINK,
        "language": "en",
        "title": "European Framework for the Digital Competence of Educators: DigCompEdu",
        "authors": "Christine Redecker; Joint Research Centre of the European Commission",
        "description": "Twenty-two competences of educators in six areas, with a progression "
        "model from Newcomer to Pioneer; a common reference for self-reflection.",
        "year": 2017,
        "external_url": "https://publications.jrc.ec.europa.eu/repository/handle/JRC107466",
        "areas": ["pedagogy", "professional_learning"],
        "levels": ["deepening", "creation"],
        "tags": ["DigCompEdu"],
        "subjects": ["all-subjects"],
    },
    {
        "kind": K.METHODOLOGICAL,
        "language": "kk",
        "title": "Google Forms арқылы сабақта жедел кері байланыс ұйымдастыру",
        "authors": "Ustaz демо-әдіскері",
        "description": "Бес минуттық сауалнама құрып, оқушылардың жауаптарын сабақ үстінде "
        "талдауға арналған қадамдық нұсқаулық.",
        "year": 2026,
        "body": "Сауалнама құру. Сұрақ түрлерін таңдау. Оқушыларға сілтеме жіберу. Жауаптарды "
        "кесте түрінде қарау және келесі сабақты түзету. Ақпараттық қауіпсіздік: оқушылардың "
        "жеке деректерін жинамаңыз.",
        "areas": ["pedagogy", "digital_skills"],
        "levels": ["starting", "acquisition"],
        "tags": ["кері байланыс", "сауалнама"],
        "subjects": ["all-subjects"],
    },
    {
        "kind": K.LESSON_PLAN,
        "language": "ky",
        "title": "Электрондук таблицалар менен иштөө: информатика сабагынын планы",
        "authors": "Ustaz демо-методисти",
        "description": "7-класс үчүн сабак планы: формулалар, диаграммалар жана маалыматтарды "
        "иреттөө, топтук тапшырма менен.",
        "year": 2026,
        "body": "Сабактын максаты: окуучулар электрондук таблицада формула түзүүнү үйрөнүшөт. "
        "Көнүгүү: үй-бүлөлүк бюджеттин таблицасы. Диаграмма түзүү. Өз ара баалоо.",
        "areas": ["digital_skills", "curriculum"],
        "levels": ["acquisition"],
        "tags": ["электрондук таблица"],
        "subjects": ["informatics"],
    },
    {
        "kind": K.PRESENTATION,
        "language": "ru",
        "title": "Цифровая безопасность учителя: пароли, фишинг и резервные копии",
        "authors": "Демо-методист Ustaz",
        "description": "Короткая презентация для педсовета: как защитить учётные записи и "
        "материалы уроков.",
        "year": 2026,
        "slides": [
            "Надёжные пароли и менеджеры паролей",
            "Как распознать фишинговое письмо",
            "Резервные копии учебных материалов: правило 3-2-1",
        ],
        "areas": ["digital_skills", "organisation"],
        "tags": ["безопасность", "пароли"],
        "subjects": ["all-subjects"],
    },
    {
        "kind": K.SOFTWARE_GUIDE,
        "language": "ru",
        "title": "Как провести онлайн-урок: пошаговое руководство для учителя",
        "authors": "Демо-методист Ustaz",
        "description": "Подготовка, проведение и завершение урока в видеоконференции: "
        "проверка связи, демонстрация экрана, работа в группах, запись.",
        "year": 2026,
        "body": "Перед уроком проверьте микрофон и камеру. Демонстрация экрана. Комнаты для "
        "работы в группах. Правила общения для учеников. Запись урока и её хранение.",
        "areas": ["organisation", "pedagogy"],
        "levels": ["starting"],
        "tags": ["онлайн-урок", "видеоконференция"],
        "subjects": ["all-subjects"],
    },
]

COLLECTIONS = [
    {
        "slug": "start-here",
        "position": 1,
        "title": {"kk": "Осыдан бастаңыз", "ru": "С чего начать", "ky": "Ушундан баштаңыз",
                  "en": "Start here"},
        "description": {
            "kk": "Цифрлық құзыреттілікті дамытуды бастаған мұғалімге арналған "
            "негізгі материалдар.",
            "ru": "Главное для учителя, который начинает развивать цифровую компетентность.",
            "ky": "Санариптик компетенттүүлүгүн өнүктүрүп баштаган мугалим үчүн "
            "негизги материалдар.",
            "en": "The essentials for a teacher starting to build digital competence.",
        },
        "titles": [
            "UNESCO ICT Competency Framework for Teachers, version 3",
            "Google Forms арқылы сабақта жедел кері байланыс ұйымдастыру",
            "Цифровая безопасность учителя: пароли, фишинг и резервные копии",
            "Как провести онлайн-урок: пошаговое руководство для учителя",
        ],
    },
    {
        "slug": "normative-acts-2026",
        "position": 2,
        "title": {"kk": "Нормативтік актілер 2026", "ru": "Нормативные акты 2026",
                  "ky": "Ченемдик актылар 2026", "en": "Normative acts 2026"},
        "description": {
            "kk": "Мұғалімнің жұмысына қатысты заңдар мен бұйрықтар.",
            "ru": "Законы и приказы, которые касаются работы учителя.",
            "ky": "Мугалимдин ишине тиешелүү мыйзамдар жана буйруктар.",
            "en": "Laws and orders that concern a teacher's work.",
        },
        "titles": [
            "Закон Республики Казахстан «Об образовании»",
            "Қазақстан Республикасының «Білім туралы» Заңы",
            "[Демо] Приказ методического центра о требованиях к цифровым урокам (2025)",
        ],
    },
]  # fmt: skip


def _docx(title: str, body: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for sentence in body.split(". "):
        document.add_paragraph(sentence.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pptx(title: str, slides: list[str]) -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    first = presentation.slides.add_slide(presentation.slide_layouts[0])
    first.shapes.title.text = title
    for heading in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = heading
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _subjects() -> dict[str, Subject]:
    subjects = {}
    for code, names in SUBJECTS:
        subject, _ = Subject.objects.get_or_create(
            code=code, defaults={f"name_{lang}": name for lang, name in names.items()}
        )
        subjects[code] = subject
    return subjects


def _create(spec: dict, areas: dict, levels: dict, subjects: dict, when) -> Resource:
    fields = {
        key: spec[key]
        for key in (
            "kind", "language", "title", "description", "authors", "year", "licence",
            "external_url", "issuer", "act_number", "adopted_on", "in_force_on", "repealed_on",
        )
        if key in spec
    }  # fmt: skip
    resource = Resource.objects.create(published=True, published_at=when, **fields)
    if "body" in spec:
        resource.file.save("demo.docx", ContentFile(_docx(spec["title"], spec["body"])), False)
        resource.file_type = "docx"
    elif "slides" in spec:
        resource.file.save("demo.pptx", ContentFile(_pptx(spec["title"], spec["slides"])), False)
        resource.file_type = "pptx"
    if resource.file:
        resource.file_size = resource.file.size
        resource.save(update_fields=["file", "file_type", "file_size"])
    resource.areas.set([areas[code] for code in spec.get("areas", []) if code in areas])
    resource.levels.set([levels[code] for code in spec.get("levels", []) if code in levels])
    resource.subjects.set([subjects[code] for code in spec.get("subjects", [])])
    resource.tags.set([Tag.objects.get_or_create(name=name)[0] for name in spec.get("tags", [])])
    resource_saved(resource=resource, file_changed=bool(resource.file))
    return resource


def seed_library_demo() -> int:
    """Create the demo resources that are missing; return how many were created."""
    framework = ready_instrument().framework
    areas = {area.code: area for area in framework.areas.all()}
    levels = {level.code: level for level in framework.levels.all()}
    created = 0
    with transaction.atomic():
        subjects = _subjects()
        by_title = {}
        now = timezone.now()
        for index, spec in enumerate(RESOURCES):
            resource = Resource.objects.filter(title=spec["title"]).first()
            if resource is None:
                # Spread over the last weeks, so "new this month" has something to show.
                resource = _create(spec, areas, levels, subjects, now - timedelta(days=3 * index))
                created += 1
            by_title[spec["title"]] = resource
        for spec in RESOURCES:
            if "replaced_by" in spec:
                Resource.objects.filter(
                    pk=by_title[spec["title"]].pk, replaced_by__isnull=True
                ).update(replaced_by=by_title[spec["replaced_by"]])
        for spec in COLLECTIONS:
            collection, made = Collection.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "position": spec["position"],
                    **{f"title_{lang}": text for lang, text in spec["title"].items()},
                    **{f"description_{lang}": text for lang, text in spec["description"].items()},
                },
            )
            if made:
                CollectionItem.objects.bulk_create(
                    CollectionItem(collection=collection, resource=by_title[title], position=i)
                    for i, title in enumerate(spec["titles"], start=1)
                )
    return created
