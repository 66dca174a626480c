"""A course out: its JSON (the "ustaz-course" format) and a .zip with its files.

`course_export(course)` returns the JSON as a dict and the files it names (path inside the zip
-> the stored file); `course_export_zip(course, out)` writes both into one archive, `course.json`
first. Files are copied in chunks, never read whole into memory.
"""

import json
import zipfile
from pathlib import PurePosixPath

from django.db.models import Prefetch

from courses.exchange.format import CODE_OF_KIND, FORMAT, JSON_NAME, VERSION
from courses.exchange.quizzes import QUIZ_SELECTED, quiz_export, quiz_questions_prefetch
from courses.exchange.rules import rule_export
from courses.models import Condition, Course, Lesson, LessonResource, Module
from diagnostics.kinds.content import translated


def _texts(instance, field: str) -> dict:
    return {code: text for code, text in translated(instance, field).items() if text}


def _extension(field_file) -> str:
    return PurePosixPath(field_file.name).suffix.lower()[:10]


def _library_link(link: LessonResource) -> dict:
    resource = link.resource
    # The title is how the ready course names a resource; the other identifiers find it when a
    # region's library spells the title differently.
    entry = {"title": resource.title}
    for field in ("external_url", "issuer", "act_number"):
        if getattr(resource, field):
            entry[field] = getattr(resource, field)
    if resource.year:
        entry["year"] = resource.year
    if link.note:
        entry["note"] = link.note
    return entry


def _conditions():
    return Prefetch("conditions", queryset=Condition.objects.prefetch_related("levels"))


def _load(course: Course):
    lessons = Lesson.objects.select_related("area", QUIZ_SELECTED).prefetch_related(
        "variants__level",
        "attachments",
        _conditions(),
        Prefetch("resource_links", queryset=LessonResource.objects.select_related("resource")),
        quiz_questions_prefetch(),
    )
    modules = (
        Module.objects.filter(course=course)
        .order_by("position", "pk")
        .prefetch_related(
            _conditions(), Prefetch("lessons", queryset=lessons.order_by("position", "pk"))
        )
    )
    return list(modules)


def course_export(course: Course) -> tuple[dict, dict]:
    """(the course's JSON, {path in the zip: stored file})."""
    modules = _load(course)
    files = {}
    module_at = {module.pk: m for m, module in enumerate(modules)}
    lesson_at = {
        lesson.pk: (m, n)
        for m, module in enumerate(modules)
        for n, lesson in enumerate(module.lessons.all())
    }

    def level_codes(condition):
        return [level.code for level in condition.levels.all()]

    def rule(owner):
        return rule_export(owner.conditions.all(), lesson_at, module_at, level_codes)

    areas = list(course.areas.select_related("framework"))
    head = {
        "slug": course.slug,
        "title": _texts(course, "title"),
        "summary": _texts(course, "summary"),
        "language": course.language,
        "estimated_hours": course.estimated_hours,
        "published": course.published,
        "areas": [area.code for area in areas],
        "levels": [level.code for level in course.levels.order_by("position")],
    }
    if course.cover:
        head["cover"] = f"files/cover{_extension(course.cover)}"
        files[head["cover"]] = course.cover
    data = {
        "format": FORMAT,
        "version": VERSION,
        "framework": _framework_code(course, areas, modules),
        "course": head,
        "modules": [],
    }
    for m, module in enumerate(modules):
        lessons = []
        for n, lesson in enumerate(module.lessons.all()):
            lessons.append(_lesson_export(lesson, f"files/m{m + 1}-l{n + 1}", files, rule))
        data["modules"].append(
            {
                "title": _texts(module, "title"),
                "summary": _texts(module, "summary"),
                "conditions": rule(module),
                "lessons": lessons,
            }
        )
    return data, files


def _framework_code(course, areas, modules) -> str | None:
    if areas:
        return areas[0].framework.code
    for module in modules:
        for lesson in module.lessons.all():
            if lesson.area_id:
                return lesson.area.framework.code
    level = course.levels.select_related("framework").first()
    return level.framework.code if level else None


def _lesson_export(lesson: Lesson, prefix: str, files: dict, rule) -> dict:
    entry = {
        "kind": CODE_OF_KIND.get(lesson.kind, lesson.kind),
        "title": _texts(lesson, "title"),
        "summary": _texts(lesson, "summary"),
        "area": lesson.area.code if lesson.area_id else None,
        "body": _texts(lesson, "body"),
        "information_sources": _texts(lesson, "information_sources"),
        "estimated_minutes": lesson.duration_minutes,
        "video_url": lesson.video_url,
        "completion_rule": lesson.completion_rule,
        "pass_mark": float(lesson.pass_mark) if lesson.pass_mark is not None else None,
        "required": lesson.required,
        "variants": [
            {"level": variant.level.code, "body": _texts(variant, "body")}
            for variant in lesson.variants.all()
        ],
        "attachments": [],
        "library": [_library_link(link) for link in lesson.resource_links.all()],
        "conditions": rule(lesson),
        "quiz": quiz_export(lesson),
    }
    if lesson.video:
        entry["video"] = f"{prefix}-video{_extension(lesson.video)}"
        files[entry["video"]] = lesson.video
    for a, attachment in enumerate(lesson.attachments.all(), start=1):
        name = f"{prefix}-a{a}{_extension(attachment.file)}"
        files[name] = attachment.file
        entry["attachments"].append({"title": _texts(attachment, "title"), "file": name})
    return entry


def course_export_zip(course: Course, out) -> None:
    """Write the course as a .zip into the binary file object `out`."""
    data, files = course_export(course)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=1))
        for name, stored in files.items():
            with stored.open("rb") as source, archive.open(name, "w", force_zip64=True) as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
