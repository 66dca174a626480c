"""Teacher pages: the catalogue, a course, a lesson; and the small POSTs that record progress."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import services
from courses.access import course_for_user, enrolment_for_user, lesson_for_user
from courses.activities import activity_context
from courses.conditions import course_gate
from courses.h5p.csp import allow_h5p_player
from courses.models import CompletionRecompute, Course, Enrolment, LessonAttachment
from courses.pages import course_outline, lesson_resources, lesson_text, next_lesson
from courses.ranges import ranged_file_response
from courses.readiness import Readiness, readiness_of
from diagnostics.models import Area, Level
from lms.dashboard import app_panels
from lms.params import int_or_none, without_nul

PAGE_SIZE = 24


@login_required
def catalogue(request):
    user = request.user
    courses = Course.objects.visible_to(user).with_enrolment_of(user)
    area_id = int_or_none(request.GET.get("area"))
    level_id = int_or_none(request.GET.get("level"))
    language = without_nul(request.GET.get("language", ""))
    mine = request.GET.get("mine") == "1"
    if area_id:
        courses = courses.filter(areas=area_id)
    if level_id:
        courses = courses.for_level(level_id)
    if language:
        courses = courses.filter(language=language)
    if mine:
        courses = courses.filter(enrolments__user=user)
    courses = (
        courses.distinct()
        .order_by("title", "pk")
        .prefetch_related(
            "areas",
            "levels",
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.filter(user=user),
                to_attr="my_enrolments",
            ),
        )
    )
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/catalogue.html",
        {
            "page": page,
            "areas": Area.objects.order_by("framework", "position"),
            "levels": Level.objects.order_by("framework", "position"),
            "language_choices": Course._meta.get_field("language").choices,
            "chosen": {"area": area_id, "level": level_id, "language": language, "mine": mine},
        },
    )


@login_required
def course_detail(request, slug):
    course = course_for_user(request.user, slug)
    enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
    rows, gate = course_outline(request.user, course, enrolment)
    return render(
        request,
        "courses/course.html",
        {
            "course": course,
            "enrolment": enrolment,
            "modules": rows,
            "continue_lesson": next_lesson(rows, enrolment),
            "areas": list(course.areas.all()),
            # Other apps' parts of the course (its forum), asked through AppConfig hooks.
            "panels": app_panels("course_panels", request, course),
        },
    )


@login_required
@require_POST
def enrol(request, slug):
    course = course_for_user(request.user, slug)
    if not course.published:
        raise Http404
    services.enrolment_create(user=request.user, course=course)
    messages.success(request, _("You are enrolled. Good luck!"))
    return redirect(course)


def _lesson_page(request, lesson, readiness: Readiness, *, preview_level=None):
    course = lesson.module.course
    enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
    gate = course_gate(request.user, course, enrolment, readiness)
    verdict = gate.lesson(lesson)
    if not verdict.open:
        return render(
            request,
            "courses/locked.html",
            {"lesson": lesson, "course": course, "verdict": verdict},
            status=403,
        )
    chosen = int_or_none(request.GET.get("level")) or preview_level
    if enrolment is not None and preview_level is None:
        services.lesson_open(user=request.user, lesson=lesson, enrolment=enrolment)
    activity = activity_context(request.user, lesson)
    response = render(
        request,
        "courses/lesson.html",
        {
            "lesson": lesson,
            "course": course,
            "enrolment": enrolment,
            "text": lesson_text(lesson, readiness, chosen),
            "completed": lesson.pk in gate.facts.completed_lessons,
            "resource_links": lesson_resources(lesson),
            "attachments": list(lesson.attachments.order_by("position", "pk")),
            "preview_level": preview_level,
            "information_sources": lesson.information_sources,
            **activity,
        },
    )
    return allow_h5p_player(response) if "interactive" in activity else response


@login_required
def lesson_detail(request, lesson_id):
    lesson = lesson_for_user(request.user, lesson_id)
    return _lesson_page(request, lesson, readiness_of(request.user))


@staff_member_required
def lesson_preview(request, lesson_id):
    """The lesson as a teacher of the chosen level reads it (methodists and administrators)."""
    lesson = lesson_for_user(request.user, lesson_id)
    level = get_object_or_404(Level, pk=int_or_none(request.GET.get("as_level")) or 0)
    readiness = Readiness(level_id=level.pk)
    return _lesson_page(request, lesson, readiness, preview_level=level.pk)


def _open_lesson_or_403(request, lesson_id):
    lesson = lesson_for_user(request.user, lesson_id)
    course = lesson.module.course
    enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
    if not course_gate(request.user, course, enrolment).lesson(lesson).open:
        return lesson, False
    return lesson, True


@login_required
@require_POST
def mark_done(request, lesson_id):
    lesson, is_open = _open_lesson_or_403(request, lesson_id)
    if not is_open:
        return render(request, "403.html", status=403)
    if not lesson.is_marked_done_by_teacher:
        messages.error(request, _("This lesson is completed in another way, not by marking it."))
        return redirect(lesson)
    services.lesson_mark_done(user=request.user, lesson=lesson)
    messages.success(request, _("Lesson marked as done."))
    return redirect(lesson)


@login_required
@require_POST
def video_progress(request, lesson_id):
    """The lesson page's script posts the furthest fraction of the video watched."""
    lesson, is_open = _open_lesson_or_403(request, lesson_id)
    if not is_open:
        return JsonResponse({"error": _("This lesson is not open yet.")}, status=403)
    try:
        fraction = Decimal(request.POST.get("fraction", ""))
    except InvalidOperation:
        return HttpResponseBadRequest(_("The watched fraction must be a number."))
    if not fraction.is_finite() or not 0 <= fraction <= 1:
        return HttpResponseBadRequest(_("The watched fraction must be between 0 and 1."))
    completed = services.video_progress_record(user=request.user, lesson=lesson, fraction=fraction)
    return JsonResponse({"completed": completed})


@login_required
def attachment(request, lesson_id, attachment_id):
    lesson, is_open = _open_lesson_or_403(request, lesson_id)
    if not is_open:
        return render(request, "403.html", status=403)
    item = get_object_or_404(LessonAttachment, pk=attachment_id, lesson=lesson)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file.name)


@login_required
def video(request, lesson_id):
    lesson, is_open = _open_lesson_or_403(request, lesson_id)
    if not is_open:
        return render(request, "403.html", status=403)
    if not lesson.video:
        raise Http404
    # Byte ranges, so the player seeks at once on a school network with no internet.
    return ranged_file_response(request, lesson.video)


@login_required
def cover(request, slug):
    course = course_for_user(request.user, slug)
    if not course.cover:
        raise Http404
    return FileResponse(course.cover.open("rb"))


@login_required
def enrolment_detail(request, enrolment_id):
    """A teacher's progress in one course: theirs, their school's for a head, all for staff."""
    enrolment = enrolment_for_user(request.user, enrolment_id)
    rows, _gate = course_outline(enrolment.user, enrolment.course, enrolment)
    return render(
        request,
        "courses/enrolment.html",
        {"enrolment": enrolment, "course": enrolment.course, "modules": rows},
    )


@staff_member_required
def recompute_status(request, recompute_id):
    """The methodist's progress bar polls this."""
    recompute = get_object_or_404(CompletionRecompute, pk=recompute_id)
    return JsonResponse(
        {"status": recompute.status, "percent": recompute.percent, "error": recompute.error}
    )
