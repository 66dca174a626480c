"""Courses, their modules and lessons, the rules that open them, and each teacher's learning.

Split by concern, re-exported here so every other module imports `from courses.models import X`:

- `content`: Course, Module, Lesson and what hangs off a lesson (level variants, attachments,
  library resources);
- `conditions`: Condition, the one rule engine's rows (AND inside an alternative, OR between);
- `learning`: Enrolment, CompletionEvent (the evidence, never rewritten), LessonProgress (derived
  from the events), CompletionRecompute (the methodist's progress bar), GroupCourseAssignment,
  LearningPathEntry;
- `activities`: what quiz and interactive lessons add: Quiz, QuizAttempt, QuizAnswer (asked and
  priced by the diagnostics question engine), InteractivePackage (an H5P package); the course
  exchange imports and exports a quiz lesson's `Quiz` too.

Assignments, certificates and the portfolio keep their models in their own packages
(courses/assignments/, courses/certificates/, courses/portfolio/) under the courses app label; they
are imported here so Django finds them.
"""

from courses.assignments.models import (
    Assignment,
    PeerReview,
    Review,
    RubricRow,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from courses.certificates.models import Certificate
from courses.models.activities import InteractivePackage, Quiz, QuizAnswer, QuizAttempt
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
    "Assignment",
    "PeerReview",
    "Review",
    "RubricRow",
    "Submission",
    "SubmissionFile",
    "SubmissionVersion",
    "Certificate",
    "CompletionEvent",
    "CompletionRecompute",
    "Condition",
    "Course",
    "Enrolment",
    "Evidence",
    "GroupCourseAssignment",
    "InteractivePackage",
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
    "Quiz",
    "QuizAnswer",
    "QuizAttempt",
]
