"""The one rule engine that opens lessons and modules: evaluate it for a teacher, put it in words.

Rules are `Condition` rows (see courses/models/conditions.py): rows with one `alternative` number
must all hold, and any one alternative opens the lesson. A module's rules hold for each of its
lessons too. The facts a rule reads (lessons and modules completed, best quiz marks, the teacher's
level per area, today) are gathered once per course in a fixed number of queries, and only
those the course's rules read.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CompletionEvent, Condition, Course, Enrolment, Evidence, Lesson
from courses.progress import lesson_states
from courses.readiness import Readiness, readiness_of


@dataclass
class Clause:
    words: str
    met: bool


@dataclass
class Verdict:
    open: bool = True
    # One list of clauses per alternative; empty when there are no rules.
    alternatives: list[list[Clause]] = field(default_factory=list)

    @property
    def words(self) -> str:
        """The whole rule in a sentence: "Opens: when you pass “Quiz 2” and from 24.01.2027"."""
        if not self.alternatives:
            return ""
        texts = [_(" and ").join(c.words for c in clauses) for clauses in self.alternatives]
        return _("Opens: %(rule)s") % {"rule": _("; or ").join(texts)}


@dataclass
class Facts:
    completed_lessons: set[int]
    completed_modules: set[int]
    quiz_marks: dict[int, object]
    readiness: Readiness
    today: date
    # module id -> (required lessons completed, required lessons): the course page's bars.
    module_counts: dict[int, tuple[int, int]] = field(default_factory=dict)


def facts_for(
    user, course: Course, enrolment: Enrolment | None, readiness=None, kinds=None
) -> Facts:
    """The facts the rules read, for one teacher and course: one query for the progress of every
    lesson and module, then only what the course's rules ask (`kinds`, the kinds of condition
    the course has; None: all) — the best quiz marks (one query), the teacher's readiness (two,
    unless given)."""
    kinds = set(Condition.Kind.values) if kinds is None else kinds
    completed_lessons, module_counts = lesson_states(enrolment, course)
    quiz_marks: dict[int, object] = {}
    if enrolment is not None and Condition.Kind.QUIZ_PASSED in kinds:
        quiz_marks = dict(
            CompletionEvent.objects.filter(
                user=user, lesson__module__course=course, evidence=Evidence.QUIZ_PASSED
            )
            .values("lesson_id")
            .annotate(best=Max("score"))
            .values_list("lesson_id", "best")
        )
    if readiness is None:
        readiness = readiness_of(user) if Condition.Kind.LEVELS in kinds else Readiness()
    return Facts(
        completed_lessons=completed_lessons,
        completed_modules={
            module_id
            for module_id, (done, total) in module_counts.items()
            if total and done >= total
        },
        quiz_marks=quiz_marks,
        readiness=readiness,
        today=timezone.localdate(),
        module_counts=module_counts,
    )


def conditions_of_course(course: Course) -> tuple[dict, dict]:
    """(lesson id -> rows, module id -> rows) for every rule of the course: two queries."""
    rows = (
        Condition.objects.filter(Q(lesson__module__course=course) | Q(module__course=course))
        .select_related("required_lesson", "required_module")
        .prefetch_related("levels")
        .order_by("alternative", "pk")
    )
    by_lesson, by_module = defaultdict(list), defaultdict(list)
    for row in rows:
        if row.lesson_id:
            by_lesson[row.lesson_id].append(row)
        else:
            by_module[row.module_id].append(row)
    return by_lesson, by_module


def _clause(condition: Condition, facts: Facts, area_id: int | None) -> Clause:
    kind = condition.kind
    if kind == Condition.Kind.LESSON_COMPLETED:
        return Clause(
            _("when you complete “%(lesson)s”") % {"lesson": condition.required_lesson},
            condition.required_lesson_id in facts.completed_lessons,
        )
    if kind == Condition.Kind.MODULE_COMPLETED:
        return Clause(
            _("when you complete the module “%(module)s”") % {"module": condition.required_module},
            condition.required_module_id in facts.completed_modules,
        )
    if kind == Condition.Kind.QUIZ_PASSED:
        best = facts.quiz_marks.get(condition.required_lesson_id)
        if condition.min_score is None:
            return Clause(
                _("when you pass “%(quiz)s”") % {"quiz": condition.required_lesson},
                condition.required_lesson_id in facts.quiz_marks,
            )
        return Clause(
            _("when you pass “%(quiz)s” with at least %(mark)s %%")
            % {"quiz": condition.required_lesson, "mark": f"{condition.min_score.normalize():f}"},
            best is not None and best >= condition.min_score,
        )
    if kind == Condition.Kind.FROM_DATE:
        return Clause(
            _("on %(date)s") % {"date": condition.opens_on.strftime("%d.%m.%Y")},
            facts.today >= condition.opens_on,
        )
    levels = list(condition.levels.all())
    names = ", ".join(level.name for level in levels)
    if len(levels) == 1:
        words = _("for the %(level)s level only") % {"level": names}
    else:
        words = _("for the levels %(levels)s only") % {"levels": names}
    level_id = facts.readiness.level_for_area(area_id)
    return Clause(words, level_id is not None and level_id in {lv.pk for lv in levels})


def verdict(rows: list[Condition], facts: Facts, area_id: int | None = None) -> Verdict:
    if not rows:
        return Verdict()
    grouped: dict[int, list[Condition]] = defaultdict(list)
    for row in rows:
        grouped[row.alternative].append(row)
    alternatives = [
        [_clause(row, facts, area_id) for row in group]
        for _number, group in sorted(grouped.items())
    ]
    is_open = any(all(clause.met for clause in clauses) for clauses in alternatives)
    return Verdict(open=is_open, alternatives=alternatives)


@dataclass
class CourseGate:
    """Verdicts for every module and lesson of one course, for one teacher."""

    facts: Facts
    by_lesson: dict
    by_module: dict
    bypass: bool = False

    def module(self, module_id: int) -> Verdict:
        if self.bypass:
            return Verdict()
        return verdict(self.by_module.get(module_id, []), self.facts)

    def lesson(self, lesson: Lesson) -> Verdict:
        if self.bypass:
            return Verdict()
        module_verdict = self.module(lesson.module_id)
        own = verdict(self.by_lesson.get(lesson.pk, []), self.facts, lesson.area_id)
        # Closed by its module: the module's rule is what the teacher must meet first.
        return own if module_verdict.open else module_verdict


def course_gate(user, course: Course, enrolment: Enrolment | None, readiness=None) -> CourseGate:
    by_lesson, by_module = conditions_of_course(course)
    kinds = {row.kind for rows in (*by_lesson.values(), *by_module.values()) for row in rows}
    return CourseGate(
        facts=facts_for(user, course, enrolment, readiness, kinds),
        by_lesson=by_lesson,
        by_module=by_module,
        # Methodists and administrators preview every lesson.
        bypass=user.is_staff,
    )
