"""Who may see a quiz attempt: its teacher, and methodists and administrators (who read every
school). Anyone else gets 404, so another teacher's attempt is not told to exist."""

from django.shortcuts import get_object_or_404

from courses.models import QuizAttempt


def attempts_visible_to(user):
    if not user.is_authenticated:
        return QuizAttempt.objects.none()
    if user.is_staff:
        return QuizAttempt.objects.all()
    return QuizAttempt.objects.filter(user=user)


def attempt_for_user(user, attempt_id: int) -> QuizAttempt:
    return get_object_or_404(
        attempts_visible_to(user).select_related(
            "quiz__lesson__module__course", "quiz__lesson__area"
        ),
        pk=attempt_id,
    )
