"""Data migrations of the courses app, run on rows written at the schema before them:
0007/0008, the imported quizzes a database holds become quizzes teachers can take before
`ImportedQuiz` is dropped (and going back gives them back); 0009, a course whose address is
another page's gets a free one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("courses", "0006_merge_0004_imported_quiz_0005_merge_20261205_0808")
AFTER = ("courses", "0008_delete_importedquiz")


def _migrate(target):
    """Move the courses app to `target` (the other apps stay as they are: at their latest) and
    return the models of that moment."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "courses"]
    return executor.loader.project_state([target, *others]).apps


@pytest.fixture
def at_the_old_schema(transactional_db):
    apps = _migrate(BEFORE)
    try:
        yield apps
    finally:
        # Every later test expects the schema of today.
        _migrate_all()


def _migrate_all():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _world(apps):
    Framework = apps.get_model("diagnostics", "Framework")
    Instrument = apps.get_model("diagnostics", "Instrument")
    Course = apps.get_model("courses", "Course")
    Module = apps.get_model("courses", "Module")
    Lesson = apps.get_model("courses", "Lesson")
    framework = Framework.objects.create(code="fw", name="Framework")
    course = Course.objects.create(slug="c", title="C", language="en")
    module = Module.objects.create(course=course, position=1, title="M")
    lessons = [
        Lesson.objects.create(module=module, position=n, title=f"L{n}", kind="quiz")
        for n in range(3)
    ]
    pools = [
        Instrument.objects.create(
            framework=framework, code=f"pool-{n}", kind="knowledge_test", title=f"P{n}"
        )
        for n in range(3)
    ]
    return lessons, pools


def test_imported_quizzes_become_quizzes_and_come_back(at_the_old_schema):
    apps = at_the_old_schema
    ImportedQuiz = apps.get_model("courses", "ImportedQuiz")
    Quiz = apps.get_model("courses", "Quiz")
    lessons, pools = _world(apps)
    ImportedQuiz.objects.create(lesson=lessons[0], instrument=pools[0], attempts=3, draw=2)
    ImportedQuiz.objects.create(lesson=lessons[1], instrument=pools[1], attempts=0, draw=0)
    # A lesson a methodist had already given a quiz in the admin keeps that quiz.
    ImportedQuiz.objects.create(lesson=lessons[2], instrument=pools[2], attempts=1, draw=None)
    Quiz.objects.create(lesson=lessons[2], instrument=pools[0], attempts_allowed=5)

    apps = _migrate(AFTER)
    Quiz = apps.get_model("courses", "Quiz")
    rows = {
        q.lesson_id: (q.instrument_id, q.attempts_allowed, q.questions_drawn, q.show_feedback)
        for q in Quiz.objects.all()
    }
    assert rows == {
        lessons[0].pk: (pools[0].pk, 3, 2, True),
        lessons[1].pk: (pools[1].pk, 0, None, True),
        lessons[2].pk: (pools[0].pk, 5, None, True),
    }
    assert "courses_importedquiz" not in connection.introspection.table_names()

    apps = _migrate(BEFORE)
    ImportedQuiz = apps.get_model("courses", "ImportedQuiz")
    back = {q.lesson_id: (q.instrument_id, q.attempts, q.draw) for q in ImportedQuiz.objects.all()}
    assert back == {
        lessons[0].pk: (pools[0].pk, 3, 2),
        lessons[1].pk: (pools[1].pk, 0, None),
        lessons[2].pk: (pools[0].pk, 5, None),
    }


def test_courses_at_a_page_address_get_a_free_one(at_the_old_schema):
    Course = at_the_old_schema.get_model("courses", "Course")
    for slug in ("overview", "overview-2", "Needs", "docs"):
        Course.objects.create(slug=slug, title=slug, language="kk")
    Course = _migrate(("courses", "0009_course_slug_not_a_page_address")).get_model(
        "courses", "Course"
    )
    assert set(Course.objects.values_list("title", "slug")) == {
        ("overview", "overview-3"),
        ("overview-2", "overview-2"),
        ("Needs", "Needs-2"),
        ("docs", "docs"),
    }
