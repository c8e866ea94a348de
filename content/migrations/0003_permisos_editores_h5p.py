"""Los editores de contenidos (grupo «Editors» de Wagtail) suben paquetes H5P."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACCIONES = ("add", "change", "delete", "view")


def conceder(apps, schema_editor):
    # Los permisos se crean al final de migrate (post_migrate); aquí hacen falta ya.
    configuracion = apps.get_app_config("content")
    configuracion.models_module = True
    create_permissions(configuracion, apps=apps, verbosity=0)
    configuracion.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permisos = Permission.objects.filter(
        content_type__app_label="content",
        codename__in=[f"{accion}_paqueteh5p" for accion in ACCIONES],
    )
    for grupo in Group.objects.filter(name="Editors"):
        grupo.permissions.add(*permisos)


def quitar(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permisos = Permission.objects.filter(
        content_type__app_label="content", codename__endswith="_paqueteh5p"
    )
    for grupo in Group.objects.filter(name="Editors"):
        grupo.permissions.remove(*permisos)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_paqueteh5p_resultadoh5p"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(conceder, quitar)]
