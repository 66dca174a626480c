"""A course in: from the "ustaz-course" JSON (and the files of its .zip) to a new course.

All or nothing: the course is built inside one transaction, every problem found on the way is
collected with the place it is in ("module 2, lesson 3: unknown level code “x”"), and any problem
rolls everything back — including the files already copied into storage, which are deleted. A
slug that is taken gives the new course a free one. A library resource that cannot be found is
not an error (regions' libraries differ): it is left out and reported in `course.import_warnings`.
"""

import zipfile
import zlib
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from courses.exchange.format import (
    FORMAT,
    JSON_NAME,
    KIND_CODES,
    VERSION,
    CourseFormatError,
    lesson_place,
    module_place,
)
from courses.exchange.quizzes import quiz_import
from courses.exchange.rules import RuleReader
from courses.exchange.upload import CourseUpload
from courses.models import (
    Course,
    Lesson,
    LessonAttachment,
    LessonKind,
    LessonResource,
    LessonVariant,
    Module,
)
from courses.models.choices import DEFAULT_RULE_BY_KIND, Evidence
from courses.services import _free_slug
from diagnostics.kinds.content import LANGUAGES, json_texts
from diagnostics.models import Framework
from library.models import Resource

MALFORMED = (KeyError, TypeError, ValueError, AttributeError, InvalidOperation)


def _malformed(where: str, error: Exception) -> str:
    return _("%(where)s: a required entry is missing or malformed: %(entry)s") % {
        "where": where,
        "entry": error,
    }


def _texts(field: str, value, where: str, problems: list[str], required=False) -> dict:
    if value is None or value == "":
        if required:
            problems.append(
                _("%(where)s: the %(field)s is missing") % {"where": where, "field": field}
            )
        return {}
    if not isinstance(value, str | dict) or (
        isinstance(value, dict) and not all(isinstance(t, str | None) for t in value.values())
    ):
        problems.append(
            _("%(where)s: the %(field)s must be a text per language")
            % {"where": where, "field": field}
        )
        return {}
    texts = json_texts(field, value)
    if required and not any(texts.values()):
        problems.append(_("%(where)s: the %(field)s is missing") % {"where": where, "field": field})
    return texts


def _check(instance, where: str, problems: list[str], exclude=()) -> None:
    """The model's own validation (lengths, choices, ranges), as problems naming the place."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                problems.append(f"{where}: {field}: {message}")


def _number(value, where: str, what: str, problems: list[str]) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(
            _("%(where)s: %(what)s “%(value)s” is not a number")
            % {"where": where, "what": what, "value": value}
        )
        return None


def _resource(entry):
    """The library resource an entry names: by title, else by its other identifiers."""
    if isinstance(entry, str):
        entry = {"title": entry}
    title = entry.get("title") or ""
    candidates = Resource.objects.order_by("-published", "pk")
    found = candidates.filter(title=title).first() if title else None
    if found is None and entry.get("external_url"):
        found = candidates.filter(external_url=entry["external_url"]).first()
    if found is None and entry.get("act_number"):
        found = candidates.filter(
            act_number=entry["act_number"], issuer=entry.get("issuer", "")
        ).first()
    return found, entry


class CourseImporter:
    def __init__(self, data: dict, upload: CourseUpload | None, created_by, published: bool):
        self.data = data
        self.upload = upload or CourseUpload(data)
        self.created_by = created_by
        self.published = published
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.saved_files: list = []
        self.areas: dict = {}
        self.levels: dict = {}
        self.framework = None

    def save_file(self, field_file, name, where: str) -> None:
        upload = self.upload.file(name, where, self.problems)
        if upload is None:
            return
        try:
            field_file.save(upload.name, upload, save=False)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, CourseFormatError):
            self.problems.append(
                _("%(where)s: “%(name)s” could not be read from the archive")
                % {"where": where, "name": name}
            )
            return
        self.saved_files.append((field_file.storage, field_file.name))

    def codes(self, values, known: dict, what: str, where: str) -> list:
        if not isinstance(values, list):
            values = [values]
        found = []
        for code in values:
            if code not in known:
                message = {
                    "area": _("%(where)s: unknown area code “%(code)s”"),
                    "level": _("%(where)s: unknown level code “%(code)s”"),
                }[what]
                self.problems.append(message % {"where": where, "code": code})
            else:
                found.append(known[code])
        return found

    def read_framework(self) -> None:
        code = self.data.get("framework")
        if code is None:
            return
        self.framework = Framework.objects.filter(code=code).first()
        if self.framework is None:
            raise CourseFormatError(
                [
                    _("The course is written for the framework “%(code)s”, which is not here; "
                      "import its instrument first.") % {"code": code}
                ]
            )  # fmt: skip
        self.areas = {area.code: area for area in self.framework.areas.all()}
        self.levels = {level.code: level for level in self.framework.levels.all()}

    def course(self) -> Course:
        spec = self.data["course"]
        where = _("course")
        slug = slugify(str(spec.get("slug") or ""), allow_unicode=True)[:70]
        texts = {
            **_texts("title", spec.get("title"), where, self.problems, required=True),
            **_texts("summary", spec.get("summary"), where, self.problems),
        }
        course = Course(
            slug=_free_slug(slug or texts.get(f"title_{LANGUAGES[0]}") or "course"),
            language=spec.get("language") or LANGUAGES[0],
            estimated_hours=spec.get("estimated_hours") or 1,
            published=self.published,
            published_at=timezone.now() if self.published else None,
            created_by=self.created_by,
            **texts,
        )
        _check(course, where, self.problems, exclude=["cover", "slug"])
        if self.problems:
            raise CourseFormatError(self.problems)
        if spec.get("cover"):
            self.save_file(course.cover, spec["cover"], where)
        course.save()
        course.areas.set(self.codes(spec.get("areas") or [], self.areas, "area", where))
        course.levels.set(self.codes(spec.get("levels") or [], self.levels, "level", where))
        return course

    def lesson(self, module: Module, spec: dict, position: int, where: str) -> Lesson:
        kind = KIND_CODES.get(spec.get("kind"))
        if kind is None and spec.get("kind") in LessonKind.values:
            kind = LessonKind(spec["kind"])
        if kind is None:
            self.problems.append(
                _("%(where)s: unknown lesson kind “%(kind)s”")
                % {"where": where, "kind": spec.get("kind")}
            )
            kind = LessonKind.LECTURE
        area = None
        if spec.get("area"):
            area = (self.codes(spec["area"], self.areas, "area", where) or [None])[0]
        quiz = spec.get("quiz") if isinstance(spec.get("quiz"), dict) else {}
        pass_mark = spec.get("pass_mark", quiz.get("pass_percent"))
        lesson = Lesson(
            module=module,
            position=position,
            kind=kind,
            area=area,
            video_url=spec.get("video_url") or "",
            duration_minutes=spec.get("estimated_minutes"),
            completion_rule=spec.get("completion_rule")
            or DEFAULT_RULE_BY_KIND.get(kind, Evidence.MARKED_DONE),
            pass_mark=_number(pass_mark, where, _("the pass mark"), self.problems),
            required=bool(spec.get("required", True)),
            **_texts("title", spec.get("title"), where, self.problems, required=True),
            **_texts("summary", spec.get("summary"), where, self.problems),
            **_texts("body", spec.get("body"), where, self.problems),
            **_texts("information_sources", spec.get("information_sources"), where, self.problems),
        )
        _check(lesson, where, self.problems, exclude=["module", "video", "area"])
        if spec.get("video"):
            self.save_file(lesson.video, spec["video"], where)
        lesson.save()
        self.lesson_parts(lesson, spec, where)
        return lesson

    def lesson_parts(self, lesson: Lesson, spec: dict, where: str) -> None:
        seen = set()
        for variant in spec.get("variants") or []:
            level = (self.codes(variant.get("level"), self.levels, "level", where) or [None])[0]
            if level is None:
                continue
            if level.pk in seen:
                self.problems.append(
                    _("%(where)s: two variants for the level “%(code)s”")
                    % {"where": where, "code": level.code}
                )
                continue
            seen.add(level.pk)
            LessonVariant.objects.create(
                lesson=lesson,
                level=level,
                **_texts("body", variant.get("body"), where, self.problems, required=True),
            )
        for position, item in enumerate(spec.get("attachments") or [], start=1):
            attachment = LessonAttachment(
                lesson=lesson,
                position=position,
                **_texts("title", item.get("title"), where, self.problems, required=True),
            )
            self.save_file(attachment.file, item.get("file"), where)
            if attachment.file:
                attachment.save()
        linked = set()
        for position, entry in enumerate(spec.get("library") or [], start=1):
            resource, entry = _resource(entry)
            if resource is None:
                self.warnings.append(
                    _("%(where)s: the library has no resource “%(title)s”; the link was left out")
                    % {"where": where, "title": entry.get("title", "?")}
                )
            elif resource.pk not in linked:
                linked.add(resource.pk)
                LessonResource.objects.create(
                    lesson=lesson, resource=resource, position=position, note=entry.get("note", "")
                )

    def rules(self, modules, lessons, specs) -> None:
        reader = RuleReader(lessons, modules, self.levels)
        rows = []
        for m, (module, spec) in enumerate(zip(modules, specs, strict=True)):
            rows += reader.read(
                spec.get("conditions"), {"module": module}, module_place(m), self.problems
            )
            for n, (lesson, lesson_spec) in enumerate(
                zip(lessons[m], spec["lessons"], strict=True)
            ):
                where = lesson_place(m, n)
                rows += reader.read(
                    lesson_spec.get("conditions"), {"lesson": lesson}, where, self.problems
                )
                if lesson_spec.get("quiz") is not None:
                    quiz_import(
                        lesson=lesson,
                        data=lesson_spec["quiz"],
                        framework=self.framework,
                        where=where,
                        problems=self.problems,
                    )
        for condition, levels in rows:
            condition.save()
            if levels:
                condition.levels.set(levels)

    def run(self) -> Course:
        self.read_framework()
        course = self.course()
        modules, lessons, specs = [], [], self.data["modules"]
        if not isinstance(specs, list):
            raise CourseFormatError([_("“modules” must be a list")])
        for m, spec in enumerate(specs):
            where = module_place(m)
            try:
                module = Module(
                    course=course,
                    position=m + 1,
                    **_texts("title", spec.get("title"), where, self.problems, required=True),
                    **_texts("summary", spec.get("summary"), where, self.problems),
                )
                _check(module, where, self.problems, exclude=["course"])
                module.save()
                modules.append(module)
                lessons.append([])
                if not isinstance(spec["lessons"], list):
                    self.problems.append(
                        _("%(where)s: “lessons” must be a list") % {"where": where}
                    )
                    continue
                for n, lesson_spec in enumerate(spec["lessons"]):
                    try:
                        lessons[m].append(
                            self.lesson(module, lesson_spec, n + 1, lesson_place(m, n))
                        )
                    except MALFORMED as error:
                        self.problems.append(_malformed(lesson_place(m, n), error))
            except MALFORMED as error:
                self.problems.append(_malformed(where, error))
        if self.problems:
            raise CourseFormatError(self.problems)
        if self.framework is None and any(
            lesson.get("quiz") for spec in specs for lesson in spec["lessons"]
        ):
            raise CourseFormatError([_("A course with quizzes must name its framework")])
        self.rules(modules, lessons, specs)
        if self.problems:
            raise CourseFormatError(self.problems)
        course.import_warnings = self.warnings
        return course


def course_import(
    data, *, upload: CourseUpload | None = None, created_by=None, published: bool = False
) -> Course:
    """Create a new course from a course file; CourseFormatError (nothing created) when bad."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CourseFormatError(
            [_("This is not an Ustaz course file (format %(format)s).") % {"format": FORMAT}]
        )
    if data.get("version") != VERSION:
        raise CourseFormatError(
            [_("This course file is of version %(version)s; Ustaz reads version %(known)s.")
             % {"version": data.get("version"), "known": VERSION}]
        )  # fmt: skip
    if not isinstance(data.get("course"), dict) or not isinstance(data.get("modules"), list):
        raise CourseFormatError(
            [_("%(name)s needs a “course” and a list of “modules”") % {"name": JSON_NAME}]
        )
    importer = CourseImporter(data, upload, created_by, published)
    try:
        with transaction.atomic():
            return importer.run()
    except CourseFormatError:
        _delete(importer.saved_files)
        raise
    except (IntegrityError, DataError) as error:
        # e.g. two quiz questions with one code: the database refuses, and nothing is saved.
        _delete(importer.saved_files)
        raise CourseFormatError(
            [_("The course contradicts itself: %(error)s") % {"error": error}]
        ) from error
    except MALFORMED as error:
        importer.problems.append(_malformed(_("course"), error))
        _delete(importer.saved_files)
        raise CourseFormatError(importer.problems) from error
    except BaseException:
        _delete(importer.saved_files)
        raise


def _delete(saved_files) -> None:
    for storage, name in saved_files:
        storage.delete(name)
