"""Where an imported quiz's questions live until the quiz engine (courses/quizzes) takes them.

A course file carries each quiz lesson's questions in the diagnostics instrument format. The
importer loads them into a diagnostics knowledge-test instrument of their own (one engine, its
question kinds and scoring) and links it to the lesson here, with the quiz settings the file
carries, so exporting the course gives the quiz back unchanged. The lesson's pass mark is the
quiz's pass mark.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedQuiz(models.Model):
    lesson = models.OneToOneField(
        "courses.Lesson",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="imported_quiz",
    )
    instrument = models.ForeignKey(
        "diagnostics.Instrument",
        verbose_name=_("questions"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0: as many as the teacher wants.")
    )
    draw = models.PositiveSmallIntegerField(
        _("questions drawn at random"),
        null=True,
        blank=True,
        help_text=_("Empty: every question, in order."),
    )

    class Meta:
        verbose_name = _("imported quiz")
        verbose_name_plural = _("imported quizzes")

    def __str__(self):
        return str(self.lesson)
