"""A course's address may not be one of the courses app's other pages ("overview", "needs", …):
/courses/overview/ is the progress overview, so a course with that address could never be
opened. The field gets its validator (the admin form says so), and a course that already has
such an address gets the first free "<address>-2", "<address>-3", … (its page opens again; an
old link to it led to the other page anyway)."""

from django.db import migrations, models
from django.db.models import Q

import courses.models.content

# The reserved addresses of this moment (courses.models.content.RESERVED_SLUGS may grow later).
RESERVED = ("overview", "needs", "lessons", "quiz-attempts", "progress", "recomputes")


def readdress_reserved(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    db = schema_editor.connection.alias
    courses = Course.objects.using(db)
    reserved = Q()
    for slug in RESERVED:
        reserved |= Q(slug__iexact=slug)
    for course in courses.filter(reserved).order_by("pk"):
        number = 2
        while courses.filter(slug=f"{course.slug}-{number}").exists():
            number += 1
        course.slug = f"{course.slug}-{number}"
        course.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_delete_importedquiz"),
    ]

    operations = [
        migrations.AlterField(
            model_name="course",
            name="slug",
            field=models.SlugField(
                allow_unicode=True,
                max_length=80,
                unique=True,
                validators=[courses.models.content.validate_course_slug],
                verbose_name="address",
            ),
        ),
        migrations.RunPython(readdress_reserved, migrations.RunPython.noop),
    ]
