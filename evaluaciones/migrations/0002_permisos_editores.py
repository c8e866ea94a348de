"""Los editores de contenidos (grupo «Editors» de Wagtail) mantienen el banco."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACCIONES = ("add", "change", "delete", "view")
MODELOS = ("categoria", "pregunta", "evaluacion")


def conceder(apps, schema_editor):
    # Los permisos se crean al final de migrate (post_migrate); aquí hacen falta ya.
    configuracion = apps.get_app_config("evaluaciones")
    configuracion.models_module = True
    create_permissions(configuracion, apps=apps, verbosity=0)
    configuracion.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permisos = Permission.objects.filter(
        content_type__app_label="evaluaciones",
        codename__in=[f"{a}_{m}" for a in ACCIONES for m in MODELOS],
    )
    for grupo in Group.objects.filter(name="Editors"):
        grupo.permissions.add(*permisos)


def quitar(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permisos = Permission.objects.filter(
        content_type__app_label="evaluaciones",
        codename__in=[f"{a}_{m}" for a in ACCIONES for m in MODELOS],
    )
    for grupo in Group.objects.filter(name="Editors"):
        grupo.permissions.remove(*permisos)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluaciones", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(conceder, quitar)]
