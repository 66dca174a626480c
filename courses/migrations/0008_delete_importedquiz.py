"""`ImportedQuiz` goes: its rows became `Quiz` rows in 0007 (a migration of its own, so the
rows are committed before the table is dropped)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_quizzes_from_imported_quizzes"),
    ]

    operations = [
        migrations.DeleteModel(name="ImportedQuiz"),
    ]
