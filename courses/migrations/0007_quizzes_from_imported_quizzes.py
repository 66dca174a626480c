"""Every imported quiz becomes the lesson's `Quiz`, before `ImportedQuiz` goes (0008).

Two branches built the same thing twice: the course import linked a quiz lesson to its
questions with `ImportedQuiz`, which the quiz pages never read, so an imported quiz could not be
taken. Each row becomes a `Quiz` on the same instrument with the same settings (attempts
allowed; questions drawn, where 0 meant none drawn; feedback shown, the quiz's default). A lesson
that already has a `Quiz` (a methodist gave it one in the admin) keeps it: that is the quiz its
teachers take and whose attempts they hold; the imported instrument stays in the instrument
admin.

Going back gives every quiz an `ImportedQuiz` again, since the code of that time exports a
lesson's quiz only through it.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

BATCH = 500


def _copy_missing(source, target, db: str, build) -> None:
    """A `target` row built from each `source` row whose lesson has none yet."""
    taken = target.objects.using(db).filter(lesson_id=OuterRef("lesson_id"))
    rows = source.objects.using(db).exclude(Exists(taken)).order_by("pk")
    target.objects.using(db).bulk_create(
        (build(row) for row in rows.iterator(chunk_size=BATCH)), batch_size=BATCH
    )


def imported_to_quiz(apps, schema_editor):
    Quiz = apps.get_model("courses", "Quiz")
    _copy_missing(
        apps.get_model("courses", "ImportedQuiz"),
        Quiz,
        schema_editor.connection.alias,
        lambda row: Quiz(
            lesson_id=row.lesson_id,
            instrument_id=row.instrument_id,
            attempts_allowed=row.attempts,
            questions_drawn=row.draw or None,
            show_feedback=True,
        ),
    )


def quiz_to_imported(apps, schema_editor):
    ImportedQuiz = apps.get_model("courses", "ImportedQuiz")
    _copy_missing(
        apps.get_model("courses", "Quiz"),
        ImportedQuiz,
        schema_editor.connection.alias,
        lambda row: ImportedQuiz(
            lesson_id=row.lesson_id,
            instrument_id=row.instrument_id,
            attempts=row.attempts_allowed,
            draw=row.questions_drawn,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_merge_0004_imported_quiz_0005_merge_20261205_0808"),
    ]

    operations = [
        migrations.RunPython(imported_to_quiz, quiz_to_imported),
    ]
