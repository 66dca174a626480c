"""The one rule engine that opens lessons and modules.

A lesson's (or module's) conditions are rows. Rows with the same `alternative` number must all
hold (AND); the thing opens when any one alternative holds (OR). That is disjunctive normal form:
every AND/OR rule can be written so, and a methodist edits it as a plain table in the admin.
No rows: always open. Evaluated and put into words by `courses.conditions`.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Condition(models.Model):
    class Kind(models.TextChoices):
        LESSON_COMPLETED = "lesson_completed", _("After a lesson is completed")
        MODULE_COMPLETED = "module_completed", _("After a module is completed")
        QUIZ_PASSED = "quiz_passed", _("After a quiz is passed with a mark")
        FROM_DATE = "from_date", _("From a date")
        LEVELS = "levels", _("For some readiness levels only")

    # Exactly one of the two owners is set.
    lesson = models.ForeignKey(
        "courses.Lesson",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conditions",
    )
    module = models.ForeignKey(
        "courses.Module",
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conditions",
    )
    alternative = models.PositiveSmallIntegerField(
        _("alternative"),
        default=1,
        help_text=_(
            "Conditions with the same number must all hold; any one alternative is enough."
        ),
    )
    kind = models.CharField(_("condition"), max_length=20, choices=Kind.choices)
    required_lesson = models.ForeignKey(
        "courses.Lesson",
        verbose_name=_("lesson to complete or quiz to pass"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    required_module = models.ForeignKey(
        "courses.Module",
        verbose_name=_("module to complete"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    min_score = models.DecimalField(
        _("with at least, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Empty: the quiz's own pass mark."),
    )
    opens_on = models.DateField(_("from"), null=True, blank=True)
    levels = models.ManyToManyField(
        "diagnostics.Level", verbose_name=_("levels"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["alternative", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lesson__isnull=False) & Q(module__isnull=True))
                | (Q(lesson__isnull=True) & Q(module__isnull=False)),
                name="condition_has_one_owner",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        super().clean()
        needs = {
            self.Kind.LESSON_COMPLETED: ("required_lesson", self.required_lesson_id),
            self.Kind.QUIZ_PASSED: ("required_lesson", self.required_lesson_id),
            self.Kind.MODULE_COMPLETED: ("required_module", self.required_module_id),
            self.Kind.FROM_DATE: ("opens_on", self.opens_on),
        }
        if self.kind in needs:
            field, value = needs[self.kind]
            if not value:
                raise ValidationError({field: _("This condition needs this field.")})
        if self.required_lesson_id and self.lesson_id == self.required_lesson_id:
            raise ValidationError({"required_lesson": _("A lesson cannot wait for itself.")})
