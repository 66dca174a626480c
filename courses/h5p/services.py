"""Writes of interactive lessons: install an uploaded H5P package, record its completion."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from courses.h5p.package import package_check, package_unpack
from courses.models import CompletionEvent, Evidence, InteractivePackage, Lesson
from courses.services import lesson_complete


def interactive_package_install(*, lesson: Lesson, upload) -> InteractivePackage:
    """Check and unpack `upload`, and make it the lesson's package (ValidationError if bad)."""
    manifest = package_check(upload)
    folder = package_unpack(upload)
    with transaction.atomic():
        package, _created = InteractivePackage.objects.get_or_create(
            lesson=lesson, defaults={"folder": folder, "main_library": manifest.main_library}
        )
        package.package.save(f"{lesson.pk}.h5p", upload, save=False)
        package.folder = folder
        package.title = manifest.title
        package.main_library = manifest.main_library
        package.uploaded_at = timezone.now()
        package.save()
    return package


def interactive_result_record(
    *, user, lesson: Lesson, score: Decimal | None, statement: str
) -> CompletionEvent | None:
    """An H5P "completed"/"answered" statement: evidence for the lesson when it reaches the pass
    mark (or when the lesson names none). A repeat no better than what is recorded adds nothing."""
    if lesson.pass_mark is not None and (score is None or score < lesson.pass_mark):
        return None
    recorded = CompletionEvent.objects.filter(
        user=user, lesson=lesson, evidence=Evidence.INTERACTIVE_COMPLETED
    ).order_by("-score")
    best = recorded.first()
    if best is not None and (score is None or (best.score is not None and best.score >= score)):
        return best
    return lesson_complete(
        user=user,
        lesson=lesson,
        evidence=Evidence.INTERACTIVE_COMPLETED,
        score=score,
        source_ref=f"h5p:{statement}"[:100],
    )
