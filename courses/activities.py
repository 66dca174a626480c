"""What the lesson page shows for a quiz or an interactive lesson (nothing, and no query, for the
other kinds)."""

from courses.models import InteractivePackage, LessonKind, Quiz
from courses.quizzes.reading import attempts_of


def activity_context(user, lesson) -> dict:
    if lesson.kind == LessonKind.QUIZ:
        quiz = Quiz.objects.filter(lesson=lesson).first()
        if quiz is None:
            return {}
        quiz.lesson = lesson
        attempts = list(attempts_of(user, quiz))
        used = len(attempts)
        return {
            "quiz": quiz,
            "quiz_attempts": attempts,
            "quiz_open_attempt": any(not a.is_submitted for a in attempts),
            "quiz_may_start": not quiz.attempts_allowed or used < quiz.attempts_allowed,
        }
    if lesson.kind == LessonKind.INTERACTIVE:
        package = InteractivePackage.objects.filter(lesson=lesson).first()
        return {"interactive": package} if package is not None else {}
    return {}
