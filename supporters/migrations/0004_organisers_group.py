"""The "Organisers" group, holding supporters.organise_seats. Permissions are normally made after migrating,
so the permission is made here if it is not there yet."""

from django.db import migrations


def make_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="supporters", model="organiserseat")
    permission, _ = Permission.objects.get_or_create(
        codename="organise_seats",
        content_type=content_type,
        defaults={"name": "Can see and export the contactable supporters of their seats"},
    )
    group, _ = Group.objects.get_or_create(name="Organisers")
    group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Organisers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supporters", "0003_organisers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_group, remove_group)]
