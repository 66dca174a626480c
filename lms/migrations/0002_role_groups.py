from django.db import migrations

ROLES = ["teacher", "methodist", "school_head", "administrator"]


def create_role_groups(apps, schema_editor):
    # Permissions are granted after migrate, app by app (lms.apps.grant_role_permissions),
    # because they do not exist yet while migrations run on a fresh database.
    group_model = apps.get_model("auth", "Group")
    for role in ROLES:
        group_model.objects.get_or_create(name=role)


def delete_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, delete_role_groups)]
