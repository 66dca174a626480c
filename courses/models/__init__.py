"""Courses, their modules and lessons, the rules that open them, and each teacher's learning.

Split by concern, re-exported here so every other module imports `from courses.models import X`:

- `content`: Course, Module, Lesson and what hangs off a lesson (level variants, attachments,
  library resources);
- `conditions`: Condition, the one rule engine's rows (AND inside an alternative, OR between);
- `learning`: Enrolment, CompletionEvent (the evidence, never rewritten), LessonProgress (derived
  from the events), CompletionRecompute (the methodist's progress bar), GroupCourseAssignment,
  LearningPathEntry;
- `exchange`: ImportedQuiz, a quiz lesson's questions from a course file.

Certificates and the portfolio keep their models in their own packages (courses/certificates/,
courses/portfolio/) under the courses app label; they are imported here so Django finds them.
"""

from courses.certificates.models import Certificate
from courses.models.choices import Evidence, LessonKind
from courses.models.conditions import Condition
from courses.models.content import (
    Course,
    Lesson,
    LessonAttachment,
    LessonResource,
    LessonVariant,
    Module,
)
from courses.models.exchange import ImportedQuiz
from courses.models.learning import (
    CompletionEvent,
    CompletionRecompute,
    Enrolment,
    GroupCourseAssignment,
    LearningPathEntry,
    LessonProgress,
)
from courses.portfolio.models import (
    PortfolioProfile,
    Reflection,
    ShareLink,
    Stage,
    StageRule,
)

__all__ = [
    "Certificate",
    "CompletionEvent",
    "CompletionRecompute",
    "Condition",
    "Course",
    "Enrolment",
    "Evidence",
    "GroupCourseAssignment",
    "ImportedQuiz",
    "LearningPathEntry",
    "Lesson",
    "LessonAttachment",
    "LessonKind",
    "LessonProgress",
    "LessonResource",
    "LessonVariant",
    "Module",
    "PortfolioProfile",
    "Reflection",
    "ShareLink",
    "Stage",
    "StageRule",
]
