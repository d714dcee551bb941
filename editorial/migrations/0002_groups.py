from django.db import migrations

# Model permissions each group gets. Rights over review actions themselves are
# checked in editorial.access.rights; these only open the admin pages.
GROUP_PERMISSIONS = {
    "Medical Advisory Board": [
        ("answers", "view_answer"),
        ("answers", "change_answer"),
        ("answers", "view_revision"),
        ("answers", "view_question"),
        ("answers", "view_specialty"),
        ("editorial", "view_auditevent"),
    ],
    "Editors": [
        ("answers", "view_answer"),
        ("answers", "change_answer"),
        ("answers", "view_revision"),
        ("answers", "view_question"),
        ("answers", "view_specialty"),
        ("answers", "add_specialty"),
        ("answers", "change_specialty"),
        ("answers", "view_reviewerprofile"),
        ("answers", "add_reviewerprofile"),
        ("answers", "change_reviewerprofile"),
        ("editorial", "view_auditevent"),
    ],
    "Drafting systems": [],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUP_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("answers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
