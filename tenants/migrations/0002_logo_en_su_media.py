"""El logo de cada tenant pasa a MEDIA_ROOT/<schema>/logos/<uuid4>.<ext>.

Subido desde /django-admin/ quedaba en media/public/logos/ y se enlazaba bajo
media/<schema>/ (404). Los logos existentes se mueven a la media de su tenant; uno
cuyo archivo no está se vacía (el sitio lo mostraba roto).
"""

import os
import shutil
import uuid
from pathlib import Path

import django.core.files.storage
from django.conf import settings
from django.db import migrations, models

import tenants.models


def logos_mover(apps, schema_editor):
    Tenant = apps.get_model("tenants", "Tenant")
    media = Path(settings.MEDIA_ROOT)
    for tenant in Tenant.objects.exclude(logo=""):
        nombre = tenant.logo.name
        schema = tenant.schema_name
        if nombre.startswith(f"{schema}/logos/"):
            continue
        origen = next(
            (
                ruta
                for ruta in (media / "public" / nombre, media / schema / nombre)
                if ".." not in Path(nombre).parts
                and ruta.is_file()
                and not ruta.is_symlink()
            ),
            None,
        )
        nuevo = ""
        if origen is not None:
            extension = os.path.splitext(nombre)[1].lower()
            nuevo = f"{schema}/logos/{uuid.uuid4().hex}{extension}"
            (media / nuevo).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(origen, media / nuevo)
        Tenant.objects.filter(pk=tenant.pk).update(logo=nuevo)


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="tenant",
            name="logo",
            field=models.ImageField(
                blank=True,
                max_length=200,
                storage=django.core.files.storage.FileSystemStorage(),
                upload_to=tenants.models.logo_ruta,
                verbose_name="logo",
            ),
        ),
        migrations.RunPython(logos_mover, migrations.RunPython.noop),
    ]
