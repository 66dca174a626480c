"""The H5P player's files and its xAPI statements, for those who may open the lesson."""

import mimetypes
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.access import lesson_for_user
from courses.conditions import course_gate
from courses.h5p.package import package_file_path
from courses.h5p.services import interactive_result_record
from courses.models import Enrolment, InteractivePackage

VERBS = {"completed", "answered"}
# Scripts and styles of the package's libraries run in the player; anything else opened on its
# own (an SVG, say) may run nothing.
ACTIVE_TYPES = {".js", ".css", ".json"}


def _package_for(user, lesson_id):
    """(lesson, package, open?) for a lesson the user may see; 404 otherwise."""
    lesson = lesson_for_user(user, lesson_id)
    package = InteractivePackage.objects.filter(lesson=lesson).first()
    if package is None:
        raise Http404
    course = lesson.module.course
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    return lesson, package, course_gate(user, course, enrolment).lesson(lesson).open


@login_required
def h5p_file(request, lesson_id, path):
    _lesson, package, is_open = _package_for(request.user, lesson_id)
    if not is_open:
        raise Http404
    name = package_file_path(package.folder, path)
    if name is None or not default_storage.exists(name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if not any(name.lower().endswith(ext) for ext in ACTIVE_TYPES):
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
    return response


@login_required
@require_POST
def h5p_result(request, lesson_id):
    """The page's script posts the top-level "completed"/"answered" statement of the content:
    its verb and result.score.scaled (0 to 1)."""
    lesson, _package, is_open = _package_for(request.user, lesson_id)
    if not is_open:
        return JsonResponse({"error": _("This lesson is not open yet.")}, status=403)
    verb = request.POST.get("verb", "").rsplit("/", 1)[-1]
    if verb not in VERBS:
        return HttpResponseBadRequest(_("Only completed and answered statements are recorded."))
    raw = request.POST.get("scaled", "").strip()
    score = None
    if raw:
        try:
            scaled = Decimal(raw)
        except InvalidOperation:
            return HttpResponseBadRequest(_("The score must be a number between 0 and 1."))
        if not scaled.is_finite() or not 0 <= scaled <= 1:
            return HttpResponseBadRequest(_("The score must be a number between 0 and 1."))
        score = (scaled * 100).quantize(Decimal("0.01"))
    event = interactive_result_record(user=request.user, lesson=lesson, score=score, statement=verb)
    return JsonResponse(
        {"completed": event is not None, "score": None if score is None else str(score)}
    )
