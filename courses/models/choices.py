"""Vocabularies shared by the content and learning models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonKind(models.TextChoices):
    """The teaching methods of the course "ICT in the teacher's professional activity"."""

    EXPLANATION_CONVERSATION = "explanation_conversation", _("Explanation and conversation")
    LECTURE = "lecture", _("Lecture")
    PRACTICAL_WORK = "practical_work", _("Practical work with information sources")
    EXERCISES_TRAINING = "exercises_training", _("Exercises and training")
    LABORATORY = "laboratory", _("Laboratory work")
    INDEPENDENT = "independent", _("Independent work")
    CREATIVE = "creative", _("Creative exercise")
    QUIZ = "quiz", _("Quiz")
    INTERACTIVE = "interactive", _("Interactive lesson")


class Evidence(models.TextChoices):
    """What shows a lesson was done: recorded as events, and named by a lesson's completion rule."""

    MARKED_DONE = "marked_done", _("Marked as done")
    VIDEO_WATCHED = "video_watched", _("Video watched to 90 %")
    QUIZ_PASSED = "quiz_passed", _("Quiz passed")
    INTERACTIVE_COMPLETED = "interactive_completed", _("Interactive lesson completed")
    WORK_ACCEPTED = "work_accepted", _("Work accepted")


# The rule a new lesson of each kind gets unless the methodist chooses another.
DEFAULT_RULE_BY_KIND = {
    LessonKind.QUIZ: Evidence.QUIZ_PASSED,
    LessonKind.INTERACTIVE: Evidence.INTERACTIVE_COMPLETED,
}
